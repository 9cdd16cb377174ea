/**
 * Python's `str.splitlines`, which nbformat uses to write multiline strings as lists. It breaks at more than
 * "\n": "\r" (progress bars in stream output), "\r\n", "\v", "\f", "\x1c"–"\x1e", "\x85", U+2028 and U+2029.
 * Matching it exactly is what makes a written notebook byte-identical to Jupyter's.
 */
export function pythonSplitLines(text: string, keepEnds: boolean): string[] {
  const lines: string[] = [];
  const n = text.length;
  let start = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (!isLineBreak(c)) {
      i++;
      continue;
    }
    const breakEnd = c === 0x0d && text.charCodeAt(i + 1) === 0x0a ? i + 2 : i + 1;
    lines.push(text.slice(start, keepEnds ? breakEnd : i));
    start = i = breakEnd;
  }
  if (start < n) lines.push(text.slice(start));
  return lines;
}

function isLineBreak(c: number): boolean {
  return (c >= 0x0a && c <= 0x0d) || (c >= 0x1c && c <= 0x1e) || c === 0x85 || c === 0x2028 || c === 0x2029;
}
