import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { TextDiff } from '../../../lib/model.js';
import { begin } from '../progress.js';
import { colorScheme, grammarFor, highlightLater, highlightNow, onColorSchemeChange, type CodeToken, type ColorScheme } from '../render/highlight.js';
import { plainLines, sidesOf, splitLines, unifiedLines, type SourceLine, type ViewMode } from '../view.js';

interface Highlighted {
  base: CodeToken[][];
  head: CodeToken[][];
}

/** The reader's color scheme, following changes (the code is colored for one scheme at a time). */
function useColorScheme(): ColorScheme {
  return useSyncExternalStore(onColorSchemeChange, colorScheme, () => 'light');
}

function pairNow(base: string, head: string, language: string | undefined, scheme: ColorScheme): Highlighted | null {
  const b = highlightNow(base, language, scheme);
  if (!b) return null;
  if (head === base) return { base: b, head: b };
  const h = highlightNow(head, language, scheme);
  return h ? { base: b, head: h } : null;
}

/**
 * Syntax colors for both texts: computed while rendering when the task's coloring budget allows (the usual
 * case: the page is drawn once, colored), otherwise in a later task (see highlight.ts). Work left for later
 * is counted in the page's progress until its colors are in the DOM.
 */
function useHighlight(base: string, head: string, language: string | undefined, enabled: boolean): Highlighted | null {
  const scheme = useColorScheme();
  const active = enabled && grammarFor(language) !== null;
  const key = `${scheme}\u0000${language ?? ''}\u0000${base}\u0000${head}`;
  const now = useMemo(() => (active ? pairNow(base, head, language, scheme) : null), [active, key]);
  const [later, setLater] = useState<{ key: string; value: Highlighted } | null>(null);
  const finish = useRef<(() => void) | null>(null);
  const waiting = active && !now;
  useEffect(() => {
    if (!waiting) return;
    const done = begin();
    finish.current = done;
    let baseLines: CodeToken[][] | null = null;
    const cancels = [highlightLater(base, language, scheme, (lines) => {
      baseLines = lines;
      if (head === base) setLater({ key, value: { base: lines, head: lines } });
    })];
    if (head !== base) {
      cancels.push(highlightLater(head, language, scheme, (lines) => {
        if (baseLines) setLater({ key, value: { base: baseLines, head: lines } });
      }));
    }
    return () => {
      cancels.forEach((c) => c());
      done();
    };
  }, [waiting, key]);
  // Colors computed later are in the DOM once this commit is done.
  useEffect(() => {
    if (later && later.key === key) finish.current?.();
  }, [later, key]);
  return now ?? (later && later.key === key ? later.value : null);
}

/** A source diff (or an unchanged source when `diff` is absent) in the chosen view. */
export function SourceDiff(props: {
  diff?: TextDiff | undefined;
  /** The source when there is no diff (unchanged, added or removed cells). */
  text?: string;
  /** Which side a lone text belongs to (added cells are all head, removed all base). */
  side?: 'base' | 'head' | 'both';
  language?: string | undefined;
  highlight?: boolean;
  mode: ViewMode;
}): ReactNode {
  const { diff, mode } = props;
  const texts = diff ? sidesOf(diff) : { base: props.text ?? '', head: props.text ?? '' };
  const hl = useHighlight(texts.base, texts.head, props.language, props.highlight !== false);
  if (!diff) {
    const lines = plainLines(props.text ?? '');
    const side = props.side ?? 'both';
    const kind = side === 'head' ? 'insert' : side === 'base' ? 'delete' : 'equal';
    const shown = lines.map((l) => ({ ...l, kind } as SourceLine));
    if (mode === 'split' && side === 'both') {
      return <SplitTable pairs={shown.map((l) => [l, l])} hl={hl} />;
    }
    if (mode === 'split') {
      return <SplitTable pairs={shown.map((l) => (side === 'base' ? [l, null] : [null, l]))} hl={hl} />;
    }
    return <UnifiedTable lines={shown} hl={hl} />;
  }
  return mode === 'split' ? <SplitTable pairs={splitLines(diff)} hl={hl} /> : <UnifiedTable lines={unifiedLines(diff)} hl={hl} />;
}

function tokensFor(line: SourceLine, hl: Highlighted | null, side: 'base' | 'head'): CodeToken[] {
  const no = side === 'base' ? line.baseNo : line.headNo;
  const tokens = no !== undefined ? hl?.[side][no - 1] : undefined;
  // Highlighting is of the same text, so the tokens spell the line; guard against a mismatch anyway.
  if (tokens && tokens.map((t) => t.text).join('') === line.text) return tokens;
  return [{ text: line.text }];
}

/** Syntax tokens cut at word-change boundaries, so both colors and word marks show. */
export function overlay(tokens: CodeToken[], words: { s: string; changed: boolean }[] | undefined): (CodeToken & { changed?: boolean })[] {
  if (!words) return tokens;
  const out: (CodeToken & { changed?: boolean })[] = [];
  let ti = 0;
  let tOff = 0;
  for (const w of words) {
    let left = w.s.length;
    while (left > 0 && ti < tokens.length) {
      const t = tokens[ti]!;
      const take = Math.min(left, t.text.length - tOff);
      out.push({ ...t, text: t.text.slice(tOff, tOff + take), ...(w.changed ? { changed: true } : {}) });
      left -= take;
      tOff += take;
      if (tOff >= t.text.length) { ti++; tOff = 0; }
    }
    if (left > 0) out.push({ text: w.s.slice(w.s.length - left), ...(w.changed ? { changed: true } : {}) });
  }
  return out;
}

// ─── The tables, as markup ──────────────────────────────────────────────────────────────────────────────
// A page's source tables are most of its elements (3,900 of 5,300 on the 100-cell report), and as React
// elements each cost a fiber, a createElement and its props: the tables are written as one string each
// and parsed by the browser's HTML parser instead: about 40 ms less main-thread CPU for the report's render
// (best and median of 9 interleaved traced runs, 301/398 -> 259/356 ms). Everything from the notebook in them is text, escaped here; colors come from the theme and are
// checked to be colors; classes are this file's own.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/** Text as HTML text content (never inside an attribute: quotes need no escaping). */
export function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c]!);
}

const COLOR = /^#[0-9a-f]{3,8}$/i;

/**
 * A line's text with its colors and word marks: uncolored, unmarked text stays bare text (most of a line:
 * shiki leaves the theme's default color off, see highlight.ts), the rest one span per piece.
 */
function code(line: SourceLine, hl: Highlighted | null, side: 'base' | 'head'): string {
  if (line.text === '') return '\u200b';
  let out = '';
  for (const p of overlay(tokensFor(line, hl, side), line.words)) {
    const color = p.color && COLOR.test(p.color) ? p.color : undefined;
    const text = escapeText(p.text);
    if (!color && !p.changed) out += text;
    else out += `<span${p.changed ? ' class="cw-word"' : ''}${color ? ` style="color:${color}"` : ''}>${text}</span>`;
  }
  return out;
}

const MARK = { equal: ' ', delete: '-', insert: '+' } as const;

// Lines come from view.ts, but what goes into markup is checked where the markup is made: besides escaped
// text, only a kind known here and integers.
const kindOf = (line: SourceLine): keyof typeof MARK => (Object.hasOwn(MARK, line.kind) ? line.kind : 'equal');
const numberOf = (n: number | null | undefined): string => (typeof n === 'number' && Number.isInteger(n) ? String(n) : '');
/**
 * The empty side of a run of added (or removed) lines: one cell pair spanning the run, not one per line
 * (an added cell of 30 lines is 60 elements fewer; the hatching is one block, as it looks anyway).
 */
const filler = (rows: number): string => {
  const span = rows > 1 ? ` rowspan="${rows}"` : '';
  return `<td class="cw-ln cw-filler"${span}></td><td class="cw-code cw-filler"${span}></td>`;
};

/** Rows from `at` on with nothing on this side (0 = the base, 1 = the head). */
function fillerRun(pairs: [SourceLine | null, SourceLine | null][], at: number, side: 0 | 1): number {
  let n = 0;
  while (at + n < pairs.length && pairs[at + n]![side] === null) n++;
  return n;
}

function splitHtml(pairs: [SourceLine | null, SourceLine | null][], hl: Highlighted | null): string {
  let html = '';
  // Where the current run of empty cells ends on each side (its first row spans the rest).
  const runEnd = [0, 0];
  pairs.forEach((pair, i) => {
    html += '<tr>';
    for (const side of [0, 1] as const) {
      const line = pair[side];
      if (line) {
        const no = side === 0 ? line.baseNo : line.headNo;
        html += `<td class="cw-ln cw-${kindOf(line)}">${numberOf(no)}</td><td class="cw-code cw-${kindOf(line)}">${code(line, hl, side === 0 ? 'base' : 'head')}</td>`;
      } else if (i >= runEnd[side]!) {
        runEnd[side] = i + fillerRun(pairs, i, side);
        html += filler(runEnd[side] - i);
      }
    }
    html += '</tr>';
  });
  return html;
}

function unifiedHtml(lines: SourceLine[], hl: Highlighted | null): string {
  let html = '';
  for (const l of lines) {
    const kind = kindOf(l);
    html += `<tr class="cw-${kind}"><td class="cw-ln">${kind !== 'insert' ? numberOf(l.baseNo) : ''}</td>`
      + `<td class="cw-ln">${kind !== 'delete' ? numberOf(l.headNo) : ''}</td><td class="cw-mark">${MARK[kind]}</td>`
      + `<td class="cw-code">${code(l, hl, l.kind === 'delete' ? 'base' : 'head')}</td></tr>`;
  }
  return html;
}

function SplitTable({ pairs, hl }: { pairs: [SourceLine | null, SourceLine | null][]; hl: Highlighted | null }): ReactNode {
  if (pairs.length === 0) return <div className="cw-empty-source">(empty)</div>;
  return (
    <table className="cw-source cw-split-source">
      <tbody dangerouslySetInnerHTML={{ __html: splitHtml(pairs, hl) }} />
    </table>
  );
}

function UnifiedTable({ lines, hl }: { lines: SourceLine[]; hl: Highlighted | null }): ReactNode {
  if (lines.length === 0) return <div className="cw-empty-source">(empty)</div>;
  return (
    <table className="cw-source cw-unified-source">
      <tbody dangerouslySetInnerHTML={{ __html: unifiedHtml(lines, hl) }} />
    </table>
  );
}
