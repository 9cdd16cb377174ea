/**
 * Pixel comparison of two raster images whose base64 payloads differ. Differing bytes range from a mere
 * re-encode (another zlib level, filter, palette, metadata chunk: same pixels) through changes below what a
 * reviewer sees to a plot really redrawn. Each image is decoded once to RGBA, compared exactly (re-encoded?),
 * then with pixelmatch (visibly changed?).
 */
import pixelmatch from 'pixelmatch';
import { pngjs } from '../image/codecs.js';
import type { ImageComparison, ImageInfo } from '../model.js';
import { decodeBase64Into } from '../image/base64.js';
import { decodeRgba, MAX_PIXELS, type RgbaImage } from '../image/decode.js';
import { decodesFast, pngParts, samePngPixels, type PngParts } from '../image/png-fast.js';
import { scratch } from '../util/scratch.js';
import { readHeader, type ImageHeader } from '../image/header.js';

export interface ImageOptions {
  /** pixelmatch's per-pixel colour threshold, 0..1 (a HyAB distance in OKLab: 1 is black against white). */
  threshold: number;
  /** Fraction of pixels (0..1) that may change while the image still counts as visually unchanged. */
  tolerance: number;
  /**
   * Produce `ImageComparison.mask` whenever pixels were compared (not for pixel-identical re-encodes, where
   * there is nothing to show, nor for images that could not be decoded).
   */
  mask: boolean;
  /** Compare images whose size changed pixel by pixel; if not, all their pixels count (see DiffOptions.countResizedPixels). */
  countResized: boolean;
}

export const defaultImageOptions: ImageOptions = Object.freeze({ threshold: 0.1, tolerance: 0, mask: false, countResized: true });

const RASTER_FORMATS: Record<string, ImageComparison['format']> = {
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'image/gif': 'gif',
};

/** True for MIME types compared as raster images: image/png, image/jpeg (also image/gif: bytes only, size from header). */
export function isRasterMime(mime: string): boolean {
  return Object.hasOwn(RASTER_FORMATS, mime.toLowerCase());
}

function formatOf(mime: string): ImageComparison['format'] {
  return RASTER_FORMATS[mime.toLowerCase()] ?? 'other';
}

/** Compare two base64 payloads of one MIME type that are NOT byte-identical (the caller checks ===). */
export function compareImages(
  mime: string,
  base: string,
  head: string,
  options: ImageOptions,
): { comparison: ImageComparison; significant: boolean } {
  // Scratch slots 0–5: both sides' bytes, pixels and padded canvases live until the comparison returns, and
  // nothing of them is in the result.
  return compareImageBytes(mime, decodeBase64Into(base, (n) => scratch(0, n)), decodeBase64Into(head, (n) => scratch(1, n)), options);
}

/**
 * `compareImages` of payloads already decoded from base64: what threads are given, as bytes in shared
 * memory, since copying the strings to them cost more than comparing (see cli/images/pool.ts).
 */
export function compareImageBytes(
  mime: string,
  baseBytes: Buffer,
  headBytes: Buffer,
  options: ImageOptions,
): { comparison: ImageComparison; significant: boolean } {
  const format = formatOf(mime);
  const baseSide: Side = { bytes: baseBytes, header: readHeader(baseBytes) };
  const headSide: Side = { bytes: headBytes, header: readHeader(headBytes) };
  if (format === 'gif') return byBytes(format, baseSide, headSide, 'GIF images are compared by bytes, not pixels');
  if (format === 'other') return byBytes(format, baseSide, headSide, `${mime} is compared by bytes, not pixels`);

  const basePng = baseSide.header?.kind === 'png' ? pngParts(baseSide.bytes) : undefined;
  const headPng = headSide.header?.kind === 'png' ? pngParts(headSide.bytes) : undefined;
  // Scratch slots 7 and 8: both sides' scanlines are alive together (samePngPixels compares them).
  if (basePng) basePng.rawBuffer = (n) => scratch(7, n);
  if (headPng) headPng.rawBuffer = (n) => scratch(8, n);
  if (basePng && headPng && samePngPixels(basePng, headPng)) {
    const base = infoOf(baseSide);
    return {
      comparison: { format, base, head: infoOf(headSide), changedPixels: 0, totalPixels: base.width * base.height, sizeChanged: false, reencoded: true },
      significant: false,
    };
  }
  // A resized pair whose count is not wanted needs no pixels, only to know that both images decode.
  if (!options.countResized && basePng && headPng && soundResizedPngs(basePng, headPng)) {
    return uncountedResize(format, infoOf(baseSide), infoOf(headSide));
  }
  const baseDecoded = decodeRgba(baseSide.bytes, baseSide.header, basePng, (n) => scratch(2, n));
  const headDecoded = decodeRgba(headSide.bytes, headSide.header, headPng, (n) => scratch(3, n));
  if ('error' in baseDecoded || 'error' in headDecoded) {
    const errors: string[] = [];
    if ('error' in baseDecoded) errors.push(`base: ${baseDecoded.error}`);
    if ('error' in headDecoded) errors.push(`head: ${headDecoded.error}`);
    return byBytes(format, baseSide, headSide, errors.join('; '));
  }
  return byPixels(format, baseDecoded.image, headDecoded.image, baseSide.bytes.length, headSide.bytes.length, options);
}

export { imageInfo } from '../image/info.js';

interface Side {
  bytes: Buffer;
  header: ImageHeader | undefined;
}

function infoOf(side: Side): ImageInfo {
  return { width: side.header?.width ?? 0, height: side.header?.height ?? 0, bytes: side.bytes.length };
}

/** The comparison when pixels cannot be compared: the bytes differ, so the image counts as changed. */
function byBytes(
  format: ImageComparison['format'],
  baseSide: Side,
  headSide: Side,
  error: string,
): { comparison: ImageComparison; significant: boolean } {
  const base = infoOf(baseSide);
  const head = infoOf(headSide);
  const totalPixels = Math.max(base.width, head.width) * Math.max(base.height, head.height);
  const sizeChanged =
    baseSide.header !== undefined && headSide.header !== undefined &&
    (base.width !== head.width || base.height !== head.height);
  return {
    comparison: { format, base, head, changedPixels: totalPixels, totalPixels, sizeChanged, reencoded: false, error },
    significant: true,
  };
}

function byPixels(
  format: ImageComparison['format'],
  a: RgbaImage,
  b: RgbaImage,
  baseBytes: number,
  headBytes: number,
  options: ImageOptions,
): { comparison: ImageComparison; significant: boolean } {
  const base: ImageInfo = { width: a.width, height: a.height, bytes: baseBytes };
  const head: ImageInfo = { width: b.width, height: b.height, bytes: headBytes };
  const width = Math.max(a.width, b.width);
  const height = Math.max(a.height, b.height);
  const totalPixels = width * height;
  const sizeChanged = a.width !== b.width || a.height !== b.height;

  if (!sizeChanged && sameBytes(a.data, b.data)) {
    return {
      comparison: { format, base, head, changedPixels: 0, totalPixels, sizeChanged, reencoded: true },
      significant: false,
    };
  }
  if (sizeChanged && !options.countResized) return uncountedResize(format, base, head);

  // The mask is drawn straight into the PNG that encodes it. diffMask leaves unchanged pixels transparent:
  // the mask overlays either image in a viewer, and deflates to almost nothing in the diff's JSON.
  const maskPng = options.mask ? new (pngjs().PNG)({ width, height }) : undefined;
  const changedPixels = pixelmatch(canvas(a, width, height, 4), canvas(b, width, height, 5), maskPng?.data, width, height, {
    threshold: options.threshold,
    includeAA: false,
    diffMask: true,
  });
  const comparison: ImageComparison = { format, base, head, changedPixels, totalPixels, sizeChanged, reencoded: false };
  // Filter 0 (none): for a 1200×800 mask it took 8 ms and 18.4 KB against pngjs's adaptive default's 46 ms
  // and 19.3 KB.
  if (maskPng) comparison.mask = pngjs().PNG.sync.write(maskPng, { filterType: 0 }).toString('base64');
  const significant = sizeChanged || (totalPixels > 0 && changedPixels / totalPixels > options.tolerance);
  return { comparison, significant };
}

/** A resized pair not compared (DiffOptions.countResizedPixels off): every pixel of the larger canvas counts. */
function uncountedResize(format: ImageComparison['format'], base: ImageInfo, head: ImageInfo): { comparison: ImageComparison; significant: boolean } {
  const totalPixels = Math.max(base.width, head.width) * Math.max(base.height, head.height);
  return { comparison: { format, base, head, changedPixels: totalPixels, totalPixels, sizeChanged: true, reencoded: false }, significant: true };
}

/** Two PNGs of different sizes that decodeRgba would decode on its fast path, both within its size limit. */
function soundResizedPngs(a: PngParts, b: PngParts): boolean {
  if (a.width === b.width && a.height === b.height) return false;
  if (a.width * a.height > MAX_PIXELS || b.width * b.height > MAX_PIXELS) return false;
  return decodesFast(a) && decodesFast(b);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/**
 * The image's pixels on a width×height canvas, padded with transparent pixels, so that a size change counts
 * the pixels only one image covers. Same-size images are used as they are (pixelmatch views them as
 * Uint32Array, hence the alignment condition); a padded one is drawn in scratch slot `slot`.
 */
function canvas(image: RgbaImage, width: number, height: number, slot: number): Uint8Array {
  if (image.width === width && image.height === height && image.data.byteOffset % 4 === 0) return image.data;
  const out = scratch(slot, width * height * 4);
  const row = image.width * 4;
  const padding = (width - image.width) * 4;
  for (let y = 0; y < image.height; y++) {
    out.set(image.data.subarray(y * row, y * row + row), y * width * 4);
    if (padding > 0) out.fill(0, y * width * 4 + row, (y + 1) * width * 4);
  }
  out.fill(0, image.height * width * 4);
  return out;
}
