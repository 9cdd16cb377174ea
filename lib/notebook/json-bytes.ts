/**
 * JSON.parse straight from UTF-8 bytes for notebooks made mostly of a few long strings (base64 images).
 *
 * The usual way copies every payload twice: decoding makes one text of the whole file, and JSON.parse copies
 * each string out of it again. A 50 MB notebook is then 100 MB of fresh memory per file, and on the machines
 * measured (`npm run bench`) touching fresh memory cost more than the decoding and the parsing together.
 * Here the long strings are cut out of the bytes first: the rest (a few hundred kilobytes) is decoded and
 * parsed as usual with a placeholder for each, and each long string is made once, straight from its bytes.
 *
 * Only strings of printable ASCII qualify whose one kind of escape, if any, is "\n" (base64 as Jupyter and
 * older writers store it). Anything else in the file, however odd, is left to JSON.parse, and any
 * doubt (invalid UTF-8 or JSON, a placeholder already in the file) returns undefined so that the caller
 * takes the usual way and reports errors from the whole text.
 */
import { Buffer, isAscii } from 'node:buffer';
import { scratch } from '../util/scratch.js';

/**
 * Files smaller than this take the usual way. Cold, in a fresh CLI process, this way cost 20-30 ms more on
 * 1 and 4 MB notebooks of plots (more code to compile and warm), and saved 400-500 ms on a 50 MB one.
 */
export const MIN_FILE_BYTES = 8 * 1024 * 1024;
/** Strings at least this long are cut out. */
const MIN_STRING_BYTES = 4096;
/** The share of the file that long strings must make up, checked as the scan goes. */
const MIN_SHARE = 0.5;
/** Quotes seen before the share is first checked: a text-heavy file gives up after a few kilobytes. */
const QUOTES_BEFORE_CHECK = 2000;

/** This parser's slot of the shared scratch memory (see lib/util/scratch.ts). */
const SCRATCH_SLOT = 6;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LOWER_N = 0x6e;
const NEWLINE = 0x0a;

/** What stands for the i-th long string in the parsed text: "\u0000\u0001cellwise-long-<i>". */
const PLACEHOLDER = '\u0000\u0001cellwise-long-';
const PLACEHOLDER_JSON = '\\u0000\\u0001cellwise-long-';
/** Control characters other than the newline (checked on the bytes, see plainString). */
const CONTROL = /[\x00-\x09\x0b-\x1f]/;

/**
 * The value of the JSON text in `bytes` (UTF-8 without a byte-order mark), or undefined when this way does not
 * apply or has any doubt.
 */
export function parseJsonBytes(bytes: Uint8Array, minBytes = MIN_FILE_BYTES): unknown {
  if (bytes.length < minBytes) return undefined;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const ranges = longStrings(buf);
  if (!ranges) return undefined;

  const pieces: Uint8Array[] = [];
  const values: string[] = [];
  let last = 0;
  for (let i = 0; i < ranges.length; i += 2) {
    const start = ranges[i]!;
    const end = ranges[i + 1]!;
    const value = plainString(buf, start, end);
    if (value === undefined) continue;
    pieces.push(buf.subarray(last, start), Buffer.from(PLACEHOLDER_JSON + values.length));
    values.push(value);
    last = end;
  }
  if (values.length === 0) return undefined;
  pieces.push(buf.subarray(last));
  const skeleton = Buffer.concat(pieces);
  // A placeholder the file itself spells would be taken for one of ours. The skeleton holds everything but
  // the cut strings (which have no backslash other than "\n"), so counting there finds any.
  if (occurrences(skeleton, PLACEHOLDER_JSON) !== values.length) return undefined;

  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(skeleton));
  } catch {
    return undefined;
  }
  return putBack(raw, values) === values.length ? raw : undefined;
}

/**
 * Start and end offsets (the bytes between the quotes) of every string of MIN_STRING_BYTES or more, or
 * undefined when they are too small a share of the file. Quotes are found natively; a quote inside a string
 * is escaped by an odd number of backslashes before it, and outside strings valid JSON has no backslash.
 */
function longStrings(buf: Buffer): number[] | undefined {
  const ranges: number[] = [];
  let longBytes = 0;
  let quotes = 0;
  let open = -1;
  for (let at = 0; ;) {
    const q = buf.indexOf(QUOTE, at);
    if (q === -1) break;
    at = q + 1;
    if (open === -1) {
      open = q;
    } else {
      let backslashes = 0;
      while (buf[q - 1 - backslashes] === BACKSLASH) backslashes++;
      if (backslashes % 2 === 1) continue;
      if (q - open - 1 >= MIN_STRING_BYTES) {
        ranges.push(open + 1, q);
        longBytes += q - open - 1;
      }
      open = -1;
    }
    if (++quotes % QUOTES_BEFORE_CHECK === 0 && longBytes < MIN_SHARE * at) return undefined;
  }
  return open === -1 && longBytes >= MIN_SHARE * buf.length ? ranges : undefined;
}

/** The string whose bytes are buf[start, end), if those bytes are its value (see the module's comment). */
function plainString(buf: Buffer, start: number, end: number): string | undefined {
  if (!isAscii(buf.subarray(start, end))) return undefined;
  // A raw newline is not JSON; escaped ones become newlines below, so the check must be on the bytes.
  const rawNewline = buf.indexOf(NEWLINE, start);
  if (rawNewline !== -1 && rawNewline < end) return undefined;
  let escape = buf.indexOf(BACKSLASH, start);
  let value: string;
  if (escape === -1 || escape >= end) {
    value = buf.toString('latin1', start, end);
  } else {
    // Older writers wrap base64 at 76 characters ("\n" escapes throughout), Jupyter ends it with one: the
    // pieces between escapes are copied into reused memory, so that the value is still one fresh copy.
    const out = copyMemory(end - start);
    let length = 0;
    let from = start;
    while (escape !== -1 && escape < end) {
      if (buf[escape + 1] !== LOWER_N) return undefined;
      length += buf.copy(out, length, from, escape);
      out[length++] = NEWLINE;
      from = escape + 2;
      escape = buf.indexOf(BACKSLASH, from);
    }
    length += buf.copy(out, length, from, end);
    value = out.toString('latin1', 0, length);
  }
  return CONTROL.test(value) ? undefined : value;
}

/** Reused memory for unescaping, as a Buffer (for copy and toString). */
function copyMemory(bytes: number): Buffer {
  const memory = scratch(SCRATCH_SLOT, bytes);
  return Buffer.from(memory.buffer, memory.byteOffset, bytes);
}

function occurrences(buf: Buffer, text: string): number {
  let n = 0;
  for (let at = buf.indexOf(text); at !== -1; at = buf.indexOf(text, at + text.length)) n++;
  return n;
}

/** Replaces each placeholder in `value` by its string; returns how many were replaced. */
function putBack(value: unknown, values: readonly string[]): number {
  let found = 0;
  const resolve = (s: string): string | undefined => {
    if (!s.startsWith(PLACEHOLDER)) return undefined;
    const i = Number(s.slice(PLACEHOLDER.length));
    found++;
    return values[i];
  };
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const item: unknown = node[i];
        if (typeof item === 'string') {
          const real = resolve(item);
          if (real !== undefined) node[i] = real;
        } else if (item !== null && typeof item === 'object') walk(item);
      }
    } else if (node !== null && typeof node === 'object') {
      const record = node as Record<string, unknown>;
      for (const key in record) {
        const item = record[key];
        if (typeof item === 'string') {
          const real = resolve(item);
          if (real !== undefined) record[key] = real;
        } else if (item !== null && typeof item === 'object') walk(item);
      }
    }
  };
  walk(value);
  return found;
}
