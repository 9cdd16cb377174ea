/**
 * JSON text as Python's `json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)` writes it, which is
 * how nbformat (and so Jupyter) saves notebooks. Byte-identical output is what keeps `cellwise apply` and
 * other rewrites from touching lines nobody changed.
 *
 * Known limit: JSON.parse reads `1.0` as 1, so a float with an integral value is written back as `1`;
 * Python would write `1.0`. Integers beyond 2^53 lose precision the same way.
 */
export function writePythonJson(value: unknown): string {
  // JSON.stringify with indent 1 lays out text exactly as Python does, and is two to three times faster than
  // writing piece by piece (measured on a 50 MB notebook); it only needs keys in Python's order. It differs
  // in two rare cases, which take the slow path: numbers it prints otherwise, and integer-like keys, which
  // JavaScript objects always enumerate first and in numeric order.
  const sorted = sortedForStringify(value);
  if (sorted !== UNSAFE) return JSON.stringify(sorted, null, 1);
  const out: string[] = [];
  write(value, 0, out);
  return out.join('');
}

const UNSAFE = Symbol('needs the slow writer');

/** A copy with object keys in Python's order (arrays and strings shared when possible), or UNSAFE. */
function sortedForStringify(value: unknown): unknown {
  if (typeof value === 'number') return formatNumber(value) === JSON.stringify(value) ? value : UNSAFE;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item !== 'object' && typeof item !== 'number') continue;
      const sorted = sortedForStringify(item);
      if (sorted === UNSAFE) return UNSAFE;
      if (sorted !== item) (copy ??= value.slice())[i] = sorted;
    }
    return copy ?? value;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort(compareCodePoints);
  const copy: Record<string, unknown> = {};
  for (const key of keys) {
    if (isArrayIndex(key)) return UNSAFE;
    const sorted = sortedForStringify(obj[key]);
    if (sorted === UNSAFE) return UNSAFE;
    if (key === '__proto__') Object.defineProperty(copy, key, { value: sorted, enumerable: true, writable: true, configurable: true });
    else copy[key] = sorted;
  }
  return copy;
}

function isArrayIndex(key: string): boolean {
  const c = key.charCodeAt(0);
  return c >= 0x30 && c <= 0x39 && /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}

const NEWLINE_INDENT: string[] = [];
function newlineIndent(depth: number): string {
  return (NEWLINE_INDENT[depth] ??= '\n' + ' '.repeat(depth));
}

function write(value: unknown, depth: number, out: string[]): void {
  switch (typeof value) {
    case 'string':
      // Same escapes as Python with ensure_ascii=False: quote, backslash and C0 controls only.
      out.push(JSON.stringify(value));
      return;
    case 'number':
      out.push(formatNumber(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object':
      if (value === null) out.push('null');
      else if (Array.isArray(value)) writeArray(value, depth, out);
      else writeObject(value as Record<string, unknown>, depth, out);
      return;
    default:
      // undefined, functions: not JSON; inside a list JSON.stringify writes null, and so does this.
      out.push('null');
  }
}

function writeArray(items: readonly unknown[], depth: number, out: string[]): void {
  if (items.length === 0) {
    out.push('[]');
    return;
  }
  const inner = newlineIndent(depth + 1);
  out.push('[');
  for (let i = 0; i < items.length; i++) {
    out.push(i === 0 ? inner : ',' + inner);
    write(items[i], depth + 1, out);
  }
  out.push(newlineIndent(depth), ']');
}

function writeObject(obj: Record<string, unknown>, depth: number, out: string[]): void {
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined && typeof obj[k] !== 'function');
  if (keys.length === 0) {
    out.push('{}');
    return;
  }
  keys.sort(compareCodePoints);
  const inner = newlineIndent(depth + 1);
  out.push('{');
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    out.push(i === 0 ? inner : ',' + inner, JSON.stringify(key), ': ');
    write(obj[key], depth + 1, out);
  }
  out.push(newlineIndent(depth), '}');
}

/**
 * Python sorts keys by code point; JavaScript's default sort compares UTF-16 units, which puts characters
 * above U+FFFF (surrogate pairs) before U+E000–U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xSurrogate = x >= 0xd800 && x <= 0xdfff;
    const ySurrogate = y >= 0xd800 && y <= 0xdfff;
    if (xSurrogate !== ySurrogate) return xSurrogate ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/** Python's repr of an int or a float. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? String(n === 0 ? 0 : n) : BigInt(n).toString();
  // Below 1e-4 Python switches to exponent notation (1e-05), JavaScript only below 1e-6 (and writes 1e-7).
  // Above, both print the same shortest round-trip digits.
  if (Math.abs(n) < 1e-4) {
    const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
    const e = Number(exponent);
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  return String(n);
}
