/** A worker thread that compares image pairs for the main thread, taking tasks from the shared cursor (pool.ts). */
import { parentPort } from 'node:worker_threads';
import { compareImages } from '../../lib/diff/image.js';
import type { PoolJob, PoolMessage } from './pool.js';

parentPort!.once('message', ({ tasks, cursor }: PoolJob) => {
  const next = new Int32Array(cursor);
  for (let i = Atomics.add(next, 0, 1); i < tasks.length; i = Atomics.add(next, 0, 1)) {
    const t = tasks[i]!;
    parentPort!.postMessage({ index: i, result: compareImages(t.mime, t.base, t.head, t.options) } satisfies PoolMessage);
  }
  parentPort!.postMessage({ done: true } satisfies PoolMessage);
});
