import type { Ignored } from '../model.js';
import { compareImages } from './image.js';
import type { ImageComparer } from './image-batch.js';

/** What the caller can tune. Every field is optional; `resolveOptions` fills in the defaults. */
export interface DiffOptions {
  /** Leave outputs out of the comparison. */
  ignoreOutputs?: boolean;
  /** Leave notebook, cell and output metadata out. */
  ignoreMetadata?: boolean;
  /** Leave execution counts (cells and execute_result outputs) out. */
  ignoreExecutionCount?: boolean;
  /** Leave cell ids out (cells are then matched by content only). */
  ignoreIds?: boolean;
  /** Lines that differ only in whitespace count as equal. */
  ignoreWhitespace?: boolean;
  /** nbdime-style paths to leave out, `*` matching any key or index: `/cells/*\/metadata/collapsed`. */
  ignorePaths?: string[];
  /** Source similarity in [0, 1] from which two cells of one type in the same gap are one modified cell. */
  similarity?: number;
  /** Stricter similarity for pairing a removed and an added cell far apart as one moved cell. */
  moveSimilarity?: number;
  /** pixelmatch's per-pixel colour threshold in [0, 1]. */
  imageThreshold?: number;
  /** Fraction of pixels that may change while an image still counts as visually unchanged. */
  imageTolerance?: number;
  /** Put a diff-mask PNG on every changed image comparison. */
  imageMasks?: boolean;
  /**
   * Compare the pixels of images whose size changed (the default). Off, such an image is still decoded (one
   * that cannot be is reported as such) but not compared: all its pixels count as changed and it gets no
   * mask. For renderings that show a size change without a count, as the terminal's does: comparing resized
   * plots is most of the time of diffs full of them (three corpus pairs of five plots or more).
   */
  countResizedPixels?: boolean;
  /**
   * Word diffs inside the changed lines of outputs (the default; the viewer marks them). Off, output text
   * diffs are by lines only (every `words` entry null), for renderings that summarize outputs by line counts,
   * as the terminal's does: the word diffs of long HTML tables were a third of some diffs' time.
   */
  outputWordDiffs?: boolean;
  /** Who compares images (default: `compareImages`, here and now); see image-batch.ts. Not a setting. */
  compareImage?: ImageComparer;
}

export type ResolvedOptions = Required<DiffOptions>;

export const defaultOptions: ResolvedOptions = {
  ignoreOutputs: false,
  ignoreMetadata: false,
  ignoreExecutionCount: false,
  ignoreIds: false,
  ignoreWhitespace: false,
  ignorePaths: [],
  // Measured on the corpus pairs: below 0.5 unrelated short cells (`df.head()` vs `df.tail()`) pair up.
  similarity: 0.5,
  moveSimilarity: 0.7,
  imageThreshold: 0.1,
  imageTolerance: 0,
  imageMasks: false,
  countResizedPixels: true,
  outputWordDiffs: true,
  compareImage: compareImages,
};

export function resolveOptions(options: DiffOptions = {}): ResolvedOptions {
  const resolved = { ...defaultOptions };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) (resolved as Record<string, unknown>)[key] = value;
  }
  for (const key of ['similarity', 'moveSimilarity', 'imageThreshold', 'imageTolerance'] as const) {
    const v = resolved[key];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new RangeError(`option ${key} must be a number from 0 to 1, got ${v}`);
  }
  return resolved;
}

/** The paths that the ignore options stand for, in the diff's `ignored` vocabulary. */
export function ignoredParts(o: ResolvedOptions): Ignored[] {
  const parts: Ignored[] = [];
  if (o.ignoreOutputs) parts.push('outputs');
  if (o.ignoreMetadata) parts.push('metadata');
  if (o.ignoreExecutionCount) parts.push('execution_count');
  if (o.ignoreIds) parts.push('id');
  if (o.ignoreWhitespace) parts.push('whitespace');
  for (const p of o.ignorePaths) parts.push(`path:${p}`);
  return parts;
}
