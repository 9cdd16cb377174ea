/**
 * A fast path for the PNGs notebooks are full of (matplotlib writes 8-bit RGBA, non-interlaced): inflate
 * with zlib in one call and undo the row filters in one tight loop, straight into RGBA. pngjs does the
 * same through streams and per-pixel mapper callbacks, about twice as slowly, and a notebook diff may
 * decode hundreds of plots. Anything else (interlaced, 16-bit, sub-byte depths, tRNS on grey or RGB) returns
 * undefined, and the caller falls back to pngjs.
 */
import { inflateSync } from 'node:zlib';
import type { RgbaImage } from './decode.js';

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
      parts.raw = inflateSync(parts.idat.length === 1 ? parts.idat[0]! : Buffer.concat(parts.idat));
    } catch {
      parts.raw = null;
    }
  }
  return parts.raw;
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

export function decodePngFast(bytes: Uint8Array, parts: PngParts | undefined = pngParts(bytes)): RgbaImage | undefined {
  if (!parts) return undefined;
  const { width, height, depth, colorType, interlace, palette } = parts;
  if (depth !== 8 || interlace !== 0 || !(colorType in CHANNELS)) return undefined;
  if (parts.alpha && colorType !== 3) return undefined;
  if (colorType === 3 && !palette) return undefined;
  const channels = CHANNELS[colorType]!;
  const stride = width * channels;
  const inflated = inflatePng(parts);
  if (!inflated || inflated.length < (stride + 1) * height) return undefined;
  // Unfiltering works in place: copy first, the scanlines may still be compared by samePngPixels.
  const raw = new Uint8Array(inflated);
  unfilter(raw, stride, channels, height);
  return { width, height, data: toRgba(raw, width, height, stride, colorType, palette, parts.alpha) };
}

/** Undoes PNG's per-row filters in place; row r's bytes start at r·(stride+1)+1. */
function unfilter(raw: Uint8Array, stride: number, bpp: number, height: number): void {
  for (let r = 0; r < height; r++) {
    const start = r * (stride + 1) + 1;
    const prev = start - stride - 1; // previous row's first byte (invalid for r = 0)
    const filter = raw[start - 1];
    const end = start + stride;
    switch (filter) {
      case 0: break;
      case 1:
        for (let i = start + bpp; i < end; i++) raw[i] = (raw[i]! + raw[i - bpp]!) & 255;
        break;
      case 2:
        if (r > 0) for (let i = start; i < end; i++) raw[i] = (raw[i]! + raw[prev + i - start]!) & 255;
        break;
      case 3:
        for (let i = start; i < end; i++) {
          const left = i - start >= bpp ? raw[i - bpp]! : 0;
          const up = r > 0 ? raw[prev + i - start]! : 0;
          raw[i] = (raw[i]! + ((left + up) >> 1)) & 255;
        }
        break;
      case 4:
        for (let i = start; i < end; i++) {
          const hasLeft = i - start >= bpp;
          const a = hasLeft ? raw[i - bpp]! : 0;
          const b = r > 0 ? raw[prev + i - start]! : 0;
          const c = hasLeft && r > 0 ? raw[prev + i - start - bpp]! : 0;
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          raw[i] = (raw[i]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
        }
        break;
      default:
        throw new Error(`unknown PNG filter type ${filter} in row ${r}`);
    }
  }
}

function toRgba(raw: Uint8Array, width: number, height: number, stride: number, colorType: number,
  palette: Uint8Array | undefined, alpha: Uint8Array | undefined): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  let o = 0;
  for (let r = 0; r < height; r++) {
    const start = r * (stride + 1) + 1;
    if (colorType === 6) {
      out.set(raw.subarray(start, start + stride), o);
      o += stride;
      continue;
    }
    for (let x = 0; x < width; x++) {
      switch (colorType) {
        case 2: {
          const i = start + x * 3;
          out[o++] = raw[i]!; out[o++] = raw[i + 1]!; out[o++] = raw[i + 2]!; out[o++] = 255;
          break;
        }
        case 0: {
          const g = raw[start + x]!;
          out[o++] = g; out[o++] = g; out[o++] = g; out[o++] = 255;
          break;
        }
        case 4: {
          const g = raw[start + x * 2]!;
          out[o++] = g; out[o++] = g; out[o++] = g; out[o++] = raw[start + x * 2 + 1]!;
          break;
        }
        default: { // 3: palette
          const idx = raw[start + x]!;
          out[o++] = palette![idx * 3] ?? 0; out[o++] = palette![idx * 3 + 1] ?? 0; out[o++] = palette![idx * 3 + 2] ?? 0;
          out[o++] = alpha && idx < alpha.length ? alpha[idx]! : 255;
        }
      }
    }
  }
  return out;
}
