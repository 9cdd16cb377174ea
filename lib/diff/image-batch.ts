import type { ImageComparison } from '../model.js';
import { compareImages, type ImageOptions } from './image.js';

/** What compares two images: `compareImages` itself, or a stand-in that runs it elsewhere (other threads). */
export type ImageComparer = (mime: string, base: string, head: string, options: ImageOptions) => ImageResult;
export type ImageResult = { comparison: ImageComparison; significant: boolean };

export interface ImageTask {
  mime: string;
  base: string;
  head: string;
  options: ImageOptions;
}

/**
 * `compare`, asked once per distinct pair: a notebook that shows the same plot in several cells (or a
 * display updated in place) holds the same base and head payloads more than once, and each comparison
 * decodes and walks every pixel. Long strings are compared by content only when their lengths match.
 */
export function onePerPair(compare: ImageComparer): ImageComparer {
  const seen = new Map<string, Map<string, { mime: string; options: ImageOptions; result: ImageResult }>>();
  return (mime, base, head, options) => {
    let byHead = seen.get(base);
    const known = byHead?.get(head);
    if (known && known.mime === mime && known.options === options) {
      return { comparison: { ...known.result.comparison }, significant: known.result.significant };
    }
    const result = compare(mime, base, head, options);
    if (!byHead) seen.set(base, (byHead = new Map()));
    byHead.set(head, { mime, options, result });
    return result;
  };
}

/**
 * Pixel comparison is most of a diff's time on notebooks full of plots, and it is the one part that can run
 * in parallel. A diff is therefore made in two passes: the first records every image pair it would compare
 * (answering provisionally), the caller compares them however it likes (threads), and the second pass
 * replays the results in the same order. Everything but the images is cheap enough to do twice.
 */
export function recordImages(): { compare: ImageComparer; tasks: ImageTask[] } {
  const tasks: ImageTask[] = [];
  const compare: ImageComparer = (mime, base, head, options) => {
    tasks.push({ mime, base, head, options });
    const unknown = { width: 0, height: 0, bytes: 0 };
    return {
      comparison: { format: 'other', base: unknown, head: unknown, changedPixels: 0, totalPixels: 0, sizeChanged: false, reencoded: false },
      significant: true,
    };
  };
  return { compare, tasks };
}

/** Answers with `results[i]` for the i-th comparison asked for, when it is the same pair as `tasks[i]`. */
export function replayImages(tasks: readonly ImageTask[], results: readonly ImageResult[]): ImageComparer {
  let i = 0;
  return (mime, base, head, options) => {
    const task = tasks[i];
    const result = results[i++];
    // The second pass asks in the same order; should it ever not, compare here rather than answer wrongly.
    if (task && result && task.base === base && task.head === head && task.mime === mime) return result;
    return compareImages(mime, base, head, options);
  };
}
