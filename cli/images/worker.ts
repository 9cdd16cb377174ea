/** A worker thread that compares image pairs for the main thread, taking tasks from the shared cursor (pool.ts). */
import { parentPort } from 'node:worker_threads';
import { compareShared, type PoolJob, type PoolMessage } from './pool.js';

parentPort!.once('message', ({ tasks, payloads, cursor }: PoolJob) => {
  const next = new Int32Array(cursor);
  const bytes = Buffer.from(payloads);
  for (let i = Atomics.add(next, 0, 1); i < tasks.length; i = Atomics.add(next, 0, 1)) {
    parentPort!.postMessage({ index: i, result: compareShared(tasks[i]!, bytes) } satisfies PoolMessage);
  }
  parentPort!.postMessage({ done: true } satisfies PoolMessage);
});
