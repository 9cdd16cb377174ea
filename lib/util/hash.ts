/**
 * Fingerprints for exact matching. Notebooks carry megabytes of base64; hashing every byte of every payload
 * would cost more than parsing the file, so long strings are sampled. A fingerprint is only a hint for
 * alignment: matched pairs are always compared in full, so a collision can never hide a change.
 */

const FULL_HASH_LIMIT = 4096;
const SAMPLES = 256;

function fnv(h: number, s: string, start: number, end: number): number {
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed ^ s.length;
  if (s.length <= FULL_HASH_LIMIT) return fnv(h, s, 0, s.length) >>> 0;
  const step = Math.floor(s.length / SAMPLES);
  h = fnv(h, s, 0, 64);
  for (let i = 64; i < s.length - 64; i += step) h = fnv(h, s, i, i + 8);
  return fnv(h, s, s.length - 64, s.length) >>> 0;
}

/** A fingerprint of any JSON value, as a short string usable as a Map key. */
export function fingerprint(value: unknown): string {
  return (fold(0x811c9dc5, value) >>> 0).toString(36) + ':' + (fold(0x2545f491, value) >>> 0).toString(36);
}

function fold(h: number, v: unknown): number {
  if (typeof v === 'string') return Math.imul(h ^ hashString(v, h), 0x01000193);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) {
    return fnv(h, String(v), 0, String(v).length);
  }
  if (Array.isArray(v)) {
    h = fnv(h, '[', 0, 1);
    for (const x of v) h = fold(h, x);
    return fnv(h, ']', 0, 1);
  }
  // Keys in written order: nbformat writes them sorted, and a fingerprint miss only costs an anchor.
  const keys = Object.keys(v as object);
  h = fnv(h, '{', 0, 1);
  for (const k of keys) {
    h = fnv(h, k, 0, k.length);
    h = fold(h, (v as Record<string, unknown>)[k]);
  }
  return fnv(h, '}', 0, 1);
}
