import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodePngFast } from '../../lib/image/png-fast.js';
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

describe('the PNG fast path', () => {
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
