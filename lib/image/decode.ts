/**
 * Decoding PNG and JPEG bytes to 8-bit RGBA, the one pixel layout the comparison works on. pngjs expands
 * palette, grey, 16-bit (rescaled to 8 bits), tRNS transparency and interlacing; JPEG goes to libjpeg-turbo
 * (jpeg.ts). Failures come back as values: a notebook with a broken image still gets a diff.
 */
import { pngjs } from './codecs.js';
import type { ImageHeader } from './header.js';
import { decodeJpeg } from './jpeg.js';
import { decodePngFast, pngParts, type PixelBuffer, type PngParts } from './png-fast.js';

/** Row-major pixels, 4 bytes (R, G, B, A) each. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export type DecodeResult = { image: RgbaImage } | { error: string };

/**
 * The largest image decoded, in pixels: 50 MP is 200 MB of RGBA per image, and a comparison holds two
 * plus a canvas and a mask. Far above any notebook plot; it stops decompression bombs.
 */
export const MAX_PIXELS = 50_000_000;

/**
 * Decodes `bytes` whose header was read as `header` (undefined: not an image we can read). The PNG fast path
 * writes into `output` (see decodePngFast); the other decoders allocate their own.
 */
export function decodeRgba(bytes: Buffer, header: ImageHeader | undefined, png?: PngParts, output?: PixelBuffer): DecodeResult {
  if (!header) return { error: 'not a readable PNG, JPEG or GIF image' };
  if (header.kind === 'gif') return { error: 'GIF images are compared by bytes, not pixels' };
  if (header.width * header.height > MAX_PIXELS) {
    return { error: `${header.width}×${header.height} is larger than the ${MAX_PIXELS / 1e6} megapixel limit` };
  }
  try {
    const image: RgbaImage = header.kind === 'png' ? decodePngFast(bytes, png ?? pngParts(bytes), output) ?? pngjs().PNG.sync.read(bytes) : decodeJpeg(bytes, MAX_PIXELS);
    if (image.data.length !== image.width * image.height * 4) {
      return { error: `${kindName(header)}: decoded ${image.data.length} bytes for ${image.width}×${image.height}` };
    }
    return { image: { width: image.width, height: image.height, data: image.data } };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { error: `${kindName(header)}: ${message}` };
  }
}

function kindName(header: ImageHeader): string {
  return header.kind.toUpperCase();
}
