import { describe, expect, it } from 'vitest';
import { diffNotebooks } from '../../lib/diff/notebook.js';
import type { CellEntry, NotebookDiff } from '../../lib/model.js';
import { applyDiff } from '../../lib/patch/apply.js';
import { code, display, error, md, nb, result, stream } from './helpers.js';

const statuses = (d: NotebookDiff) => d.cells.map((c) => `${c.status}${c.moved ? '*' : ''}:${c.base ?? '-'}>${c.head ?? '-'}`);
const roundTrip = (a: ReturnType<typeof nb>, b: ReturnType<typeof nb>) => {
  const d = diffNotebooks(a, b);
  const json = JSON.parse(JSON.stringify(d)) as NotebookDiff;
  expect(json).toEqual(d);
  expect(applyDiff(a, json)).toEqual(b);
  return d;
};

describe('alignment', () => {
  it('reports equal notebooks as unchanged', () => {
    const a = nb([md('# Title'), code('x = 1', { count: 1 })]);
    const d = roundTrip(a, structuredClone(a));
    expect(d.changed).toBe(false);
    expect(statuses(d)).toEqual(['unchanged:0>0', 'unchanged:1>1']);
  });

  it('finds an inserted and a deleted cell', () => {
    const a = nb([md('# Title'), code('import numpy as np'), code('old = 1'), code('print(np.pi)')]);
    const b = nb([md('# Title'), code('import numpy as np'), code('print(np.pi)'), md('A new note about the result.')]);
    const d = roundTrip(a, b);
    expect(statuses(d)).toEqual(['unchanged:0>0', 'unchanged:1>1', 'removed:2>-', 'unchanged:3>2', 'added:->3']);
    expect(d.summary).toMatchObject({ added: 1, removed: 1, modified: 0, moved: 0 });
  });

  it('pairs an edited cell as modified, not removed + added', () => {
    const a = nb([code('import pandas as pd'), code('df = pd.read_csv("data.csv")\ndf.head()'), code('df.describe()')]);
    const b = nb([code('import pandas as pd'), code('df = pd.read_csv("data2.csv")\ndf.head()'), code('df.describe()')]);
    const d = roundTrip(a, b);
    expect(statuses(d)).toEqual(['unchanged:0>0', 'modified:1>1', 'unchanged:2>2']);
    const e = d.cells[1] as Extract<CellEntry, { status: 'modified' }>;
    expect(e.match).toBe('similar');
    expect(Object.keys(e.changes)).toEqual(['source']);
  });

  it('reports a moved cell as moved (by id), with its own edits', () => {
    const a = nb([code('a = 1', { id: 'a' }), code('b = 2', { id: 'b' }), code('c = 3', { id: 'c' }), code('d = 4', { id: 'd' })]);
    const b = nb([code('a = 1', { id: 'a' }), code('c = 3', { id: 'c' }), code('d = 4', { id: 'd' }), code('b = 20', { id: 'b' })]);
    const d = roundTrip(a, b);
    expect(statuses(d)).toEqual(['unchanged:0>0', 'unchanged:2>1', 'unchanged:3>2', 'modified*:1>3']);
    expect(d.summary.moved).toBe(1);
  });

  it('reports a moved cell without ids by its content', () => {
    const cells = ['# Intro', 'import numpy as np', 'x = np.linspace(0, 1, 50)', 'y = np.sin(x)', 'plt.plot(x, y)', 'print("done")'];
    const a = nb(cells.map((s) => code(s)));
    const b = nb([0, 1, 4, 2, 3, 5].map((i) => code(cells[i]!)));
    const d = roundTrip(a, b);
    expect(d.cells.filter((c) => c.moved)).toHaveLength(1);
    expect(d.cells.every((c) => c.status === 'unchanged')).toBe(true);
    expect(d.changed).toBe(true);
  });

  it('reports a cell moved far away and edited as one moved cell', () => {
    const long = 'def train(model, data, epochs=10):\n    for epoch in range(epochs):\n        model.fit(data)\n    return model';
    const a = nb([code(long), code('x = 1'), code('y = 2'), code('z = 3'), code('w = 4')]);
    const b = nb([code('x = 1'), code('y = 2'), code('z = 3'), code('w = 4'), code(long.replace('epochs=10', 'epochs=20'))]);
    const d = roundTrip(a, b);
    const moved = d.cells.filter((c) => c.moved);
    expect(moved).toHaveLength(1);
    expect(moved[0]).toMatchObject({ status: 'modified', base: 0, head: 4, match: 'similar' });
    expect(d.summary).toMatchObject({ added: 0, removed: 0 });
  });

  it('does not pair unrelated cells of one gap', () => {
    const a = nb([code('import os'), code('print("hello world")'), code('x = 1')]);
    const b = nb([code('import os'), md('Totally different markdown'), code('x = 1')]);
    const d = roundTrip(a, b);
    expect(statuses(d)).toEqual(['unchanged:0>0', 'removed:1>-', 'added:->1', 'unchanged:2>2']);
  });

  it('keeps duplicates in order', () => {
    const a = nb([code('plt.show()'), code('a = 1'), code('plt.show()'), code('b = 2'), code('plt.show()')]);
    const b = nb([code('plt.show()'), code('a = 1'), code('plt.show()'), code('b = 3'), code('plt.show()')]);
    const d = roundTrip(a, b);
    expect(statuses(d)).toEqual(['unchanged:0>0', 'unchanged:1>1', 'unchanged:2>2', 'modified:3>3', 'unchanged:4>4']);
  });
});

describe('cell changes', () => {
  it('flags re-run-only cells and stale outputs', () => {
    const a = nb([code('x = 1\nx', { count: 1, outputs: [result('1', 1)] }), code('y = 2\ny', { count: 2, outputs: [result('2', 2)] })]);
    const b = nb([code('x = 1\nx', { count: 5, outputs: [result('1', 5)] }), code('y = 3\ny', { count: 2, outputs: [result('2', 2)] })]);
    const d = roundTrip(a, b);
    const [rerun, stale] = d.cells as Extract<CellEntry, { status: 'modified' }>[];
    expect(rerun).toMatchObject({ status: 'modified', rerunOnly: true, staleOutputs: false });
    expect(stale).toMatchObject({ status: 'modified', rerunOnly: false, staleOutputs: true });
    expect(d.summary).toMatchObject({ modified: 2, rerunOnly: 1, staleOutputs: 1 });
  });

  it('diffs outputs per MIME type and keeps the diff applicable', () => {
    const a = nb([code('show()', { count: 1, outputs: [
      stream('a\n'), stream('b\n'),
      display({ 'text/plain': '<Figure>', 'text/html': '<b>x</b>' }),
      error('KeyError', "'x'", ['\x1b[31mKeyError\x1b[0m', 'line 1']),
    ] })]);
    const b = nb([code('show()', { count: 1, outputs: [
      stream('a\nb\nc\n'),
      display({ 'text/plain': '<Figure>', 'application/json': { a: [1, 2] } }),
      error('KeyError', "'x'", ['KeyError', 'line 1']),
    ] })]);
    const d = roundTrip(a, b);
    const e = d.cells[0]!;
    expect(e.status).toBe('modified');
    if (e.status !== 'modified') return;
    const entries = e.changes.outputs!.entries;
    expect(entries.map((x) => x.status)).toEqual(['modified', 'modified', 'unchanged']);
    const s = entries[0]!;
    expect(s).toMatchObject({ base: 0, head: 0, baseCount: 2 });
    const disp = entries[1]!;
    if (disp.status !== 'modified') throw new Error('expected modified');
    expect(disp.changes.data!.map((m) => `${m.mime}:${m.status}`)).toEqual(['application/json:added', 'text/html:removed']);
    // The traceback differs only in colours: not shown, but kept so that the diff applies.
    expect(entries[2]).toMatchObject({ status: 'unchanged', changes: { tracebackValue: ['KeyError', 'line 1'] } });
  });

  it('re-splits merged stream outputs exactly', () => {
    const a = nb([code('p()', { outputs: [stream('one\n'), stream('two\n'), stream('err\n', 'stderr')] })]);
    const b = nb([code('p()', { outputs: [stream('one\ntw'), stream('o\n'), stream('err\n', 'stderr')] })]);
    const d = roundTrip(a, b);
    expect(d.changed).toBe(false);
  });

  it('rebuilds cell type changes, ids, metadata and attachments', () => {
    const a = nb([code('x', { id: 'c1', outputs: [stream('x')], count: 3 }), { cell_type: 'markdown', id: 'm1', source: '![a](attachment:a.png)', metadata: { tags: ['t'] }, attachments: { 'a.png': { 'image/png': 'AAAA' } } }]);
    const b = nb([md('x', 'c1'), { cell_type: 'markdown', id: 'm2', source: '![a](attachment:a.png)', metadata: { tags: ['t', 'u'] }, attachments: { 'a.png': { 'image/png': 'BBBB' } }, extra: 1 } as never]);
    const d = roundTrip(a, b);
    const e = d.cells[1]!;
    if (e.status !== 'modified') throw new Error('expected modified');
    expect(Object.keys(e.changes).sort()).toEqual(['attachments', 'id', 'metadata', 'other']);
    const t = d.cells[0]!;
    if (t.status !== 'modified') throw new Error('expected modified');
    expect(t.changes.cell_type).toEqual({ base: 'code', head: 'markdown' });
  });

  it('reports notebook metadata and nbformat changes', () => {
    const a = nb([md('x')], { nbformat_minor: 1, metadata: { kernelspec: { name: 'python2' } } });
    const b = nb([md('x')], { nbformat_minor: 4, metadata: { kernelspec: { name: 'python3' } } });
    const d = roundTrip(a, b);
    expect(d.notebook.nbformat).toEqual({ base: [4, 1], head: [4, 4] });
    expect(d.notebook.metadata).toEqual([{ op: 'replace', path: ['kernelspec', 'name'], old: 'python2', value: 'python3' }]);
    expect(d.changed).toBe(true);
  });
});

describe('options', () => {
  it('ignores outputs, execution counts, metadata and ids on request', () => {
    const a = nb([code('x', { id: 'a', count: 1, outputs: [result('1', 1)], metadata: { collapsed: true } })]);
    const b = nb([code('x', { id: 'b', count: 2, outputs: [result('2', 2)], metadata: { collapsed: false } })]);
    expect(diffNotebooks(a, b).changed).toBe(true);
    const d = diffNotebooks(a, b, { ignoreOutputs: true, ignoreExecutionCount: true, ignoreIds: true, ignorePaths: ['/cells/*/metadata/collapsed'] });
    expect(d.changed).toBe(false);
    expect(d.ignored).toEqual(['outputs', 'execution_count', 'id', 'path:/cells/*/metadata/collapsed']);
    expect(diffNotebooks(a, b, { ignoreExecutionCount: true, ignoreIds: true, ignoreMetadata: true }).changed).toBe(true);
  });

  it('ignores whitespace-only edits on request', () => {
    const a = nb([code('x = 1 + 2')]);
    const b = nb([code('x  =  1 + 2   ')]);
    expect(diffNotebooks(a, b).changed).toBe(true);
    expect(diffNotebooks(a, b, { ignoreWhitespace: true }).changed).toBe(false);
  });

  it('rejects out-of-range thresholds', () => {
    expect(() => diffNotebooks(nb([]), nb([]), { similarity: 2 })).toThrow(/similarity/);
  });
});
