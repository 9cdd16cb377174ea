import type { Cell, JsonObject, MimeBundle, Notebook, Output } from '../model.js';
import { writePythonJson } from './python-json.js';
import { pythonSplitLines } from './python-text.js';

/**
 * Writes a notebook as Jupyter does (nbformat `writes` then `write`): multiline strings split into lists of
 * lines (nbformat's `split_lines`), transient keys left out, Python's JSON layout, a final newline. A notebook
 * that Jupyter saved and Cellwise read comes back byte for byte.
 *
 * Only shallow copies are made (each cell, output and bundle); the big strings are shared, not copied.
 */
export function serializeNotebook(nb: Notebook): string {
  const file: JsonObject = { ...(nb as unknown as JsonObject) };
  file.metadata = withoutKeys(nb.metadata, TRANSIENT_NOTEBOOK_METADATA);
  file.cells = nb.cells.map(cellForFile);
  return writePythonJson(file) + '\n';
}

// nbformat's `strip_transient`: never written to a file.
const TRANSIENT_NOTEBOOK_METADATA = ['orig_nbformat', 'orig_nbformat_minor', 'signature'];
const TRANSIENT_CELL_METADATA = ['trusted'];

// nbformat's `_non_text_split_mimes`: besides text/*, the MIME types whose values are split into lines.
const SPLIT_MIMES = new Set(['application/javascript', 'image/svg+xml']);

function cellForFile(cell: Cell): JsonObject {
  const out: JsonObject = { ...(cell as unknown as JsonObject) };
  if (typeof cell.source === 'string') out.source = pythonSplitLines(cell.source, true);
  if (cell.metadata) out.metadata = withoutKeys(cell.metadata, TRANSIENT_CELL_METADATA);
  if (cell.attachments) {
    const attachments: JsonObject = {};
    for (const name of Object.keys(cell.attachments)) attachments[name] = splitBundle(cell.attachments[name]!);
    out.attachments = attachments;
  }
  if (cell.cell_type === 'code' && Array.isArray(cell.outputs)) out.outputs = cell.outputs.map(outputForFile);
  return out;
}

function outputForFile(output: Output): JsonObject {
  const out: JsonObject = { ...(output as unknown as JsonObject) };
  switch (output.output_type) {
    case 'execute_result':
    case 'display_data':
      out.data = splitBundle(output.data);
      break;
    case 'stream':
      if (typeof output.text === 'string') out.text = pythonSplitLines(output.text, true);
      break;
  }
  return out;
}

function splitBundle(bundle: MimeBundle): JsonObject {
  const out: JsonObject = { ...bundle };
  for (const mime of Object.keys(bundle)) {
    const value = bundle[mime];
    if (typeof value === 'string' && (mime.startsWith('text/') || SPLIT_MIMES.has(mime))) {
      out[mime] = pythonSplitLines(value, true);
    }
  }
  return out;
}

function withoutKeys(obj: JsonObject, keys: readonly string[]): JsonObject {
  if (!keys.some((k) => k in obj)) return obj;
  const out = { ...obj };
  for (const k of keys) delete out[k];
  return out;
}
