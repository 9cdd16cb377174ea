import type { Cell, CellChanges, Json, JsonObject } from '../model.js';
import { jsonDiff } from './json.js';
import type { MimeOptions } from './mime.js';
import { diffOutputs } from './outputs.js';
import { diffText, lineContent, lineIgnoringWhitespace } from './text.js';

const KNOWN_KEYS = new Set(['cell_type', 'id', 'source', 'metadata', 'execution_count', 'outputs', 'attachments']);

export interface CellComparison {
  changes: CellChanges;
  /** Something a reviewer would see differs. */
  significant: boolean;
  rerunOnly: boolean;
  staleOutputs: boolean;
}

/** Compares two matched cells part by part; `changes` is empty when they are equal. */
export function diffCell(b: Cell, h: Cell, o: MimeOptions): CellComparison {
  const changes: CellChanges = {};
  if (b.cell_type !== h.cell_type) changes.cell_type = { base: b.cell_type, head: h.cell_type };
  if (b.id !== h.id) changes.id = { base: b.id ?? null, head: h.id ?? null };
  let sourceVisible = false;
  if (b.source !== h.source) {
    changes.source = diffText(b.source, h.source, o.ignoreWhitespace ? lineIgnoringWhitespace : lineContent);
    sourceVisible = changes.source.added + changes.source.removed > 0 || !o.ignoreWhitespace;
  }
  const meta = jsonDiff(b.metadata, h.metadata);
  if (meta.length) changes.metadata = meta;
  if (b.execution_count !== h.execution_count) {
    changes.execution_count = { base: b.execution_count ?? null, head: h.execution_count ?? null };
  }
  if (b.outputs !== undefined || h.outputs !== undefined) {
    const outputs = diffOutputs(b.outputs ?? [], h.outputs ?? [], o);
    if (outputs) changes.outputs = outputs;
    // A cell that becomes code (or stops being code) gains (or loses) the outputs key itself.
    else if ((b.outputs === undefined) !== (h.outputs === undefined)) changes.outputs = { entries: [], significant: false };
  }
  const att = jsonDiff(b.attachments as Json | undefined, h.attachments as Json | undefined);
  if (att.length) changes.attachments = att;
  const rb = rest(b);
  const rh = rest(h);
  if (rb || rh) {
    const other = jsonDiff(rb ?? {}, rh ?? {});
    if (other.length) changes.other = other;
  }

  const outputsVisible = changes.outputs?.significant ?? false;
  const significant = sourceVisible || outputsVisible || !!(changes.cell_type || changes.id || changes.metadata ||
    changes.execution_count || changes.attachments || changes.other);
  return {
    changes,
    significant,
    rerunOnly: significant && isRerunOnly(changes, sourceVisible),
    staleOutputs: sourceVisible && h.cell_type === 'code' && b.cell_type === 'code' && !outputsVisible &&
      !changes.execution_count && (h.execution_count != null || (h.outputs?.length ?? 0) > 0),
  };
}

/** Only execution counts moved (the cell's and its results'): the cell was re-run and nothing else changed. */
function isRerunOnly(c: CellChanges, sourceVisible: boolean): boolean {
  if (sourceVisible || c.cell_type || c.id || c.metadata || c.attachments || c.other) return false;
  if (!c.execution_count) return false;
  for (const e of c.outputs?.entries ?? []) {
    if (e.status === 'added' || e.status === 'removed') return false;
    if (e.status === 'modified' && Object.keys(e.changes).some((k) => k !== 'execution_count' && k !== 'data')) return false;
    if (e.status === 'modified' && e.changes.data?.some((d) => d.status !== 'modified' || d.significant)) return false;
  }
  return true;
}

/** The keys nbformat does not define, or undefined when there are none (nearly always). */
function rest(c: Cell): JsonObject | undefined {
  let extra = false;
  for (const k in c) if (!KNOWN_KEYS.has(k)) { extra = true; break; }
  if (!extra) return undefined;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(c)) if (!KNOWN_KEYS.has(k)) out[k] = v as Json;
  return out;
}
