import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSides } from '../../cli/diff-sides.js';
import { compareAll, imageWork, startImageThreads } from '../../cli/images/pool.js';
import { compareImages } from '../../lib/diff/image.js';
import { recordImages } from '../../lib/diff/image-batch.js';
import { diffNotebooks } from '../../lib/diff/notebook.js';
import { parseNotebook } from '../../lib/notebook/index.js';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { defaultImageOptions } from '../../lib/diff/image.js';
import type { ImageTask } from '../../lib/diff/image-batch.js';
import { CORPUS } from '../corpus/corpus.js';

const load = (p: string) => parseNotebook(readFileSync(join(CORPUS, p)), p);

describe('image comparisons on all cores', () => {
  const base = load('pairs/hml2-tools_matplotlib-43-png-rerendered/base.ipynb');
  const head = load('pairs/hml2-tools_matplotlib-43-png-rerendered/head.ipynb');

  it('gives the same diff as comparing on one thread', async () => {
    const serial = diffNotebooks(base, head);
    const parallel = await diffSides(base, head, {});
    expect(parallel).toEqual(serial);
    expect(serial.summary.imagesChanged).toBeGreaterThan(20);
  });

  it('keeps results in task order whatever the share each thread got', async () => {
    const recorder = recordImages();
    diffNotebooks(base, head, { compareImage: recorder.compare });
    expect(recorder.tasks.length).toBeGreaterThan(20);
    const results = await compareAll(recorder.tasks, { threads: startImageThreads(2), minWork: 0 });
    results.forEach((r, i) => {
      const t = recorder.tasks[i]!;
      expect(r).toEqual(compareImages(t.mime, t.base, t.head, t.options));
    });
  });
});

describe('when other threads take part', () => {
  const png = (w: number, h: number) => {
    const p = new PNG({ width: w, height: h });
    p.data.fill(255);
    return PNG.sync.write(p).toString('base64');
  };

  it('weighs the work by pixels, a counted resize as three more decodes of its canvas', () => {
    const o = defaultImageOptions;
    expect(imageWork([{ mime: 'image/png', base: png(100, 50), head: png(100, 50), options: o }])).toBe(10_000);
    expect(imageWork([{ mime: 'image/png', base: png(100, 50), head: png(120, 40), options: o }])).toBe(5000 + 4800 + 3 * 120 * 50);
    expect(imageWork([{ mime: 'image/png', base: png(100, 50), head: png(120, 40), options: { ...o, countResized: false } }])).toBe(5000 + 4800);
  });

  it('compares little work here and ends the threads it was given', async () => {
    const o = defaultImageOptions;
    const tasks: ImageTask[] = [
      { mime: 'image/png', base: png(30, 20), head: png(30, 21), options: o },
      { mime: 'image/png', base: png(30, 20), head: png(31, 20), options: o },
    ];
    let closed = 0;
    const never = { get workers(): never { throw new Error('a thread was used'); }, close: () => { closed++; } };
    const started: number[] = [];
    const results = await compareAll(tasks, { threads: never, progress: (n) => started.push(n) });
    expect(results).toEqual(tasks.map((t) => compareImages(t.mime, t.base, t.head, t.options)));
    expect([closed, started]).toEqual([1, [1, 2]]);
  });
});

describe('payloads in shared memory', () => {
  // Threads read the payloads as bytes in a SharedArrayBuffer (pool.ts): every decoder, the fallbacks
  // included, must read them there as it reads a plain Buffer.
  const rgba = (w: number, h: number, shift: number): Buffer => {
    const data = Buffer.alloc(w * h * 4);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      const on = Math.abs(y - h / 2 - Math.round(Math.sin((x + shift) / 5) * h / 4)) < 2;
      data.set(on ? [31, 119, 180, 255] : [255, 255, 255, 255], i);
    }
    return data;
  };
  const png = (w: number, h: number, shift: number, bitDepth: 8 | 16 = 8): string => {
    const p = new PNG({ width: w, height: h, bitDepth });
    if (bitDepth === 16) {
      // pngjs writes 16-bit from 16-bit input: two bytes per sample, big-endian.
      const src = rgba(w, h, shift);
      const wide = Buffer.alloc(src.length * 2);
      for (let i = 0; i < src.length; i++) wide.writeUInt16BE(src[i]! * 257, i * 2);
      p.data = wide;
    } else {
      rgba(w, h, shift).copy(p.data);
    }
    return PNG.sync.write(p, { bitDepth, colorType: 6, inputHasAlpha: true }).toString('base64');
  };
  const jpg = (w: number, h: number, shift: number): string =>
    Buffer.from(jpeg.encode({ width: w, height: h, data: rgba(w, h, shift) }, 85).data).toString('base64');

  it('gives what comparing here gives, for the fast PNG path, 16-bit PNG, JPEG, resized and broken images', async () => {
    const o = defaultImageOptions;
    const tasks: ImageTask[] = [
      { mime: 'image/png', base: png(60, 40, 0), head: png(60, 40, 3), options: o },
      { mime: 'image/png', base: png(60, 40, 0, 16), head: png(60, 40, 3, 16), options: o },
      { mime: 'image/jpeg', base: jpg(60, 40, 0), head: jpg(60, 40, 3), options: o },
      { mime: 'image/png', base: png(60, 40, 0), head: png(64, 44, 0), options: o },
      { mime: 'image/png', base: png(60, 40, 0), head: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB', options: o },
    ];
    const results = await compareAll(tasks, { threads: startImageThreads(2), minWork: 0 });
    const here = tasks.map((t) => compareImages(t.mime, t.base, t.head, t.options));
    expect(results).toEqual(here);
    expect(here.map((r) => r.comparison.format)).toEqual(['png', 'png', 'jpeg', 'png', 'png']);
    expect(here[1]!.comparison.changedPixels).toBeGreaterThan(0);
    expect(here[2]!.comparison.changedPixels).toBeGreaterThan(0);
    expect(here[3]!.comparison.sizeChanged).toBe(true);
    expect(here[4]!.comparison.error).toBeDefined();
  });
});
