/** Small text helpers shared by the parser, the differs and the renderers. */

/** Splits text into lines, each keeping its line ending ("\n" or "\r\n"); the last may have none. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) break;
    lines.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** nbformat allows a multiline string as one string or a list of strings; this is the one string. */
export function joinMultiline(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('');
  return undefined;
}

// CSI sequences (colors, cursor moves) and OSC sequences (titles, hyperlinks), as IPython tracebacks use them.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Removes ANSI escape sequences: tracebacks differ in colors between IPython versions, not in meaning. */
export function stripAnsi(text: string): string {
  return text.includes('\x1b') ? text.replace(ANSI, '') : text;
}
