/**
 * Stale outputs as a review sees them: in a diff of two saved notebooks, a code cell whose source changed
 * while its outputs did not, or while its execution count did not, was edited after it last ran (or its
 * outputs were edited by hand). lib/diff marks the first case on the entry (`staleOutputs`, shown by the
 * terminal diff); this lists both.
 */
import type { CellEntry, NotebookDiff } from '../model.js';

export interface StaleInDiff {
  /** 0-based cell indices in base and head. */
  base: number;
  head: number;
  /**
   * `outputs`: neither the outputs nor the execution count changed (the entry's `staleOutputs`);
   * `execution-count`: outputs changed but the execution count did not, so they were not produced by a run
   * of this source (edited by hand, or pasted from another notebook).
   */
  reason: 'outputs' | 'execution-count';
}

export interface StaleCellsOptions {
  /**
   * Also list cells whose outputs changed while their execution count did not (`execution-count`). Off by
   * default: two separate top-to-bottom runs give a cell the same count whenever the cells above it did not
   * change in number (the example pair's `summary` cell is such a false alarm), so it is a hint, not a finding.
   */
  sameCount?: boolean;
}

export function staleCells(diff: NotebookDiff, options: StaleCellsOptions = {}): StaleInDiff[] {
  const out: StaleInDiff[] = [];
  for (const entry of diff.cells) {
    if (entry.status !== 'modified' || entry.cell_type !== 'code' || !sourceChanged(entry)) continue;
    if (entry.staleOutputs) out.push({ base: entry.base, head: entry.head, reason: 'outputs' });
    else if (options.sameCount && !entry.changes.execution_count && !entry.changes.cell_type && entry.changes.outputs?.significant && !diff.ignored.includes('execution_count')) {
      out.push({ base: entry.base, head: entry.head, reason: 'execution-count' });
    }
  }
  return out;
}

function sourceChanged(entry: Extract<CellEntry, { status: 'modified' }>): boolean {
  const s = entry.changes.source;
  return !!s && s.added + s.removed > 0;
}
