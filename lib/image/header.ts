/**
 * Image sizes read from the first bytes of the file, without decoding pixels: PNG's IHDR chunk, JPEG's
 * start-of-frame segment and GIF's logical screen descriptor. The signature decides the kind, not the MIME
 * type the notebook claims.
 */

export type ImageKind = 'png' | 'jpeg' | 'gif';

export interface ImageHeader {
  kind: ImageKind;
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The image kind by signature, or undefined for anything else. */
export function sniffKind(bytes: Uint8Array): ImageKind | undefined {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  // "GIF87a" / "GIF89a"
  if (bytes.length >= 6 && bytes[0] === 0x47 && bytes[1] === 0x49 && bytes[2] === 0x46 && bytes[3] === 0x38) {
    return 'gif';
  }
  return undefined;
}

/** Kind and size from the header; undefined when the bytes are not one of the kinds or end too early. */
export function readHeader(bytes: Uint8Array): ImageHeader | undefined {
  const kind = sniffKind(bytes);
  let size: { width: number; height: number } | undefined;
  switch (kind) {
    case 'png':
      size = pngSize(bytes);
      break;
    case 'jpeg':
      size = jpegSize(bytes);
      break;
    case 'gif':
      size = gifSize(bytes);
      break;
    case undefined:
      return undefined;
  }
  return size && size.width > 0 && size.height > 0 ? { kind, ...size } : undefined;
}

function pngSize(b: Uint8Array): { width: number; height: number } | undefined {
  // Signature (8), then the first chunk must be IHDR: length (4), "IHDR" (4), width (4), height (4).
  if (b.length < 24 || b[12] !== 0x49 || b[13] !== 0x48 || b[14] !== 0x44 || b[15] !== 0x52) return undefined;
  return { width: u32be(b, 16), height: u32be(b, 20) };
}

function gifSize(b: Uint8Array): { width: number; height: number } | undefined {
  if (b.length < 10) return undefined;
  return { width: b[6]! | (b[7]! << 8), height: b[8]! | (b[9]! << 8) };
}

/** SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range but are not frames. */
function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  // Walk the marker segments after SOI; the frame header comes before the first scan (SOS).
  let pos = 2;
  while (pos + 1 < b.length) {
    if (b[pos] !== 0xff) return undefined;
    const marker = b[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    // Markers without a length: TEM, RST0–7, SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      pos += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined;
    if (pos + 4 > b.length) return undefined;
    const length = (b[pos + 2]! << 8) | b[pos + 3]!;
    if (isStartOfFrame(marker)) {
      // length (2), precision (1), height (2), width (2)
      if (pos + 9 > b.length) return undefined;
      return { height: (b[pos + 5]! << 8) | b[pos + 6]!, width: (b[pos + 7]! << 8) | b[pos + 8]! };
    }
    if (length < 2) return undefined;
    pos += 2 + length;
  }
  return undefined;
}

function u32be(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}
