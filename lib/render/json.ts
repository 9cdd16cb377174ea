/**
 * JSON values and JsonOps as short, safe, one-line text. Metadata can hold anything: widget state of
 * megabytes, base64 thumbnails, long strings. A reviewer needs to see what changed, not the payload, so
 * long strings are cut, base64 is replaced by its size, and serialization stops once the line is full.
 */
import type { Json, JsonOp } from '../model.js';
import { base64ByteLength as base64Bytes } from '../image/base64.js';
import { truncate, visible } from './visible.js';

/** Strings longer than this are cut (base64 ones are summarized whatever their length beyond 64). */
export const LONG_STRING = 80;
const KEEP_CHARS = 40;

/** `812 B`, `12.3 kB`, `4.1 MB` (decimal units, as file managers show). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 100 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/**
 * Whether a string is most likely base64 data: long, only base64 characters (with optional line breaks),
 * and mixing cases and digits as encoded bytes do (a long word or a hex hash does not).
 */
export function looksLikeBase64(s: string): boolean {
  if (s.length < 64) return false;
  if (!/^[A-Za-z0-9+/\r\n]+={0,2}\s*$/.test(s)) return false;
  return /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s);
}

function quote(s: string): string {
  return JSON.stringify(s);
}

/** A string as JSON text, or its summary when it is base64 or long. */
export function formatString(s: string): string {
  if (looksLikeBase64(s)) return `<base64 ${formatBytes(base64Bytes(s))}>`;
  if (s.length > LONG_STRING) return `${quote(s.slice(0, KEEP_CHARS)).slice(0, -1)}…"`;
  return quote(s);
}

class Full extends Error {}

/**
 * Compact one-line JSON of `value`, summarized and cut to `maxWidth` columns. Stops walking the value
 * as soon as the line is full, so a huge object costs no more than a small one.
 */
export function formatJson(value: Json | undefined, maxWidth: number): string {
  if (value === undefined) return '(absent)';
  const budget = Math.max(8, maxWidth) + 1;
  let out = '';
  const write = (s: string): void => {
    out += s;
    if (out.length > budget) throw new Full();
  };
  const walk = (v: Json): void => {
    if (v === null || typeof v === 'boolean' || typeof v === 'number') return write(String(v));
    if (typeof v === 'string') return write(formatString(v));
    if (Array.isArray(v)) {
      write('[');
      v.forEach((item, i) => {
        if (i > 0) write(',');
        walk(item);
      });
      return write(']');
    }
    write('{');
    Object.keys(v).forEach((key, i) => {
      if (i > 0) write(',');
      write(`${formatString(key)}:`);
      const item = v[key];
      if (item !== undefined) walk(item);
    });
    write('}');
  };
  try {
    walk(value);
  } catch (e) {
    if (!(e instanceof Full)) throw e;
  }
  // JSON.stringify escapes C0 controls but leaves C1 and bidi characters as they are.
  return truncate(visible(out), maxWidth);
}

/**
 * Two long strings that differ after their shared start would summarize alike (`"abc…" → "abc…"`);
 * show both from a little before the first difference instead.
 */
function formatStringPair(old: string, value: string): [string, string] | null {
  if (looksLikeBase64(old) || looksLikeBase64(value)) return null;
  if (old.length <= LONG_STRING && value.length <= LONG_STRING) return null;
  let common = 0;
  while (common < old.length && common < value.length && old[common] === value[common]) common++;
  if (common < KEEP_CHARS) return null;
  const start = common - 10;
  const window = (s: string): string => {
    const end = start + KEEP_CHARS;
    const inner = quote(s.slice(start, end)).slice(1, -1);
    return visible(`"…${inner}${end < s.length ? '…' : ''}"`);
  };
  return [window(old), window(value)];
}

/** `/a/b` for a path under `prefix` (`metadata/a/b`); the value itself is `/` or the prefix alone. */
export function formatPath(path: string[], prefix = ''): string {
  const joined = path.map((key) => visible(key)).join('/');
  if (prefix === '') return `/${joined}`;
  return joined === '' ? prefix : `${prefix}/${joined}`;
}

export interface FormattedOp {
  sign: '+' | '-' | '~';
  /** `path: value`, `path: old → new`, fitted to the width given. */
  text: string;
}

/** A JsonOp as `~ path: old → new` (the sign apart, so the renderer can colour it). */
export function formatJsonOp(op: JsonOp, maxWidth: number, prefix = ''): FormattedOp {
  const path = formatPath(op.path, prefix);
  const room = Math.max(16, maxWidth - path.length - 2);
  switch (op.op) {
    case 'add':
      return { sign: '+', text: `${path}: ${formatJson(op.value, room)}` };
    case 'remove':
      return { sign: '-', text: `${path}: ${formatJson(op.old, room)}` };
    case 'replace': {
      const arrow = ' → ';
      const sides = Math.max(16, room - arrow.length);
      const pair =
        typeof op.old === 'string' && typeof op.value === 'string' ? formatStringPair(op.old, op.value) : null;
      let old = pair ? truncate(pair[0], sides) : formatJson(op.old, sides);
      let value = pair ? truncate(pair[1], sides) : formatJson(op.value, sides);
      if (old.length + value.length > sides) {
        // Share the room: a short side keeps its length, the other gets the rest.
        const half = Math.floor(sides / 2);
        if (old.length <= half) value = truncate(value, sides - old.length);
        else if (value.length <= half) old = truncate(old, sides - value.length);
        else {
          old = truncate(old, half);
          value = truncate(value, sides - half);
        }
      }
      return { sign: '~', text: `${path}: ${old}${arrow}${value}` };
    }
    default:
      return assertNever(op);
  }
}

function assertNever(value: never): never {
  throw new Error(`unexpected JSON op: ${JSON.stringify(value)}`);
}
