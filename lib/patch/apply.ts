import {
  DIFF_FORMAT, DIFF_FORMAT_VERSION,
  type Cell, type CellChanges, type Json, type JsonObject, type JsonOp, type MimeBundle, type Notebook, type NotebookDiff,
  type Output, type OutputChanges, type OutputsDiff, type StreamOutput,
} from '../model.js';
import { applyJsonOps, PatchError } from '../diff/json.js';
import { OUTPUT_KEYS } from '../diff/outputs.js';
import { headLines } from '../diff/text.js';

export { PatchError };

/**
 * Rebuilds head from base and a diff. The contract: for `d = diffNotebooks(base, head)` with nothing
 * ignored, `applyDiff(base, d)` deep-equals head (as parsed). Does not change `base`; unchanged parts of the
 * result share structure with it.
 */
export function applyDiff(base: Notebook, diff: NotebookDiff): Notebook {
  if (diff.format !== DIFF_FORMAT || diff.version !== DIFF_FORMAT_VERSION) {
    throw new PatchError(`not a Cellwise diff of version ${DIFF_FORMAT_VERSION} (format ${JSON.stringify(diff.format)}, version ${JSON.stringify(diff.version)})`);
  }
  if (base.cells.length !== diff.base.cells) {
    throw new PatchError(`the diff was made from a notebook with ${diff.base.cells} cells; this one has ${base.cells.length}`);
  }
  const cells = new Array<Cell | undefined>(diff.head.cells);
  for (const e of diff.cells) {
    if (e.status === 'removed') continue;
    if (e.head < 0 || e.head >= cells.length || cells[e.head]) throw new PatchError(`diff entry for head cell ${e.head} is out of place`);
    if (e.status === 'added') { cells[e.head] = e.cell; continue; }
    const b = base.cells[e.base];
    if (!b) throw new PatchError(`diff refers to base cell ${e.base}, which does not exist`);
    if (b.cell_type !== (e.changes?.cell_type?.base ?? e.cell_type)) {
      throw new PatchError(`base cell ${e.base} is ${b.cell_type}, the diff expects ${e.changes?.cell_type?.base ?? e.cell_type}`);
    }
    cells[e.head] = e.changes ? applyCellChanges(b, e.changes) : b;
  }
  const missing = cells.findIndex((c) => c === undefined);
  if (missing >= 0) throw new PatchError(`the diff does not say what head cell ${missing} is`);

  const n = diff.notebook;
  let nb: Notebook = { ...base, cells: cells as Cell[] };
  if (n.nbformat) [nb.nbformat, nb.nbformat_minor] = n.nbformat.head;
  if (n.metadata) nb.metadata = (applyJsonOps(base.metadata, n.metadata) ?? {}) as JsonObject;
  if (n.other) nb = withRest(nb, n.other, ['nbformat', 'nbformat_minor', 'metadata', 'cells']) as Notebook;
  return nb;
}

const CELL_KEYS = ['cell_type', 'id', 'source', 'metadata', 'execution_count', 'outputs', 'attachments'];

function applyCellChanges(b: Cell, c: CellChanges): Cell {
  let cell: Cell = { ...b };
  if (c.cell_type) cell.cell_type = c.cell_type.head;
  const isCode = cell.cell_type === 'code';
  if (c.id) {
    if (c.id.head === null) delete cell.id;
    else cell.id = c.id.head;
  }
  if (c.source) cell.source = headLines(c.source).join('');
  if (c.metadata) cell.metadata = (applyJsonOps(b.metadata, c.metadata) ?? {}) as JsonObject;
  if (c.execution_count) cell.execution_count = c.execution_count.head;
  if (c.outputs) {
    if (isCode || c.outputs.entries.length) cell.outputs = applyOutputs(b.outputs ?? [], c.outputs);
  }
  if (c.cell_type && !isCode) {
    delete cell.outputs;
    if (!c.execution_count || c.execution_count.head === null) delete cell.execution_count;
  } else if (c.cell_type && isCode) {
    cell.outputs ??= [];
    if (!('execution_count' in cell)) cell.execution_count = null;
  }
  if (c.attachments) {
    const att = applyJsonOps(b.attachments as Json | undefined, c.attachments);
    if (att === undefined) delete cell.attachments;
    else cell.attachments = att as Record<string, MimeBundle>;
  }
  if (c.other) cell = withRest(cell, c.other, CELL_KEYS) as Cell;
  return cell;
}

function applyOutputs(base: readonly Output[], d: OutputsDiff): Output[] {
  const out: Output[] = [];
  for (const e of d.entries) {
    switch (e.status) {
      case 'removed': break;
      case 'added': out.push(...e.outputs); break;
      case 'unchanged':
      case 'modified': {
        const count = e.baseCount ?? 1;
        if (!e.changes) { out.push(...base.slice(e.base, e.base + count)); break; }
        out.push(...applyOutputChanges(mergedUnit(base, e.base, count), e.changes));
        break;
      }
    }
  }
  return out;
}

function mergedUnit(base: readonly Output[], index: number, count: number): Output {
  const first = base[index];
  if (!first) throw new PatchError(`diff refers to base output ${index}, which does not exist`);
  if (count === 1) return first;
  let text = '';
  for (let i = index; i < index + count; i++) text += (base[i] as StreamOutput).text;
  return { output_type: 'stream', name: (first as StreamOutput).name, text };
}

function applyOutputChanges(b: Output, c: OutputChanges): Output[] {
  let o = { ...b } as Output;
  if (o.output_type === 'stream') {
    if (c.text) o.text = headLines(c.text).join('');
  } else if (o.output_type === 'error') {
    if (c.ename) o.ename = c.ename.head;
    if (c.evalue) o.evalue = c.evalue.head;
    if (c.tracebackValue) o.traceback = c.tracebackValue;
    else if (c.traceback) o.traceback = headLines(c.traceback);
  } else {
    if (c.data) {
      const data: MimeBundle = { ...o.data };
      for (const m of c.data) {
        if (m.status === 'removed') delete data[m.mime];
        else if (m.status === 'added') data[m.mime] = m.value;
        else data[m.mime] = m.value !== undefined ? m.value : headLines(m.text ?? { ops: [], added: 0, removed: 0 }).join('');
      }
      o.data = data;
    }
    if (c.metadata) o.metadata = (applyJsonOps(o.metadata, c.metadata) ?? {}) as JsonObject;
    if (c.execution_count && o.output_type === 'execute_result') o.execution_count = c.execution_count.head;
  }
  if (c.other) o = withRest(o, c.other, OUTPUT_KEYS[b.output_type] ?? ['output_type']) as Output;
  if (o.output_type === 'stream' && c.headSplit && c.headSplit.length > 1) {
    const parts: Output[] = [];
    let at = 0;
    for (const len of c.headSplit) {
      parts.push({ output_type: 'stream', name: o.name, text: o.text.slice(at, at + len) });
      at += len;
    }
    return parts;
  }
  return [o];
}

/** Applies ops to the keys outside `known` (extra keys nbformat's schema does not name). */
function withRest(obj: object, ops: JsonOp[], known: string[]): object {
  const rest: JsonObject = {};
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (known.includes(k)) kept[k] = v;
    else rest[k] = v as Json;
  }
  return { ...kept, ...((applyJsonOps(rest, ops) ?? {}) as JsonObject) };
}
