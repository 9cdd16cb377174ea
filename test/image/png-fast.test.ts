import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { decodePngFast } from '../../lib/image/png-fast.js';
import { scratch } from '../../lib/util/scratch.js';
import { CORPUS } from '../corpus/corpus.js';

function synth(width: number, height: number, opaque: boolean): PNG {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      png.data[i] = (x * 7 + y * 3) & 255;
      png.data[i + 1] = (x * y) & 255;
      png.data[i + 2] = (255 - x * 5) & 255;
      png.data[i + 3] = opaque ? 255 : (x + y * 11) & 255;
    }
  }
  return png;
}

/** A palette PNG (colour type 3) written by hand: pngjs reads them but cannot write them. */
function palettePng(width: number, height: number, filter: number, withAlpha: boolean): { bytes: Buffer; rgba: Uint8Array } {
  const colours = 5;
  const palette = Buffer.from(Array.from({ length: colours * 3 }, (_, i) => (i * 53) & 255));
  const alpha = Buffer.from([0, 128, 255]); // shorter than the palette: the rest is opaque
  const index = (x: number, y: number) => (x * 3 + y) % colours;
  const raw = Buffer.alloc(height * (width + 1));
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = filter;
    for (let x = 0; x < width; x++) {
      const i = index(x, y);
      // Filter 1 (Sub) stores each byte minus its left neighbour; filter 0 stores it as it is.
      raw[y * (width + 1) + 1 + x] = filter === 1 && x > 0 ? (i - index(x - 1, y)) & 255 : i;
      rgba.set([palette[i * 3]!, palette[i * 3 + 1]!, palette[i * 3 + 2]!, withAlpha && i < alpha.length ? alpha[i]! : 255], (y * width + x) * 4);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    return Buffer.concat([head, data, Buffer.alloc(4)]); // the CRC is not checked by either decoder
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 3, 0, 0, 0], 8);
  const bytes = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('PLTE', palette),
    ...(withAlpha ? [chunk('tRNS', alpha)] : []),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return { bytes, rgba };
}

describe('the PNG fast path', () => {
  for (const filter of [0, 1]) {
    for (const withAlpha of [false, true]) {
      it(`palette PNG, filter ${filter}${withAlpha ? ', with tRNS' : ''}: the palette's colours`, () => {
        const { bytes, rgba } = palettePng(9, 4, filter, withAlpha);
        const fast = decodePngFast(bytes);
        expect(fast).toBeDefined();
        expect(Buffer.from(fast!.data).equals(rgba)).toBe(true);
      });
    }
  }

  it('decodes into reused memory: images of other sizes leave nothing behind', () => {
    // Larger, smaller, larger again, all into one slot: each result must be exactly that image's pixels.
    const sizes = [[40, 30], [7, 5], [41, 31], [1, 1], [40, 30]] as const;
    for (const [i, [w, h]] of sizes.entries()) {
      for (const colorType of [2, 6] as const) {
        const bytes = PNG.sync.write(synth(w, h, colorType === 2), { colorType, filterType: i % 5, inputHasAlpha: true });
        const fast = decodePngFast(bytes, undefined, (n) => scratch(9, n));
        expect(fast!.data.length).toBe(w * h * 4);
        expect(Buffer.from(fast!.data).equals(PNG.sync.read(bytes).data)).toBe(true);
      }
    }
  });

  // pngjs writes colour types 0, 2, 4, 6 (depth 8) with any of the five filters; both decoders must agree.
  for (const colorType of [0, 2, 4, 6] as const) {
    for (const filterType of [0, 1, 2, 3, 4]) {
      it(`colour type ${colorType}, filter ${filterType}: same pixels as pngjs`, () => {
        const bytes = PNG.sync.write(synth(37, 23, colorType === 0 || colorType === 2), { colorType, filterType, inputHasAlpha: true });
        const fast = decodePngFast(bytes);
        expect(fast).toBeDefined();
        expect(Buffer.from(fast!.data).equals(PNG.sync.read(bytes).data)).toBe(true);
      });
    }
  }

  it('Paeth over flat areas, straight edges and noise (whole pixels or byte by byte): same pixels as pngjs', () => {
    // A plot's make-up: a flat background, solid bars (vertical and horizontal edges), a diagonal line,
    // semi-transparent pixels and a patch of noise, where neighbouring pixels are rarely equal.
    const png = new PNG({ width: 64, height: 48 });
    let seed = 7;
    const noise = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
    for (let y = 0; y < 48; y++) {
      for (let x = 0; x < 64; x++) {
        const i = (y * 64 + x) * 4;
        let px = [255, 255, 255, 255];
        if (x >= 5 && x < 20 && y >= 10) px = [31, 119, 180, 255];
        if (y >= 30 && y < 34) px = [255, 127, 14, 200];
        if (Math.abs(x - y) < 2) px = [44, 160, 44, 255];
        if (x >= 40 && y < 16) px = [noise(), noise(), noise(), noise()];
        png.data.set(px, i);
      }
    }
    const bytes = PNG.sync.write(png, { filterType: 4 });
    const fast = decodePngFast(bytes);
    expect(fast).toBeDefined();
    expect(Buffer.from(fast!.data).equals(PNG.sync.read(bytes).data)).toBe(true);
  });

  it('declines what it does not handle (16-bit) so that pngjs takes over', () => {
    const png = new PNG({ width: 4, height: 4, bitDepth: 16, colorType: 6, inputColorType: 6 });
    png.data = Buffer.alloc(4 * 4 * 8, 200);
    const bytes = PNG.sync.write(png, { bitDepth: 16, colorType: 6, inputColorType: 6, inputHasAlpha: true });
    expect(decodePngFast(bytes)).toBeUndefined();
    expect(decodePngFast(Buffer.from('not a png at all, just some text here'))).toBeUndefined();
  });

  it('agrees with pngjs on every plot of a real notebook', () => {
    const nb = JSON.parse(readFileSync(join(CORPUS, 'pairs/hml2-09-unsupervised-large-155-png/head.ipynb'), 'utf8'));
    let n = 0;
    for (const cell of nb.cells) {
      for (const o of cell.outputs ?? []) {
        const b64 = o.data?.['image/png'];
        if (!b64) continue;
        const bytes = Buffer.from(Array.isArray(b64) ? b64.join('') : b64, 'base64');
        const fast = decodePngFast(bytes);
        expect(fast).toBeDefined();
        expect(Buffer.from(fast!.data).equals(PNG.sync.read(bytes).data)).toBe(true);
        n++;
      }
    }
    expect(n).toBeGreaterThan(100);
  });
});
