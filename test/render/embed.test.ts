import { describe, expect, it } from 'vitest';
import { renderPage, REVIEW_PLACEHOLDER, writePage } from '../../lib/render/page.js';
import { embeddableJson, reviewPayload, writeEmbeddableJson } from '../../lib/review.js';
import { CORPUS, corpusExists, pairNames } from '../corpus/corpus.js';
import { reviewOfFiles } from '../../cli/report.js';
import { join } from 'node:path';

/** The definition: JSON.stringify, then every character the page must not hold as such escaped. */
const definition = (v: unknown) => JSON.stringify(v).replace(/[<>&\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

describe('the review embedded in the page (writeEmbeddableJson)', () => {
  it('writes exactly the JSON.stringify of the value, with <, >, & and everything above U+007E escaped', () => {
    const values: unknown[] = [
      { a: undefined, b: [undefined, () => 1, Symbol('x'), NaN, -0, Infinity, null, true], c: { toJSON: () => ({ d: '</script><!--' }) },
        e: new Date(0), f: '\u2028\ud800 é → 😀 & > "quoted" \\ back\nslash\t\u0001', '<key>': 1, h: { toJSON: () => undefined }, i: [[], {}, [[1]]] },
      [1, 'two', { three: [3] }],
      'a string alone', 42, null,
    ];
    for (const v of values) {
      expect(embeddableJson(v)).toBe(definition(v));
      expect(JSON.parse(embeddableJson(v))).toEqual(JSON.parse(JSON.stringify(v)));
      expect(embeddableJson(v)).toMatch(/^[\x00-\x7e]*$/);
      expect(embeddableJson(v)).not.toMatch(/[<>&]/);
    }
  });

  it('hands a large review over in pieces, the long strings on their own, never one string of the whole', () => {
    const payload = 'A'.repeat(3 << 20);
    const value = { title: 'a → b', images: [payload, `${payload}<`, 'small'], n: Array.from({ length: 50_000 }, (_, i) => i) };
    const pieces: string[] = [];
    writeEmbeddableJson(value, (p) => pieces.push(p));
    expect(pieces.join('')).toBe(definition(value));
    expect(pieces.length).toBeGreaterThan(3);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(payload.length + 100);
  });

  it('writePage gives the page renderPage gives, the review where the template had its element', () => {
    const template = `<html><head><script>x()</script></head><body>${REVIEW_PLACEHOLDER}<p>$&</p></body></html>`;
    const review = reviewPayload('t → </script>', []);
    const pieces: string[] = [];
    writePage(template, { review }, (p) => pieces.push(p));
    const page = renderPage(template, { review });
    expect(pieces.join('')).toBe(page);
    expect(page).toBe(template.replace(REVIEW_PLACEHOLDER, () => `<script type="application/json" id="cellwise-review">${definition(review)}</script>`));
    expect(renderPage(template, { src: 'review.json' })).toContain('data-src="review.json"></script><p>$&</p>');
  });

  it.skipIf(!corpusExists() && !process.env.CI)('matches the definition on the review of every corpus pair', async () => {
    for (const pair of pairNames()) {
      const review = await reviewOfFiles(join(CORPUS, 'pairs', pair, 'base.ipynb'), join(CORPUS, 'pairs', pair, 'head.ipynb'), {});
      expect(embeddableJson(review) === definition(review), pair).toBe(true);
    }
  }, 120_000);
});
