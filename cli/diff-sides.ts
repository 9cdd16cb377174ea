import { recordImages, replayImages } from '../lib/diff/image-batch.js';
import { DiffMemo } from '../lib/diff/memo.js';
import { diffNotebooks, type DiffSide } from '../lib/diff/notebook.js';
import type { DiffOptions } from '../lib/diff/options.js';
import type { NotebookDiff } from '../lib/model.js';
import { compareAll, type ImageThreads } from './images/pool.js';

/** A progress bar for `total` image comparisons (cli/progress.ts), or none. */
export type ImageProgress = (total: number) => { update(done: number): void; end(): void } | undefined;

/**
 * diffNotebooks with the pixel comparisons spread over all cores: a first pass finds the image pairs, the
 * threads compare them, a second pass builds the diff with their results (see lib/diff/image-batch.ts).
 */
export async function diffSides(base: DiffSide, head: DiffSide, options: DiffOptions, threads?: ImageThreads, progress?: ImageProgress): Promise<NotebookDiff> {
  const recorder = recordImages();
  const memo = new DiffMemo();
  const first = diffNotebooks(base, head, { ...options, compareImage: recorder.compare }, memo);
  if (recorder.tasks.length === 0) {
    threads?.close();
    return first;
  }
  const shown = progress?.(recorder.tasks.length);
  let results;
  try {
    results = await compareAll(recorder.tasks, { threads, progress: shown && ((n) => shown.update(n)) });
  } finally {
    shown?.end();
  }
  // The second pass redoes only the cells that compared images.
  return diffNotebooks(base, head, { ...options, compareImage: replayImages(recorder.tasks, results) }, memo);
}
