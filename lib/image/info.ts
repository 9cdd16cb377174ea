/**
 * Width, height and size of a base64 image from its header alone, without decoding pixels: what a summary
 * line needs (`image/png 640×480`). The bytes' signature says how to read them, whatever the MIME type
 * claims.
 */
import type { ImageInfo } from '../model.js';
import { base64ByteLength, decodeBase64 } from './base64.js';
import { readHeader, type ImageHeader } from './header.js';

/**
 * Base64 characters decoded first: 48 bytes hold a PNG's or GIF's size (24 and 10 bytes needed); 12 KiB a
 * JPEG's, past its APP segments, which only photos with large EXIF or ICC profiles exceed; then the whole
 * payload.
 */
const HEADER_PREFIXES = [64, 16 * 1024];

function headerOf(b64: string): ImageHeader | undefined {
  for (const chars of HEADER_PREFIXES) {
    const header = readHeader(decodeBase64(b64.slice(0, chars)));
    if (header || b64.length <= chars) return header;
  }
  return readHeader(decodeBase64(b64));
}

/** Width and height of a base64 PNG, JPEG or GIF, or null when the header does not say. */
export function imageSize(b64: string): { width: number; height: number } | null {
  const header = headerOf(b64);
  return header ? { width: header.width, height: header.height } : null;
}

/** Width, height and byte size of a base64 image; undefined if unreadable. */
export function imageInfo(_mime: string, b64: string): ImageInfo | undefined {
  const header = headerOf(b64);
  return header ? { width: header.width, height: header.height, bytes: base64ByteLength(b64) } : undefined;
}
