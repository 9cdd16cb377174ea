/**
 * Dimensions of a base64 image read from its header alone, for one-line summaries of added and removed
 * outputs (the image differ decodes whole images; a summary needs 24 bytes of a PNG). Uses `atob`, which
 * Node and browsers share, so the viewer can reuse it.
 */

export interface ImageSize {
  width: number;
  height: number;
}

/** Decoded size in bytes of a base64 string (whitespace ignored). */
export function base64Bytes(data: string): number {
  const clean = data.replace(/\s+/g, '');
  const padding = clean.endsWith('==') ? 2 : clean.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((clean.length * 3) / 4) - padding);
}

function decodePrefix(data: string, chars: number): Uint8Array | null {
  // Twice the characters leaves room for line breaks (MIME base64 wraps at 76).
  let clean = data.slice(0, chars * 2).replace(/\s+/g, '').slice(0, chars).replace(/=+$/, '');
  clean = clean.slice(0, clean.length - (clean.length % 4));
  try {
    const binary = atob(clean);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

const be16 = (b: Uint8Array, i: number): number => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const le16 = (b: Uint8Array, i: number): number => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const be32 = (b: Uint8Array, i: number): number => be16(b, i) * 65536 + be16(b, i + 2);

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((value, i) => bytes[i] === value);
}

/** Width and height of a base64 PNG, GIF or JPEG, or null when the header does not say. */
export function imageSize(data: string): ImageSize | null {
  const head = decodePrefix(data, 64);
  if (!head) return null;
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) && head.length >= 24) {
    return { width: be32(head, 16), height: be32(head, 20) };
  }
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38]) && head.length >= 10) {
    return { width: le16(head, 6), height: le16(head, 8) };
  }
  if (startsWith(head, [0xff, 0xd8])) return jpegSize(data);
  return null;
}

// The frame header (SOF) may come after EXIF and ICC segments; 256 kB of base64 covers real files.
function jpegSize(data: string): ImageSize | null {
  const bytes = decodePrefix(data, 256 * 1024);
  if (!bytes) return null;
  let i = 2;
  while (i + 9 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1] ?? 0;
    if (marker === 0xff) {
      i += 1;
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { width: be16(bytes, i + 7), height: be16(bytes, i + 5) };
    if (marker === 0xd9 || marker === 0xda) return null;
    i += 2 + be16(bytes, i + 2);
  }
  return null;
}
