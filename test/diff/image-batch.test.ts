import { describe, expect, it } from 'vitest';
import { onePerPair, type ImageComparer } from '../../lib/diff/image-batch.js';
import { compareImages, defaultImageOptions } from '../../lib/diff/image.js';
import { diffNotebooks } from '../../lib/diff/notebook.js';
import type { NotebookDiff } from '../../lib/model.js';
import { readCorpus } from '../corpus/corpus.js';

function counting(): { compare: ImageComparer; calls: string[] } {
  const calls: string[] = [];
  return { calls, compare: (mime, base, head, options) => { calls.push(`${mime} ${base.length}/${head.length}`); return compareImages(mime, base, head, options); } };
}

/** Every image comparison in a diff, in display order. */
function imageComparisons(diff: NotebookDiff): unknown[] {
  const found: unknown[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.image && typeof o.image === 'object' && 'changedPixels' in o.image) found.push(o.image);
      Object.values(o).forEach(walk);
    }
  };
  walk(diff.cells);
  return found;
}

describe('onePerPair', () => {
  it('compares each distinct pair once and answers repeats with an equal, separate result', () => {
    const { compare, calls } = counting();
    const once = onePerPair(compare);
    const a = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const b = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
    const first = once('image/png', a, b, defaultImageOptions);
    const again = once('image/png', a, b, defaultImageOptions);
    expect(calls).toHaveLength(1);
    expect(again).toEqual(first);
    expect(again.comparison).not.toBe(first.comparison);
    // Another pair, another MIME type or other options: compared.
    once('image/png', b, a, defaultImageOptions);
    once('image/jpeg', a, b, defaultImageOptions);
    once('image/png', a, b, { ...defaultImageOptions, threshold: 0.5 });
    expect(calls).toHaveLength(4);
  });

  it('makes a diff compare the plots a notebook repeats once', () => {
    // This pair shows the same two plot changes in six outputs.
    const base = readCorpus('pairs/ipython-custom-display-v4.0-to-v4.1-js/base.ipynb');
    const head = readCorpus('pairs/ipython-custom-display-v4.0-to-v4.1-js/head.ipynb');
    const { compare, calls } = counting();
    const diff = diffNotebooks(base, head, { compareImage: compare });
    const images = imageComparisons(diff);
    expect(images.length).toBe(6);
    expect(calls.length).toBe(new Set(calls).size);
    expect(calls.length).toBeLessThan(images.length);
    // The outputs that share a pair share its comparison: as many distinct comparisons as comparisons made.
    expect(new Set(images.map((i) => JSON.stringify(i))).size).toBe(calls.length);
  });
});
