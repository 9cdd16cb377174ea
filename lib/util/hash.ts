/**
 * Fingerprints for exact matching. Notebooks carry megabytes of base64; hashing every byte of every payload
 * would cost more than parsing the file, so long strings are sampled. A fingerprint is only a hint for
 * alignment: matched pairs are always compared in full, so a collision can never hide a change.
 */

const FULL_HASH_LIMIT = 4096;
const SAMPLES = 256;

/** A string's hash (the first of the two lanes `fingerprint` fills), sampled as described above. */
export function hashString(s: string, seed = 0x811c9dc5): number {
  reset(seed);
  mixString(s);
  return lanes[0]! >>> 0;
}

/** A fingerprint of any JSON value, as a short string usable as a Map key. */
export function fingerprint(value: unknown): string {
  reset();
  fold(value);
  return (lanes[0]! >>> 0).toString(36) + ':' + (lanes[1]! >>> 0).toString(36);
}

/** `fingerprint` as one 32-bit number, for Map keys in hot loops (more collisions: a hint all the same). */
export function fingerprintHash(value: unknown): number {
  reset();
  fold(value);
  return Math.imul(lanes[0]!, 0x9e3779b1) ^ lanes[1]!;
}

/** Two 32-bit FNV lanes with different seeds and primes, filled by one walk over the value. */
const lanes = new Int32Array(2);
const P1 = 0x01000193;
const P2 = 0x5bd1e995;

function reset(seed = 0x811c9dc5): void {
  lanes[0] = seed;
  lanes[1] = 0x2545f491;
}

function mixChars(s: string, start: number, end: number): void {
  let a = lanes[0]!;
  let b = lanes[1]!;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, P1);
    b = Math.imul(b ^ c, P2);
  }
  lanes[0] = a;
  lanes[1] = b;
}

function mixCode(c: number): void {
  lanes[0] = Math.imul(lanes[0]! ^ c, P1);
  lanes[1] = Math.imul(lanes[1]! ^ c, P2);
}

/** A string in full up to FULL_HASH_LIMIT characters, else its ends and SAMPLES slices of it. */
function mixString(s: string): void {
  mixCode(s.length);
  if (s.length <= FULL_HASH_LIMIT) return mixChars(s, 0, s.length);
  const step = Math.floor(s.length / SAMPLES);
  mixChars(s, 0, 64);
  for (let i = 64; i < s.length - 64; i += step) mixChars(s, i, i + 8);
  mixChars(s, s.length - 64, s.length);
}

function fold(v: unknown): void {
  if (typeof v === 'string') {
    mixCode(0x22); // '"': a string and the number it spells differ
    mixString(v);
  } else if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) {
    const text = String(v);
    mixChars(text, 0, text.length);
  } else if (Array.isArray(v)) {
    mixCode(0x5b);
    for (const x of v) fold(x);
    mixCode(0x5d);
  } else {
    // Keys in written order: nbformat writes them sorted, and a fingerprint miss only costs an anchor.
    mixCode(0x7b);
    for (const k in v as object) {
      mixString(k);
      fold((v as Record<string, unknown>)[k]);
    }
    mixCode(0x7d);
  }
}
