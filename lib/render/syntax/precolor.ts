/**
 * Code colored ahead of time. Coloring was the largest part of the viewer's first render (the grammar's
 * regexes compiled and first run in a fresh page, docs/viewer.md), and a review is built once but may be
 * opened many times: so whoever builds it (the CLI's report, the GitHub App) colors its code and puts the
 * tables (./colors.ts) in the review (`ReviewPayload.colors`), and the viewer looks colors up instead.
 */
import type { Cell, Notebook, NotebookDiff } from '../../model.js';
import type { ReviewPayload } from '../../review.js';
import { textKey, type ColorTable, type ReviewColors } from './colors.js';
import { grammarFor, notebookLanguage, THEME_NAMES, type ColorScheme } from './languages.js';
import { highlightLines, MAX_COLORED_CHARS } from './tokens.js';

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
 * How many lines of code a review gets colored ahead of time, per scheme: the page colors the rest. Enough
 * for the changed cells of a few hundred-cell notebook (the 100-cell corpus pair has 437 lines); a
 * 10,000-cell review's first 10,000 lines took 1.3 s more to write and 773 kB of tables, for cells a reader
 * reaches (and the page colors) only by scrolling.
 */
export const PRECOLOR_MAX_LINES = 3_000;

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

/**
 * The review with its code colored (colorReview). Coloring ahead is only a shortcut for the page, so a
 * failure is handed to `warn` and the review goes without tables: the page then colors the code itself.
 */
export function withColors(review: ReviewPayload, warn: (error: unknown) => void): ReviewPayload {
  try {
    return { ...review, colors: colorReview(review) };
  } catch (error) {
    warn(error);
    return review;
  }
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
