import type { Json, JsonObject } from '../model.js';
import type { Issues } from './issues.js';
import { describeType, isObject, setKey } from './json-types.js';
import { pythonSplitLines } from './python-text.js';

/**
 * nbformat 3 → 4, as nbformat's own reader does it (v3 `rejoin_lines` and `strip_transient`, then
 * v4/convert.py `upgrade`), in place. Two deliberate differences:
 * - the result is nbformat 4.0 without cell ids: nbformat ≥ 5.1 makes it 4.5 with *random* ids, which would
 *   make two reads of one file differ;
 * - `metadata.orig_nbformat` is not added: nbformat strips it again on every write, and the version as
 *   written is reported beside the notebook anyway.
 * Its structural errors (no worksheets, a worksheet without cells) are errors here too; what it would only
 * log is left for the nbformat 4 checks that follow.
 */
export interface UpconvertedV3 {
  notebook: JsonObject;
  /** Path of each converted cell in the file as written (`/worksheets/W/cells/C`). */
  cellPaths: string[];
}

export function upconvertV3(nb: JsonObject, issues: Issues): UpconvertedV3 {
  if (!('worksheets' in nb)) issues.fail('', 'nbformat 3 notebook has no "worksheets" list');
  const worksheets = nb.worksheets;
  if (!Array.isArray(worksheets)) issues.fail('/worksheets', `worksheets is ${describeType(worksheets)}, not a list`);

  const cells: Json[] = [];
  const cellPaths: string[] = [];
  // Several worksheets never happened in practice; nbformat flattens them, and so does this.
  worksheets.forEach((ws, w) => {
    const wsPath = `/worksheets/${w}`;
    if (!isObject(ws)) issues.fail(wsPath, `worksheet is ${describeType(ws)}, not an object`);
    if (!('cells' in ws)) issues.fail(wsPath, 'worksheet has no "cells" list');
    const wsCells = ws.cells;
    if (!Array.isArray(wsCells)) issues.fail(`${wsPath}/cells`, `cells is ${describeType(wsCells)}, not a list`);
    wsCells.forEach((cell, c) => {
      const path = `${wsPath}/cells/${c}`;
      cells.push(isObject(cell) ? upgradeCell(cell, path, issues) : cell);
      cellPaths.push(path);
    });
  });

  delete nb.worksheets;
  delete nb.orig_nbformat;
  delete nb.orig_nbformat_minor;
  if (isObject(nb.metadata)) {
    delete nb.metadata.name;
    delete nb.metadata.signature;
  }
  nb.nbformat = 4;
  nb.nbformat_minor = 0;
  nb.cells = cells;
  return { notebook: nb, cellPaths };
}

function upgradeCell(cell: JsonObject, path: string, issues: Issues): JsonObject {
  delete cell.trusted;
  if (!('metadata' in cell)) cell.metadata = {};
  switch (cell.cell_type) {
    case 'code': {
      const source = 'input' in cell ? joinLinesV3(cell.input, `${path}/input`, issues) : '';
      delete cell.input;
      delete cell.language;
      if ('collapsed' in cell) {
        if (isObject(cell.metadata)) cell.metadata.collapsed = cell.collapsed;
        delete cell.collapsed;
      }
      cell.source = source;
      cell.execution_count = 'prompt_number' in cell ? cell.prompt_number : null;
      delete cell.prompt_number;
      if (Array.isArray(cell.outputs)) {
        cell.outputs = cell.outputs.map((o, k) => (isObject(o) ? upgradeOutput(o, `${path}/outputs/${k}`, issues) : o));
      }
      return cell;
    }
    case 'heading': {
      const source = 'source' in cell ? joinLinesV3(cell.source, `${path}/source`, issues) : '';
      let level = 'level' in cell ? cell.level : 1;
      if (typeof level !== 'number' || !Number.isInteger(level) || level < 1) {
        issues.warn(`${path}/level`, `heading level should be a positive integer, not ${JSON.stringify(level)}; read as 1`);
        level = 1;
      }
      delete cell.level;
      cell.cell_type = 'markdown';
      cell.source = `${'#'.repeat(level)} ${pythonSplitLines(source, false).join(' ')}`;
      return cell;
    }
    default: {
      // markdown, raw, and html (which IPython never wrote, but the format had).
      if (cell.cell_type === 'html') cell.cell_type = 'markdown';
      for (const key of ['source', 'rendered']) {
        if (key in cell) cell[key] = joinLinesV3(cell[key], `${path}/${key}`, issues);
      }
      return cell;
    }
  }
}

// v3 output keys that held multiline text (v3 rwbase `_multiline_outputs`).
const MULTILINE_OUTPUT_KEYS = ['text', 'html', 'svg', 'latex', 'javascript', 'json'];

// v3 named MIME types by short aliases (v4/convert.py `_mime_map`, in its order).
const MIME_ALIASES: readonly (readonly [string, string])[] = [
  ['text', 'text/plain'],
  ['html', 'text/html'],
  ['svg', 'image/svg+xml'],
  ['png', 'image/png'],
  ['jpeg', 'image/jpeg'],
  ['latex', 'text/latex'],
  ['json', 'application/json'],
  ['javascript', 'application/javascript'],
];

function upgradeOutput(output: JsonObject, path: string, issues: Issues): JsonObject {
  for (const key of MULTILINE_OUTPUT_KEYS) {
    const value = output[key];
    if (Array.isArray(value) && value.every((line) => typeof line === 'string')) output[key] = joinLinesV3(value, `${path}/${key}`, issues);
  }
  switch (output.output_type) {
    case 'pyout':
    case 'display_data': {
      if (output.output_type === 'pyout') {
        output.output_type = 'execute_result';
        output.execution_count = 'prompt_number' in output ? output.prompt_number : null;
        delete output.prompt_number;
      }
      if (!('metadata' in output)) output.metadata = {};
      // Everything else in a v3 rich output is data, keyed by alias or MIME type.
      const data: JsonObject = {};
      for (const key of Object.keys(output)) {
        if (key === 'output_type' || key === 'execution_count' || key === 'metadata') continue;
        setKey(data, key, output[key]!);
        delete output[key];
      }
      toMimeKeys(data);
      if (isObject(output.metadata)) toMimeKeys(output.metadata);
      const json = data['application/json'];
      if (typeof json === 'string') {
        try {
          data['application/json'] = JSON.parse(json) as Json;
        } catch {
          issues.warn(`${path}/json`, 'the json output is not valid JSON; kept as a string');
        }
      }
      output.data = data;
      return output;
    }
    case 'pyerr':
      output.output_type = 'error';
      return output;
    case 'stream':
      output.name = 'stream' in output ? output.stream! : 'stdout';
      delete output.stream;
      return output;
    default:
      return output;
  }
}

function toMimeKeys(bundle: JsonObject): void {
  for (const [alias, mime] of MIME_ALIASES) {
    if (alias in bundle) {
      bundle[mime] = bundle[alias]!;
      delete bundle[alias];
    }
  }
}

/**
 * v3 `_join_lines`: lists written by `splitlines(True)` are concatenated, but very old files were written by
 * `splitlines()`, which dropped the line ends; those are joined with "\n".
 */
function joinLinesV3(value: Json | undefined, path: string, issues: Issues): string {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value) || !value.every((line): line is string => typeof line === 'string')) {
    issues.fail(path, `${describeType(value)} where a string or a list of strings should be`);
  }
  const first = value[0];
  return first !== undefined && (first.endsWith('\n') || first.endsWith('\r')) ? value.join('') : value.join('\n');
}
