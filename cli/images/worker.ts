/** A worker thread that compares a batch of image pairs for the main thread (see pool.ts). */
import { parentPort } from 'node:worker_threads';
import { compareImages } from '../../lib/diff/image.js';
import type { ImageTask } from '../../lib/diff/image-batch.js';

parentPort!.on('message', (tasks: ImageTask[]) => {
  parentPort!.postMessage(tasks.map((t) => compareImages(t.mime, t.base, t.head, t.options)));
});
