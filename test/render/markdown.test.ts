import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { diffNotebooks } from '../../lib/diff/notebook.js';
import type { CellEntry, NotebookDiff } from '../../lib/model.js';
import { parseNotebook } from '../../lib/notebook/index.js';
import {
  GITHUB_COMMENT_LIMIT, html, inline, renderMarkdownComment, renderMarkdownSummary, type MarkdownFile,
} from '../../lib/render/markdown.js';
import { added, cell, display, image, modified, notebookDiff, outModified, outputs, png, rep, textDiff, unchanged, w } from './builder.js';

const PAIR = '../shared/corpus/pairs/pdsh-03.10-one-line-edit-exec-counts';
const PATH = 'notebooks/03.10-Working-With-Strings.ipynb';

function corpusDiff(): NotebookDiff {
  const b = parseNotebook(readFileSync(`${PAIR}/base.ipynb`), PATH);
  const h = parseNotebook(readFileSync(`${PAIR}/head.ipynb`), PATH);
  return diffNotebooks({ ...b, name: PATH }, { ...h, name: PATH });
}

const ofCells = (...cells: CellEntry[]): NotebookDiff => notebookDiff({ cells });

/** Everything outside ``` fences and code spans: where markdown from a notebook could act. */
function outsideCode(md: string): string {
  return md.replace(/^(`{3,})diff\n[\s\S]*?^\1$/gm, '').replace(/(`+) .*? \1/g, '');
}

describe('renderMarkdownComment', () => {
  test('a corpus pair: marker, table, source diff in a diff fence, re-runs collapsed', () => {
    const md = renderMarkdownComment([{ path: PATH, status: 'modified', diff: corpusDiff() }], { marker: '<!-- cellwise -->' });
    const lines = md.split('\n');
    expect(lines[0]).toBe('<!-- cellwise -->');
    expect(md).toContain('| notebooks/03.10-Working-With-Strings.ipynb | 0 | 0 | 3 (2 re-run only) | 0 | 2 | 0 | ⚠️ 1 |');
    expect(md).toContain([
      '```diff',
      '@@ -1 +1 @@',
      "-monte.str.extract('([A-Za-z]+)')",
      "+monte.str.extract('([A-Za-z]+)', expand=False)",
      '```',
    ].join('\n'));
    expect(md).toContain('source changed but outputs were not re-run');
    expect(md).toContain('2 cells only re-run (execution count changed): 59, 61');
    expect(md.match(/<details>/g)).toHaveLength(1);
    expect(md.match(/<\/details>/g)).toHaveLength(1);
  });

  test('outputs in words: an image change is a share of pixels, never a payload', () => {
    const diff = ofCells(modified(0, 0, {
      outputs: outputs(outModified(0, 0, 'display_data', {
        data: [{ mime: 'image/png', status: 'modified', significant: true, image: image([640, 480], [640, 480], 12_902), value: png(640, 480) }],
      })),
    }));
    const md = renderMarkdownComment([{ path: 'a.ipynb', diff }]);
    expect(md).toContain('image/png 640×480, 4.2% pixels changed');
    expect(md).not.toContain(png(640, 480).slice(0, 40));
  });

  test('added, deleted, renamed and broken notebooks are labelled; a parse error is one line', () => {
    const diff = ofCells(added(0, cell('code', 'x = 1\n')));
    const md = renderMarkdownComment([
      { path: 'new.ipynb', status: 'added', diff },
      { path: 'old.ipynb', status: 'deleted', diff },
      { path: 'b.ipynb', oldPath: 'a.ipynb', status: 'renamed', diff: ofCells() },
      { path: 'bad.ipynb', status: 'modified', diff: null, error: 'bad.ipynb@abc1234: line 3, column 5: missing comma' },
    ]);
    expect(md).toContain('| new.ipynb (new) | 1 |');
    expect(md).toContain('| old.ipynb (deleted) |');
    expect(md).toContain('| b.ipynb (renamed from a.ipynb, no visible change) |');
    expect(md).toContain('| bad.ipynb | not diffed (see below) |');
    expect(md).toContain('- bad.ipynb: bad.ipynb@&#8203;abc1234: line 3, column 5: missing comma');
  });

  test('no notebooks: says so', () => {
    expect(renderMarkdownComment([])).toContain('No notebook changes in this pull request.');
  });

  test('a viewer link is added when given, and only http(s) links are kept', () => {
    const md = renderMarkdownComment([{ path: 'a.ipynb', diff: ofCells(added(0, cell('code', 'x'))), viewerUrl: 'https://cellwise.example/r/abc?sig=1 2' }]);
    expect(md).toContain('[a.ipynb](https://cellwise.example/r/abc?sig=1%202)');
    expect(md).toContain('[Open the full review](https://cellwise.example/r/abc?sig=1%202)');
    const bad = renderMarkdownComment([{ path: 'a.ipynb', diff: ofCells(), viewerUrl: 'javascript:alert(1)' }]);
    expect(bad).not.toContain('javascript:');
  });
});

describe('notebook text cannot break the comment', () => {
  const hostile = 'x | y <img src=x onerror=alert(1)> @octocat #12 **bold** [link](http://evil) </details> ```';

  test('escaping for markdown and HTML', () => {
    expect(inline('@octocat')).toBe('@&#8203;octocat');
    expect(inline('a|b')).toBe('a\\|b');
    expect(inline('<b>')).toBe('\\<b\\>');
    expect(inline('#12')).toBe('\\#&#8203;12');
    expect(html('</summary><b>')).toBe('&lt;/summary&gt;&lt;b&gt;');
    expect(html('@octocat #3')).toBe('@&#8203;octocat #&#8203;3');
    expect(inline('\x1b[2Jclear')).not.toContain('\x1b');
  });

  test('a hostile path and source stay inert: no mention, no HTML, fences and details intact', () => {
    const source = textDiff(rep(['print("a")'], ['```', '</details>', '@octocat please look', '````']));
    const diff = ofCells(
      modified(0, 0, { source }),
      added(1, cell('code', '~~~\n```python\n@octocat\n')),
      unchanged(2, 3, true),
    );
    diff.cells[2] = { ...diff.cells[2]!, preview: '`` tick @octocat' } as CellEntry;
    const md = renderMarkdownComment([{ path: hostile, diff }, { path: 'err.ipynb', diff: null, error: hostile }]);
    const prose = outsideCode(md);
    expect(prose).not.toMatch(/@octocat/);
    expect(prose).not.toMatch(/(^|[^\\;])<img/);
    expect(prose).not.toMatch(/(^|[^\\])\[link\]/);
    expect(md.match(/<details>/g)).toHaveLength(1);
    expect(md.match(/^<\/details>$/gm)).toHaveLength(1);
    // Fences are longer than any backtick run inside them, so every fence closes where it should.
    expect(md).toMatch(/^`{5}diff$/m);
    // Table rows keep their column count: a `|` in a path is escaped.
    const row = md.split('\n').find((l) => l.startsWith('| x'))!;
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(8);
  });
});

describe('the size budget', () => {
  function bigDiff(cells: number, linesPerCell: number): NotebookDiff {
    const entries: CellEntry[] = [];
    for (let i = 0; i < cells; i++) {
      const base = Array.from({ length: linesPerCell }, (_, j) => `value_${i}_${j} = compute(${j}) # ${'x'.repeat(60)}`);
      const head = base.map((l) => l.replace('compute', 'recompute'));
      entries.push(modified(i, i, { source: textDiff(rep(base, head, base.map(() => w('=a', '-b', '+c')))) }));
    }
    return ofCells(...entries);
  }

  test('an over-long diff is shortened, never over the limit, and keeps the table', () => {
    const files: MarkdownFile[] = [{ path: 'huge.ipynb', diff: bigDiff(400, 40) }];
    const md = renderMarkdownComment(files);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md).toContain('| huge.ipynb | 0 | 0 | 400 |');
    expect(md).toMatch(/more (changed cells|lines)|Cell-by-cell details left out/);
  });

  test('many notebooks: the summary alone, then fewer rows, always within maxLength', () => {
    const files: MarkdownFile[] = Array.from({ length: 3000 }, (_, i) => ({ path: `nb/${'deep/'.repeat(8)}notebook-${i}.ipynb`, diff: bigDiff(2, 3) }));
    const md = renderMarkdownComment(files, { marker: '<!-- cellwise -->' });
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(md.startsWith('<!-- cellwise -->\n')).toBe(true);
    expect(md).toMatch(/…and \d+ more notebooks/);
    for (const max of [2000, 500]) {
      const small = renderMarkdownComment(files.slice(0, 50), { maxLength: max });
      expect(small.length).toBeLessThanOrEqual(max);
    }
    expect(renderMarkdownSummary(files).length).toBeLessThanOrEqual(65_535);
  });

  test('the richest form that fits is chosen: a small diff keeps full context', () => {
    const md = renderMarkdownComment([{ path: 'a.ipynb', diff: bigDiff(2, 3) }]);
    expect(md).not.toContain('more line');
    expect(md).toContain('<details>');
  });

  test('an output-only diff renders its outputs', () => {
    const diff = ofCells(modified(0, 0, { outputs: outputs({ status: 'added', base: null, head: 0, outputs: [display({ 'text/plain': 'hi' })] }) }));
    expect(renderMarkdownComment([{ path: 'a.ipynb', diff }])).toContain('- + output 1: text/plain 1 line');
  });
});
