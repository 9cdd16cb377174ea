import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compareImages } from '../../lib/diff/image.js';
import type { ImageResult, ImageTask } from '../../lib/diff/image-batch.js';

// Threads load compiled JavaScript: from the sources (under vitest) that is the build's copy in dist/.
const WORKER = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/cli/images/worker.js', import.meta.url)
  : new URL('./worker.js', import.meta.url);

// Below this many pairs, starting a thread (about 50 ms) costs more than it saves.
const MIN_PARALLEL_TASKS = 24;

/**
 * Compares image pairs on all cores; results in task order. The main thread takes a share itself (one thread
 * fewer to start), and each share is one message each way: batches balanced by payload size beat a
 * task queue, whose round trips left the threads idle.
 */
export async function compareAll(tasks: readonly ImageTask[], threads = availableParallelism()): Promise<ImageResult[]> {
  const compareHere = (t: ImageTask) => compareImages(t.mime, t.base, t.head, t.options);
  if (tasks.length < MIN_PARALLEL_TASKS || threads < 2) return tasks.map(compareHere);
  const shares = balance(tasks, threads);
  const workers = shares.slice(1).map((share) => {
    const worker = new Worker(WORKER);
    const done = new Promise<ImageResult[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`image comparison thread exited with code ${code}`)));
    });
    worker.postMessage(share.map((i) => tasks[i]));
    return { worker, share, done };
  });
  const results = new Array<ImageResult>(tasks.length);
  for (const i of shares[0]!) results[i] = compareHere(tasks[i]!);
  try {
    for (const w of workers) {
      const out = await w.done;
      w.share.forEach((i, k) => { results[i] = out[k]!; });
    }
  } finally {
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
  return results;
}

/** Splits task indices into `n` shares of about equal payload (largest first, each to the lightest share). */
function balance(tasks: readonly ImageTask[], n: number): number[][] {
  const shares = Array.from({ length: n }, () => ({ weight: 0, items: [] as number[] }));
  const order = tasks.map((t, i) => ({ i, w: t.base.length + t.head.length })).sort((a, b) => b.w - a.w);
  for (const { i, w } of order) {
    const lightest = shares.reduce((a, b) => (b.weight < a.weight ? b : a));
    lightest.items.push(i);
    lightest.weight += w;
  }
  return shares.map((s) => s.items);
}
