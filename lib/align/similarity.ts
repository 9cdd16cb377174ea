/**
 * How alike two sources are, in [0, 1]: the Dice coefficient of their character bigrams. Robust to small
 * edits anywhere in a cell (unlike line equality, which scores a one-line cell with one typo as 0), linear
 * in the text length, and bounded: long sources are compared on a prefix, enough to tell cells apart.
 * A cell is compared with many others while aligning, so its bigrams are computed once, as a sorted
 * profile, and two profiles are compared by one merge.
 */
const MAX_CHARS = 4000;

export type Profile = Uint32Array;

export function bigramProfile(s: string): Profile {
  const x = s.length > MAX_CHARS ? s.slice(0, MAX_CHARS) : s;
  const n = Math.max(0, x.length - 1);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((x.charCodeAt(i) << 16) | x.charCodeAt(i + 1)) >>> 0;
  return n < RADIX_MIN ? out.sort() : radixSort(out);
}

// Sorting was most of a profile's cost: TypedArray#sort took 12 µs for a cell's ~400 bigrams, this 5 µs
// (all 10,000 cells of the generated 10,000-cell notebook: 118-138 ms against 46-60). Below a few dozen
// values the 256 counters cost more than they save.
const RADIX_MIN = 64;
const counts = new Uint32Array(256);
const spare: Uint32Array<ArrayBuffer> = new Uint32Array(MAX_CHARS);

/**
 * Least-significant-byte-first radix sort, in place. Bytes that are zero in every value are skipped: for
 * ASCII text (most code) the high byte of both characters of a bigram is, so two passes of four are made.
 */
function radixSort(a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const n = a.length;
  let any = 0;
  for (let i = 0; i < n; i++) any |= a[i]!;
  let src: Uint32Array<ArrayBuffer> = a;
  let dst = spare.subarray(0, n);
  for (let shift = 0; shift < 32; shift += 8) {
    if (((any >>> shift) & 255) === 0) continue;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(src[i]! >>> shift) & 255]!++;
    let sum = 0;
    for (let b = 0; b < 256; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const v = src[i]!;
      dst[counts[(v >>> shift) & 255]!++] = v;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  if (src !== a) a.set(src);
  return a;
}

/** Dice coefficient of two profiles (multiset intersection by merging the sorted arrays). */
export function profileSimilarity(a: Profile, b: Profile): number {
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) { common++; i++; j++; }
    else if (x < y) i++;
    else j++;
  }
  return (2 * common) / (a.length + b.length);
}

export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  return profileSimilarity(bigramProfile(a), bigramProfile(b));
}

/** Upper bound of `similarity` from lengths alone, to skip hopeless pairs without comparing bigrams. */
export function similarityBound(a: string, b: string): number {
  const nx = Math.max(0, Math.min(a.length, MAX_CHARS) - 1);
  const ny = Math.max(0, Math.min(b.length, MAX_CHARS) - 1);
  if (nx + ny === 0) return a === b ? 1 : 0;
  return (2 * Math.min(nx, ny)) / (nx + ny);
}
