import { diffArrays, diffWordsWithSpace } from 'diff';
import type { TextDiff, TextOp, WordSpan } from '../model.js';
import { longestIncreasing } from '../align/lis.js';
import { splitLines } from '../util/text.js';

/** How two lines are judged equal: by a key derived from each (whitespace folded, ANSI stripped, …). */
export type LineKey = (line: string) => string;

/** Lines that differ only in their final line ending are the same line: cells rarely end with one. */
export const lineContent: LineKey = (line) => line.endsWith('\n') ? line.slice(0, line.endsWith('\r\n') ? -2 : -1) : line;
export const lineIgnoringWhitespace: LineKey = (line) => line.replace(/\s+/g, ' ').trim();

// Work allowed to Myers' algorithm per range, in (N+M)·D steps (a few ms); past it, patience anchors.
const MYERS_BUDGET = 300_000;
// Word diffs of very long lines (minified JS, base64 in HTML) cost much and show nothing readable.
const MAX_WORD_DIFF_LINE = 1000;
const MIN_WORD_COMMON = 0.3;

/** Line diff of two texts; `words` false leaves replaced lines without word diffs (every entry null). */
export function diffText(base: string, head: string, key: LineKey = lineContent, words = true): TextDiff {
  return diffItems(splitLines(base), splitLines(head), key, words);
}

/**
 * Diff of two sequences of lines (or of any strings shown one per row, such as traceback entries).
 * `equal` ops carry head's items, so the head side rebuilds head exactly even where `key` hides a difference.
 */
export function diffItems(base: readonly string[], head: readonly string[], key: LineKey = lineContent, words = true): TextDiff {
  const kb = base.map(key);
  const kh = head.map(key);
  const pairs: number[] = []; // matched (base, head) index pairs, flattened, ascending
  matchRange(kb, kh, 0, kb.length, 0, kh.length, pairs);

  const ops: TextOp[] = [];
  let added = 0;
  let removed = 0;
  let ib = 0;
  let ih = 0;
  const gap = (b: number, h: number) => {
    const del = base.slice(ib, b);
    const ins = head.slice(ih, h);
    removed += del.length;
    added += ins.length;
    if (del.length && ins.length) ops.push(replaceOp(del, ins, words));
    else if (del.length) ops.push({ op: 'delete', lines: del });
    else if (ins.length) ops.push({ op: 'insert', lines: ins });
  };
  for (let k = 0; k < pairs.length; k += 2) {
    const b = pairs[k]!;
    const h = pairs[k + 1]!;
    if (b !== ib || h !== ih) gap(b, h);
    const last = ops[ops.length - 1];
    if (last?.op === 'equal') last.lines.push(head[h]!);
    else ops.push({ op: 'equal', lines: [head[h]!] });
    ib = b + 1;
    ih = h + 1;
  }
  gap(base.length, head.length);
  return { ops, added, removed };
}

/**
 * Finds equal lines in kb[b0, b1) × kh[h0, h1). Myers' algorithm gives the minimal diff but costs
 * O((N+M)·D); within a budget of work it is used as is, and past it (long outputs rewritten wholesale)
 * lines unique to both sides anchor the texts and only the gaps between anchors are diffed, as patience
 * diff does. Where no anchor is left, the gap is one replace.
 */
function matchRange(kb: string[], kh: string[], b0: number, b1: number, h0: number, h1: number, out: number[]): void {
  while (b0 < b1 && h0 < h1 && kb[b0] === kh[h0]) out.push(b0++, h0++);
  let e1 = b1;
  let e2 = h1;
  while (e1 > b0 && e2 > h0 && kb[e1 - 1] === kh[e2 - 1]) { e1--; e2--; }
  if (b0 < e1 && h0 < e2) {
    const size = e1 - b0 + (e2 - h0);
    const maxEdits = Math.min(size, Math.floor(MYERS_BUDGET / size));
    // Myers spends its whole budget before it gives up; when the edits it would need are known to exceed
    // it, it is not run (the result is the same: anchors). One output of the pandas pair spent 20 ms so.
    const hopeless = maxEdits < size && fewestEdits(kb, kh, b0, e1, h0, e2) > maxEdits;
    const changes = maxEdits > 0 && !hopeless ? diffArrays(kb.slice(b0, e1), kh.slice(h0, e2), { maxEditLength: maxEdits }) : undefined;
    if (changes) {
      let ib = b0;
      let ih = h0;
      for (const c of changes) {
        if (c.added) ih += c.count;
        else if (c.removed) ib += c.count;
        else for (let n = 0; n < c.count; n++) out.push(ib++, ih++);
      }
    } else {
      matchByAnchors(kb, kh, b0, e1, h0, e2, out);
    }
  }
  for (; e1 < b1; e1++, e2++) out.push(e1, e2);
}

/**
 * A lower bound of the edits (insertions plus deletions, what Myers counts) between kb[b0, b1) and
 * kh[h0, h1): every line beyond the number of times its key occurs on the other side must be deleted or
 * inserted.
 */
function fewestEdits(kb: string[], kh: string[], b0: number, b1: number, h0: number, h1: number): number {
  const surplus = new Map<string, number>();
  for (let i = b0; i < b1; i++) surplus.set(kb[i]!, (surplus.get(kb[i]!) ?? 0) + 1);
  for (let j = h0; j < h1; j++) surplus.set(kh[j]!, (surplus.get(kh[j]!) ?? 0) - 1);
  let edits = 0;
  for (const n of surplus.values()) edits += Math.abs(n);
  return edits;
}

function matchByAnchors(kb: string[], kh: string[], b0: number, b1: number, h0: number, h1: number, out: number[]): void {
  const seen = new Map<string, [number, number, number]>(); // key → [count in base, base index, head index or -1/-2]
  for (let i = b0; i < b1; i++) {
    const e = seen.get(kb[i]!);
    if (e) e[0]++; else seen.set(kb[i]!, [1, i, -1]);
  }
  for (let j = h0; j < h1; j++) {
    const e = seen.get(kh[j]!);
    if (e) e[2] = e[2] === -1 ? j : -2; // -2: more than once in head
  }
  const anchors: [number, number][] = [];
  for (const [count, i, j] of seen.values()) if (count === 1 && j >= 0) anchors.push([i, j]);
  if (anchors.length === 0) return;
  anchors.sort((x, y) => x[0] - y[0]);
  let pb = b0;
  let ph = h0;
  for (const k of longestIncreasing(anchors.map((a) => a[1]))) {
    const [i, j] = anchors[k]!;
    matchRange(kb, kh, pb, i, ph, j, out);
    out.push(i, j);
    pb = i + 1;
    ph = j + 1;
  }
  matchRange(kb, kh, pb, b1, ph, h1, out);
}

function replaceOp(base: string[], head: string[], withWords: boolean): TextOp {
  const words: (WordSpan[] | null)[] = [];
  for (let i = 0; i < Math.min(base.length, head.length); i++) words.push(withWords ? wordDiff(base[i]!, head[i]!) : null);
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
