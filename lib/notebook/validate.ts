import { joinMultiline } from '../util/text.js';
import type { Cell, CellType, JsonObject, MimeBundle, Notebook, Output } from '../model.js';
import type { ReadContext } from './context.js';
import type { Issues } from './issues.js';
import { checkCellMetadata, checkNotebookMetadata } from './metadata.js';
import { readMimeBundle, readObject, readOutput } from './outputs.js';
import { describeType, isNonNegativeInteger, isObject } from './json-types.js';

const CELL_KEYS: Record<CellType, ReadonlySet<string>> = {
  code: new Set(['id', 'cell_type', 'metadata', 'source', 'outputs', 'execution_count']),
  markdown: new Set(['id', 'cell_type', 'metadata', 'source', 'attachments']),
  raw: new Set(['id', 'cell_type', 'metadata', 'source', 'attachments']),
};
const NOTEBOOK_KEYS = new Set(['cells', 'metadata', 'nbformat', 'nbformat_minor']);

// nbformat's cell_id definition.
const CELL_ID = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Checks an nbformat 4 notebook and normalizes it into the model in one pass, in place: the objects JSON.parse
 * made become the Notebook, so a 50 MB notebook is never copied. What nbformat only warns about becomes a
 * warning; what the model cannot represent, or what would make the diff wrong (duplicate ids), is an error.
 *
 * `cellPaths` gives each cell's path in the file as written when that is not `/cells/N` (a converted
 * nbformat 3 notebook keeps its cells in worksheets).
 */
export function validateNotebook(raw: JsonObject, ctx: ReadContext, cellPaths?: readonly string[]): Notebook {
  // Annotated: a call to a method returning `never` narrows types only through declared types.
  const issues: Issues = ctx.issues;
  if (!('cells' in raw)) issues.fail('', 'no "cells" list: not an nbformat 4 notebook');
  const cells = raw.cells;
  if (!Array.isArray(cells)) issues.fail('/cells', `cells is ${describeType(cells)}, not a list`);

  raw.metadata = readObject(raw, 'metadata', 'the notebook', '', issues);
  stripTransientNotebookMetadata(raw.metadata);
  checkNotebookMetadata(raw.metadata, issues);

  if (!ctx.future) {
    for (const key in raw) {
      if (!NOTEBOOK_KEYS.has(key)) issues.warn(`/${key}`, `unknown top-level key "${key}" (not in nbformat's schema; kept)`);
    }
  }

  const ids = new Map<string, number>();
  for (let i = 0; i < cells.length; i++) {
    const path = cellPaths?.[i] ?? `/cells/${i}`;
    const cell = readCell(cells[i], path, ctx);
    if (cell.id !== undefined) {
      const first = ids.get(cell.id);
      if (first !== undefined) issues.fail(`${path}/id`, `duplicate cell id "${cell.id}": cells ${first} and ${i} both have it`);
      ids.set(cell.id, i);
    }
    cells[i] = cell as unknown as JsonObject;
  }
  return raw as unknown as Notebook;
}

/** nbformat drops these on every read and write ("transient"): they are never part of a saved notebook. */
function stripTransientNotebookMetadata(metadata: JsonObject): void {
  delete metadata.orig_nbformat;
  delete metadata.orig_nbformat_minor;
  delete metadata.signature;
}

function readCell(raw: unknown, path: string, ctx: ReadContext): Cell {
  const issues: Issues = ctx.issues;
  if (!isObject(raw)) issues.fail(path, `cell is ${describeType(raw)}, not an object`);
  if (!('cell_type' in raw)) issues.fail(path, 'cell has no cell_type');
  const type = raw.cell_type;
  if (typeof type !== 'string') issues.fail(`${path}/cell_type`, `cell_type is ${describeType(type)}, not a string`);
  const known = type === 'code' || type === 'markdown' || type === 'raw';
  if (!known) {
    if (!ctx.future) {
      issues.fail(`${path}/cell_type`, `unknown cell_type "${type}" (nbformat 4 has code, markdown and raw)`);
    }
    issues.warn(path, `cell_type "${type}" is newer than Cellwise knows; compared as plain JSON`);
  }

  raw.metadata = readObject(raw, 'metadata', 'cell', path, issues);
  delete raw.metadata.trusted; // transient, as for the notebook's metadata
  if (known) checkCellMetadata(raw.metadata, type, `${path}/metadata`, issues);

  if (!('source' in raw)) {
    issues.warn(path, 'cell has no source; read as empty');
    raw.source = '';
  } else {
    const source = joinMultiline(raw.source);
    if (source === undefined) {
      issues.fail(`${path}/source`, `source is ${describeType(raw.source)}, not a string or a list of strings`);
    }
    raw.source = source;
  }

  readCellId(raw, path, ctx);

  if (type === 'code') readCodeParts(raw, path, ctx);
  // Only markdown and raw cells may have attachments, but nbformat joins their lines in any cell.
  if ('attachments' in raw) readAttachments(raw, path, issues);

  if (known && !ctx.future) {
    const allowed = CELL_KEYS[type];
    for (const key in raw) {
      if (!allowed.has(key)) issues.warn(`${path}/${key}`, `unknown key "${key}" in a ${type} cell (not in nbformat's schema; kept)`);
    }
  }
  return raw as unknown as Cell;
}

function readCellId(raw: JsonObject, path: string, ctx: ReadContext): void {
  const issues: Issues = ctx.issues;
  if (!('id' in raw)) {
    // Jupyter adds the missing ids on its next save.
    if (ctx.minor >= 5) issues.warn(path, 'cell has no id (nbformat 4.5 requires one)');
    return;
  }
  const id = raw.id;
  if (typeof id !== 'string' || !CELL_ID.test(id)) {
    const shown = typeof id === 'string' ? JSON.stringify(id) : describeType(id);
    issues.fail(`${path}/id`, `invalid cell id ${shown} (nbformat: 1 to 64 letters, digits, '-' or '_')`);
  }
  if (ctx.minor < 5) issues.warn(`${path}/id`, `cell id in an nbformat 4.${ctx.minor} notebook (ids came with 4.5)`);
}

function readCodeParts(raw: JsonObject, path: string, ctx: ReadContext): void {
  const issues: Issues = ctx.issues;
  if ('execution_count' in raw) {
    const count = raw.execution_count;
    if (count !== null && typeof count !== 'number') {
      issues.fail(`${path}/execution_count`, `execution_count is ${describeType(count)}, not a number or null`);
    }
    if (count !== null && !isNonNegativeInteger(count)) {
      issues.warn(`${path}/execution_count`, `execution_count should be a non-negative integer, not ${count}`);
    }
  } else {
    issues.warn(path, 'code cell has no execution_count');
  }

  if (!('outputs' in raw)) {
    issues.warn(path, 'code cell has no outputs list');
    return;
  }
  const outputs = raw.outputs;
  if (!Array.isArray(outputs)) issues.fail(`${path}/outputs`, `outputs is ${describeType(outputs)}, not a list`);
  for (let j = 0; j < outputs.length; j++) {
    const output: Output = readOutput(outputs[j], `${path}/outputs/${j}`, ctx);
    outputs[j] = output as unknown as JsonObject;
  }
}

function readAttachments(raw: JsonObject, path: string, issues: Issues): void {
  const attachments = raw.attachments;
  if (!isObject(attachments)) issues.fail(`${path}/attachments`, `attachments is ${describeType(attachments)}, not an object`);
  for (const name in attachments) {
    const bundle = attachments[name];
    if (!isObject(bundle)) issues.fail(`${path}/attachments/${name}`, `attachment "${name}" is ${describeType(bundle)}, not a MIME bundle`);
    readMimeBundle(bundle as MimeBundle, `${path}/attachments/${name}`, issues);
  }
}
