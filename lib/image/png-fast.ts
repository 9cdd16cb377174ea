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

export function decodePngFast(bytes: Uint8Array): RgbaImage | undefined {
  if (bytes.length < 33) return undefined;
  for (let i = 0; i < 8; i++) if (bytes[i] !== SIGNATURE[i]) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let width = 0;
  let height = 0;
  let colorType = -1;
  let palette: Uint8Array | undefined;
  let alpha: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  for (let at = 8; at + 8 <= bytes.length;) {
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (data.length !== length) return undefined;
    if (type === 'IHDR') {
      width = view.getUint32(at + 8);
      height = view.getUint32(at + 12);
      const depth = bytes[at + 16];
      colorType = bytes[at + 17]!;
      const interlace = bytes[at + 20];
      if (depth !== 8 || interlace !== 0 || !(colorType in CHANNELS)) return undefined;
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') {
      if (colorType !== 3) return undefined;
      alpha = data;
    } else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (!width || !height || !idat.length || (colorType === 3 && !palette)) return undefined;
  const channels = CHANNELS[colorType]!;
  const stride = width * channels;
  let raw: Uint8Array;
  try {
    raw = inflateSync(idat.length === 1 ? idat[0]! : Buffer.concat(idat));
  } catch {
    return undefined;
  }
  if (raw.length < (stride + 1) * height) return undefined;
  unfilter(raw, stride, channels, height);
  return { width, height, data: toRgba(raw, width, height, stride, colorType, palette, alpha) };
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
