import { describe, expect, it } from 'vitest';
import { parseNotebook, serializeNotebook } from '../../lib/notebook/index.js';
import type { Cell, Notebook } from '../../lib/model.js';

/** A notebook of about 50 MB, mostly base64 images, as plotting notebooks are. */
function largeNotebook(): Notebook {
  const image = 'iVBORw0KGgo' + 'AAAANSUhEUgAAAoAAAAHgCAYAAAA10dzkAAAAOXRFWHRTb2Z0d2FyZQ'.repeat(320);
  const cells: Cell[] = [];
  for (let i = 0; i < 2500; i++) {
    cells.push({
      id: `cell-${i}`,
      cell_type: 'code',
      execution_count: i + 1,
      metadata: {},
      source: `fig, ax = plt.subplots()\nax.plot(x, y * ${i})\n`,
      outputs: [
        { output_type: 'stream', name: 'stdout', text: 'epoch 1\r'.repeat(20) + 'done\n' },
        { output_type: 'display_data', metadata: {}, data: { 'image/png': `${image}${i}`, 'text/plain': '<Figure size 640x480 with 1 Axes>' } },
      ],
    });
  }
  return { nbformat: 4, nbformat_minor: 5, metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } }, cells };
}

describe('a 50 MB notebook', () => {
  it('reads and writes back byte for byte, in well under the time a review allows', () => {
    const text = serializeNotebook(largeNotebook());
    const bytes = new TextEncoder().encode(text);
    expect(bytes.length).toBeGreaterThan(45e6);

    const start = performance.now();
    const parsed = parseNotebook(bytes, 'large.ipynb');
    const written = serializeNotebook(parsed.notebook);
    const elapsed = performance.now() - start;

    expect(parsed.warnings).toEqual([]);
    expect(parsed.notebook.cells).toHaveLength(2500);
    expect(written === text).toBe(true);
    // About 0.7 s on the 2-core machines this project runs on; the bound only catches a quadratic slip.
    expect(elapsed).toBeLessThan(10_000);
  });
});
