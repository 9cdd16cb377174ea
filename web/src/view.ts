/**
 * How the diff's entries become rows on the page. Display decisions only (what to collapse, where a moved
 * cell's old place is marked); every fact comes from the NotebookDiff.
 */
import type { Cell, CellEntry, Notebook, NotebookDiff, Output, TextDiff, WordSpan } from '../../lib/model.js';

export type ViewMode = 'split' | 'unified';

export interface Toggles {
  hideUnchanged: boolean;
  hideOutputs: boolean;
  /** Hide cells whose only change is metadata or the execution count. */
  hideMetaOnly: boolean;
}

export type Row =
  | { kind: 'entry'; entry: CellEntry; key: string }
  /** The place in base a moved cell left; links to where it went. */
  | { kind: 'moved-away'; entry: CellEntry; key: string }
  /** A run of cells not shown one by one. */
  | { kind: 'collapsed'; entries: CellEntry[]; key: string };

/** Only metadata, ids or execution counts changed: nothing a reader of the notebook would see. */
export function isMetaOnly(entry: CellEntry): boolean {
  if (entry.status !== 'modified') return false;
  if (entry.rerunOnly) return true;
  const visible = ['source', 'outputs', 'attachments', 'cell_type'] as const;
  return !visible.some((k) => entry.changes[k] !== undefined);
}

/** A change a reviewer navigates to with j/k. */
export function isChange(entry: CellEntry): boolean {
  return entry.status !== 'unchanged' || entry.moved;
}

export function rows(diff: NotebookDiff, toggles: Toggles, expanded: ReadonlySet<string>): Row[] {
  const hidden = (e: CellEntry): boolean =>
    (toggles.hideUnchanged && e.status === 'unchanged' && !e.moved) || (toggles.hideMetaOnly && isMetaOnly(e) && !e.moved);
  const out: Row[] = [];
  let run: CellEntry[] = [];
  const flush = (): void => {
    if (!run.length) return;
    const key = `c${entryKey(run[0]!)}`;
    if (expanded.has(key)) for (const e of run) out.push({ kind: 'entry', entry: e, key: entryKey(e) });
    else out.push({ kind: 'collapsed', entries: run, key });
    run = [];
  };
  const awayAfter = movedAwayPlaces(diff.cells);
  for (const e of diff.cells) {
    if (hidden(e)) run.push(e);
    else {
      flush();
      out.push({ kind: 'entry', entry: e, key: entryKey(e) });
    }
    for (const m of awayAfter.get(e) ?? []) {
      flush();
      out.push({ kind: 'moved-away', entry: m, key: `away-${entryKey(m)}` });
    }
  }
  flush();
  const first = awayAfter.get(null);
  if (first) out.unshift(...first.map((m): Row => ({ kind: 'moved-away', entry: m, key: `away-${entryKey(m)}` })));
  return out;
}

/**
 * Where each moved cell used to be: after the entry holding the closest earlier base cell that did not
 * move (null: at the top).
 */
function movedAwayPlaces(cells: CellEntry[]): Map<CellEntry | null, CellEntry[]> {
  const byBase: (CellEntry | undefined)[] = [];
  for (const e of cells) if (e.base !== null && !e.moved) byBase[e.base] = e;
  const places = new Map<CellEntry | null, CellEntry[]>();
  for (const e of cells) {
    if (!e.moved || e.base === null) continue;
    let anchor: CellEntry | null = null;
    for (let b = e.base - 1; b >= 0; b--) if (byBase[b]) { anchor = byBase[b]!; break; }
    places.set(anchor, [...(places.get(anchor) ?? []), e]);
  }
  return places;
}

export function entryKey(e: CellEntry): string {
  return `${e.base ?? '-'}:${e.head ?? '-'}`;
}

/** Element ids for the two positions of a cell, so moves can link to both. */
export function anchorId(file: number, side: 'base' | 'head', index: number): string {
  return `f${file}-${side === 'base' ? 'b' : 'h'}${index}`;
}

export function cellsOf(entry: CellEntry, base: Notebook | null, head: Notebook | null): { base: Cell | null; head: Cell | null } {
  if (entry.status === 'added') return { base: null, head: entry.cell };
  if (entry.status === 'removed') return { base: entry.cell, head: null };
  return { base: base?.cells[entry.base] ?? null, head: head?.cells[entry.head] ?? null };
}

export { notebookLanguage } from '../../lib/render/syntax/languages.js';

// ─── Source lines ───────────────────────────────────────────────────────────────────────────────────────

export interface SourceLine {
  kind: 'equal' | 'delete' | 'insert';
  /** 1-based line numbers on each side. */
  baseNo?: number;
  headNo?: number;
  text: string;
  /** Word-level marks for a line of a replace pair: `changed` pieces are highlighted. */
  words?: { s: string; changed: boolean }[];
}

/** The two texts a TextDiff was made from, as the diff has them (equal lines in head's version). */
export function sidesOf(diff: TextDiff): { base: string; head: string } {
  let base = '';
  let head = '';
  for (const op of diff.ops) {
    if (op.op === 'equal') { base += op.lines.join(''); head += op.lines.join(''); }
    else if (op.op === 'delete') base += op.lines.join('');
    else if (op.op === 'insert') head += op.lines.join('');
    else { base += op.base.join(''); head += op.head.join(''); }
  }
  return { base, head };
}

const chomp = (s: string): string => s.replace(/\r?\n$/, '');

function wordMarks(words: WordSpan[], side: '-' | '+'): { s: string; changed: boolean }[] {
  const marks = words.filter((w) => w.t === '=' || w.t === side).map((w) => ({ s: w.s, changed: w.t !== '=' }));
  const last = marks[marks.length - 1];
  if (last) last.s = chomp(last.s);
  return marks;
}

/** Unified order: every line once, deletions before insertions within a replace. */
export function unifiedLines(diff: TextDiff): SourceLine[] {
  const out: SourceLine[] = [];
  let b = 1;
  let h = 1;
  for (const op of diff.ops) {
    if (op.op === 'equal') for (const l of op.lines) out.push({ kind: 'equal', baseNo: b++, headNo: h++, text: chomp(l) });
    else if (op.op === 'delete') for (const l of op.lines) out.push({ kind: 'delete', baseNo: b++, text: chomp(l) });
    else if (op.op === 'insert') for (const l of op.lines) out.push({ kind: 'insert', headNo: h++, text: chomp(l) });
    else {
      op.base.forEach((l, i) => {
        const w = op.words[i];
        out.push({ kind: 'delete', baseNo: b++, text: chomp(l), ...(w && i < op.head.length ? { words: wordMarks(w, '-') } : {}) });
      });
      op.head.forEach((l, i) => {
        const w = op.words[i];
        out.push({ kind: 'insert', headNo: h++, text: chomp(l), ...(w && i < op.base.length ? { words: wordMarks(w, '+') } : {}) });
      });
    }
  }
  return out;
}

/** Side-by-side pairs: a replaced line faces the line that took its place. */
export function splitLines(diff: TextDiff): [SourceLine | null, SourceLine | null][] {
  const out: [SourceLine | null, SourceLine | null][] = [];
  let b = 1;
  let h = 1;
  for (const op of diff.ops) {
    if (op.op === 'equal') {
      for (const l of op.lines) {
        const text = chomp(l);
        out.push([{ kind: 'equal', baseNo: b++, text }, { kind: 'equal', headNo: h++, text }]);
      }
    } else if (op.op === 'delete') {
      for (const l of op.lines) out.push([{ kind: 'delete', baseNo: b++, text: chomp(l) }, null]);
    } else if (op.op === 'insert') {
      for (const l of op.lines) out.push([null, { kind: 'insert', headNo: h++, text: chomp(l) }]);
    } else {
      const n = Math.max(op.base.length, op.head.length);
      for (let i = 0; i < n; i++) {
        const bl = op.base[i];
        const hl = op.head[i];
        const w = op.words[i];
        out.push([
          bl === undefined ? null : { kind: 'delete', baseNo: b++, text: chomp(bl), ...(w && hl !== undefined ? { words: wordMarks(w, '-') } : {}) },
          hl === undefined ? null : { kind: 'insert', headNo: h++, text: chomp(hl), ...(w && bl !== undefined ? { words: wordMarks(w, '+') } : {}) },
        ]);
      }
    }
  }
  return out;
}

/** A text with no change, as lines. */
export function plainLines(text: string): SourceLine[] {
  if (text === '') return [];
  return chomp(text).split('\n').map((l, i) => ({ kind: 'equal', baseNo: i + 1, headNo: i + 1, text: l.replace(/\r$/, '') }));
}

// ─── Outputs ───────────────────────────────────────────────────────────────────────────────────────────

/** One output entry's outputs on each side (merged streams are several outputs). */
export function outputSlice(cell: Cell | null, index: number | null, count: number | undefined): Output[] {
  if (!cell?.outputs || index === null) return [];
  return cell.outputs.slice(index, index + (count ?? 1));
}

/** Joins a merged stream's outputs into one, as the diff compares them. */
export function mergeStreams(outputs: Output[]): Output[] {
  if (outputs.length < 2 || !outputs.every((o) => o.output_type === 'stream')) return outputs;
  return [{ ...outputs[0]!, text: outputs.map((o) => (o.output_type === 'stream' ? o.text : '')).join('') } as Output];
}
