/**
 * ANSI SGR escapes (IPython tracebacks, colored logs) to styled segments. Only colors and bold/italic/
 * underline are kept; every other escape is dropped. The segments are rendered as React text, never HTML.
 */
export interface AnsiSegment {
  text: string;
  /** CSS classes: `ansi-fg-N` / `ansi-bg-N` for the 16 standard colors, `ansi-bold`, … */
  classes: string[];
  /** 256-color and true-color values. */
  fg?: string;
  bg?: string;
}

interface State {
  fg?: number | string;
  bg?: number | string;
  bold: boolean;
  italic: boolean;
  underline: boolean;
}

// eslint-disable-next-line no-control-regex
const ESCAPE = /\x1b\[([0-9;]*)([A-Za-z])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

export function parseAnsi(text: string): AnsiSegment[] {
  const out: AnsiSegment[] = [];
  let state: State = { bold: false, italic: false, underline: false };
  let last = 0;
  const push = (s: string): void => {
    if (!s) return;
    const classes: string[] = [];
    const seg: AnsiSegment = { text: s, classes };
    if (typeof state.fg === 'number') classes.push(`ansi-fg-${state.fg}`);
    else if (state.fg) seg.fg = state.fg;
    if (typeof state.bg === 'number') classes.push(`ansi-bg-${state.bg}`);
    else if (state.bg) seg.bg = state.bg;
    if (state.bold) classes.push('ansi-bold');
    if (state.italic) classes.push('ansi-italic');
    if (state.underline) classes.push('ansi-underline');
    const prev = out[out.length - 1];
    if (prev && prev.classes.join() === classes.join() && prev.fg === seg.fg && prev.bg === seg.bg) prev.text += s;
    else out.push(seg);
  };
  for (const m of text.matchAll(ESCAPE)) {
    push(text.slice(last, m.index));
    last = m.index! + m[0].length;
    if (m[2] === 'm') state = applySgr(state, (m[1] ?? '').split(';').map((n) => (n === '' ? 0 : Number(n))));
  }
  push(text.slice(last));
  return out;
}

function applySgr(prev: State, codes: number[]): State {
  const s = { ...prev };
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c === 0) Object.assign(s, { fg: undefined, bg: undefined, bold: false, italic: false, underline: false });
    else if (c === 1) s.bold = true;
    else if (c === 3) s.italic = true;
    else if (c === 4) s.underline = true;
    else if (c === 22) s.bold = false;
    else if (c === 23) s.italic = false;
    else if (c === 24) s.underline = false;
    else if (c >= 30 && c <= 37) s.fg = c - 30;
    else if (c >= 90 && c <= 97) s.fg = c - 90 + 8;
    else if (c === 39) s.fg = undefined;
    else if (c >= 40 && c <= 47) s.bg = c - 40;
    else if (c >= 100 && c <= 107) s.bg = c - 100 + 8;
    else if (c === 49) s.bg = undefined;
    else if (c === 38 || c === 48) {
      const [color, used] = extendedColor(codes, i + 1);
      if (c === 38) s.fg = color; else s.bg = color;
      i += used;
    }
  }
  return s;
}

/** `5;N` (256 colors) or `2;R;G;B`; returns the color and how many codes it used. */
function extendedColor(codes: number[], at: number): [number | string | undefined, number] {
  if (codes[at] === 5) {
    const n = codes[at + 1] ?? 0;
    if (n < 16) return [n, 2];
    return [xterm256(n), 2];
  }
  if (codes[at] === 2) {
    const [r, g, b] = [codes[at + 1] ?? 0, codes[at + 2] ?? 0, codes[at + 3] ?? 0].map((v) => Math.max(0, Math.min(255, v)));
    return [`rgb(${r}, ${g}, ${b})`, 4];
  }
  return [undefined, 0];
}

function xterm256(n: number): string {
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v}, ${v}, ${v})`;
  }
  const i = n - 16;
  const level = (x: number): number => (x === 0 ? 0 : 55 + x * 40);
  return `rgb(${level(Math.floor(i / 36))}, ${level(Math.floor(i / 6) % 6)}, ${level(i % 6)})`;
}

export function stripAnsi(text: string): string {
  return text.replace(ESCAPE, '');
}
