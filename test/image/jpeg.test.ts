import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compareImages, defaultImageOptions } from '../../lib/diff/image.js';
import { decodeRgba, MAX_PIXELS } from '../../lib/image/decode.js';
import { readHeader } from '../../lib/image/header.js';
import { decodeJpeg } from '../../lib/image/jpeg.js';

const UNIT = join(import.meta.dirname, '../../fixtures/unit');

/** A smooth, photo-like RGB image (JPEG's own case), opaque. */
function photo(width: number, height: number): Uint8Array {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = Math.round(128 + 100 * Math.sin(x / 9));
      data[i + 1] = Math.round(128 + 100 * Math.cos(y / 7));
      data[i + 2] = Math.round((x + y) * 255 / (width + height));
      data[i + 3] = 255;
    }
  }
  return data;
}

const encode = (data: Uint8Array, width: number, height: number, quality = 95) =>
  Buffer.from(jpeg.encode({ width, height, data: Buffer.from(data) }, quality).data);

describe('JPEG decoding', () => {
  afterEach(() => vi.restoreAllMocks());

  it('gives RGBA close to what was encoded, opaque, row by row', () => {
    const original = photo(120, 80);
    const image = decodeJpeg(encode(original, 120, 80), MAX_PIXELS);
    expect([image.width, image.height, image.data.length]).toEqual([120, 80, 120 * 80 * 4]);
    expect(image.data).toBeInstanceOf(Uint8Array);
    let error = 0;
    let alpha = 0;
    for (let i = 0; i < original.length; i += 4) {
      for (let c = 0; c < 3; c++) error += Math.abs(image.data[i + c]! - original[i + c]!);
      if (image.data[i + 3] !== 255) alpha++;
    }
    expect(alpha).toBe(0);
    // Quality 95 on a smooth image: off by about a level per channel on average.
    expect(error / (120 * 80 * 3)).toBeLessThan(3);
  });

  it('reads CMYK JPEGs (which libjpeg will not turn into RGB) and compares them', () => {
    const a = readFileSync(join(UNIT, 'cmyk-a.jpg'));
    const b = readFileSync(join(UNIT, 'cmyk-b.jpg'));
    const decoded = decodeRgba(a, readHeader(a));
    if ('error' in decoded) throw new Error(decoded.error);
    const at = (x: number, y: number) => [...decoded.image.data.subarray((y * 48 + x) * 4, (y * 48 + x) * 4 + 4)];
    // A red square (#c02020) from (8, 8) to (23, 23) on white.
    for (const [channel, want] of at(15, 15).entries()) expect(Math.abs(want - [192, 32, 32, 255][channel]!)).toBeLessThanOrEqual(4);
    expect(at(40, 28)).toEqual([255, 255, 255, 255]);

    // b has the square 16 px to the right: two 16×16 areas differ.
    const moved = compareImages('image/jpeg', a.toString('base64'), b.toString('base64'), defaultImageOptions);
    expect(moved.comparison.error).toBeUndefined();
    expect(moved.comparison.totalPixels).toBe(48 * 32);
    expect(moved.comparison.changedPixels).toBeGreaterThanOrEqual(2 * 14 * 14);
    expect(moved.comparison.changedPixels).toBeLessThanOrEqual(2 * 18 * 18);
  });

  it("gives libjpeg's reason for a JPEG no decoder can read, quietly, and decodes the next one", () => {
    const stderr = vi.spyOn(process.stderr, 'write');
    const warn = vi.spyOn(console, 'warn');
    const error = vi.spyOn(console, 'error');
    const good = encode(photo(40, 30), 40, 30);
    // A valid frame header, then a Huffman table whose code counts are all 255.
    const broken = Buffer.from(good);
    const table = broken.indexOf(Buffer.from([0xff, 0xc4]));
    broken.fill(0xff, table + 5, table + 5 + 16);
    expect(readHeader(broken)).toEqual({ kind: 'jpeg', width: 40, height: 30 });
    expect(() => decodeJpeg(broken, MAX_PIXELS)).toThrow(/^Bogus Huffman table definition$/);
    // In a diff: compared by bytes, with the reason.
    const compared = compareImages('image/jpeg', good.toString('base64'), broken.toString('base64'), defaultImageOptions);
    expect(compared.comparison).toMatchObject({ error: 'head: JPEG: Bogus Huffman table definition', changedPixels: 40 * 30 });
    // libjpeg's fatal errors end in an exception inside the WebAssembly module; it goes on working.
    expect(decodeJpeg(good, MAX_PIXELS).width).toBe(40);
    expect([stderr, warn, error].map((spy) => spy.mock.calls.length)).toEqual([0, 0, 0]);
  });

  it('decodes a truncated JPEG as far as it goes, as a browser shows it', () => {
    const full = encode(photo(64, 64), 64, 64, 90);
    const whole = decodeJpeg(full, MAX_PIXELS);
    const cut = decodeJpeg(full.subarray(0, Math.floor(full.length * 0.6)), MAX_PIXELS);
    expect([cut.width, cut.height]).toEqual([64, 64]);
    // The first rows of blocks arrived whole; the last did not.
    expect(Buffer.from(cut.data.subarray(0, 64 * 8 * 4)).equals(Buffer.from(whole.data.subarray(0, 64 * 8 * 4)))).toBe(true);
    expect(Buffer.from(cut.data.subarray(-64 * 8 * 4)).equals(Buffer.from(whole.data.subarray(-64 * 8 * 4)))).toBe(false);
  });
});
