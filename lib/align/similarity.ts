/**
 * How alike two sources are, in [0, 1]: the Dice coefficient of their character bigrams. Robust to small
 * edits anywhere in a cell (unlike line equality, which scores a one-line cell with one typo as 0), linear
 * in the text length, and bounded: long sources are compared on a prefix, enough to tell cells apart.
 */
const MAX_CHARS = 4000;

export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const x = a.length > MAX_CHARS ? a.slice(0, MAX_CHARS) : a;
  const y = b.length > MAX_CHARS ? b.slice(0, MAX_CHARS) : b;
  // Cheap bound first: Dice can never exceed 2·min/(sum) of the bigram counts.
  const nx = x.length - 1;
  const ny = y.length - 1;
  const counts = new Map<number, number>();
  for (let i = 0; i < nx; i++) {
    const k = (x.charCodeAt(i) << 16) | x.charCodeAt(i + 1);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  let common = 0;
  for (let i = 0; i < ny; i++) {
    const k = (y.charCodeAt(i) << 16) | y.charCodeAt(i + 1);
    const c = counts.get(k);
    if (c) {
      common++;
      counts.set(k, c - 1);
    }
  }
  return (2 * common) / (nx + ny);
}

/** Upper bound of `similarity` from lengths alone, to skip hopeless pairs without counting bigrams. */
export function similarityBound(a: string, b: string): number {
  const nx = Math.max(0, Math.min(a.length, MAX_CHARS) - 1);
  const ny = Math.max(0, Math.min(b.length, MAX_CHARS) - 1);
  if (nx + ny === 0) return a === b ? 1 : 0;
  return (2 * Math.min(nx, ny)) / (nx + ny);
}
