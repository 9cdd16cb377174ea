/**
 * Saved outputs against fresh ones, cell by cell, through lib/diff: both notebooks are normalized
 * (normalize.ts) and diffed as `cellwise diff` would, with every cell given one id on both sides so that
 * cell i pairs with cell i. The resulting NotebookDiff is what the terminal renderer shows for a stale run.
 */
import { diffNotebooks } from '../diff/notebook.js';
import type { DiffOptions } from '../diff/options.js';
import type { Cell, ErrorOutput, Notebook, NotebookDiff, Output } from '../model.js';
import {
  defaultNormalizeOptions, normalizeOutputs, reconcileFloats, textNormalizer, type NormalizeOptions,
} from './normalize.js';
import type { CellRun } from './types.js';

export interface CompareOptions extends Partial<NormalizeOptions> {
  /** pixelmatch's per-pixel colour threshold (default 0.1, as in `cellwise diff`). */
  imageThreshold?: number;
  /** Fraction of pixels that may change while a plot still counts as unchanged (default 0). */
  imageTolerance?: number;
  /** Names for the diff's header (default `saved`, `re-run`). */
  names?: { saved: string; fresh: string };
}

export type CellVerdict = Pick<CellRun, 'index' | 'status' | 'error' | 'changes'> & { status: 'fresh' | 'stale' | 'error' };

export interface RunComparison {
  /** One verdict per cell that ran and was compared, in notebook order. */
  verdicts: CellVerdict[];
  /** Saved (base) against fresh (head), normalized; cells not compared are equal on both sides. */
  diff: NotebookDiff;
}

/**
 * `fresh[i]` holds the outputs cell i produced now; cells with no entry (not run, or not to be compared) keep
 * their saved outputs on both sides and get no verdict.
 */
export function compareRun(saved: Notebook, fresh: ReadonlyMap<number, readonly Output[]>, options: CompareOptions = {}): RunComparison {
  const o: NormalizeOptions = {
    floatTolerance: options.floatTolerance ?? defaultNormalizeOptions.floatTolerance,
    addresses: options.addresses ?? defaultNormalizeOptions.addresses,
    sanitizers: options.sanitizers ?? defaultNormalizeOptions.sanitizers,
  };
  if (!(o.floatTolerance >= 0)) throw new RangeError(`float tolerance must be a number ≥ 0, got ${o.floatTolerance}`);
  const normalize = textNormalizer(o);
  const base: Cell[] = [];
  const head: Cell[] = [];
  saved.cells.forEach((cell, i) => {
    const id = `cell-${i}`;
    if (cell.cell_type !== 'code') {
      base.push({ ...cell, id });
      head.push({ ...cell, id });
      return;
    }
    const before = normalizeOutputs(cell.outputs ?? [], normalize);
    const now = fresh.get(i);
    const after = now ? reconcileFloats(before, normalizeOutputs(now, normalize), o.floatTolerance) : before;
    base.push({ ...cell, id, execution_count: null, outputs: before });
    head.push({ ...cell, id, execution_count: null, outputs: after });
  });
  const diffOptions: DiffOptions = {
    ...(options.imageThreshold !== undefined ? { imageThreshold: options.imageThreshold } : {}),
    ...(options.imageTolerance !== undefined ? { imageTolerance: options.imageTolerance } : {}),
  };
  const names = options.names ?? { saved: 'saved', fresh: 're-run' };
  const diff = diffNotebooks(
    { notebook: { ...saved, cells: base }, name: names.saved },
    { notebook: { ...saved, cells: head }, name: names.fresh },
    diffOptions,
  );

  const verdicts: CellVerdict[] = [];
  for (const entry of diff.cells) {
    if (entry.head === null || !fresh.has(entry.head) || saved.cells[entry.head]?.cell_type !== 'code') continue;
    const index = entry.head;
    const changes = entry.status === 'modified' || entry.status === 'unchanged' ? entry.changes?.outputs : undefined;
    if (entry.status === 'unchanged' || !changes?.significant) {
      verdicts.push({ index, status: 'fresh' });
      continue;
    }
    const newError = firstNewError(base[index]!.outputs ?? [], head[index]!.outputs ?? []);
    verdicts.push(newError
      ? { index, status: 'error', error: { ename: newError.ename, evalue: newError.evalue }, changes }
      : { index, status: 'stale', changes });
  }
  verdicts.sort((a, b) => a.index - b.index);
  return { verdicts, diff };
}

/** The cell raised now and did not before (an error that changed is a stale output, not a new failure). */
function firstNewError(before: readonly Output[], after: readonly Output[]): ErrorOutput | undefined {
  return before.some(isError) ? undefined : after.find(isError);
}

function isError(o: Output): o is ErrorOutput {
  return o.output_type === 'error';
}
