import { describe, expect, it } from 'vitest';
import { baseLines, diffItems, diffText, headLines, lineIgnoringWhitespace } from '../../lib/diff/text.js';
import { applyJsonOps, jsonDiff } from '../../lib/diff/json.js';
import { stripAnsi } from '../../lib/util/text.js';
import { diffNotebooks } from '../../lib/diff/notebook.js';
import type { NotebookDiff } from '../../lib/model.js';
import { codeCell, notebookOf } from '../render/builder.js';

describe('diffText', () => {
  it('gives a line diff whose sides rebuild both texts', () => {
    const a = 'import numpy as np\nx = np.arange(10)\nprint(x)';
    const b = 'import numpy as np\nx = np.arange(20)\nprint(x)\nprint(x.sum())';
    const d = diffText(a, b);
    expect(headLines(d).join('')).toBe(b);
    expect(d.added).toBe(2);
    expect(d.removed).toBe(1);
    expect(d.ops.map((o) => o.op)).toEqual(['equal', 'replace', 'equal', 'insert']);
  });

  it('treats a missing final newline as the same line (cells rarely end with one)', () => {
    const d = diffText('a\nb', 'a\nb\nc');
    expect(d.ops.map((o) => o.op)).toEqual(['equal', 'insert']);
    expect(headLines(d).join('')).toBe('a\nb\nc');
  });

  it('highlights the changed words of a modified line', () => {
    const d = diffText('x = np.arange(10)\n', 'x = np.arange(20)\n');
    const op = d.ops[0]!;
    expect(op.op).toBe('replace');
    if (op.op !== 'replace') return;
    const words = op.words[0]!;
    expect(words.filter((w) => w.t === '-').map((w) => w.s).join('')).toContain('10');
    expect(words.filter((w) => w.t === '+').map((w) => w.s).join('')).toContain('20');
  });

  it('leaves the word diffs out when asked, and nothing else', () => {
    const base = 'a = 1\nx = np.arange(10)\ny = 2\n';
    const head = 'a = 1\nx = np.arange(20)\ny = 3\nz = 4\n';
    const full = diffText(base, head);
    const lean = diffText(base, head, undefined, false);
    expect(lean).toEqual({ ...full, ops: full.ops.map((op) => (op.op === 'replace' ? { ...op, words: op.words.map(() => null) } : op)) });
    expect(full.ops.some((op) => op.op === 'replace' && op.words.some((w) => w !== null))).toBe(true);
  });

  it('does not word-diff lines that share almost nothing', () => {
    const d = diffText('completely different\n', 'zzz qqq 123\n');
    const op = d.ops[0]!;
    expect(op.op === 'replace' && op.words[0]).toBeNull();
  });

  it('can ignore whitespace while still rebuilding head exactly', () => {
    const a = 'def f(x):\n    return x+1\n';
    const b = 'def f(x):\n    return  x+1   \n';
    const d = diffText(a, b, lineIgnoringWhitespace);
    expect(d.added + d.removed).toBe(0);
    expect(headLines(d).join('')).toBe(b);
  });

  it('compares traceback entries without their ANSI colours but keeps them', () => {
    const red = '\x1b[0;31mValueError\x1b[0m: bad';
    const d = diffItems([red, 'frame 1'], ['ValueError: bad', 'frame 2'], stripAnsi);
    expect(d.added).toBe(1);
    expect(d.removed).toBe(1);
    expect(baseLines(d)[1]).toBe('frame 1');
  });

  it('survives huge unrelated texts by giving up on a fine diff', () => {
    const a = Array.from({ length: 20000 }, (_, i) => `a${i}\n`).join('');
    const b = Array.from({ length: 20000 }, (_, i) => `b${i}\n`).join('');
    const d = diffText(a, b);
    expect(d.added).toBe(20000);
    expect(d.removed).toBe(20000);
    expect(headLines(d).join('')).toBe(b);
  });

  it('anchors a long rewrite on the lines both sides keep, minimal where the rest is small enough', () => {
    // 600 lines each, nearly all rewritten (an HTML table from another pandas version): far past what
    // Myers may spend, so lines unique to both sides anchor it; between anchors the small gaps are diffed.
    const kept = (i: number) => i % 100 === 0;
    const a = Array.from({ length: 600 }, (_, i) => (kept(i) ? `<th>row ${i}</th>\n` : `<td>old ${i}</td>\n`)).join('');
    const b = Array.from({ length: 600 }, (_, i) => (kept(i) ? `<th>row ${i}</th>\n` : `<td class="x">new ${i}</td>\n`)).join('');
    const d = diffText(a, b);
    expect(baseLines(d).join('')).toBe(a);
    expect(headLines(d).join('')).toBe(b);
    const equal = d.ops.filter((o) => o.op === 'equal').flatMap((o) => o.lines);
    expect(equal).toEqual(Array.from({ length: 6 }, (_, k) => `<th>row ${k * 100}</th>\n`));
    expect(d.added).toBe(594);
    expect(d.removed).toBe(594);
  });
});

describe('jsonDiff', () => {
  it('descends into objects and applies back', () => {
    const a = { kernelspec: { name: 'python2', display_name: 'Python 2' }, tags: ['x'], collapsed: true };
    const b = { kernelspec: { name: 'python3', display_name: 'Python 2' }, tags: ['x', 'y'], language: 'py' };
    const ops = jsonDiff(a, b);
    expect(ops).toEqual([
      { op: 'remove', path: ['collapsed'], old: true },
      { op: 'replace', path: ['kernelspec', 'name'], old: 'python2', value: 'python3' },
      { op: 'add', path: ['language'], value: 'py' },
      { op: 'replace', path: ['tags'], old: ['x'], value: ['x', 'y'] },
    ]);
    expect(applyJsonOps(a, ops)).toEqual(b);
    expect(a.collapsed).toBe(true); // not mutated
  });

  it('handles absent values at the root', () => {
    expect(applyJsonOps(undefined, jsonDiff(undefined, { a: 1 }))).toEqual({ a: 1 });
    expect(applyJsonOps({ a: 1 }, jsonDiff({ a: 1 }, undefined))).toBeUndefined();
    expect(jsonDiff({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
  });
});

describe('diffNotebooks with outputWordDiffs off', () => {
  it('keeps the word diffs of sources and drops those of outputs', () => {
    const cell = (source: string, out: string) => codeCell(source, 'c', [{ output_type: 'stream', name: 'stdout', text: out }]);
    const base = notebookOf([cell('total = 10\n', 'total is 10 apples\n')]);
    const head = notebookOf([cell('total = 20\n', 'total is 20 apples\n')]);
    const replaced = (d: NotebookDiff) => {
      const entry = d.cells[0]!;
      if (entry.status !== 'modified') throw new Error(`cell ${entry.status}`);
      const output = entry.changes.outputs!.entries[0]!;
      if (output.status !== 'modified') throw new Error(`output ${output.status}`);
      return { source: entry.changes.source!.ops[0], output: output.changes.text!.ops[0] };
    };
    const full = replaced(diffNotebooks(base, head));
    const lean = replaced(diffNotebooks(base, head, { outputWordDiffs: false }));
    expect(lean.source).toEqual(full.source);
    expect(full.output).toMatchObject({ op: 'replace', words: [expect.any(Array)] });
    expect(lean.output).toEqual({ ...full.output, words: [null] });
  });
});
