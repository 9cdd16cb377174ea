/**
 * What a re-run may change without the saved outputs being stale: execution counts, output metadata,
 * memory addresses in reprs (`<Foo at 0x7f3a…>`), the last digits of floats, anything a user sanitizer
 * matches, and where the kernel split its printing. Both sides go through the same normalization before
 * lib/diff compares them, so the comparison itself is the one `cellwise diff` makes.
 */
import type { Cell, MimeBundle, Output } from '../model.js';

/** A user regex, as nbval's `--sanitize-with` file gives them: matches are replaced on both sides. */
export interface Sanitizer {
  /** JavaScript regular expression source (applied globally, multiline). */
  regex: string;
  /** Default: `SANITIZED`. */
  replace?: string;
}

export interface NormalizeOptions {
  /** Relative tolerance for decimal numbers in text (`1.000000001` vs `1.0`): 0 compares them exactly. */
  floatTolerance: number;
  /** Replace hexadecimal memory addresses (`0x7f3a2c1b5e80`) with `0x…`. */
  addresses: boolean;
  sanitizers: Sanitizer[];
}

export const defaultNormalizeOptions: NormalizeOptions = Object.freeze({
  // Catches the representation noise of full-precision floats (0.30000000000000004), not a changed result.
  floatTolerance: 1e-9,
  addresses: true,
  sanitizers: [],
});

// Six or more hex digits: shorter ones (0xff, 0x1f) are values a program printed on purpose.
const ADDRESS = /\b0x[0-9a-fA-F]{6,}\b/g;

/** The text normalizer for one set of options (compiled once). */
export function textNormalizer(o: NormalizeOptions): (text: string) => string {
  const rules = o.sanitizers.map((s) => {
    let re: RegExp;
    try {
      re = new RegExp(s.regex, 'gm');
    } catch (e) {
      throw new RangeError(`sanitizer /${s.regex}/ is not a valid regular expression: ${(e as Error).message}`);
    }
    return { re, replace: s.replace ?? 'SANITIZED' };
  });
  return (text) => {
    let t = text;
    for (const { re, replace } of rules) t = t.replace(re, replace);
    return o.addresses ? t.replace(ADDRESS, '0x…') : t;
  };
}

/**
 * One cell's outputs as they are compared: consecutive stream outputs of one name merged (kernels flush at
 * arbitrary points), counts and output metadata dropped, text normalized, tracebacks left out (their frames
 * name paths and line numbers that move with the environment; the error's name and value are compared, as
 * nbval does).
 */
export function normalizeOutputs(outputs: readonly Output[], normalize: (text: string) => string): Output[] {
  const out: Output[] = [];
  for (const o of outputs) {
    switch (o.output_type) {
      case 'stream': {
        const last = out[out.length - 1];
        if (last?.output_type === 'stream' && last.name === o.name) last.text += normalize(o.text);
        else out.push({ output_type: 'stream', name: o.name, text: normalize(o.text) });
        break;
      }
      case 'display_data':
        out.push({ output_type: 'display_data', data: normalizeBundle(o.data ?? {}, normalize), metadata: {} });
        break;
      case 'execute_result':
        out.push({ output_type: 'execute_result', data: normalizeBundle(o.data ?? {}, normalize), metadata: {}, execution_count: null });
        break;
      case 'error':
        out.push({ output_type: 'error', ename: normalize(o.ename), evalue: normalize(o.evalue), traceback: [] });
        break;
      default:
        out.push(o);
    }
  }
  return out;
}

function normalizeBundle(data: MimeBundle, normalize: (text: string) => string): MimeBundle {
  const out: MimeBundle = {};
  for (const [mime, value] of Object.entries(data)) {
    out[mime] = typeof value === 'string' && isTextMime(mime) ? normalize(value) : value;
  }
  return out;
}

function isTextMime(mime: string): boolean {
  return mime.startsWith('text/') || mime === 'image/svg+xml' || mime === 'application/javascript';
}

// A decimal number with a fraction or an exponent: integers (counts, sizes, indices) stay exact.
const FLOAT = /[-+]?(?:\d+\.\d*|\.\d+)(?:[eE][-+]?\d+)?|[-+]?\d+[eE][-+]?\d+/g;

/**
 * `fresh` with every line that equals the saved one up to the float tolerance replaced by the saved line, so
 * the differ sees no change there. Lines are paired by position when both texts have as many lines, else the
 * whole texts are compared.
 */
export function withinTolerance(saved: string, fresh: string, tolerance: number): string {
  if (tolerance <= 0 || saved === fresh) return fresh;
  if (closeEnough(saved, fresh, tolerance)) return saved;
  const sl = saved.split('\n');
  const fl = fresh.split('\n');
  if (sl.length !== fl.length) return fresh;
  return fl.map((line, i) => (closeEnough(sl[i]!, line, tolerance) ? sl[i]! : line)).join('\n');
}

function closeEnough(a: string, b: string, tolerance: number): boolean {
  if (a === b) return true;
  const an = a.match(FLOAT) ?? [];
  const bn = b.match(FLOAT) ?? [];
  if (an.length === 0 || an.length !== bn.length) return false;
  if (a.replace(FLOAT, '#') !== b.replace(FLOAT, '#')) return false;
  return an.every((x, i) => {
    const p = Number(x);
    const q = Number(bn[i]);
    return p === q || Math.abs(p - q) <= tolerance * Math.max(Math.abs(p), Math.abs(q));
  });
}

/**
 * Applies the float tolerance between two normalized output lists, output by output: outputs at one position
 * of one kind get fresh text replaced by saved text where they agree within tolerance.
 */
export function reconcileFloats(saved: readonly Output[], fresh: Output[], tolerance: number): Output[] {
  if (tolerance <= 0) return fresh;
  return fresh.map((f, i) => {
    const s = saved[i];
    if (!s || s.output_type !== f.output_type) return f;
    if (f.output_type === 'stream' && s.output_type === 'stream' && s.name === f.name) {
      return { ...f, text: withinTolerance(s.text, f.text, tolerance) };
    }
    if ((f.output_type === 'execute_result' || f.output_type === 'display_data') && (s.output_type === 'execute_result' || s.output_type === 'display_data')) {
      const data: MimeBundle = { ...f.data };
      for (const [mime, value] of Object.entries(f.data)) {
        const old = s.data[mime];
        if (typeof value === 'string' && typeof old === 'string' && isTextMime(mime)) data[mime] = withinTolerance(old, value, tolerance);
      }
      return { ...f, data };
    }
    if (f.output_type === 'error' && s.output_type === 'error') return { ...f, evalue: withinTolerance(s.evalue, f.evalue, tolerance) };
    return f;
  });
}

/** Tags (or metadata) that keep a cell out of the comparison; it still runs, since later cells may need it. */
const SKIP_TAGS = new Set(['cellwise: skip', 'cellwise-skip', 'nbval-skip', 'nbval-ignore-output']);

/** The tag that marks the cell as not compared, or undefined. */
export function skipTag(cell: Cell): string | undefined {
  const tags = cell.metadata?.tags;
  if (Array.isArray(tags)) {
    for (const t of tags) if (typeof t === 'string' && SKIP_TAGS.has(t.trim())) return t.trim();
  }
  const own = cell.metadata?.cellwise;
  if (own === 'skip' || (typeof own === 'object' && own !== null && !Array.isArray(own) && own.skip === true)) return 'cellwise: skip';
  return undefined;
}
