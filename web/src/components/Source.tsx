import { useEffect, useRef, useState, type CSSProperties, type ReactNode } from 'react';
import type { TextDiff } from '../../../lib/model.js';
import { begin } from '../progress.js';
import { grammarFor, highlightLater, type CodeToken } from '../render/highlight.js';
import { plainLines, sidesOf, splitLines, unifiedLines, type SourceLine, type ViewMode } from '../view.js';

interface Highlighted {
  base: CodeToken[][];
  head: CodeToken[][];
}

/** Syntax colors for both texts, filled in after the first render (see highlightLater). */
function useHighlight(base: string, head: string, language: string | undefined, enabled: boolean): Highlighted | null {
  const [result, setResult] = useState<{ key: string; value: Highlighted } | null>(null);
  const key = `${language ?? ''}\u0000${base}\u0000${head}`;
  const finish = useRef<(() => void) | null>(null);
  useEffect(() => {
    if (!enabled || !grammarFor(language)) return;
    // Counted in the page's progress until the colors are in the DOM.
    const done = begin();
    finish.current = done;
    let baseLines: CodeToken[][] | null = null;
    const cancels = [highlightLater(base, language, (lines) => {
      baseLines = lines;
      if (head === base) setResult({ key, value: { base: lines, head: lines } });
    })];
    if (head !== base) {
      cancels.push(highlightLater(head, language, (lines) => {
        if (baseLines) setResult({ key, value: { base: baseLines, head: lines } });
      }));
    }
    return () => {
      cancels.forEach((c) => c());
      done();
    };
  }, [key, base, head, language, enabled]);
  useEffect(() => {
    if (result && result.key === key) finish.current?.();
  }, [result, key]);
  return result && result.key === key ? result.value : null;
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

function Code({ line, hl, side }: { line: SourceLine; hl: Highlighted | null; side: 'base' | 'head' }): ReactNode {
  const pieces = overlay(tokensFor(line, hl, side), line.words);
  return (
    <>
      {pieces.map((p, i) => {
        const style = p.light || p.dark ? ({ '--cw-l': p.light, '--cw-d': p.dark } as CSSProperties) : undefined;
        return <span key={i} className={p.changed ? 'cw-word' : undefined} style={style}>{p.text}</span>;
      })}
      {line.text === '' ? '\u200b' : null}
    </>
  );
}

const MARK = { equal: ' ', delete: '-', insert: '+' } as const;

function SplitTable({ pairs, hl }: { pairs: [SourceLine | null, SourceLine | null][]; hl: Highlighted | null }): ReactNode {
  if (pairs.length === 0) return <div className="cw-empty-source">(empty)</div>;
  return (
    <table className="cw-source cw-split-source">
      <tbody>
        {pairs.map(([l, r], i) => (
          <tr key={i}>
            {l ? <><td className={`cw-ln cw-${l.kind}`}>{l.baseNo}</td><td className={`cw-code cw-${l.kind}`}><Code line={l} hl={hl} side="base" /></td></>
              : <><td className="cw-ln cw-filler" /><td className="cw-code cw-filler" /></>}
            {r ? <><td className={`cw-ln cw-${r.kind}`}>{r.headNo}</td><td className={`cw-code cw-${r.kind}`}><Code line={r} hl={hl} side="head" /></td></>
              : <><td className="cw-ln cw-filler" /><td className="cw-code cw-filler" /></>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function UnifiedTable({ lines, hl }: { lines: SourceLine[]; hl: Highlighted | null }): ReactNode {
  if (lines.length === 0) return <div className="cw-empty-source">(empty)</div>;
  return (
    <table className="cw-source cw-unified-source">
      <tbody>
        {lines.map((l, i) => (
          <tr key={i} className={`cw-${l.kind}`}>
            <td className="cw-ln">{l.kind !== 'insert' ? l.baseNo : ''}</td>
            <td className="cw-ln">{l.kind !== 'delete' ? l.headNo : ''}</td>
            <td className="cw-mark">{MARK[l.kind]}</td>
            <td className="cw-code"><Code line={l} hl={hl} side={l.kind === 'delete' ? 'base' : 'head'} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}


