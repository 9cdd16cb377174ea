import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_FILE_BYTES, parseJsonBytes as parseAnySize } from '../../lib/notebook/json-bytes.js';
import { parseNotebook } from '../../lib/notebook/index.js';
import { CORPUS, corpusNotebooks } from './corpus-files.js';

// The notebooks made here are about 1 MB; the size from which parseNotebook takes this way is tested apart.
const parseJsonBytes = (bytes: Uint8Array): unknown => parseAnySize(bytes, 512 * 1024);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const usual = (bytes: Uint8Array): unknown => JSON.parse(new TextDecoder().decode(bytes));

/** A base64-looking payload of `n` characters, different for every seed. */
function payload(n: number, seed: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[(i * 7 + seed * 13 + ((i * seed) >> 3)) % 64];
  return s;
}

/** Notebook-shaped JSON whose outputs carry `images` (each stored as given) and a little text around them. */
function notebookText(images: string[], extra: Record<string, unknown> = {}): string {
  const cells = images.map((png, i) => ({
    cell_type: 'code', execution_count: i, id: `c${i}`, metadata: {}, source: ['plt.plot(x)\n', 'plt.show() # é ✓'],
    outputs: [{ output_type: 'display_data', metadata: {}, data: { 'image/png': png, 'text/plain': ['<Figure>'] } }],
  }));
  return JSON.stringify({ cells, metadata: { ...extra }, nbformat: 4, nbformat_minor: 5 }, null, 1);
}

describe('parseJsonBytes', () => {
  it('gives what JSON.parse gives for image-heavy notebooks, with and without the trailing "\\n" Jupyter writes', () => {
    const images = Array.from({ length: 40 }, (_, i) => payload(20_000 + i, i) + (i % 2 ? '\n' : ''));
    const bytes = utf8(notebookText(images));
    const copy = bytes.slice();
    const value = parseJsonBytes(bytes);
    expect(value).toBeDefined();
    expect(value).toEqual(usual(bytes));
    expect(Buffer.from(bytes).equals(copy)).toBe(true);
  });

  it('reads base64 wrapped at 76 characters, as older writers stored it', () => {
    const wrapped = (s: string): string => s.replace(/.{76}/g, '$&\n') + '\n';
    const images = Array.from({ length: 30 }, (_, i) => wrapped(payload(20_000, i)));
    const bytes = utf8(notebookText(images));
    const value = parseJsonBytes(bytes);
    expect(value).toBeDefined();
    expect(value).toEqual(usual(bytes));
  });

  it('leaves long strings with other escapes or non-ASCII to JSON.parse, and still agrees', () => {
    const images = Array.from({ length: 30 }, (_, i) => payload(20_000, i));
    images[3] = payload(10_000, 3) + '\t' + payload(10_000, 4) + '\n'; // another escape
    images[5] = payload(9_000, 5) + '"quoted\\"' + payload(9_000, 6); // quotes and backslashes
    images[7] = payload(9_000, 7) + 'é' + payload(9_000, 8);
    const bytes = utf8(notebookText(images));
    expect(parseJsonBytes(bytes)).toEqual(usual(bytes));
  });

  it('gives up (undefined) on what the usual way must judge or report', () => {
    const images = Array.from({ length: 30 }, (_, i) => payload(20_000, i));
    const good = notebookText(images);
    // Truncated: a syntax error, to be reported from the whole text.
    expect(parseJsonBytes(utf8(good.slice(0, -200)))).toBeUndefined();
    // A raw control character inside a long string is not JSON.
    const tab = good.replace(images[2]!, images[2]!.slice(0, 5000) + '\t' + images[2]!.slice(5000));
    expect(() => usual(utf8(tab))).toThrow();
    expect(parseJsonBytes(utf8(tab))).toBeUndefined();
    // So is a raw newline, though the "\\n" escape is read.
    const split = (sep: string): string => good.replace(images[2]!, images[2]!.slice(0, 5000) + sep + images[2]!.slice(5000));
    expect(parseJsonBytes(utf8(split('\\n')))).toEqual(usual(utf8(split('\\n'))));
    expect(() => usual(utf8(split('\n')))).toThrow();
    expect(parseJsonBytes(utf8(split('\n')))).toBeUndefined();
    // Invalid UTF-8 outside the long strings.
    const bad = utf8(good);
    bad[bad.indexOf(0xc3)] = 0xff;
    expect(parseJsonBytes(bad)).toBeUndefined();
    // The placeholder text itself in the file.
    expect(parseJsonBytes(utf8(notebookText(images, { note: '\u0000\u0001cellwise-long-0' })))).toBeUndefined();
    expect(parseJsonBytes(utf8(notebookText(images, { note: payload(6000, 1) + '\u0000\u0001cellwise-long-0' })))).toBeUndefined();
    // A long object key: not a value the placeholders can stand for.
    const key = payload(5000, 99);
    const keyed = utf8(notebookText(images, { [key]: 1 }));
    expect(parseJsonBytes(keyed)).toBeUndefined();
    // Text-heavy files: long strings are not most of the file.
    const texty = notebookText(images.slice(0, 2), { log: Array.from({ length: 30_000 }, (_, i) => `line ${i}`) });
    expect(texty.length).toBeGreaterThan(512 * 1024);
    expect(parseJsonBytes(utf8(texty))).toBeUndefined();
  });

  it('agrees with JSON.parse on every corpus notebook it takes, and takes the image-heavy ones', () => {
    let taken = 0;
    for (const path of corpusNotebooks('pairs')) {
      const bytes = readFileSync(join(CORPUS, path));
      const value = parseJsonBytes(bytes);
      if (value === undefined) continue;
      taken++;
      expect(value, path).toEqual(usual(bytes));
    }
    expect(taken).toBeGreaterThanOrEqual(4);
  });
});

describe('parseNotebook from bytes', () => {
  it('reads an image-heavy notebook the same from bytes as from text, and reports a broken one the same', () => {
    const images = Array.from({ length: 30 }, () => randomBytes(225_000).toString('base64') + '\n');
    const text = notebookText(images);
    expect(text.length).toBeGreaterThan(MIN_FILE_BYTES);
    expect(parseAnySize(utf8(text))).toBeDefined();
    expect(parseNotebook(utf8(text), 'a.ipynb')).toEqual(parseNotebook(text, 'a.ipynb'));
    const broken = text.replace('"nbformat": 4', '"nbformat": 4,,');
    const message = (input: string | Uint8Array): string => {
      try {
        parseNotebook(input, 'b.ipynb');
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(message(utf8(broken))).toMatch(/b\.ipynb.*line/);
    expect(message(utf8(broken))).toBe(message(broken));
  });
});
