/**
 * Code colored ahead of time. Coloring was the largest part of the viewer's first render (the grammar's
 * regexes compiled and first run in a fresh page, docs/viewer.md), and a review is built once but may be
 * opened many times: so whoever builds it (the CLI, the GitHub App) can color its code and put the result
 * in the review (`ReviewPayload.colors`), and the viewer uses it instead of coloring in the page.
 *
 * A table is keyed by the text itself (its grammar, length and hash), not by where it sits, so the viewer
 * looks colors up for whatever text it is about to show and colors anything not found (or not matching
 * line for line) itself: a table can make the page faster, never different.
 */
import type { ReviewPayload } from '../../review.js';
import type { Cell, NotebookDiff, Notebook } from '../../model.js';
import { grammarFor } from './grammars.js';
import { highlightLines, MAX_COLORED_CHARS, plainLines, THEME_NAMES, type CodeToken, type ColorScheme } from './tokens.js';

/** The colors of some texts under one theme. */
export interface ColorTable {
  /** The theme the colors come from (shiki's name for it): a viewer with another theme ignores the table. */
  theme: string;
  /** The colors the lines refer to, by index. */
  palette: string[];
  /**
   * By `textKey`: each line's pieces as pairs of numbers, [length, color, length, color, …], where color is
   * an index into `palette`, or -1 for the theme's default color. Lines as `highlightLines` cuts them.
   */
  texts: Record<string, number[][]>;
}

/** Tables for the color schemes a reader may have. */
export type ReviewColors = Partial<Record<ColorScheme, ColorTable>>;

/** The key of a text colored with a grammar: the grammar's name, the text's length, a hash of all of it. */
export function textKey(grammar: string, text: string): string {
  let a = 0x811c9dc5;
  let b = 0x2545f491;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `${grammar}:${text.length}:${(a >>> 0).toString(36)}${(b >>> 0).toString(36)}`;
}

/** A table being filled. */
export class ColorTableBuilder {
  private readonly palette: string[] = [];
  private readonly colorIndex = new Map<string, number>();
  private readonly texts: Record<string, number[][]> = {};
  constructor(private readonly scheme: ColorScheme) {}

  /** Colors the text (once per text) unless the language has no bundled grammar. */
  add(text: string, language: string | undefined): void {
    const grammar = grammarFor(language);
    if (!grammar || text.length > MAX_COLORED_CHARS) return;
    const key = textKey(grammar, text);
    if (Object.hasOwn(this.texts, key)) return;
    this.texts[key] = highlightLines(text, language, this.scheme).map((line) => line.flatMap((t) => [t.text.length, t.color === undefined ? -1 : this.indexOf(t.color)]));
  }

  private indexOf(color: string): number {
    let i = this.colorIndex.get(color);
    if (i === undefined) {
      i = this.palette.push(color) - 1;
      this.colorIndex.set(color, i);
    }
    return i;
  }

  table(): ColorTable {
    return { theme: THEME_NAMES[this.scheme], palette: this.palette, texts: this.texts };
  }
}

/**
 * The colored lines of a text from a table, exactly as `highlightLines` would make them; null when the
 * table is for another theme, lacks the text, or its lines do not add up to the text's.
 */
export function precoloredLines(table: ColorTable | undefined, scheme: ColorScheme, text: string, language: string | undefined): CodeToken[][] | null {
  const grammar = grammarFor(language);
  if (!table || !grammar || table.theme !== THEME_NAMES[scheme]) return null;
  const key = textKey(grammar, text);
  const coded = Object.hasOwn(table.texts, key) ? table.texts[key] : undefined;
  if (!Array.isArray(coded)) return null;
  const lines = plainLines(text).map((l) => l[0]!.text);
  if (coded.length !== lines.length) return null;
  const out: CodeToken[][] = [];
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const pieces = coded[n];
    if (!Array.isArray(pieces) || pieces.length % 2) return null;
    const tokens: CodeToken[] = [];
    let at = 0;
    for (let i = 0; i < pieces.length; i += 2) {
      const length = pieces[i]!;
      const color = pieces[i + 1]!;
      if (!Number.isInteger(length) || length < 0 || at + length > line.length) return null;
      const piece = line.slice(at, (at += length));
      if (color === -1) tokens.push({ text: piece });
      else {
        const value = table.palette[color];
        if (typeof value !== 'string') return null;
        tokens.push({ text: piece, color: value });
      }
    }
    if (at !== line.length) return null;
    out.push(tokens);
  }
  return out;
}

/** The language a notebook's code is in, as the viewer colors it: the diff's, else the notebook's metadata. */
export function notebookLanguage(diff: NotebookDiff | null, nb: Notebook | null): string | undefined {
  const meta = nb?.metadata as { language_info?: { name?: unknown }; kernelspec?: { language?: unknown } } | undefined;
  const fromMeta = meta?.language_info?.name ?? meta?.kernelspec?.language;
  return diff?.head.language ?? diff?.base.language ?? (typeof fromMeta === 'string' ? fromMeta : undefined);
}

/** How many lines of code a review gets colored ahead of time, per scheme: the page colors the rest. */
export const PRECOLOR_MAX_LINES = 10_000;

/**
 * Colors the code the viewer shows on load, for both schemes: the sources of changed and moved code cells
 * (other unchanged cells start collapsed, and are colored in the page if expanded), up to `maxLines` lines.
 */
export function colorReview(review: ReviewPayload, maxLines = PRECOLOR_MAX_LINES): ReviewColors {
  const texts: { text: string; language: string }[] = [];
  let lines = 0;
  for (const file of review.files) {
    const language = notebookLanguage(file.diff, file.head ?? file.base);
    if (!language || !grammarFor(language)) continue;
    for (const cell of changedCodeCells(file.diff, file.base, file.head)) {
      if (lines >= maxLines) break;
      texts.push({ text: cell.source, language });
      lines += cell.source.split('\n').length;
    }
  }
  const colors: ReviewColors = {};
  for (const scheme of ['light', 'dark'] as const) {
    const builder = new ColorTableBuilder(scheme);
    for (const { text, language } of texts) builder.add(text, language);
    colors[scheme] = builder.table();
  }
  return colors;
}

/** Both sides' code cells of a diff's changed or moved entries. */
function* changedCodeCells(diff: NotebookDiff | null, base: Notebook | null, head: Notebook | null): Generator<Cell> {
  for (const entry of diff?.cells ?? []) {
    if (entry.cell_type !== 'code' || (entry.status === 'unchanged' && !entry.moved)) continue;
    if (entry.status === 'added' || entry.status === 'removed') {
      yield entry.cell;
      continue;
    }
    const b = base?.cells[entry.base];
    const h = head?.cells[entry.head];
    if (h) yield h;
    if (b && b.source !== h?.source) yield b;
  }
}
