import { diffArrays, diffWordsWithSpace } from 'diff';
import type { TextDiff, TextOp, WordSpan } from '../model.js';
import { splitLines } from '../util/text.js';

/** How two lines are judged equal: by a key derived from each (whitespace folded, ANSI stripped, …). */
export type LineKey = (line: string) => string;

/** Lines that differ only in their final line ending are the same line: cells rarely end with one. */
export const lineContent: LineKey = (line) => line.endsWith('\n') ? line.slice(0, line.endsWith('\r\n') ? -2 : -1) : line;
export const lineIgnoringWhitespace: LineKey = (line) => line.replace(/\s+/g, ' ').trim();

// Myers' algorithm is O((N+M)·D); past this many edits the texts are unrelated and one replace says it all.
const MAX_EDIT_LENGTH = 4000;
// Word diffs of very long lines (minified JS, base64 in HTML) cost much and show nothing readable.
const MAX_WORD_DIFF_LINE = 1000;
const MIN_WORD_COMMON = 0.3;

/** Line diff of two texts. */
export function diffText(base: string, head: string, key: LineKey = lineContent): TextDiff {
  return diffItems(splitLines(base), splitLines(head), key);
}

/**
 * Diff of two sequences of lines (or of any strings shown one per row, such as traceback entries).
 * `equal` ops carry head's items, so the head side rebuilds head exactly even where `key` hides a difference.
 */
export function diffItems(base: readonly string[], head: readonly string[], key: LineKey = lineContent): TextDiff {
  const kb = base.map(key);
  const kh = head.map(key);
  let prefix = 0;
  while (prefix < kb.length && prefix < kh.length && kb[prefix] === kh[prefix]) prefix++;
  let suffix = 0;
  while (suffix < kb.length - prefix && suffix < kh.length - prefix &&
    kb[kb.length - 1 - suffix] === kh[kh.length - 1 - suffix]) suffix++;

  const ops: TextOp[] = [];
  let added = 0;
  let removed = 0;
  const push = (op: TextOp) => {
    const last = ops[ops.length - 1];
    if (op.op === 'equal' && last?.op === 'equal') last.lines.push(...op.lines);
    else ops.push(op);
  };
  if (prefix > 0) push({ op: 'equal', lines: head.slice(0, prefix) });

  const midB = kb.slice(prefix, kb.length - suffix);
  const midH = kh.slice(prefix, kh.length - suffix);
  const changes = midB.length && midH.length
    ? diffArrays(midB, midH, { maxEditLength: MAX_EDIT_LENGTH })
    : [
        ...(midB.length ? [{ removed: true, added: false, count: midB.length }] : []),
        ...(midH.length ? [{ removed: false, added: true, count: midH.length }] : []),
      ];
  const blocks = changes ?? [
    { removed: true, added: false, count: midB.length },
    { removed: false, added: true, count: midH.length },
  ];
  let ib = prefix;
  let ih = prefix;
  let pendingDelete: string[] | null = null;
  const flushDelete = () => {
    if (pendingDelete) push({ op: 'delete', lines: pendingDelete });
    pendingDelete = null;
  };
  for (const c of blocks) {
    const n = c.count ?? 0;
    if (n === 0) continue;
    if (c.removed) {
      flushDelete();
      pendingDelete = base.slice(ib, ib + n);
      ib += n;
      removed += n;
    } else if (c.added) {
      const lines = head.slice(ih, ih + n);
      ih += n;
      added += n;
      if (pendingDelete) {
        push(replaceOp(pendingDelete, lines));
        pendingDelete = null;
      } else push({ op: 'insert', lines });
    } else {
      flushDelete();
      push({ op: 'equal', lines: head.slice(ih, ih + n) });
      ib += n;
      ih += n;
    }
  }
  flushDelete();
  if (suffix > 0) push({ op: 'equal', lines: head.slice(head.length - suffix) });
  return { ops, added, removed };
}

function replaceOp(base: string[], head: string[]): TextOp {
  const words: (WordSpan[] | null)[] = [];
  for (let i = 0; i < Math.min(base.length, head.length); i++) words.push(wordDiff(base[i]!, head[i]!));
  return { op: 'replace', base, head, words };
}

/** Word-level diff of two lines, or null when they share too little for it to help a reader. */
export function wordDiff(a: string, b: string): WordSpan[] | null {
  const x = lineContent(a);
  const y = lineContent(b);
  if (x.length > MAX_WORD_DIFF_LINE || y.length > MAX_WORD_DIFF_LINE) return null;
  const spans: WordSpan[] = [];
  let common = 0;
  for (const c of diffWordsWithSpace(x, y)) {
    const t = c.added ? '+' : c.removed ? '-' : '=';
    if (t === '=') common += c.value.length;
    spans.push({ t, s: c.value });
  }
  if (common < MIN_WORD_COMMON * Math.max(x.length, y.length)) return null;
  return spans;
}

/** The head side of a text diff: head's lines, in order. */
export function headLines(d: TextDiff): string[] {
  const out: string[] = [];
  for (const op of d.ops) {
    if (op.op === 'equal' || op.op === 'insert') out.push(...op.lines);
    else if (op.op === 'replace') out.push(...op.head);
  }
  return out;
}

/** The base side: base's lines, except that `equal` lines are head's (they may differ in what the key hid). */
export function baseLines(d: TextDiff): string[] {
  const out: string[] = [];
  for (const op of d.ops) {
    if (op.op === 'equal' || op.op === 'delete') out.push(...op.lines);
    else if (op.op === 'replace') out.push(...op.base);
  }
  return out;
}
