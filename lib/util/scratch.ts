/**
 * Reusable byte buffers for short-lived data: the image comparison's decoded base64 and RGBA pixels, and the
 * byte-level JSON parser's unescaped strings. A plot pair needs a few megabytes that are garbage a
 * millisecond later; allocating them afresh costs a page fault per 4 KB on every pair, which on the machines
 * measured (see `npm run bench`) took longer than decoding. Reusing them makes that cost once per thread.
 * Each thread has its own module instance, and their users are synchronous, so a slot is never shared by two
 * of them at once.
 *
 * Slots: 0–5 and 7–8 the image comparison (lib/diff/image.ts), 6 the JSON parser (lib/notebook/json-bytes.ts),
 * 9 a PNG's compressed data (lib/image/png-fast.ts).
 */

/** Buffers above this size are not kept after use: a rare huge image should not pin its memory. */
const KEEP_BYTES = 64 * 1024 * 1024;

const slots: (ArrayBuffer | undefined)[] = [];

/**
 * At least `bytes` bytes for slot `slot`, with unspecified content, as a plain Uint8Array at offset 0 (never
 * a Buffer: pixelmatch's loops stay monomorphic when every image it sees is the same kind of array). It
 * stays valid until the same slot is asked for again; data that must live at the same time use distinct slots.
 */
export function scratch(slot: number, bytes: number): Uint8Array {
  let memory = slots[slot];
  if (!memory || memory.byteLength < bytes) {
    // Some headroom, so that slightly larger images do not each allocate again.
    memory = new ArrayBuffer(Math.max(bytes, Math.ceil((memory?.byteLength ?? 0) * 1.25)));
    slots[slot] = memory.byteLength <= KEEP_BYTES ? memory : undefined;
  }
  return new Uint8Array(memory, 0, bytes);
}
