import { describe, expect, it } from 'vitest';
import { codeCell as code, markdownCell as md, notebookOf as nb } from './builder.js';
import { diffNotebooks } from '../../lib/diff/notebook.js';
import type { Notebook } from '../../lib/model.js';
import { precoloredLines, textKey } from '../../lib/render/syntax/colors.js';
import { colorReview, ColorTableBuilder } from '../../lib/render/syntax/precolor.js';
import { highlightLines } from '../../lib/render/syntax/tokens.js';
import { reviewFile, reviewPayload } from '../../lib/review.js';


const TEXTS = [
  'def f(x):\n    """Doc."""\n    return x ** 2  # square\n',
  's = f"{x!r:>{p}}" + rb"\\x00" + \'\'\'multi\nline\'\'\'\n\n',
  'café = "naïve" + u"日本"  # not ASCII\n',
  '',
  '\n',
  'x = 1',
];

describe('precolored code (lib/render/syntax/precolor.ts)', () => {
  it('gives back exactly what coloring the text gives, in both schemes, through JSON', () => {
    for (const scheme of ['light', 'dark'] as const) {
      const builder = new ColorTableBuilder(scheme);
      for (const t of TEXTS) builder.add(t, 'python');
      const table = JSON.parse(JSON.stringify(builder.table()));
      for (const t of TEXTS) expect(precoloredLines(table, scheme, t, 'ipython3'), `${scheme}: ${t}`).toEqual(highlightLines(t, 'python', scheme));
      // Colored for real: the keyword has a color, and the two themes' differ.
      expect(precoloredLines(table, scheme, TEXTS[0]!, 'python')!.flat().find((p) => p.text === 'def')!.color).toMatch(/^#/);
    }
  });

  it('answers null, never wrong colors, for a text, theme or language it was not made for, or a damaged table', () => {
    const builder = new ColorTableBuilder('light');
    builder.add(TEXTS[0]!, 'python');
    const table = builder.table();
    expect(precoloredLines(table, 'dark', TEXTS[0]!, 'python')).toBeNull();
    expect(precoloredLines(table, 'light', TEXTS[0]!.replace('x ** 2', 'y ** 2'), 'python')).toBeNull();
    expect(precoloredLines(table, 'light', TEXTS[0]!, 'r')).toBeNull();
    expect(precoloredLines(table, 'light', TEXTS[0]!, undefined)).toBeNull();
    expect(precoloredLines(undefined, 'light', TEXTS[0]!, 'python')).toBeNull();
    const key = textKey('python', TEXTS[0]!);
    const damaged = (edit: (lines: number[][]) => void) => {
      const copy = JSON.parse(JSON.stringify(table));
      edit(copy.texts[key]);
      return precoloredLines(copy, 'light', TEXTS[0]!, 'python');
    };
    expect(damaged(() => undefined)).not.toBeNull();
    expect(damaged((lines) => { lines[0]![0]! += 1; })).toBeNull(); // pieces longer than the line
    expect(damaged((lines) => { lines[1]!.pop(); lines[1]!.pop(); })).toBeNull(); // shorter
    expect(damaged((lines) => { lines.pop(); })).toBeNull(); // a line missing
    expect(damaged((lines) => { lines[0]![1] = 99; })).toBeNull(); // no such color
    expect(damaged((lines) => { lines[0]!.push(1); })).toBeNull(); // half a pair
  });

  it('colors the changed and moved code cells of every file of a review, both sides, for both schemes, within a budget', () => {
    const base = nb([md('# T', 'a'), code('x = 1', 'b'), code('same = 1', 'c'), code('gone = 1', 'd'), code('moved = 1', 'm'), code('last = 1', 'l')]);
    const head = nb([md('# T!', 'a'), code('moved = 1', 'm'), code('x = 2', 'b'), code('same = 1', 'c'), code('new = 1', 'e'), code('last = 1', 'l')]);
    const r = nb([code('a <- 1', 'r1')], 'R');
    const rHead = nb([code('a <- 2', 'r1')], 'R');
    const cobol = nb([code('MOVE 1 TO X', 'k1')], 'cobol');
    const cobolHead = nb([code('MOVE 2 TO X', 'k1')], 'cobol');
    const diff = (a: Notebook, b: Notebook) => diffNotebooks({ notebook: a, name: 'a' }, { notebook: b, name: 'b' });
    const review = reviewPayload('t', [reviewFile('p.ipynb', diff(base, head), base, head), reviewFile('r.ipynb', diff(r, rHead), r, rHead),
      reviewFile('k.ipynb', diff(cobol, cobolHead), cobol, cobolHead)]);
    const colors = colorReview(review);
    for (const scheme of ['light', 'dark'] as const) {
      const table = colors[scheme]!;
      const has = (text: string, language: string) => precoloredLines(table, scheme, text, language) !== null;
      expect(['x = 1', 'x = 2', 'gone = 1', 'new = 1', 'moved = 1'].every((t) => has(t, 'python')), scheme).toBe(true);
      expect(has('a <- 1', 'r') && has('a <- 2', 'r')).toBe(true);
      // Unchanged cells start collapsed: not colored ahead. Markdown and languages without a grammar never.
      expect(has('same = 1', 'python') || has('last = 1', 'python') || has('# T', 'python')).toBe(false);
      expect(Object.keys(table.texts)).toHaveLength(7);
    }
    // The budget counts lines: one line lets the first file's first changed cell in, and nothing after.
    expect(Object.keys(colorReview(review, 1).light!.texts)).toHaveLength(1);
  });
});
