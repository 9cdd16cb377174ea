import { describe, expect, test } from 'vitest';
import { diffBlocks, hunkHeader, toHunks, unifiedLines } from '../../lib/render/hunks.js';
import { del, eq, ins, rep, textDiff, w } from './builder.js';

const numbered = (from: number, to: number): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}`);

describe('toHunks', () => {
  test('a diff without changes has no hunks', () => {
    expect(toHunks(textDiff(eq('a', 'b')), 3)).toEqual([]);
    expect(toHunks(textDiff(), 3)).toEqual([]);
  });

  test('keeps `context` lines on each side and numbers lines from 1', () => {
    const diff = textDiff(eq(...numbered(1, 10)), rep(['line 11'], ['line eleven']), eq(...numbered(12, 20)));
    const [hunk, ...rest] = toHunks(diff, 3);
    expect(rest).toEqual([]);
    expect(hunkHeader(hunk!)).toBe('@@ -8,7 +8,7 @@');
    const shown = hunk!.blocks.flatMap(unifiedLines).map((l) => `${l.sign}${l.text.trimEnd()}`);
    expect(shown).toEqual([
      ' line 8',
      ' line 9',
      ' line 10',
      '-line 11',
      '+line eleven',
      ' line 12',
      ' line 13',
      ' line 14',
    ]);
  });

  test('joins changes separated by at most 2 × context common lines, splits the others', () => {
    const close = textDiff(del('a'), eq(...numbered(2, 7)), del('h'));
    expect(toHunks(close, 3).map(hunkHeader)).toEqual(['@@ -1,8 +1,6 @@']);
    const far = textDiff(del('a'), eq(...numbered(2, 8)), del('i'));
    expect(toHunks(far, 3).map(hunkHeader)).toEqual(['@@ -1,4 +1,3 @@', '@@ -6,4 +5,3 @@']);
  });

  test('zero context: bare changes, and GNU numbering for empty sides', () => {
    const diff = textDiff(eq('a', 'b', 'c'), ins('new'), eq('d'), del('e'));
    expect(toHunks(diff, 0).map(hunkHeader)).toEqual(['@@ -3,0 +4 @@', '@@ -5 +5,0 @@']);
  });

  test('an insertion into an empty source starts at line 0 of base', () => {
    expect(toHunks(textDiff(ins('x', 'y')), 3).map(hunkHeader)).toEqual(['@@ -0,0 +1,2 @@']);
  });

  test('adjacent equal ops are one run of context', () => {
    const diff = textDiff(eq('a', 'b'), eq('c', 'd'), del('e'));
    const [hunk] = toHunks(diff, 2);
    expect(hunkHeader(hunk!)).toBe('@@ -3,3 +3,2 @@');
  });
});

describe('unifiedLines', () => {
  test('deleted lines come before inserted ones, each with its pair’s word diff', () => {
    const words = w('=x = ', '-1', '+2', '=\n');
    const [block] = diffBlocks(textDiff(rep(['x = 1', 'y'], ['x = 2'], [words])));
    expect(unifiedLines(block!)).toEqual([
      { sign: '-', text: 'x = 1\n', words },
      { sign: '-', text: 'y\n', words: null },
      { sign: '+', text: 'x = 2\n', words },
    ]);
  });
});
