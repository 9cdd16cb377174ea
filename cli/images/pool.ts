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
 * are compared here. `threads` may have been started earlier (startImageThreads); they are used once. With
 * no thread (one core), the loop below simply takes every task here.
 */
export async function compareAll(tasks: readonly ImageTask[], threads?: ImageThreads): Promise<ImageResult[]> {
  const compareHere = (t: ImageTask) => compareImages(t.mime, t.base, t.head, t.options);
  if (tasks.length < 2) {
    threads?.close();
    return tasks.map(compareHere);
  }
  const pool = threads ?? startImageThreads();

  const cursor = new SharedArrayBuffer(4);
  const next = new Int32Array(cursor);
  const results = new Array<ImageResult | undefined>(tasks.length);
  const finished = pool.workers.map((w) => run(w, { tasks, cursor }, results));

  for (let i = Atomics.add(next, 0, 1); i < tasks.length; i = Atomics.add(next, 0, 1)) results[i] = compareHere(tasks[i]!);
  // Every index is taken now. The threads' messages are only read once this thread waits, so a result still
  // missing is a task a thread took.
  const theirs = results.includes(undefined);
  try {
    if (theirs) {
      for (const w of pool.workers) w.ref();
      await Promise.all(finished);
    }
  } finally {
    pool.close();
  }
  return results.map((r, i) => r ?? compareHere(tasks[i]!));
}

/** Threads started ahead of the work (while the notebooks are read), for one compareAll. */
export interface ImageThreads {
  readonly workers: readonly Worker[];
  /** Ends the threads without waiting for them; a thread still starting must not hold anything back. */
  close(): void;
}

/** Starts `count` image threads (by default one per core but this one) now, to be given to compareAll. */
export function startImageThreads(count = availableParallelism() - 1): ImageThreads {
  const workers = Array.from({ length: Math.max(0, count) }, () => new Worker(WORKER));
  // Unreferenced until compareAll waits on them: should the caller fail before (a notebook that does not
  // parse), idle threads must not keep the process alive.
  for (const w of workers) w.unref();
  return {
    workers,
    close() {
      for (const w of workers) {
        w.unref();
        void w.terminate();
      }
    },
  };
}

/** Gives a thread the job; settles when it reports its queue empty, or ends (a crash: its tasks are redone). */
function run(worker: Worker, job: PoolJob, results: (ImageResult | undefined)[]): Promise<void> {
  return new Promise<void>((resolve) => {
    worker.on('message', (m: PoolMessage) => {
      if ('done' in m) resolve();
      else results[m.index] = m.result;
    });
    worker.once('error', () => resolve());
    worker.once('exit', () => resolve());
    worker.postMessage(job);
  });
}
