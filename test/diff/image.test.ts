import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import jpeg from 'jpeg-js';
import { PNG, type PackerOptions } from 'pngjs';
import { describe, expect, it } from 'vitest';
import {
  compareImages,
  defaultImageOptions,
  imageInfo,
  isRasterMime,
  type ImageOptions,
} from '../../lib/diff/image.js';
import { base64ByteLength } from '../../lib/image/base64.js';
import { joinMultiline } from '../../lib/util/text.js';

// ─── Synthesized images ──────────────────────────────────────────────────────────────────────────────

type Rgba = [number, number, number, number];
type PixelFn = (x: number, y: number) => Rgba;

function rgbaBuffer(width: number, height: number, pixel: PixelFn): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(pixel(x, y), (y * width + x) * 4);
  }
  return data;
}

/** PNG written by pngjs from RGBA pixels (colour type, filter, deflate level as asked). */
function pngjsPng(width: number, height: number, pixel: PixelFn, options: PackerOptions = {}): Buffer {
  const png = new PNG({ width, height });
  png.data = rgbaBuffer(width, height, pixel);
  return PNG.sync.write(png, options);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

const ADAM7: [number, number, number, number][] = [
  [0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2],
];

/**
 * A PNG written by hand, for what pngjs cannot write: palette images, 16-bit samples, Adam7 interlacing,
 * extra chunks. `samples(x, y)` gives the pixel's samples in the colour type's order (a palette index for 3).
 */
function handPng(o: {
  width: number;
  height: number;
  colorType: 0 | 2 | 3 | 4 | 6;
  bitDepth?: 8 | 16;
  interlace?: boolean;
  samples: (x: number, y: number) => number[];
  before?: Buffer[];
  after?: Buffer[];
}): Buffer {
  const depth = o.bitDepth ?? 8;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(o.width, 0);
  ihdr.writeUInt32BE(o.height, 4);
  ihdr.set([depth, o.colorType, 0, 0, o.interlace ? 1 : 0], 8);
  const rows: number[] = [];
  const passes = o.interlace ? ADAM7 : [[0, 0, 1, 1] as [number, number, number, number]];
  for (const [x0, y0, dx, dy] of passes) {
    if (x0 >= o.width || y0 >= o.height) continue; // an empty pass has no scanlines at all
    for (let y = y0; y < o.height; y += dy) {
      rows.push(0); // filter type None
      for (let x = x0; x < o.width; x += dx) {
        for (const s of o.samples(x, y)) {
          if (depth === 16) rows.push(s >> 8, s & 0xff);
          else rows.push(s);
        }
      }
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    ...(o.before ?? []),
    chunk('IDAT', zlib.deflateSync(Buffer.from(rows))),
    ...(o.after ?? []),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A small plot-like picture: white, a black frame, a blue curve, a half-transparent orange patch. */
const PALETTE: Rgba[] = [[255, 255, 255, 255], [0, 0, 0, 255], [31, 119, 180, 255], [255, 127, 14, 128]];
function plotIndex(x: number, y: number): number {
  if (x === 0 || y === 0 || x === 23 || y === 17) return 1;
  if (Math.abs(y - (9 + Math.round(5 * Math.sin(x / 3)))) < 1) return 2;
  if (x >= 15 && x < 20 && y >= 3 && y < 7) return 3;
  return 0;
}
const plot: PixelFn = (x, y) => PALETTE[plotIndex(x, y)]!;
const W = 24;
const H = 18;

const b64 = (bytes: Buffer): string => bytes.toString('base64');

/** A PNG (one IDAT, as pngjs writes) with its inflated scanlines changed by `edit`, checksums redone. */
function withScanlines(png: Buffer, edit: (raw: Buffer) => void): Buffer {
  const at = png.indexOf('IDAT') - 4;
  const length = png.readUInt32BE(at);
  const raw = zlib.inflateSync(png.subarray(at + 8, at + 8 + length));
  edit(raw);
  const data = zlib.deflateSync(raw);
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('IDAT', 4, 'latin1');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(zlib.crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return Buffer.concat([png.subarray(0, at), chunk, png.subarray(at + 12 + length)]);
}
const png = (o: ImageOptions = defaultImageOptions) => (base: Buffer, head: Buffer) =>
  compareImages('image/png', b64(base), b64(head), o);

/** Solid grey 100×100 with, optionally, a red 10×10 square at (40, 40). */
function squareImage(withSquare: boolean, grey = 200): PixelFn {
  return (x, y) =>
    withSquare && x >= 40 && x < 50 && y >= 40 && y < 50 ? [220, 30, 30, 255] : [grey, grey, grey, 255];
}

// ─── Re-encoded: same pixels, other bytes ────────────────────────────────────────────────────────────

describe('compareImages: pixel-identical re-encodes', () => {
  const reference = pngjsPng(W, H, plot);

  const variants: [string, Buffer][] = [
    ['another deflate level', pngjsPng(W, H, plot, { deflateLevel: 0 })],
    ['another filter type', pngjsPng(W, H, plot, { filterType: 4 })],
    [
      'a palette with tRNS',
      handPng({
        width: W,
        height: H,
        colorType: 3,
        samples: (x, y) => [plotIndex(x, y)],
        before: [
          chunk('PLTE', Buffer.from(PALETTE.flatMap(([r, g, b]) => [r, g, b]))),
          chunk('tRNS', Buffer.from(PALETTE.map(([, , , a]) => a))),
        ],
      }),
    ],
    ['16-bit samples', handPng({ width: W, height: H, colorType: 6, bitDepth: 16, samples: (x, y) => plot(x, y).map((v) => v * 257) })],
    ['Adam7 interlacing', handPng({ width: W, height: H, colorType: 6, interlace: true, samples: plot })],
    [
      'metadata chunks',
      handPng({
        width: W,
        height: H,
        colorType: 6,
        samples: plot,
        before: [chunk('tEXt', Buffer.from('Software\0matplotlib version 3.8.0', 'latin1'))],
        after: [chunk('tEXt', Buffer.from('Comment\0re-saved', 'latin1'))],
      }),
    ],
  ];

  it.each(variants)('%s: reencoded, not significant', (_name, variant) => {
    expect(b64(variant)).not.toBe(b64(reference));
    const { comparison, significant } = png()(reference, variant);
    expect(comparison).toEqual({
      format: 'png',
      base: { width: W, height: H, bytes: reference.length },
      head: { width: W, height: H, bytes: variant.length },
      changedPixels: 0,
      totalPixels: W * H,
      sizeChanged: false,
      reencoded: true,
    });
    expect(significant).toBe(false);
  });

  it('opaque RGB against RGBA, and grey against RGBA: reencoded', () => {
    const opaque: PixelFn = (x, y) => (plotIndex(x, y) === 3 ? [255, 127, 14, 255] : plot(x, y));
    const rgb = pngjsPng(W, H, opaque, { colorType: 2 });
    const r1 = png()(pngjsPng(W, H, opaque, { colorType: 6 }), rgb);
    expect([r1.comparison.reencoded, r1.significant]).toEqual([true, false]);

    const grey: PixelFn = (x, y) => [x * 10, x * 10, x * 10, 255];
    const g = handPng({ width: W, height: H, colorType: 0, samples: (x) => [x * 10] });
    const r2 = png()(pngjsPng(W, H, grey), g);
    expect([r2.comparison.reencoded, r2.significant]).toEqual([true, false]);

    const greyAlpha: PixelFn = (x, y) => [x * 10, x * 10, x * 10, y * 15];
    const ga = handPng({ width: W, height: H, colorType: 4, samples: (x, y) => [x * 10, y * 15] });
    const r3 = png()(pngjsPng(W, H, greyAlpha), ga);
    expect([r3.comparison.reencoded, r3.significant]).toEqual([true, false]);
  });

  it('a one-sample difference is not a re-encode', () => {
    const off: PixelFn = (x, y) => (x === 5 && y === 5 ? [254, 255, 255, 255] : plot(x, y));
    const { comparison, significant } = png()(reference, pngjsPng(W, H, off));
    expect(comparison.reencoded).toBe(false);
    // Far below pixelmatch's threshold: visually unchanged.
    expect(comparison.changedPixels).toBe(0);
    expect(significant).toBe(false);
  });
});

// ─── Changed pixels ──────────────────────────────────────────────────────────────────────────────────

describe('compareImages: changed pixels', () => {
  const plain = pngjsPng(100, 100, squareImage(false));
  const square = pngjsPng(100, 100, squareImage(true));

  it('counts a 10×10 changed square as 100 pixels of 10 000', () => {
    const { comparison, significant } = png()(plain, square);
    expect(comparison).toMatchObject({
      changedPixels: 100,
      totalPixels: 10_000,
      sizeChanged: false,
      reencoded: false,
    });
    expect(comparison.mask).toBeUndefined();
    expect(comparison.error).toBeUndefined();
    expect(significant).toBe(true);
  });

  it('ignores colour changes below the per-pixel threshold', () => {
    const { comparison, significant } = png()(plain, pngjsPng(100, 100, squareImage(false, 203)));
    expect(comparison).toMatchObject({ changedPixels: 0, totalPixels: 10_000, reencoded: false });
    expect(significant).toBe(false);
    // The same change counts once the threshold is tight enough.
    const strict = png({ ...defaultImageOptions, threshold: 0.001 })(plain, pngjsPng(100, 100, squareImage(false, 203)));
    expect(strict.comparison.changedPixels).toBe(10_000);
    expect(strict.significant).toBe(true);
  });

  it('ignores anti-aliasing: an edge that gained a grey half-pixel column is unchanged', () => {
    const bar = (aa: boolean): PixelFn => (x) =>
      x >= 40 && x < 60 ? [0, 0, 0, 255] : aa && x === 60 ? [128, 128, 128, 255] : [255, 255, 255, 255];
    const { comparison, significant } = png()(pngjsPng(100, 100, bar(false)), pngjsPng(100, 100, bar(true)));
    expect(comparison).toMatchObject({ changedPixels: 0, reencoded: false });
    expect(significant).toBe(false);
  });

  it('applies the tolerance to the changed fraction (1 % here), strictly', () => {
    const at = (tolerance: number) => png({ ...defaultImageOptions, tolerance })(plain, square).significant;
    expect(at(0.02)).toBe(false);
    expect(at(0.01)).toBe(false);
    expect(at(0.009)).toBe(true);
    expect(at(0)).toBe(true);
  });

  it('counts the pixels only the larger image covers and always calls a size change significant', () => {
    const taller = pngjsPng(100, 120, (x, y) => (y < 100 ? squareImage(false)(x, y) : [255, 255, 255, 255]));
    const r = png({ ...defaultImageOptions, tolerance: 0.5 })(plain, taller);
    expect(r.comparison).toMatchObject({
      base: { width: 100, height: 100 },
      head: { width: 100, height: 120 },
      changedPixels: 2000,
      totalPixels: 12_000,
      sizeChanged: true,
      reencoded: false,
    });
    expect(r.significant).toBe(true);

    // Wider base, taller head: the canvas is the union, 120×110.
    const wide = pngjsPng(120, 100, (x, y) => (x < 100 ? squareImage(false)(x, y) : [0, 0, 0, 255]));
    const tall = pngjsPng(100, 110, (x, y) => (y < 100 ? squareImage(false)(x, y) : [0, 0, 0, 255]));
    const u = png()(wide, tall);
    expect(u.comparison.totalPixels).toBe(120 * 110);
    expect(u.comparison.changedPixels).toBe(20 * 100 + 100 * 10);

    // Growing by transparent pixels changes nothing visible, but the size still changed.
    const clear = pngjsPng(100, 120, (x, y) => (y < 100 ? squareImage(false)(x, y) : [0, 0, 0, 0]));
    const t = png()(plain, clear);
    expect(t.comparison).toMatchObject({ changedPixels: 0, sizeChanged: true, reencoded: false });
    expect(t.significant).toBe(true);
  });

  it('without countResized, counts every pixel of a resized image, draws no mask, and still reports one it cannot decode', () => {
    const quick = { ...defaultImageOptions, mask: true, countResized: false };
    const taller = pngjsPng(100, 120, (x, y) => (y < 100 ? squareImage(false)(x, y) : [255, 255, 255, 255]));
    const r = png(quick)(plain, taller);
    expect(r.comparison).toEqual({
      format: 'png', base: r.comparison.base, head: r.comparison.head,
      changedPixels: 12_000, totalPixels: 12_000, sizeChanged: true, reencoded: false,
    });
    expect([r.comparison.base.height, r.comparison.head.height, r.significant]).toEqual([100, 120, true]);
    // Same-size images are compared as ever.
    expect(png(quick)(plain, square).comparison).toMatchObject({ changedPixels: 100, sizeChanged: false });
    expect(png(quick)(plain, square).comparison.mask).toBeDefined();
    // A resized image whose data is broken (header intact, IDAT cut) is reported as such, as with counting.
    const broken = Buffer.concat([taller.subarray(0, 60), taller.subarray(taller.length - 12)]);
    const counted = png()(plain, broken).comparison;
    expect(counted.error).toMatch(/^head: /);
    expect(png(quick)(plain, broken).comparison.error).toBe(counted.error);
    // So is one whose data inflates but holds an unknown row filter (9 on row 7).
    const badFilter = withScanlines(taller, (raw) => { raw[7 * (100 * 4 + 1)] = 9; });
    const refused = png()(plain, badFilter).comparison;
    expect(refused.error).toBe('head: PNG: unknown PNG filter type 9 in row 7');
    expect(png(quick)(plain, badFilter).comparison).toEqual(refused);
  });

  it('compares JPEGs: a COM segment is a re-encode, a new square is a change found inside the square', () => {
    const encode = (pixel: PixelFn, comments?: string[]) =>
      b64(jpeg.encode({ width: 100, height: 100, data: rgbaBuffer(100, 100, pixel), ...(comments ? { comments } : {}) }, 90).data);
    const base = encode(squareImage(false));
    const commented = encode(squareImage(false), ['saved again']);
    expect(commented).not.toBe(base);
    const same = compareImages('image/jpeg', base, commented, defaultImageOptions);
    expect(same.comparison).toMatchObject({ format: 'jpeg', reencoded: true, changedPixels: 0 });
    expect(same.significant).toBe(false);

    const changed = compareImages('image/jpeg', base, encode(squareImage(true)), { ...defaultImageOptions, mask: true });
    expect(changed.comparison).toMatchObject({ format: 'jpeg', reencoded: false, totalPixels: 10_000 });
    expect(changed.significant).toBe(true);
    // Ringing around the square stays below the threshold, and blurred edge pixels may pass for anti-aliasing:
    // what counts is most of the square and nothing outside it.
    const mask = PNG.sync.read(Buffer.from(changed.comparison.mask!, 'base64'));
    const outside: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const [x, y] = [i % 100, Math.floor(i / 100)];
      if (mask.data[i * 4 + 3] !== 0 && !(x >= 40 && x < 50 && y >= 40 && y < 50)) outside.push(i);
    }
    expect(outside).toEqual([]);
    expect(changed.comparison.changedPixels).toBeGreaterThanOrEqual(80);
    expect(changed.comparison.changedPixels).toBeLessThanOrEqual(100);
  });

  it('tolerates base64 wrapped in lines and ending in a newline', () => {
    const wrap = (b: Buffer) => b64(b).replace(/.{76}/g, '$&\n') + '\n';
    const wrapped = compareImages('image/png', wrap(plain), wrap(square), defaultImageOptions);
    expect(wrapped).toEqual(png()(plain, square));
    expect(wrapped.comparison.base.bytes).toBe(plain.length);
  });
});

// ─── The mask ────────────────────────────────────────────────────────────────────────────────────────

describe('compareImages: mask', () => {
  const withMask = { ...defaultImageOptions, mask: true };

  it('is a canvas-sized PNG, red exactly where pixels changed and transparent elsewhere', () => {
    const base = pngjsPng(100, 100, squareImage(false));
    const head = pngjsPng(100, 110, (x, y) => (y < 100 ? squareImage(true)(x, y) : [0, 0, 0, 255]));
    const { comparison } = png(withMask)(base, head);
    const mask = PNG.sync.read(Buffer.from(comparison.mask!, 'base64'));
    expect([mask.width, mask.height]).toEqual([100, 110]);
    let red = 0;
    for (let y = 0; y < 110; y++) {
      for (let x = 0; x < 100; x++) {
        const i = (y * 100 + x) * 4;
        const changed = (x >= 40 && x < 50 && y >= 40 && y < 50) || y >= 100;
        expect([...mask.data.subarray(i, i + 4)]).toEqual(changed ? [255, 0, 0, 255] : [0, 0, 0, 0]);
        if (changed) red++;
      }
    }
    expect(comparison.changedPixels).toBe(red);
  });

  it('is left out unless asked for, and for pixel-identical re-encodes', () => {
    const a = pngjsPng(W, H, plot);
    const b = pngjsPng(W, H, plot, { deflateLevel: 1 });
    expect(png(withMask)(a, b).comparison.mask).toBeUndefined();
    const c = pngjsPng(W, H, (x, y) => (x < 5 ? [0, 0, 0, 255] : plot(x, y)));
    expect(png()(a, c).comparison.mask).toBeUndefined();
    expect(png(withMask)(a, c).comparison.mask).toMatch(/^iVBORw0KGgo/);
  });
});

// ─── Images that cannot be decoded ───────────────────────────────────────────────────────────────────

describe('compareImages: undecodable images fall back to bytes', () => {
  const good = pngjsPng(100, 100, squareImage(false));

  it('reports text that is not an image, without throwing', () => {
    const r = compareImages('image/png', 'bm90IGFuIGltYWdl', 'YWxzbyBub3Q=', defaultImageOptions);
    expect(r.comparison).toMatchObject({
      format: 'png',
      base: { width: 0, height: 0, bytes: 12 },
      head: { width: 0, height: 0, bytes: 8 },
      changedPixels: 0,
      totalPixels: 0,
      sizeChanged: false,
      reencoded: false,
    });
    expect(r.comparison.error).toMatch(/^base: .*; head: /);
    expect(r.significant).toBe(true);
  });

  it('reads the size of a PNG whose data is broken and counts every pixel as changed', () => {
    const broken = Buffer.from(good);
    broken.fill(0x41, 60, broken.length - 20); // inside IDAT: CRC and zlib stream both wrong
    const r = png()(good, broken);
    expect(r.comparison).toMatchObject({
      head: { width: 100, height: 100, bytes: good.length },
      changedPixels: 10_000,
      totalPixels: 10_000,
      sizeChanged: false,
      reencoded: false,
    });
    expect(r.comparison.error).toMatch(/^head: PNG: /);
    expect(r.significant).toBe(true);

    const truncated = png()(good, good.subarray(0, 40));
    expect(truncated.comparison.error).toMatch(/^head: PNG: /);
    expect(truncated.comparison.head).toEqual({ width: 100, height: 100, bytes: 40 });
  });

  it('refuses a header claiming more pixels than the limit before decoding anything', () => {
    const huge = Buffer.from(good);
    huge.writeUInt32BE(100_000, 16);
    huge.writeUInt32BE(100_000, 20);
    const r = png()(good, huge);
    expect(r.comparison.error).toMatch(/^head: 100000×100000 is larger than/);
    expect(r.comparison.totalPixels).toBe(100_000 * 100_000);
  });

  it('compares GIFs by bytes, with sizes from their headers', () => {
    const gif = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
    const bigger = Buffer.from(gif);
    bigger.writeUInt16LE(3, 6);
    bigger.writeUInt16LE(2, 8);
    expect(isRasterMime('image/gif')).toBe(true);
    const r = compareImages('image/gif', b64(gif), b64(bigger), defaultImageOptions);
    expect(r.comparison).toMatchObject({
      format: 'gif',
      base: { width: 1, height: 1, bytes: gif.length },
      head: { width: 3, height: 2, bytes: gif.length },
      changedPixels: 6,
      totalPixels: 6,
      sizeChanged: true,
      reencoded: false,
      error: 'GIF images are compared by bytes, not pixels',
    });
    expect(r.significant).toBe(true);
  });
});

// ─── Sizes from headers ──────────────────────────────────────────────────────────────────────────────

describe('imageInfo', () => {
  it('reads PNG, JPEG and GIF headers and the decoded byte size', () => {
    const p = pngjsPng(123, 45, () => [1, 2, 3, 255]);
    expect(imageInfo('image/png', b64(p))).toEqual({ width: 123, height: 45, bytes: p.length });

    const j = jpeg.encode({ width: 70, height: 33, data: rgbaBuffer(70, 33, () => [9, 9, 9, 255]), comments: ['c'] }, 80).data;
    expect(imageInfo('image/jpeg', b64(j))).toEqual({ width: 70, height: 33, bytes: j.length });

    const g = Buffer.from('R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');
    g.writeUInt16LE(640, 6);
    g.writeUInt16LE(480, 8);
    expect(imageInfo('image/gif', b64(g))).toEqual({ width: 640, height: 480, bytes: g.length });
  });

  it('finds a JPEG frame header behind a large segment, and in wrapped base64', () => {
    const j = jpeg.encode({ width: 40, height: 30, data: rgbaBuffer(40, 30, () => [9, 9, 9, 255]) }, 80).data;
    const com = Buffer.alloc(4 + 60_000, 0x20);
    com.set([0xff, 0xfe], 0);
    com.writeUInt16BE(2 + 60_000, 2);
    const big = Buffer.concat([j.subarray(0, 2), com, com, j.subarray(2)]);
    const wrapped = b64(big).replace(/.{76}/g, '$&\n') + '\n';
    expect(imageInfo('image/jpeg', wrapped)).toEqual({ width: 40, height: 30, bytes: big.length });
    // jpeg-js agrees that this is a valid JPEG.
    expect(jpeg.decode(big, { useTArray: true }).width).toBe(40);
  });

  it('is undefined for unreadable payloads', () => {
    expect(imageInfo('image/png', '')).toBeUndefined();
    expect(imageInfo('image/png', 'bm90IGFuIGltYWdl')).toBeUndefined();
    expect(imageInfo('image/png', pngjsPng(5, 5, () => [0, 0, 0, 0]).subarray(0, 20).toString('base64'))).toBeUndefined();
    // A JPEG that ends before its frame header.
    expect(imageInfo('image/jpeg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]).toString('base64'))).toBeUndefined();
  });
});

describe('base64ByteLength', () => {
  it('agrees with Buffer.from for padding, whitespace, URL-safe symbols and junk', () => {
    const cases = ['', 'QQ', 'QUI', 'QUJD', 'QUJDRA==', 'QUJDRA==\n', 'QU JD\r\nRA', 'QUI=QUJD', 'a-_b', 'QU!JD*', '\n\n'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = 'ABCxyz019+/-_= \n\r\t!';
    for (let i = 0; i < 300; i++) {
      cases.push(Array.from({ length: Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    }
    for (const s of cases) expect([s, base64ByteLength(s)]).toEqual([s, Buffer.from(s, 'base64').length]);
  });
});

describe('isRasterMime', () => {
  it('accepts PNG, JPEG and GIF only', () => {
    expect(['image/png', 'image/jpeg', 'image/gif', 'IMAGE/PNG'].map(isRasterMime)).toEqual([true, true, true, true]);
    expect(['image/svg+xml', 'image/webp', 'text/plain', 'image/png+x', ''].map(isRasterMime)).toEqual([false, false, false, false, false]);
  });
});

// ─── A real notebook pair ────────────────────────────────────────────────────────────────────────────

// The corpus sits beside the repository (shared/), not in it. CI always has it: there a missing corpus fails.
const corpusDir = fileURLToPath(new URL('../../../shared/corpus/pairs/hml2-tools_matplotlib-43-png-rerendered/', import.meta.url));

describe.skipIf(!existsSync(corpusDir) && !process.env.CI)('corpus: hml2-tools_matplotlib-43-png-rerendered', () => {
  const dir = corpusDir;
  type RawCell = { cell_type: string; outputs?: { data?: Record<string, unknown> }[] };
  const cells = (file: string): RawCell[] => (JSON.parse(readFileSync(dir + file, 'utf8')) as { cells: RawCell[] }).cells;
  const pngs = (cell: RawCell | undefined): string[] =>
    cell?.cell_type !== 'code'
      ? []
      : (cell.outputs ?? []).flatMap((o) => {
          const p = joinMultiline(o.data?.['image/png']);
          return p === undefined ? [] : [p];
        });

  it('re-rendered every plot with a newer matplotlib: 44 real changes, no pixel-identical re-encodes', () => {
    const base = cells('base.ipynb');
    const head = cells('head.ipynb');
    const results: { cell: number; comparison: ReturnType<typeof compareImages>['comparison']; significant: boolean }[] = [];
    for (let i = 0; i < Math.min(base.length, head.length); i++) {
      const b = pngs(base[i]);
      const h = pngs(head[i]);
      for (let k = 0; k < Math.min(b.length, h.length); k++) {
        if (b[k] !== h[k]) results.push({ cell: i, ...compareImages('image/png', b[k]!, h[k]!, defaultImageOptions) });
      }
    }
    expect(results).toHaveLength(44);
    for (const r of results) {
      expect(r.comparison.error).toBeUndefined();
      expect(r.comparison.reencoded).toBe(false);
      expect(r.significant).toBe(true);
      // Even the least changed plot (cell 84, the same parabola in matplotlib 2+ style) differs in 2 % of its pixels.
      expect(r.comparison.changedPixels / r.comparison.totalPixels).toBeGreaterThan(0.02);
    }
    // Tight bounding boxes moved by a few pixels: all but one plot changed size.
    const sameSize = results.filter((r) => !r.comparison.sizeChanged);
    expect(sameSize.map((r) => r.cell)).toEqual([62]);
    // The polar plot kept its 277×269 size, but the new r-axis redrew its curves: over 10 % of pixels.
    expect(sameSize[0]!.comparison).toMatchObject({ base: { width: 277, height: 269 }, head: { width: 277, height: 269 } });
    expect(sameSize[0]!.comparison.changedPixels / sameSize[0]!.comparison.totalPixels).toBeGreaterThan(0.1);
  });
});
