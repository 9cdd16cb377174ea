import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Cell, Notebook } from '../../lib/model.js';
import { parseNotebook } from '../../lib/notebook/index.js';
import { notebookText } from '../../lib/render/text.js';
import { CELL_HEADER_PATTERN } from '../../lib/render/text-format.js';
import { ROOT } from '../cli/run.js';

const load = (path: string) => parseNotebook(readFileSync(join(ROOT, path)), path);
const text = (path: string): string => {
  const parsed = load(path);
  return notebookText(parsed.notebook, { nbformat: parsed.nbformat });
};
const notebook = (cells: Cell[]): Notebook => ({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
const code = (source: string, outputs: Cell['outputs'] = [], count: number | null = 1): Cell =>
  ({ cell_type: 'code', source, metadata: {}, execution_count: count, outputs });

describe('notebookText (the textconv form)', () => {
  it('starts with the notebook line and metadata, then one header per cell, without cell numbers', () => {
    const t = text('fixtures/examples/analysis-head.ipynb');
    const lines = t.split('\n');
    expect(lines[0]).toBe('notebook · nbformat 4.5 · kernel python3 · 14 cells');
    expect(lines[1]).toMatch(/^metadata\.kernelspec: \{"display_name":/);
    expect(lines.filter((line) => new RegExp(CELL_HEADER_PATTERN).test(line))).toHaveLength(14);
    expect(t).toContain('\n━━ markdown\n# Weekly sales review\n');
    expect(t).toContain('\n━━ code [6]\n# The three best weeks across all stores\ndf.nlargest(3, "sales")\n── text/html 45 lines sha256:');
    expect(t.endsWith('\n')).toBe(true);
    expect(t).not.toMatch(/iVBORw0KGgo/);
  });

  it('images: type, size, bytes and a hash that changes with the image', () => {
    const base = text('fixtures/examples/analysis-base.ipynb');
    const head = text('fixtures/examples/analysis-head.ipynb');
    const image = /^── image\/png 284×227 \((\d+(?:\.\d)? kB)\) (sha256:[0-9a-f]{12})$/m;
    const [, , hashBase] = image.exec(base)!;
    const [, , hashHead] = image.exec(head)!;
    expect(hashBase).not.toBe(hashHead);
    // Same notebook, same text: the form is deterministic.
    expect(text('fixtures/examples/analysis-head.ipynb')).toBe(head);
  });

  it('stream and plain-text outputs as text, cut at maxOutputLines with a count and a hash of the whole', () => {
    const long = Array.from({ length: 40 }, (_, i) => `line ${i + 1}\n`).join('');
    const t = notebookText(notebook([code('print(x)', [{ output_type: 'stream', name: 'stdout', text: long }])]), { maxOutputLines: 5 });
    expect(t).toContain('━━ code [1]\nprint(x)\n── stdout\nline 1\nline 2\nline 3\nline 4\nline 5\n── … 35 more lines, sha256:');
    const changedLate = notebookText(notebook([code('print(x)', [{ output_type: 'stream', name: 'stdout', text: long.replace('line 39', 'line 39!') }])]), { maxOutputLines: 5 });
    expect(changedLate).not.toBe(t);
  });

  it('errors as one line with the traceback’s size and hash; ANSI codes and control characters never printed raw', () => {
    const t = notebookText(notebook([
      code('1/0', [{ output_type: 'error', ename: 'ZeroDivisionError', evalue: 'division by zero', traceback: ['\x1b[31mTraceback\x1b[0m', 'line'] }]),
      code('print("\\x1b[2J")', [{ output_type: 'stream', name: 'stdout', text: 'a\x1b[31mred\x1b[0m\rb\x07\n' }], null),
    ]));
    expect(t).toMatch(/── error ZeroDivisionError: division by zero \(traceback 2 entries sha256:[0-9a-f]{12}\)/);
    expect(t).toContain('━━ code [ ]');
    expect(t).toContain('ared␍b␇');
    expect(t).not.toContain('\x1b');
  });

  it('rich outputs and attachments as one line each, in Jupyter’s display order', () => {
    const t = notebookText(notebook([
      code('df', [{
        output_type: 'execute_result', execution_count: 1, metadata: {},
        data: { 'text/plain': '   a\n0  1', 'text/html': '<table>\n<tr><td>1</td></tr>\n</table>', 'application/json': { a: 1 } },
      }]),
      { cell_type: 'markdown', source: '![x](attachment:x.png)', metadata: {}, attachments: { 'x.png': { 'image/png': 'iVBORw0KGgo=' } } },
    ]));
    expect(t).toMatch(/── text\/html 3 lines sha256:[0-9a-f]{12}\n── application\/json sha256:[0-9a-f]{12}\n── text\/plain\n   a\n0  1\n/);
    expect(t).toMatch(/━━ markdown\n!\[x\]\(attachment:x\.png\)\n── attachment x\.png: image\/png \d+ B sha256:[0-9a-f]{12}\n/);
  });

  it('a v3 notebook says so, and its upconverted cells read like the v4 ones', () => {
    const v3 = text('fixtures/unit/v3.ipynb');
    const v4 = text('fixtures/unit/v4-from-v3.ipynb');
    expect(v3.split('\n')[0]).toBe('notebook · nbformat 3.0 · 3 cells');
    const cells = (t: string) => t.slice(t.indexOf('━━'));
    const differing = cells(v3).split('\n').filter((line, i) => line !== cells(v4).split('\n')[i]);
    expect(differing).toEqual(['print("computed", len(squares), "squares")']);
  });

  it('cell metadata one key per line; long values cut with a hash', () => {
    const cell: Cell = { cell_type: 'code', source: 'x', metadata: { tags: ['parameters'], big: 'y'.repeat(500) }, execution_count: 1, outputs: [] };
    const t = notebookText(notebook([cell]), { maxLineLength: 50 });
    expect(t).toMatch(/━━ code \[1\]\nmetadata\.big: "y{49}… sha256:[0-9a-f]{12}\nmetadata\.tags: \["parameters"\]\nx\n/);
  });
});
