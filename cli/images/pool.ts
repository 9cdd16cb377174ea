import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compareImages } from '../../lib/diff/image.js';
import type { ImageResult, ImageTask } from '../../lib/diff/image-batch.js';

// Threads load compiled JavaScript: from the sources (under vitest) that is the build's copy in dist/.
const WORKER = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/cli/images/worker.js', import.meta.url)
  : new URL('./worker.js', import.meta.url);

/** What a thread is sent: every task, and the shared cursor it takes the next task index from. */
export interface PoolJob {
  tasks: readonly ImageTask[];
  cursor: SharedArrayBuffer;
}

/** What a thread sends back: one message per task it took, then one when the queue is empty. */
export type PoolMessage = { index: number; result: ImageResult } | { done: true };

/**
 * Compares image pairs on all cores; results in task order. Every thread, the main one included, takes the
 * next task from one atomic cursor until none is left, so the threads share the work however long each pair
 * takes and however late a thread starts (about 40 ms): no thread idles while another has a queue, and
 * a thread that starts after the work is done takes nothing. Tasks a thread could not finish (it crashed)
 * are compared here.
 */
export async function compareAll(tasks: readonly ImageTask[], threads = availableParallelism()): Promise<ImageResult[]> {
  const compareHere = (t: ImageTask) => compareImages(t.mime, t.base, t.head, t.options);
  if (tasks.length < 2 || threads < 2) return tasks.map(compareHere);

  const cursor = new SharedArrayBuffer(4);
  const next = new Int32Array(cursor);
  const results = new Array<ImageResult | undefined>(tasks.length);
  const workers = Array.from({ length: threads - 1 }, () => startWorker({ tasks, cursor }, results));

  const mine = new Uint8Array(tasks.length);
  for (let i = Atomics.add(next, 0, 1); i < tasks.length; i = Atomics.add(next, 0, 1)) {
    mine[i] = 1;
    results[i] = compareHere(tasks[i]!);
  }
  // Every index is taken now: those not taken here are being compared (or were) by a thread.
  const theirs = tasks.some((_, i) => !mine[i]);
  try {
    if (theirs) await Promise.all(workers.map((w) => w.finished));
  } finally {
    // Not awaited: a thread still starting up would hold the answer back by its whole start-up.
    for (const w of workers) {
      w.worker.unref();
      void w.worker.terminate();
    }
  }
  return results.map((r, i) => r ?? compareHere(tasks[i]!));
}

interface Running {
  worker: Worker;
  /** Settles when the thread reported its queue empty, or ended (a crash: its tasks are redone here). */
  finished: Promise<void>;
}

function startWorker(job: PoolJob, results: (ImageResult | undefined)[]): Running {
  const worker = new Worker(WORKER);
  const finished = new Promise<void>((resolve) => {
    worker.on('message', (m: PoolMessage) => {
      if ('done' in m) resolve();
      else results[m.index] = m.result;
    });
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
  });
  worker.postMessage(job);
  return { worker, finished };
}
