import { describe, expect, test } from 'vitest';
import type { Json } from '../../lib/model.js';
import { formatBytes, formatJson, formatJsonOp, looksLikeBase64 } from '../../lib/render/json.js';
import { png } from './builder.js';

describe('formatJson', () => {
  test('compact JSON for small values', () => {
    expect(formatJson({ a: [1, true, null], b: 'x' }, 80)).toBe('{"a":[1,true,null],"b":"x"}');
  });

  test('summarizes base64 by size and cuts long strings', () => {
    expect(formatJson(png(10, 10, 12_345), 80)).toBe('<base64 12.3 kB>');
    expect(formatJson({ thumb: png(1, 1, 600) }, 80)).toBe('{"thumb":<base64 600 B>}');
    const long = 'word '.repeat(40);
    expect(formatJson(long, 200)).toBe(`"${long.slice(0, 40)}…"`);
  });

  test('does not take a long hex hash or a sentence for base64', () => {
    expect(looksLikeBase64('0123456789abcdef'.repeat(5))).toBe(false);
    expect(looksLikeBase64('Lorem ipsum dolor sit amet '.repeat(4))).toBe(false);
    expect(looksLikeBase64(png(4, 4, 200))).toBe(true);
  });

  test('cuts to the width, and stops walking huge values', () => {
    const huge: Json = { items: Array.from({ length: 200_000 }, (_, i) => ({ i, name: `item ${i}` })) };
    const started = performance.now();
    const text = formatJson(huge, 50);
    expect(performance.now() - started).toBeLessThan(50);
    expect(text).toHaveLength(50);
    expect(text.endsWith('…')).toBe(true);
  });

  test('escapes control characters (JSON escapes C0, visible takes C1 and bidi)', () => {
    expect(formatJson('a\x1b[2Jb', 80)).toBe('"a\\u001b[2Jb"');
    expect(formatJson('a\x9bb\u202e', 80)).toBe('"a\\x9bb<U+202E>"');
  });
});

describe('formatJsonOp', () => {
  test('add, remove, replace', () => {
    expect(formatJsonOp({ op: 'replace', path: ['kernelspec', 'display_name'], old: 'Python 2', value: 'Python 3' }, 100))
      .toEqual({ sign: '~', text: '/kernelspec/display_name: "Python 2" → "Python 3"' });
    expect(formatJsonOp({ op: 'add', path: ['tags'], value: ['a'] }, 100, 'metadata'))
      .toEqual({ sign: '+', text: 'metadata/tags: ["a"]' });
    expect(formatJsonOp({ op: 'remove', path: [], old: { x: 1 } }, 100, 'metadata'))
      .toEqual({ sign: '-', text: 'metadata: {"x":1}' });
  });

  test('two long strings that share a start are shown around their first difference', () => {
    const base = `${'a'.repeat(100)}OLD${'z'.repeat(50)}`;
    const head = `${'a'.repeat(100)}NEW${'z'.repeat(50)}`;
    const { text } = formatJsonOp({ op: 'replace', path: ['k'], old: base, value: head }, 200);
    expect(text).toBe(`/k: "…aaaaaaaaaaOLD${'z'.repeat(27)}…" → "…aaaaaaaaaaNEW${'z'.repeat(27)}…"`);
  });

  test('fits the width, sharing it between the two sides', () => {
    const { text } = formatJsonOp({ op: 'replace', path: ['a'], old: 1, value: { list: Array(100).fill(7) } }, 60);
    expect(text.length).toBeLessThanOrEqual(60);
    expect(text.startsWith('/a: 1 → {"list":[7,7,')).toBe(true);
  });
});

test('formatBytes', () => {
  expect(formatBytes(999)).toBe('999 B');
  expect(formatBytes(12_345)).toBe('12.3 kB');
  expect(formatBytes(123_456)).toBe('123 kB');
  expect(formatBytes(4_100_000)).toBe('4.1 MB');
});
