/**
 * A fast path for the PNGs notebooks are full of (matplotlib writes 8-bit RGBA, non-interlaced): inflate
 * with zlib in one call and undo the row filters in one tight loop, straight into RGBA. pngjs does the
 * same through streams and per-pixel mapper callbacks, about twice as slowly, and a notebook diff may
 * decode hundreds of plots. Anything else (interlaced, 16-bit, sub-byte depths, tRNS on grey or RGB) returns
 * undefined, and the caller falls back to pngjs.
 */
import { inflateSync } from 'node:zlib';
import type { RgbaImage } from './decode.js';
import { inflateInto } from './inflate.js';
import { scratch } from '../util/scratch.js';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** A PNG's chunks as read, before any decompression. */
export interface PngParts {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  interlace: number;
  ihdr: Uint8Array;
  palette?: Uint8Array;
  alpha?: Uint8Array;
  idat: Uint8Array[];
  /** The inflated, still filtered scanlines, once `inflatePng` has run. */
  raw?: Uint8Array | null;
  /**
   * Where `inflatePng` puts them: a buffer of at least the given size, reused by the caller (see
   * lib/util/scratch.ts), or by default a new one.
   */
  rawBuffer?: PixelBuffer;
}

export function pngParts(bytes: Uint8Array): PngParts | undefined {
  if (bytes.length < 33) return undefined;
  for (let i = 0; i < 8; i++) if (bytes[i] !== SIGNATURE[i]) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let parts: PngParts | undefined;
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (data.length !== length) return undefined;
    if (type === 'IHDR') {
      parts = {
        width: view.getUint32(at + 8), height: view.getUint32(at + 12), depth: bytes[at + 16]!,
        colorType: bytes[at + 17]!, interlace: bytes[at + 20]!, ihdr: data, idat: [],
      };
    } else if (!parts) return undefined;
    else if (type === 'PLTE') parts.palette = data;
    else if (type === 'tRNS') parts.alpha = data;
    else if (type === 'IDAT') parts.idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  return parts && parts.width && parts.height && parts.idat.length ? parts : undefined;
}

/** The filtered scanlines (zlib in one native call), kept on the parts for a later decode. */
export function inflatePng(parts: PngParts): Uint8Array | null {
  if (parts.raw === undefined) {
    try {
      // Inflated into one buffer of the size the header promises (one byte more, so that zlib sees room left
      // and stops): the default 16 KB chunks were then all copied into one buffer of that size anyway.
      const size = parts.interlace === 0 ? rawSize(parts) : undefined;
      const input = parts.idat.length === 1 ? parts.idat[0]! : joinChunks(parts.idat);
      if (size === undefined || size >= MAX_RAW_BYTES) parts.raw = inflateSync(input);
      else if (parts.rawBuffer) parts.raw = inflateInto(input, parts.rawBuffer(size + 1).subarray(0, size + 1));
      else parts.raw = inflateSync(input, { chunkSize: Math.max(64, size + 1) });
    } catch {
      parts.raw = null;
    }
  }
  return parts.raw;
}

/**
 * IDAT chunks (matplotlib writes several) joined for zlib in scratch slot 9, dead once inflated: a fresh
 * buffer per image cost its page faults (see inflate.ts).
 */
function joinChunks(chunks: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const c of chunks) size += c.length;
  const joined = scratch(9, size);
  let at = 0;
  for (const c of chunks) {
    joined.set(c, at);
    at += c.length;
  }
  return joined;
}

/** Larger inflated images take zlib's default chunks (a header could claim anything). */
const MAX_RAW_BYTES = 256 * 1024 * 1024;

/** Bytes of filtered scanlines a non-interlaced PNG's header promises: a filter byte and the samples per row. */
function rawSize(parts: PngParts): number | undefined {
  const channels = CHANNELS[parts.colorType];
  if (channels === undefined) return undefined;
  return parts.height * (1 + Math.ceil((parts.width * channels * parts.depth) / 8));
}

/**
 * Whether two PNGs hold the same pixels without decoding them: the same header, palette and transparency
 * and the same filtered scanlines can only unfilter to the same pixels. A plot saved again by another zlib
 * (the usual re-encode) passes; one re-saved with other filters falls through to a full decode.
 */
export function samePngPixels(a: PngParts, b: PngParts): boolean {
  const eq = (x?: Uint8Array, y?: Uint8Array) => (x === undefined || y === undefined ? x === y : Buffer.from(x).equals(y));
  if (!eq(a.ihdr, b.ihdr) || !eq(a.palette, b.palette) || !eq(a.alpha, b.alpha)) return false;
  const ra = inflatePng(a);
  const rb = inflatePng(b);
  return ra !== null && rb !== null && Buffer.from(ra.buffer, ra.byteOffset, ra.byteLength).equals(rb);
}

/** Where decoded pixels go: a buffer of at least `bytes` bytes (by default a new one). */
export type PixelBuffer = (bytes: number) => Uint8Array;

const newPixels: PixelBuffer = (bytes) => new Uint8Array(bytes);

/**
 * RGBA pixels of a PNG the fast path reads, else undefined. The pixels are written into `output`'s buffer
 * (the image's data is a view of its first width·height·4 bytes); the inflated scanlines are left as they are,
 * so samePngPixels can still compare them.
 */
export function decodePngFast(bytes: Uint8Array, parts: PngParts | undefined = pngParts(bytes), output: PixelBuffer = newPixels): RgbaImage | undefined {
  const scanlines = parts && fastScanlines(parts);
  if (!parts || !scanlines) return undefined;
  const { width, height, colorType, palette } = parts;
  const { channels, raw } = scanlines;
  const stride = width * channels;
  const data = output(width * height * 4).subarray(0, width * height * 4);
  if (colorType === 6) {
    // RGBA already: unfilter each row straight into place, the previous output row being its prior row.
    // Sub, Up and Paeth (nearly every row of a plot) work on whole pixels when the rows are aligned.
    const words = data.byteOffset % 4 === 0 ? new Int32Array(data.buffer, data.byteOffset, width * height) : undefined;
    for (let r = 0; r < height; r++) {
      const at = r * (stride + 1);
      const filter = raw[at];
      if (words && (filter === 1 || (filter === 2 && r > 0))) {
        data.set(raw.subarray(at + 1, at + 1 + stride), r * stride);
        addPixels(words, r * width, filter === 1 ? r * width - 1 : (r - 1) * width, width, filter === 1 ? 1 : 0);
      } else if (words && filter === 4 && r > 0) {
        data.set(raw.subarray(at + 1, at + 1 + stride), r * stride);
        paethPixels(words, data, r * width, (r - 1) * width, width);
      } else {
        unfilterRow(raw, at, data, r * stride, r > 0 ? r * stride - stride : -1, stride, 4);
      }
    }
  } else {
    // Other layouts: unfilter into two alternating rows of one buffer, then expand each to RGBA.
    const rows = new Uint8Array(2 * stride);
    for (let r = 0; r < height; r++) {
      const o = (r & 1) * stride;
      unfilterRow(raw, r * (stride + 1), rows, o, r > 0 ? stride - o : -1, stride, channels);
      expandRow(rows, o, data, r * width * 4, width, colorType, palette, parts.alpha);
    }
  }
  return { width, height, data };
}

/**
 * For a PNG layout decodePngFast reads, its samples per pixel and its inflated scanlines, when they are as
 * long as the header promises; else undefined.
 */
function fastScanlines(parts: PngParts): { channels: number; raw: Uint8Array } | undefined {
  const { depth, colorType, interlace } = parts;
  if (depth !== 8 || interlace !== 0 || !(colorType in CHANNELS)) return undefined;
  if (parts.alpha && colorType !== 3) return undefined;
  if (colorType === 3 && !parts.palette) return undefined;
  const raw = inflatePng(parts);
  return raw && raw.length >= rawSize(parts)! ? { channels: CHANNELS[colorType]!, raw } : undefined;
}

/**
 * Whether decodePngFast decodes this PNG without error, known without unfiltering it: a layout it reads,
 * scanlines that inflate to the size the header promises, and a known filter on every row (the one thing
 * unfiltering can fail on). For a caller that needs to know an image is sound but not its pixels.
 */
export function decodesFast(parts: PngParts): boolean {
  const scanlines = fastScanlines(parts);
  if (!scanlines) return false;
  const { channels, raw } = scanlines;
  const row = parts.width * channels + 1;
  for (let at = 0; at < parts.height * row; at += row) if (raw[at]! > 4) return false;
  return true;
}

/**
 * Sub and Up for RGBA rows already copied into place: each pixel (one 32-bit word) gets the word at `from`
 * (the previous pixel, or the pixel above) added byte by byte, starting at pixel `skip` of the row. The
 * byte lanes add without carries between them: the low 7 bits of each byte are added, the top bits xored.
 */
function addPixels(words: Int32Array, row: number, from: number, width: number, skip: number): void {
  for (let j = skip; j < width; j++) {
    const x = words[row + j]!;
    const y = words[from + j]!;
    words[row + j] = ((x & 0x7f7f7f7f) + (y & 0x7f7f7f7f)) ^ ((x ^ y) & 0x80808080);
  }
}

/**
 * Paeth for an RGBA row already copied into place (filtered), its prior row `prev` unfiltered. Per channel
 * the predictor is the left byte when the bytes above and above-left are equal, and the byte above when the
 * left and above-left ones are: on a plot's flat background and along its straight edges whole pixels
 * compare equal, so most pixels take one 32-bit add. Only the rest is predicted byte by byte.
 */
function paethPixels(words: Int32Array, bytes: Uint8Array, row: number, prev: number, width: number): void {
  // Without a left pixel, Paeth picks the one above.
  words[row] = addBytes(words[row]!, words[prev]!);
  for (let j = 1; j < width; j++) {
    const up = words[prev + j]!;
    const upLeft = words[prev + j - 1]!;
    if (up === upLeft) {
      words[row + j] = addBytes(words[row + j]!, words[row + j - 1]!);
    } else if (words[row + j - 1] === upLeft) {
      words[row + j] = addBytes(words[row + j]!, up);
    } else {
      const o = (row + j) * 4;
      const p = (prev + j) * 4;
      for (let k = 0; k < 4; k++) {
        const a = bytes[o + k - 4]!;
        const b = bytes[p + k]!;
        const c = bytes[p + k - 4]!;
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - c - c);
        bytes[o + k] = bytes[o + k]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
    }
  }
}

/** Two pixels added byte by byte, without carries between the bytes (see addPixels). */
function addBytes(x: number, y: number): number {
  return ((x & 0x7f7f7f7f) + (y & 0x7f7f7f7f)) ^ ((x ^ y) & 0x80808080);
}

/**
 * Undoes one row's PNG filter: the filter byte at raw[at], the row's bytes after it. The result goes to
 * out[o…], and the prior (already unfiltered) row is out[p…] (p < 0: the first row, whose prior is zeros).
 */
function unfilterRow(raw: Uint8Array, at: number, out: Uint8Array, o: number, p: number, stride: number, bpp: number): void {
  const filter = raw[at]!;
  const s = at + 1;
  switch (filter) {
    case 0:
      out.set(raw.subarray(s, s + stride), o);
      return;
    case 1:
      for (let i = 0; i < bpp; i++) out[o + i] = raw[s + i]!;
      for (let i = bpp; i < stride; i++) out[o + i] = (raw[s + i]! + out[o + i - bpp]!) & 255;
      return;
    case 2:
      if (p < 0) out.set(raw.subarray(s, s + stride), o);
      else for (let i = 0; i < stride; i++) out[o + i] = (raw[s + i]! + out[p + i]!) & 255;
      return;
    case 3:
      if (p < 0) {
        for (let i = 0; i < bpp; i++) out[o + i] = raw[s + i]!;
        for (let i = bpp; i < stride; i++) out[o + i] = (raw[s + i]! + (out[o + i - bpp]! >> 1)) & 255;
      } else {
        for (let i = 0; i < bpp; i++) out[o + i] = (raw[s + i]! + (out[p + i]! >> 1)) & 255;
        for (let i = bpp; i < stride; i++) out[o + i] = (raw[s + i]! + ((out[o + i - bpp]! + out[p + i]!) >> 1)) & 255;
      }
      return;
    case 4:
      if (p < 0) {
        // With a zero prior row, Paeth picks the left byte.
        for (let i = 0; i < bpp; i++) out[o + i] = raw[s + i]!;
        for (let i = bpp; i < stride; i++) out[o + i] = (raw[s + i]! + out[o + i - bpp]!) & 255;
      } else {
        // Without a left byte, Paeth picks the one above.
        for (let i = 0; i < bpp; i++) out[o + i] = (raw[s + i]! + out[p + i]!) & 255;
        for (let i = bpp; i < stride; i++) {
          const a = out[o + i - bpp]!;
          const b = out[p + i]!;
          const c = out[p + i - bpp]!;
          const pa = Math.abs(b - c);
          const pb = Math.abs(a - c);
          const pc = Math.abs(a + b - c - c);
          out[o + i] = (raw[s + i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
        }
      }
      return;
    default:
      throw new Error(`unknown PNG filter type ${filter} in row ${Math.floor(at / (stride + 1))}`);
  }
}

/** Row bytes from row[at…] in the PNG's layout (grey, grey+alpha, RGB, palette) to RGBA at out[o…]. */
function expandRow(row: Uint8Array, at: number, out: Uint8Array, o: number, width: number, colorType: number,
  palette: Uint8Array | undefined, alpha: Uint8Array | undefined): void {
  switch (colorType) {
    case 2:
      for (let x = 0, i = at; x < width; x++, i += 3) {
        out[o++] = row[i]!; out[o++] = row[i + 1]!; out[o++] = row[i + 2]!; out[o++] = 255;
      }
      return;
    case 0:
      for (let x = 0; x < width; x++) {
        const g = row[at + x]!;
        out[o++] = g; out[o++] = g; out[o++] = g; out[o++] = 255;
      }
      return;
    case 4:
      for (let x = 0; x < width; x++) {
        const g = row[at + x * 2]!;
        out[o++] = g; out[o++] = g; out[o++] = g; out[o++] = row[at + x * 2 + 1]!;
      }
      return;
    default: // 3: palette
      for (let x = 0; x < width; x++) {
        const idx = row[at + x]!;
        out[o++] = palette![idx * 3] ?? 0; out[o++] = palette![idx * 3 + 1] ?? 0; out[o++] = palette![idx * 3 + 2] ?? 0;
        out[o++] = alpha && idx < alpha.length ? alpha[idx]! : 255;
      }
  }
}
