/** Hand-built NotebookDiff objects for renderer tests: typed, short, and independent of the differs. */
import {
  DIFF_FORMAT,
  DIFF_FORMAT_VERSION,
  type Cell,
  type CellChanges,
  type CellEntry,
  type CellType,
  type DiffSummary,
  type ErrorOutput,
  type ExecuteResultOutput,
  type DisplayDataOutput,
  type ImageComparison,
  type MimeBundle,
  type Notebook,
  type NotebookDiff,
  type OutputChanges,
  type OutputEntry,
  type Output,
  type StreamOutput,
  type TextDiff,
  type TextOp,
  type WordSpan,
} from '../../lib/model.js';

/** Lines with their endings, as TextDiff holds them. */
export function lines(...texts: string[]): string[] {
  return texts.map((t) => `${t}\n`);
}

export const eq = (...l: string[]): TextOp => ({ op: 'equal', lines: lines(...l) });
export const del = (...l: string[]): TextOp => ({ op: 'delete', lines: lines(...l) });
export const ins = (...l: string[]): TextOp => ({ op: 'insert', lines: lines(...l) });
export function rep(base: string[], head: string[], words: (WordSpan[] | null)[] = []): TextOp {
  return { op: 'replace', base: lines(...base), head: lines(...head), words };
}
/** Word spans from a compact form: `w('=x = ', '-zeros', '+ones', '=(3)\n')`. */
export function w(...spans: string[]): WordSpan[] {
  return spans.map((s) => ({ t: s[0] as WordSpan['t'], s: s.slice(1) }));
}

export function textDiff(...ops: TextOp[]): TextDiff {
  let added = 0;
  let removed = 0;
  for (const op of ops) {
    if (op.op === 'insert') added += op.lines.length;
    if (op.op === 'delete') removed += op.lines.length;
    if (op.op === 'replace') {
      added += op.head.length;
      removed += op.base.length;
    }
  }
  return { ops, added, removed };
}

// ─── Outputs ───

export function stream(text: string, name = 'stdout'): StreamOutput {
  return { output_type: 'stream', name, text };
}
export function error(ename: string, evalue: string): ErrorOutput {
  return { output_type: 'error', ename, evalue, traceback: [`\x1b[31m${ename}\x1b[0m: ${evalue}`] };
}
export function display(data: MimeBundle): DisplayDataOutput {
  return { output_type: 'display_data', data, metadata: {} };
}
export function result(count: number | null, data: MimeBundle): ExecuteResultOutput {
  return { output_type: 'execute_result', execution_count: count, data, metadata: {} };
}

/** A base64 PNG whose header says `width`×`height` (enough for size sniffing), padded to `bytes`. */
export function png(width: number, height: number, bytes = 2048): string {
  const data = new Uint8Array(Math.max(bytes, 33));
  data.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(data.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  for (let i = 33; i < data.length; i++) data[i] = (i * 37) % 251;
  return Buffer.from(data).toString('base64');
}

export function image(
  base: [number, number],
  head: [number, number],
  changedPixels: number,
  extra: Partial<ImageComparison> = {},
): ImageComparison {
  return {
    format: 'png',
    base: { width: base[0], height: base[1], bytes: 20_000 },
    head: { width: head[0], height: head[1], bytes: 21_000 },
    changedPixels,
    totalPixels: Math.max(base[0] * base[1], head[0] * head[1]),
    sizeChanged: base[0] !== head[0] || base[1] !== head[1],
    reencoded: false,
    ...extra,
  };
}

export function outModified(
  base: number,
  head: number,
  output_type: Output['output_type'],
  changes: OutputChanges,
): OutputEntry {
  return { status: 'modified', base, head, output_type, changes };
}
export function outAdded(head: number, ...outputs: Output[]): OutputEntry {
  return { status: 'added', base: null, head, outputs };
}
export function outRemoved(base: number, ...outputs: Output[]): OutputEntry {
  return { status: 'removed', base, head: null, outputs };
}
export function outputs(...entries: OutputEntry[]): CellChanges['outputs'] {
  return { entries, significant: entries.some((e) => e.status !== 'unchanged') };
}

// ─── Cells ───

export function cell(cell_type: CellType, source: string, extra: Partial<Cell> = {}): Cell {
  return { cell_type, source, metadata: {}, ...(cell_type === 'code' ? { execution_count: null, outputs: [] } : {}), ...extra };
}

export function added(head: number, c: Cell): CellEntry {
  return { status: 'added', base: null, head, moved: false, cell_type: c.cell_type, cell: c };
}
export function removed(base: number, c: Cell): CellEntry {
  return { status: 'removed', base, head: null, moved: false, cell_type: c.cell_type, cell: c };
}
export function modified(
  base: number,
  head: number,
  changes: CellChanges,
  extra: Partial<Omit<Extract<CellEntry, { status: 'modified' }>, 'status' | 'changes'>> = {},
): CellEntry {
  return {
    status: 'modified',
    base,
    head,
    moved: false,
    match: 'id',
    cell_type: 'code',
    changes,
    rerunOnly: false,
    staleOutputs: false,
    ...extra,
  };
}
export function rerun(index: number, from: number, to: number): CellEntry {
  return modified(index, index, { execution_count: { base: from, head: to } }, { rerunOnly: true });
}
export function unchanged(base: number, head: number, moved = false, cell_type: CellType = 'code'): CellEntry {
  return { status: 'unchanged', base, head, moved, match: 'id', cell_type };
}

// ─── The diff ───

export function summary(partial: Partial<DiffSummary> = {}): DiffSummary {
  return {
    added: 0,
    removed: 0,
    modified: 0,
    rerunOnly: 0,
    unchanged: 0,
    moved: 0,
    outputsChanged: 0,
    imagesChanged: 0,
    staleOutputs: 0,
    ...partial,
  };
}

/** The summary the differ would compute for these cells. */
export function summaryOf(cells: CellEntry[]): DiffSummary {
  const s = summary();
  for (const c of cells) {
    if (c.status === 'added') s.added++;
    if (c.status === 'removed') s.removed++;
    if (c.status === 'unchanged') s.unchanged++;
    if (c.moved) s.moved++;
    if (c.status !== 'modified') continue;
    s.modified++;
    if (c.rerunOnly) s.rerunOnly++;
    if (c.staleOutputs) s.staleOutputs++;
    for (const e of c.changes.outputs?.entries ?? []) {
      if (e.status === 'unchanged') continue;
      s.outputsChanged++;
      if (e.status === 'modified' && e.changes.data?.some((d) => d.status === 'modified' && d.image && d.significant)) {
        s.imagesChanged++;
      }
    }
  }
  return s;
}

/** A diff of these cells, summary and `changed` computed from them unless given. */
export function notebookDiff(partial: Partial<NotebookDiff> = {}): NotebookDiff {
  const cells = partial.cells ?? [];
  const notebook = partial.notebook ?? {};
  return {
    format: DIFF_FORMAT,
    version: DIFF_FORMAT_VERSION,
    changed:
      cells.some((c) => c.status !== 'unchanged' || c.moved) ||
      Boolean(notebook.nbformat || notebook.metadata?.length || notebook.other?.length),
    base: { name: 'a/nb.ipynb', nbformat: [4, 5], cells: 0 },
    head: { name: 'b/nb.ipynb', nbformat: [4, 5], cells: 0 },
    ignored: [],
    notebook: {},
    cells,
    summary: summaryOf(cells),
    warnings: [],
    ...partial,
  };
}

// ─── Notebooks ──────────────────────────────────────────────────────────────────────────────────────────

/** A code cell run once, with an id (nbformat 4.5). */
export function codeCell(source: string, id: string, outputs: Cell['outputs'] = []): Cell {
  return { cell_type: 'code', id, source, metadata: {}, execution_count: 1, outputs };
}

export function markdownCell(source: string, id: string): Cell {
  return { cell_type: 'markdown', id, source, metadata: {} };
}

/** A notebook of these cells, its kernel language named in the metadata (which decides the code's colors). */
export function notebookOf(cells: Cell[], language = 'python'): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: { language_info: { name: language } }, cells };
}
