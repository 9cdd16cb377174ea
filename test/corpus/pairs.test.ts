import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffNotebooks } from '../../lib/diff/notebook.js';
import type { NotebookDiff } from '../../lib/model.js';
import { applyDiff } from '../../lib/patch/apply.js';
import { renderTerminal, terminalDiffOptions } from '../../lib/render/terminal.js';
import { CORPUS, pairNames, readCorpus } from './corpus.js';

function diffFiles(a: string, b: string): { diff: NotebookDiff; base: ReturnType<typeof readCorpus>; head: ReturnType<typeof readCorpus> } {
  const base = readCorpus(a);
  const head = readCorpus(b);
  const diff = diffNotebooks({ ...base, name: a }, { ...head, name: b });
  return { diff, base, head };
}

describe('every corpus pair', () => {
  const resizedPairs: string[] = [];
  for (const name of pairNames()) {
    it(`${name}: the diff applies back to head`, () => {
      const { diff, base, head } = diffFiles(`pairs/${name}/base.ipynb`, `pairs/${name}/head.ipynb`);
      // Through JSON, as the CLI, the app and the viewer exchange it.
      const wire = JSON.parse(JSON.stringify(diff)) as NotebookDiff;
      expect(applyDiff(base.notebook, wire)).toEqual(head.notebook);
      // Every cell of both sides appears exactly once.
      expect(diff.cells.filter((c) => c.base !== null).map((c) => c.base).sort((x, y) => x! - y!)).toEqual([...base.notebook.cells.keys()]);
      expect(diff.cells.filter((c) => c.head !== null).map((c) => c.head).sort((x, y) => x! - y!)).toEqual([...head.notebook.cells.keys()]);

      // The terminal's shortcut (resized images not compared) shows exactly what the whole diff shows.
      const quick = diffNotebooks({ ...base, name: 'base.ipynb' }, { ...head, name: 'head.ipynb' }, terminalDiffOptions);
      const full = diffNotebooks({ ...base, name: 'base.ipynb' }, { ...head, name: 'head.ipynb' });
      for (const color of [false, true]) expect(renderTerminal(quick, { color })).toBe(renderTerminal(full, { color }));
      if (JSON.stringify(quick) !== JSON.stringify(full)) resizedPairs.push(name);
    });
  }

  it('the shortcut was taken in the pairs full of resized plots', () => {
    expect(resizedPairs).toEqual(expect.arrayContaining([
      'hml2-09-unsupervised-large-155-png', 'hml2-tools_matplotlib-43-png-rerendered', 'pdsh-04.14-seaborn-2nd-edition',
    ]));
  });
});

describe('nbdime test notebooks', () => {
  // Files named stem--variant.ipynb are versions of stem.ipynb: diff every two versions, both ways.
  const files = readdirSync(join(CORPUS, 'nbdime-tests')).filter((f) => f.endsWith('.ipynb'));
  const groups = new Map<string, string[]>();
  for (const f of files) {
    const stem = f.replace(/(--[^.]+)?\.ipynb$/, '').replace(/-(base|local|remote|merged)$/, '');
    groups.set(stem, [...(groups.get(stem) ?? []), f]);
  }
  for (const [stem, group] of groups) {
    if (group.length < 2) continue;
    it(`${stem}: every two versions diff and apply both ways`, () => {
      for (const a of group) {
        expect(diffFiles(`nbdime-tests/${a}`, `nbdime-tests/${a}`).diff.changed, `${a} against itself`).toBe(false);
        for (const b of group) {
          if (a === b) continue;
          const { diff, base, head } = diffFiles(`nbdime-tests/${a}`, `nbdime-tests/${b}`);
          expect(applyDiff(base.notebook, JSON.parse(JSON.stringify(diff))), `${a} → ${b}`).toEqual(head.notebook);
        }
      }
    });
  }
});

describe('pairs whose names say what happened', () => {
  // Checked independently of the differ: head has exactly that many more cells, and (for moves) the same
  // sources in another order.
  const cases: [string, { added?: number; removed?: number; moved?: number }][] = [
    ['hml2-12-widget-view-outputs-48-inserted', { added: 48, removed: 0 }],
    ['hml2-16-nlp-102-cells-inserted', { added: 102, removed: 0 }],
    ['llms-ch02-19-cells-inserted', { added: 19, removed: 0 }],
    ['pdsh-01.07-cell-insert-v4.0-to-v4.1', { added: 1, removed: 0 }],
    ['llms-ch05-pure-move-same-id', { added: 0, removed: 0, moved: 1 }],
    ['llms-ch04-move-with-new-id', { added: 0, removed: 0, moved: 1 }],
    ['hml2-18-rl-moved-cells-html-dropped', { removed: 0, moved: 2 }],
  ];
  for (const [name, expected] of cases) {
    it(`${name}: ${JSON.stringify(expected)}`, () => {
      const { diff } = diffFiles(`pairs/${name}/base.ipynb`, `pairs/${name}/head.ipynb`);
      expect(diff.summary).toMatchObject(expected);
    });
  }

  it('a cell moved with a new id is one moved cell, matched by content', () => {
    const { diff } = diffFiles('pairs/llms-ch04-move-with-new-id/base.ipynb', 'pairs/llms-ch04-move-with-new-id/head.ipynb');
    const moved = diff.cells.filter((c) => c.moved);
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({ status: 'modified', match: 'identical', changes: { id: {} } });
  });

  it('a pure move keeps its id and reports nothing else', () => {
    const { diff } = diffFiles('pairs/llms-ch05-pure-move-same-id/base.ipynb', 'pairs/llms-ch05-pure-move-same-id/head.ipynb');
    expect(diff.cells.filter((c) => c.status !== 'unchanged')).toEqual([]);
    expect(diff.cells.filter((c) => c.moved)).toMatchObject([{ status: 'unchanged', match: 'id' }]);
  });
});
