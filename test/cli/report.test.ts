import { afterEach, describe, expect, it, vi } from 'vitest';
import { codeCell as code, notebookOf as nb } from '../render/builder.js';
import { withColors } from '../../cli/report.js';
import { diffNotebooks } from '../../lib/diff/notebook.js';
import { reviewFile, reviewPayload, type ReviewFile } from '../../lib/review.js';

afterEach(() => vi.restoreAllMocks());

describe('withColors (the review the viewer is given)', () => {
  it('adds both schemes\' tables for the changed code', async () => {
    const base = nb([code('x = 1', 'a')]);
    const head = nb([code('x = 2', 'a')]);
    const review = reviewPayload('t', [reviewFile('n.ipynb', diffNotebooks({ notebook: base, name: 'a' }, { notebook: head, name: 'b' }), base, head)]);
    const colored = await withColors(review);
    expect(Object.keys(colored.colors!.light!.texts)).toHaveLength(2);
    expect(Object.keys(colored.colors!.dark!.texts)).toHaveLength(2);
    expect({ ...colored, colors: undefined }).toEqual({ ...review, colors: undefined });
  });

  it('is only a shortcut: if coloring fails, a warning, and the review as it was (the page colors it)', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const broken = { get diff(): never { throw new Error('boom'); } } as unknown as ReviewFile;
    const review = reviewPayload('t', [broken]);
    const result = await withColors(review);
    expect(result).toBe(review);
    expect(result.colors).toBeUndefined();
    expect(stderr).toHaveBeenCalledWith(expect.stringMatching(/^cellwise: warning: could not color the code ahead of time \(boom\); the page will\n$/));
  });
});
