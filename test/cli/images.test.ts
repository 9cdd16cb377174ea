import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSides } from '../../cli/diff-sides.js';
import { compareAll, startImageThreads } from '../../cli/images/pool.js';
import { compareImages } from '../../lib/diff/image.js';
import { recordImages } from '../../lib/diff/image-batch.js';
import { diffNotebooks } from '../../lib/diff/notebook.js';
import { parseNotebook } from '../../lib/notebook/index.js';
import { CORPUS } from '../corpus/corpus.js';

const load = (p: string) => parseNotebook(readFileSync(join(CORPUS, p)), p);

describe('image comparisons on all cores', () => {
  const base = load('pairs/hml2-tools_matplotlib-43-png-rerendered/base.ipynb');
  const head = load('pairs/hml2-tools_matplotlib-43-png-rerendered/head.ipynb');

  it('gives the same diff as comparing on one thread', async () => {
    const serial = diffNotebooks(base, head);
    const parallel = await diffSides(base, head, {});
    expect(parallel).toEqual(serial);
    expect(serial.summary.imagesChanged).toBeGreaterThan(20);
  });

  it('keeps results in task order whatever the share each thread got', async () => {
    const recorder = recordImages();
    diffNotebooks(base, head, { compareImage: recorder.compare });
    expect(recorder.tasks.length).toBeGreaterThan(20);
    const results = await compareAll(recorder.tasks, startImageThreads(2));
    results.forEach((r, i) => {
      const t = recorder.tasks[i]!;
      expect(r).toEqual(compareImages(t.mime, t.base, t.head, t.options));
    });
  });
});
