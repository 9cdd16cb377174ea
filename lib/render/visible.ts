/**
 * Making untrusted notebook text safe to print, and measuring it for truncation.
 *
 * A notebook is someone else's file: a source line or an output can hold ESC sequences that clear the screen,
 * move the cursor, retitle the window or hide text (CR overwrites a line, BEL rings). A reviewer must see such
 * bytes, not have them run, so every string taken from a diff goes through `visible` before it is printed.
 */

// C0 controls except tab, DEL, C1 controls; the bidirectional overrides and isolates ("Trojan Source":
// code that displays in another order than it runs) and the two invisible direction marks.
const UNSAFE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function showControl(ch: string): string {
  const code = ch.charCodeAt(0);
  // Control Pictures (U+2400…U+241F) are one column wide and read as what they stand for: ␛ ␍ ␇ ␀.
  if (code < 0x20) return String.fromCharCode(0x2400 + code);
  if (code === 0x7f) return '\u2421';
  if (code <= 0x9f) return `\\x${code.toString(16)}`;
  return `<U+${code.toString(16).toUpperCase().padStart(4, '0')}>`;
}

/** Replaces every character a terminal would act on (or that reorders text) with a visible stand-in. */
export function visible(text: string): string {
  return text.replace(UNSAFE, showControl);
}

/** Drops the line ending a diff line keeps ("\n" or "\r\n"). */
export function stripLineEnding(line: string): string {
  if (line.endsWith('\r\n')) return line.slice(0, -2);
  if (line.endsWith('\n')) return line.slice(0, -1);
  return line;
}

// East Asian wide and fullwidth ranges and the common emoji blocks: two columns in a terminal. An
// approximation (no grapheme clustering); it only decides where to cut summaries and how long rules are.
function charWidth(code: number): number {
  if (code >= 0x300 && code <= 0x36f) return 0;
  if (code === 0x200b || code === 0x200c || code === 0x200d || code === 0xfe0f) return 0;
  if (
    (code >= 0x1100 && code <= 0x115f) ||
    (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xf900 && code <= 0xfaff) ||
    (code >= 0xfe30 && code <= 0xfe4f) ||
    (code >= 0xff00 && code <= 0xff60) ||
    (code >= 0xffe0 && code <= 0xffe6) ||
    (code >= 0x1f300 && code <= 0x1f64f) ||
    (code >= 0x1f900 && code <= 0x1f9ff) ||
    (code >= 0x20000 && code <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** Terminal columns taken by already-visible text (no escape sequences in it). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += charWidth(ch.codePointAt(0) ?? 0);
  return width;
}

/** Cuts visible text to at most `width` columns, ending with "…" when something was cut. */
export function truncate(text: string, width: number): string {
  if (displayWidth(text) <= width) return text;
  if (width <= 0) return '';
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = charWidth(ch.codePointAt(0) ?? 0);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

/** Breaks text into lines of at most `width` columns, at spaces where it can, inside words where it must. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    let w = word;
    const candidate = current === '' ? w : `${current} ${w}`;
    if (displayWidth(candidate) <= width) { current = candidate; continue; }
    if (current !== '') lines.push(current);
    current = '';
    while (displayWidth(w) > width) {
      let cut = '';
      for (const ch of w) {
        if (displayWidth(cut + ch) > width) break;
        cut += ch;
      }
      lines.push(cut);
      w = w.slice(cut.length);
    }
    current = w;
  }
  if (current !== '' || lines.length === 0) lines.push(current);
  return lines;
}
