import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diffNotebooks } from '../../lib/diff/notebook.js';
import { parseNotebook } from '../../lib/notebook/index.js';
import { checkNotebook } from '../../lib/stale/check.js';
import { compareRun } from '../../lib/stale/compare.js';
import { skipTag, textNormalizer, defaultNormalizeOptions, withinTolerance } from '../../lib/stale/normalize.js';
import { staleCells } from '../../lib/stale/review.js';
import { cellwise, ROOT } from '../cli/run.js';
import { code, display, error, md, nb, result, stream } from '../core/helpers.js';

const fixture = (path: string) => parseNotebook(readFileSync(join(ROOT, path)), path).notebook;

describe('checkNotebook', () => {
  it('finds nothing in a notebook run top to bottom', () => {
    expect(checkNotebook(nb([md('# t'), code('a = 1', { count: 1 }), code('a', { count: 2, outputs: [result('1', 2)] })]))).toEqual([]);
    expect(checkNotebook(nb([code('a = 1'), code('a')]))).toEqual([]); // never run at all: nothing to say
  });

  it('flags counts that go down, gaps, unexecuted cells and saved errors', () => {
    const findings = checkNotebook(nb([
      code('x = 1', { count: 1 }),
      code('print(x)', { count: 4, outputs: [stream('2\n')] }),
      code('x = 2', { count: 2 }),
      code('y = 3'),
      code('', {}),
      code('1/0', { count: 6, outputs: [error('ZeroDivisionError', 'division by zero')] }),
    ]));
    expect(findings.map((f) => [f.rule, f.index])).toEqual([
      ['stale-counts', 1], ['out-of-order', 2], ['not-executed', 3], ['stale-counts', 5], ['error-output', 5],
    ]);
    expect(findings[1]!.message).toBe('ran as [2] but cell 2 above it ran later as [4] (hidden state risk)');
    expect(findings[0]!.message).toContain('from [1] (cell 1) to [4]: 1 execution not in the notebook');
    expect(findings[4]!.message).toBe('saved error output: ZeroDivisionError: division by zero');
  });

  it('does not call a count a gap when the missing number is on a cell below (that is out of order)', () => {
    const findings = checkNotebook(nb([code('a', { count: 1 }), code('b', { count: 3 }), code('c', { count: 2 })]));
    expect(findings.map((f) => f.rule)).toEqual(['out-of-order']);
  });

  it('reports a first count above 1', () => {
    expect(checkNotebook(nb([code('a', { count: 5 })]))[0]!.message).toMatch(/^first execution count is \[5\], not \[1\]/);
  });

  it('agrees with the example pair: base was run out of order and re-run, head top to bottom', () => {
    const base = checkNotebook(fixture('fixtures/examples/analysis-base.ipynb'));
    expect(base.map((f) => `${f.rule}@${f.index + 1}`)).toEqual(['out-of-order@7', 'error-output@8', 'stale-counts@12', 'out-of-order@13']);
    expect(checkNotebook(fixture('fixtures/examples/analysis-head.ipynb'))).toEqual([]);
  });
});

describe('cellwise check', () => {
  it('prints one line per finding and exits 1; 0 when clean; 2 for an unreadable file', () => {
    const r = cellwise(['check', 'fixtures/stale/out-of-order.ipynb']);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe(
      'fixtures/stale/out-of-order.ipynb: cell 3: out-of-order: ran as [2] but cell 2 above it ran later as [3] (hidden state risk)\n' +
      '1 finding in 1 notebook\n',
    );
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('1 finding in 1 notebook');
    expect(cellwise(['check', 'fixtures/stale/fresh.ipynb']).status).toBe(0);
    const bad = cellwise(['check', 'fixtures/stale/fresh.ipynb', 'no/such.ipynb']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('cellwise: cannot read no/such.ipynb: no such file\n');
  });

  it('--json lists findings with 0-based indices', () => {
    const r = cellwise(['check', '--json', 'fixtures/stale/out-of-order.ipynb', 'fixtures/stale/fresh.ipynb']);
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      format: 'cellwise-check', version: 1,
      notebooks: [
        { file: 'fixtures/stale/out-of-order.ipynb', findings: [{ rule: 'out-of-order', index: 2, message: 'ran as [2] but cell 2 above it ran later as [3] (hidden state risk)' }] },
        { file: 'fixtures/stale/fresh.ipynb', findings: [] },
      ],
    });
  });
});

describe('normalization', () => {
  const normalize = textNormalizer(defaultNormalizeOptions);

  it('masks memory addresses but not short hex values', () => {
    expect(normalize('<Foo object at 0x7f3a2c1b5e80> 0xff')).toBe('<Foo object at 0x…> 0xff');
  });

  it('applies user sanitizers before comparing', () => {
    const n = textNormalizer({ ...defaultNormalizeOptions, sanitizers: [{ regex: '\\d{4}-\\d\\d-\\d\\d', replace: 'DATE' }] });
    expect(n('run on 2024-05-01')).toBe('run on DATE');
  });

  it('accepts floats within the relative tolerance, line by line, and never integers', () => {
    expect(withinTolerance('0.3\n', '0.30000000000000004\n', 1e-9)).toBe('0.3\n');
    expect(withinTolerance('a 1.0\nb 2.0', 'a 1.0000001\nb 2.5', 1e-6)).toBe('a 1.0\nb 2.5');
    expect(withinTolerance('1000', '1001', 0.01)).toBe('1001');
    expect(withinTolerance('x = 1.0', 'y = 1.0', 0.5)).toBe('y = 1.0');
  });

  it('knows the skip tags', () => {
    const tagged = (tags: string[]) => code('x', { metadata: { tags } });
    expect(skipTag(tagged(['cellwise: skip']))).toBe('cellwise: skip');
    expect(skipTag(tagged(['nbval-skip']))).toBe('nbval-skip');
    expect(skipTag(code('x', { metadata: { cellwise: 'skip' } }))).toBe('cellwise: skip');
    expect(skipTag(tagged(['other']))).toBeUndefined();
  });
});

describe('compareRun', () => {
  const saved = nb([
    md('# t'),
    code('print(1)', { count: 1, outputs: [stream('1\n')] }),
    code('obj', { count: 2, outputs: [result('<A at 0x7f0000000001>', 2)] }),
    code('f()', { count: 3, outputs: [result('42', 3)] }),
    code('g()', { count: 4, outputs: [stream('ok\n')] }),
    code('h()', { count: 5, outputs: [error('KeyError', "'a'")] }),
  ]);

  it('calls outputs fresh up to counts, metadata, addresses and stream splits; stale or error otherwise', () => {
    const fresh = new Map([
      [1, [stream('1\n')]],
      [2, [{ ...result('<A at 0x7fffffffff02>', 9), metadata: { x: 1 } }]],
      [3, [result('43', 9)]],
      [4, [error('NameError', "name 'g' is not defined")]],
      [5, [error('KeyError', "'b'")]],
    ]);
    const { verdicts, diff } = compareRun(saved, fresh);
    expect(verdicts.map((v) => [v.index, v.status])).toEqual([[1, 'fresh'], [2, 'fresh'], [3, 'stale'], [4, 'error'], [5, 'stale']]);
    expect(verdicts[3]!.error).toEqual({ ename: 'NameError', evalue: "name 'g' is not defined" });
    expect(verdicts[2]!.changes?.entries[0]?.status).toBe('modified');
    expect(diff.summary.modified).toBe(3);
  });

  it('merges stream outputs the kernel split differently', () => {
    const { verdicts } = compareRun(saved, new Map([[1, [stream(''), stream('1'), stream('\n')]]]));
    expect(verdicts).toEqual([{ index: 1, status: 'fresh' }]);
  });

  it('compares images with the pixel diff and its tolerance', () => {
    const png = (color: string) => display({ 'image/png': color });
    // Two different base64 payloads that do not decode: compared by bytes, so they differ.
    const { verdicts } = compareRun(nb([code('plot', { outputs: [png('AAAA')] })]), new Map([[0, [png('BBBB')]]]));
    expect(verdicts[0]!.status).toBe('stale');
  });
});

describe('staleCells', () => {
  it('lists the example head cell whose source changed but whose outputs did not', () => {
    const diff = diffNotebooks(fixture('fixtures/examples/analysis-base.ipynb'), fixture('fixtures/examples/analysis-head.ipynb'));
    expect(staleCells(diff)).toEqual([{ base: 10, head: 10, reason: 'outputs' }]);
  });

  it('on request, also lists a cell whose outputs changed while its execution count did not', () => {
    const diff = diffNotebooks(
      nb([code('x = 1\nx', { id: 'a', count: 3, outputs: [result('1', 3)] })]),
      nb([code('x = 2\nx', { id: 'a', count: 3, outputs: [result('2', 3)] })]),
    );
    expect(staleCells(diff)).toEqual([]);
    expect(staleCells(diff, { sameCount: true })).toEqual([{ base: 0, head: 0, reason: 'execution-count' }]);
  });
});
