import type { Json, MimeBundle, MimeChange } from '../model.js';
import { deepEqual, stableStringify } from '../util/json.js';
import { isRasterMime, type ImageOptions } from './image.js';
import type { ImageComparer } from './image-batch.js';
import { diffText, lineContent, lineIgnoringWhitespace } from './text.js';

export interface MimeOptions {
  image: ImageOptions;
  compareImage: ImageComparer;
  ignoreWhitespace: boolean;
  /** Word diffs inside changed output lines (DiffOptions.outputWordDiffs). */
  outputWords: boolean;
}

export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json');
}

/** Base64 payloads: compared as bytes or pixels, never as text. */
export function isBinaryMime(mime: string): boolean {
  if (mime === 'image/svg+xml') return false;
  return /^(image|audio|video|font)\//.test(mime) || mime === 'application/pdf' || mime === 'application/octet-stream';
}

/** The MIME types of two bundles that differ; head's order first, then base-only types. */
export function diffMimeBundles(base: MimeBundle, head: MimeBundle, o: MimeOptions): MimeChange[] {
  const changes: MimeChange[] = [];
  for (const mime of Object.keys(head)) {
    if (!Object.hasOwn(base, mime)) changes.push({ mime, status: 'added', value: head[mime]! });
    else {
      const c = diffMimeValue(mime, base[mime]!, head[mime]!, o);
      if (c) changes.push(c);
    }
  }
  for (const mime of Object.keys(base)) {
    if (!Object.hasOwn(head, mime)) changes.push({ mime, status: 'removed', old: base[mime]! });
  }
  return changes;
}

function diffMimeValue(mime: string, base: Json, head: Json, o: MimeOptions): MimeChange | undefined {
  if (base === head) return undefined;
  if (typeof base === 'string' && typeof head === 'string') {
    if (isRasterMime(mime)) {
      const { comparison, significant } = o.compareImage(mime, base, head, o.image);
      return { mime, status: 'modified', image: comparison, value: head, significant };
    }
    if (isBinaryMime(mime)) return { mime, status: 'modified', value: head, significant: true };
    const text = diffText(base, head, o.ignoreWhitespace ? lineIgnoringWhitespace : lineContent, o.outputWords);
    return { mime, status: 'modified', text, significant: text.added + text.removed > 0 };
  }
  if (deepEqual(base, head)) return undefined;
  // JSON payloads (and anything oddly typed) are shown as a diff of their pretty-printed form and rebuilt
  // from head's value: a text diff of JSON would not give back the original types.
  const text = diffText(stableStringify(base), stableStringify(head), lineContent, o.outputWords);
  return { mime, status: 'modified', text, value: head, significant: text.added + text.removed > 0 };
}
