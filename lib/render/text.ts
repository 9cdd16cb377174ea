/**
 * A notebook as plain text, for git's `textconv`: git diffs this text itself (`git log -p`, `git show`,
 * `git diff --no-ext-diff`), so the form is chosen to make git's line diff of two versions readable.
 *
 * - Every cell starts with a `━━ <type> [<count>]` line and no cell number: inserting a cell must not
 *   change the header of every cell after it. (`diff.cellwise.xfuncname` matches these lines, so each
 *   hunk header names the cell it is in.)
 * - Sources are printed as written; outputs as short text: stream and plain-text outputs up to
 *   `maxOutputLines`, every other MIME type as one line (`image/png 640×480 (12.3 kB) sha256:…`,
 *   `text/html 45 lines sha256:…`). Whatever is shortened carries a hash of the whole value, so a change
 *   anywhere in it still changes a line (a re-encoded image with identical pixels too: this is git's line
 *   diff, not the pixel comparison of `git diff`).
 * - Everything from the notebook goes through `visible`: a textconv result is printed to a terminal.
 */
import { createHash } from 'node:crypto';
import type { Cell, Json, MimeBundle, Notebook, Output } from '../model.js';
import { stableStringify } from '../util/json.js';
import { joinMultiline, splitLines, stripAnsi } from '../util/text.js';
import { base64ByteLength as base64Bytes } from '../image/base64.js';
import { imageSize } from '../image/info.js';
import { formatBytes, looksLikeBase64 } from './json.js';
import { plural, summarizeError } from './summarize.js';
import { CELL_MARK, OUTPUT_MARK } from './text-format.js';
import { stripLineEnding, visible } from './visible.js';

export interface TextOptions {
  /** The version written in the file (a v3 file is upconverted to 4.0 before it gets here). */
  nbformat?: [number, number];
  /** Lines of a stream or text output shown before it is cut (default 25). */
  maxOutputLines?: number;
  /** Characters of one output or metadata line shown before it is cut (default 300). */
  maxLineLength?: number;
}

const HASH_CHARS = 12;

// Text types a reader wants to read in a log; everything else (HTML, SVG, JSON, JavaScript…) is one line.
const READABLE = new Set(['text/plain', 'text/markdown', 'text/latex']);
const RASTER = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']);
// Jupyter's display priority, richest first (as the terminal renderer lists a bundle).
const DISPLAY_ORDER = [
  'application/vnd.jupyter.widget-view+json', 'application/javascript', 'text/html', 'text/markdown',
  'text/latex', 'image/svg+xml', 'image/gif', 'image/png', 'image/jpeg', 'application/pdf', 'text/plain',
];

export function notebookText(notebook: Notebook, options: TextOptions = {}): string {
  const o = { maxOutputLines: options.maxOutputLines ?? 25, maxLineLength: options.maxLineLength ?? 300 };
  const out: string[] = [];
  const [major, minor] = options.nbformat ?? [notebook.nbformat, notebook.nbformat_minor];
  const about = [`nbformat ${major}.${minor}`];
  const kernel = kernelName(notebook.metadata);
  if (kernel) about.push(`kernel ${visible(kernel)}`);
  out.push(`notebook · ${about.join(' · ')} · ${plural(notebook.cells.length, 'cell')}`);
  metadataLines(out, notebook.metadata, 'metadata', o.maxLineLength);
  for (const cell of notebook.cells) {
    out.push('');
    cellLines(out, cell, o);
  }
  return `${out.join('\n')}\n`;
}

function kernelName(metadata: Notebook['metadata']): string | undefined {
  const spec = metadata.kernelspec;
  if (spec && typeof spec === 'object' && !Array.isArray(spec) && typeof spec.name === 'string') return spec.name;
  return undefined;
}

interface Limits {
  maxOutputLines: number;
  maxLineLength: number;
}

function cellLines(out: string[], cell: Cell, o: Limits): void {
  const count = cell.cell_type === 'code' ? ` [${cell.execution_count ?? ' '}]` : '';
  out.push(`${CELL_MARK} ${visible(String(cell.cell_type))}${count}`);
  metadataLines(out, cell.metadata, 'metadata', o.maxLineLength);
  for (const line of splitLines(cell.source)) out.push(visible(stripLineEnding(line)));
  for (const [name, bundle] of Object.entries(cell.attachments ?? {})) {
    for (const mime of orderedMimes(bundle)) {
      out.push(`${OUTPUT_MARK} attachment ${visible(name)}: ${describeValue(mime, bundle[mime])}`);
    }
  }
  for (const output of cell.outputs ?? []) outputLines(out, output, o);
}

function outputLines(out: string[], output: Output, o: Limits): void {
  switch (output.output_type) {
    case 'stream':
      textBlock(out, `${OUTPUT_MARK} ${visible(String(output.name))}`, joinMultiline(output.text) ?? '', o);
      return;
    case 'error': {
      const traceback = Array.isArray(output.traceback) ? output.traceback.map((t) => stripAnsi(String(t))) : [];
      const trace = traceback.length ? ` (traceback ${plural(traceback.length, 'entry', 'entries')} ${hashText(traceback.join('\n'))})` : '';
      out.push(`${OUTPUT_MARK} error ${summarizeError(String(output.ename), String(output.evalue), o.maxLineLength)}${trace}`);
      return;
    }
    case 'execute_result':
    case 'display_data': {
      const bundle = output.data ?? {};
      const mimes = orderedMimes(bundle);
      if (mimes.length === 0) out.push(`${OUTPUT_MARK} ${output.output_type} (empty)`);
      for (const mime of mimes) {
        const value = bundle[mime];
        const text = joinMultiline(value);
        if (READABLE.has(mime) && text !== undefined) textBlock(out, `${OUTPUT_MARK} ${visible(mime)}`, text, o);
        else out.push(`${OUTPUT_MARK} ${describeValue(mime, value)}`);
      }
      return;
    }
    default: {
      // The parser keeps output types nbformat does not define; name them rather than fail.
      const unknown = output as { output_type?: unknown };
      out.push(`${OUTPUT_MARK} ${visible(String(unknown.output_type))} ${hashText(stableStringify(output, 0))}`);
    }
  }
}

/** A header, then up to `maxOutputLines` lines of text; the cut ones are counted and hashed. */
function textBlock(out: string[], header: string, text: string, o: Limits): void {
  const clean = stripAnsi(text);
  const lines = splitLines(clean);
  let cut = lines.length > o.maxOutputLines;
  const shown = lines.slice(0, o.maxOutputLines).map((line) => {
    const bare = stripLineEnding(line);
    if (bare.length <= o.maxLineLength) return visible(bare);
    cut = true;
    return `${visible(bare.slice(0, o.maxLineLength))}…`;
  });
  out.push(header, ...shown);
  if (cut) {
    const more = lines.length - shown.length;
    out.push(`${OUTPUT_MARK} ${more > 0 ? `… ${plural(more, 'more line')}, ` : 'cut, '}${hashText(clean)}`);
  }
}

/** `image/png 640×480 (12.3 kB) sha256:…`, `text/html 45 lines sha256:…`, `application/pdf 40.1 kB sha256:…`. */
function describeValue(mime: string, value: Json | undefined): string {
  const name = visible(mime);
  const text = typeof value === 'string' || Array.isArray(value) ? joinMultiline(value) : undefined;
  if (text === undefined) return `${name} ${hashText(stableStringify(value ?? null, 0))}`;
  if (RASTER.has(mime) || (looksLikeBase64(text) && !mime.startsWith('text/'))) {
    const size = RASTER.has(mime) ? imageSize(text) : null;
    const bytes = formatBytes(base64Bytes(text));
    return `${name} ${size ? `${size.width}×${size.height} (${bytes})` : bytes} ${hashText(text, 'latin1')}`;
  }
  return `${name} ${plural(splitLines(text).length, 'line')} ${hashText(text)}`;
}

/** `metadata.tags: ["x"]`, one line per top-level key, sorted; long values cut and hashed. */
function metadataLines(out: string[], metadata: Notebook['metadata'] | undefined, prefix: string, max: number): void {
  if (!metadata) return;
  for (const key of Object.keys(metadata).sort()) {
    const json = stableStringify(metadata[key], 0);
    const shown = json.length <= max ? visible(json) : `${visible(json.slice(0, max))}… ${hashText(json)}`;
    out.push(`${prefix}.${visible(key)}: ${shown}`);
  }
}

function orderedMimes(bundle: MimeBundle): string[] {
  const rank = (mime: string): number => {
    const i = DISPLAY_ORDER.indexOf(mime);
    return i === -1 ? DISPLAY_ORDER.length - 1 : i;
  };
  return Object.keys(bundle).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A short SHA-256 of a value as stored. Base64 payloads are hashed as text, read as latin1 (they are ASCII):
 * decoding them first cost five times as much on the git-log benchmark and shows nothing more.
 */
function hashText(text: string, encoding: 'utf8' | 'latin1' = 'utf8'): string {
  return `sha256:${createHash('sha256').update(text, encoding).digest('hex').slice(0, HASH_CHARS)}`;
}
