import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { compareImageBytes, compareImages, type ImageOptions } from '../../lib/diff/image.js';
import { imageSize } from '../../lib/image/info.js';
import type { ImageResult, ImageTask } from '../../lib/diff/image-batch.js';

// Threads load compiled JavaScript: from the sources (under vitest) that is the build's copy in dist/.
const WORKER = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/cli/images/worker.js', import.meta.url)
  : new URL('./worker.js', import.meta.url);

/**
 * What a thread is sent: every task, its payloads as offsets into shared memory, and the shared cursor it
 * takes the next task index from. Posting the base64 strings instead copied them twice (serialized here,
 * deserialized there): 0.2 s of this thread's time for the 8 MB of plots of one corpus pair, during which
 * the other thread waited for its job.
 */
export interface PoolJob {
  tasks: readonly SharedTask[];
  payloads: SharedArrayBuffer;
  cursor: SharedArrayBuffer;
}

export interface SharedTask {
  mime: string;
  options: ImageOptions;
  /** [start, end) of each side's decoded bytes in `payloads`. */
  base: [number, number];
  head: [number, number];
}

export interface CompareAllOptions {
  /** Threads started earlier (startImageThreads), to use instead of starting new ones. */
  threads?: ImageThreads | undefined;
  /** Told the number of comparisons started so far, by any thread. */
  progress?: ((started: number) => void) | undefined;
  /** The work (imageWork) from which other threads take part. */
  minWork?: number;
}

/** What a thread sends back: one message per task it took, then one when the queue is empty. */
export type PoolMessage = { index: number; result: ImageResult } | { done: true };

/**
 * Compares image pairs on all cores; results in task order. Every thread, the main one included, takes the
 * next task from one atomic cursor until none is left, so the threads share the work however long each pair
 * takes and however late a thread starts (about 40 ms): no thread idles while another has a queue, and
 * a thread that starts after the work is done takes nothing. Tasks a thread could not finish (it crashed)
 * are compared here. `threads` may have been started earlier (startImageThreads); they are used once. With
 * no thread (one core), the loop below simply takes every task here; with less work than `minWork` (by
 * default THREAD_WORK), so does this thread alone, and the threads given are ended.
 */
export async function compareAll(tasks: readonly ImageTask[], how: CompareAllOptions = {}): Promise<ImageResult[]> {
  const { threads, progress, minWork = THREAD_WORK } = how;
  const compareHere = (t: ImageTask) => compareImages(t.mime, t.base, t.head, t.options);
  if (tasks.length < 2 || imageWork(tasks) < minWork) {
    threads?.close();
    return tasks.map((t, i) => {
      progress?.(i + 1);
      return compareHere(t);
    });
  }
  const pool = threads ?? startImageThreads();

  const job = shareTasks(tasks);
  const next = new Int32Array(job.cursor);
  const results = new Array<ImageResult | undefined>(tasks.length);
  const finished = pool.workers.map((w) => run(w, job, results));

  const payloads = Buffer.from(job.payloads);
  for (let i = Atomics.add(next, 0, 1); i < tasks.length; i = Atomics.add(next, 0, 1)) {
    results[i] = compareShared(job.tasks[i]!, payloads);
    // The pairs taken so far, by either thread: this thread cannot see the others' results until it waits.
    progress?.(Math.min(Atomics.load(next, 0), tasks.length));
  }
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

/**
 * The work, in pixels, from which comparing on more threads than this one pays. A thread takes about 45 ms
 * of CPU to start and warms up its own copy of the decoders and pixelmatch, on the core V8's compiler and
 * collector otherwise use. Measured on the corpus pairs on 2 cores (best of 5, this thread alone against the
 * pool): alone was faster or equal up to about 10 Mpx of work (pandas 320 against 360 ms, the linear
 * algebra plots 428 against 465), the pool from 13 Mpx (hml2-09 885 against 915 ms, the 50 MB pair 1,422
 * against 1,541).
 */
export const THREAD_WORK = 12_000_000;

/**
 * A comparison's work in pixels, from the images' headers: both images are decoded, and a resized pair whose
 * pixels are counted is compared on the larger canvas, where a shifted plot makes most pixels differ and
 * pixelmatch's anti-aliasing checks cost about three decodes' worth (the seaborn pair: alone 701 against
 * 672 ms with the pool, when counted).
 */
export function imageWork(tasks: readonly ImageTask[]): number {
  let work = 0;
  for (const t of tasks) {
    const base = imageSize(t.base);
    const head = imageSize(t.head);
    if (!base || !head) continue;
    work += base.width * base.height + head.width * head.height;
    if (t.options.countResized && (base.width !== head.width || base.height !== head.height)) {
      work += 3 * Math.max(base.width, head.width) * Math.max(base.height, head.height);
    }
  }
  return work;
}

/** The tasks with their payloads decoded from base64 into one block of shared memory. */
function shareTasks(tasks: readonly ImageTask[]): PoolJob {
  let size = 0;
  for (const t of tasks) size += Math.ceil((t.base.length * 3) / 4) + Math.ceil((t.head.length * 3) / 4);
  const payloads = new SharedArrayBuffer(size);
  const bytes = Buffer.from(payloads);
  let at = 0;
  const put = (b64: string): [number, number] => {
    const start = at;
    at += bytes.write(b64, at, 'base64');
    return [start, at];
  };
  const shared = tasks.map((t): SharedTask => ({ mime: t.mime, options: t.options, base: put(t.base), head: put(t.head) }));
  return { tasks: shared, payloads, cursor: new SharedArrayBuffer(4) };
}

/** Compares a shared task; `payloads` is a Buffer over the job's shared memory. */
export function compareShared(t: SharedTask, payloads: Buffer): ImageResult {
  return compareImageBytes(t.mime, payloads.subarray(t.base[0], t.base[1]), payloads.subarray(t.head[0], t.head[1]), t.options);
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
