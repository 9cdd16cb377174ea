import { describe, expect, it } from 'vitest';
import { recordImages, replayImages } from '../../lib/diff/image-batch.js';
import { compareImages } from '../../lib/diff/image.js';
import { DiffMemo } from '../../lib/diff/memo.js';
import { diffNotebooks } from '../../lib/diff/notebook.js';
import type { DiffOptions } from '../../lib/diff/options.js';
import { pairNames, readCorpus } from '../corpus/corpus.js';

// The two-pass image batch reuses the first pass's alignment and image-free cells in the second: on every
// corpus pair, with and without ignore options, the result must be the diff made in one go.
describe('a second pass with the first pass memo', () => {
  const optionSets: DiffOptions[] = [{}, { ignoreExecutionCount: true, ignorePaths: ['/cells/*/metadata'], imageTolerance: 0.01 }];
  for (const name of pairNames()) {
    it(`equals one pass: ${name}`, () => {
      const base = readCorpus(`pairs/${name}/base.ipynb`);
      const head = readCorpus(`pairs/${name}/head.ipynb`);
      for (const options of optionSets) {
        const memo = new DiffMemo();
        const recorder = recordImages();
        diffNotebooks(base, head, { ...options, compareImage: recorder.compare }, memo);
        const results = recorder.tasks.map((t) => compareImages(t.mime, t.base, t.head, t.options));
        const second = diffNotebooks(base, head, { ...options, compareImage: replayImages(recorder.tasks, results) }, memo);
        expect(second).toEqual(diffNotebooks(base, head, options));
        // Only the cells that compared images were left to the second pass.
        expect(memo.cells.size).toBeGreaterThan(0);
      }
    });
  }

  it('is not used for other notebooks', () => {
    const [a, b, c] = pairNames();
    const memo = new DiffMemo();
    const nb = (n: string, side: string) => readCorpus(`pairs/${n}/${side}.ipynb`);
    diffNotebooks(nb(a!, 'base'), nb(a!, 'head'), {}, memo);
    const other = [nb(b!, 'base'), nb(c!, 'head')] as const;
    expect(diffNotebooks(other[0], other[1], {}, memo)).toEqual(diffNotebooks(other[0], other[1]));
  });
});
