/**
 * What the review viewer shows: for each changed notebook, the diff and the two notebooks it was made from.
 * The diff alone is not enough to draw a page: unchanged cells and unchanged outputs are only referenced by
 * index (see docs/diff-format.md), so the viewer takes their content from `base` and `head`.
 *
 * The CLI (`cellwise web`, `cellwise diff --html`) and the GitHub App build this object; the viewer reads it
 * through one function (web/src/load.ts): embedded in the page, or fetched from a URL. Plain JSON, like
 * the diff.
 */
import type { Notebook, NotebookDiff } from './model.js';
import type { ReviewColors } from './render/syntax/colors.js';

export const REVIEW_FORMAT = 'cellwise-review';
export const REVIEW_FORMAT_VERSION = 1;

export interface ReviewPayload {
  format: typeof REVIEW_FORMAT;
  version: typeof REVIEW_FORMAT_VERSION;
  /** A heading for the page: the two files, or the revisions compared. */
  title: string;
  files: ReviewFile[];
  /**
   * The code's syntax colors, made by whoever built the review so that the viewer need not color it on load
   * (lib/render/syntax/colors.ts). Optional, and only ever a shortcut: the viewer colors any text the
   * tables lack.
   */
  colors?: ReviewColors;
}

export interface ReviewFile {
  /** Head's path (base's for a deleted notebook). */
  path: string;
  /** Base's path when it differs (a rename). */
  oldPath?: string;
  /** git's view of the file, when it came from git. */
  status?: 'added' | 'deleted' | 'modified' | 'renamed' | 'copied' | 'type-changed';
  /** Null when the notebook could not be diffed (then `error` says why) or both versions are one blob. */
  diff: NotebookDiff | null;
  /** The notebooks the diff was made from (after parsing); null where the file does not exist. */
  base: Notebook | null;
  head: Notebook | null;
  error?: string;
}

/** One file of a review; a missing side (added or deleted notebook) is null. */
export function reviewFile(path: string, diff: NotebookDiff | null, base: Notebook | null, head: Notebook | null,
  extra: Pick<ReviewFile, 'oldPath' | 'status' | 'error'> = {}): ReviewFile {
  return { path, ...extra, diff, base, head };
}

export function reviewPayload(title: string, files: ReviewFile[]): ReviewPayload {
  return { format: REVIEW_FORMAT, version: REVIEW_FORMAT_VERSION, title, files };
}

/**
 * JSON that is safe as the text of a `<script type="application/json">` element: no `<` can appear, so
 * nothing in a notebook (a `</script>` in a source, a `<!--` in metadata) can end the element early. It is
 * also all ASCII: one character above U+00FF makes Chromium hold the whole page as 16-bit text, which cost
 * the 100-cell report 20-40 ms of decoding (docs/viewer.md). The escapes are plain JSON string escapes, so
 * `JSON.parse` reads the text back unchanged.
 */
export function embeddableJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
