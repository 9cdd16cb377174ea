/**
 * Colors made ahead of time (./precolor.ts makes them), as a review carries them and the viewer reads them.
 * A table is keyed by the text itself (its grammar, length and hash), not by where it sits, so the viewer
 * looks colors up for whatever text it is about to show and colors anything not found (or not matching
 * line for line) itself: a table can make the page faster, never different. Nothing here loads a grammar.
 */
import { grammarFor, THEME_NAMES, type ColorScheme } from './languages.js';

/** One colored piece of a line; no color means the theme's default one. */
export interface CodeToken {
  text: string;
  color?: string;
}

/** The text's lines, as coloring cuts them (one final newline makes no line of its own), each one uncolored piece. */
export function plainLines(code: string): CodeToken[][] {
  return (code.endsWith('\n') ? code.slice(0, -1) : code).split('\n').map((line) => [{ text: line }]);
}

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

