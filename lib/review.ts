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
  const pieces: string[] = [];
  writeEmbeddableJson(value, (piece) => pieces.push(piece));
  return pieces.join('');
}

/** Pieces are handed to `write` once they reach this many characters (a long string goes on its own). */
const PIECE_CHARS = 1 << 20;
/** What the page must not hold as such, inside JSON strings. */
const UNSAFE = /[<>&\u007f-\uffff]/;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'g');
/** What either JSON.stringify or the page escapes in a string. */
const ESCAPED = /["\\\u0000-\u001f<>&\u007f-\uffff]/;
const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * `embeddableJson`, handed to `write` in pieces of about a megabyte, in order. A review of large notebooks
 * is mostly image payloads: as one JSON.stringify it was one string of the whole size (118 M characters
 * for the 50 MB pair, and 16-bit as soon as a title held an arrow), escaped into a second and put into the
 * page as a third, 6.5 s and 1.4 GB before the file was written. Here each value is serialized by
 * JSON.stringify on its own and only strings that need it are escaped.
 */
export function writeEmbeddableJson(value: unknown, write: (piece: string) => void): void {
  let out = '';
  const emit = (piece: string) => {
    if (piece.length >= PIECE_CHARS) {
      if (out) write(out);
      out = '';
      write(piece);
      return;
    }
    out += piece;
    if (out.length >= PIECE_CHARS) {
      write(out);
      out = '';
    }
  };
  const json = (v: string | number | boolean | null) => {
    // Most of the bytes are base64 with nothing to escape: one scan, no copy made by JSON.stringify.
    if (typeof v === 'string' && !ESCAPED.test(v)) return `"${v}"`;
    const text = JSON.stringify(v);
    return typeof v === 'string' && UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeChar) : text;
  };
  // As JSON.stringify: toJSON first; then undefined, functions and symbols are left out of objects and
  // become null in arrays.
  const resolved = (v: unknown): unknown => (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function'
    ? (v as { toJSON: () => unknown }).toJSON() : v);
  const absent = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';
  const visit = (v: unknown): void => {
    if (typeof v === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
    if (v === null || typeof v !== 'object') {
      emit(json(v as string | number | boolean | null));
      return;
    }
    if (Array.isArray(v)) {
      emit('[');
      for (let i = 0; i < v.length; i++) {
        if (i > 0) emit(',');
        const item = resolved(v[i]);
        if (absent(item)) emit('null');
        else visit(item);
      }
      emit(']');
      return;
    }
    emit('{');
    let first = true;
    for (const key of Object.keys(v)) {
      const item = resolved((v as Record<string, unknown>)[key]);
      if (absent(item)) continue;
      emit(`${first ? '' : ','}${json(key)}:`);
      first = false;
      visit(item);
    }
    emit('}');
  };
  const top = resolved(value);
  if (absent(top)) throw new TypeError('embeddableJson: nothing to serialize');
  visit(top);
  if (out) write(out);
}
