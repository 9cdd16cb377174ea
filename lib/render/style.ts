/**
 * The terminal renderer's colours: a handful of SGR codes written by hand (no dependency for eight escape
 * sequences). With `color: false` every function returns its text unchanged, so the same rendering code
 * serves both and no escape byte can slip into plain output.
 */

export interface Style {
  readonly color: boolean;
  /** Lines only in head. */
  added(text: string): string;
  /** Lines only in base. */
  removed(text: string): string;
  /** Changed words inside an added / removed line. */
  addedWord(text: string): string;
  removedWord(text: string): string;
  /** Markers of parts that changed in place (`~`). */
  changed(text: string): string;
  /** `@@ … @@` lines. */
  hunk(text: string): string;
  /** Cell headers and the final summary. */
  strong(text: string): string;
  /** Secondary information: rules, match kinds, unchanged cells. */
  dim(text: string): string;
  /** Parser warnings, stale outputs. */
  warning(text: string): string;
}

export const SGR_RESET = '\x1b[0m';

/** The SGR codes this module emits, for tests and for anyone stripping them. */
export const SGR_CODES = {
  added: '32',
  removed: '31',
  addedWord: '7;32',
  removedWord: '7;31',
  changed: '33',
  hunk: '36',
  strong: '1',
  dim: '2',
  warning: '33',
} as const;

type Painter = (text: string) => string;

export function createStyle(color: boolean): Style {
  // Every painted piece closes itself, so truncating or joining painted pieces never leaks a colour.
  const paint = (code: string): Painter =>
    color ? (text) => (text === '' ? text : `\x1b[${code}m${text}${SGR_RESET}`) : (text) => text;
  return {
    color,
    added: paint(SGR_CODES.added),
    removed: paint(SGR_CODES.removed),
    addedWord: paint(SGR_CODES.addedWord),
    removedWord: paint(SGR_CODES.removedWord),
    changed: paint(SGR_CODES.changed),
    hunk: paint(SGR_CODES.hunk),
    strong: paint(SGR_CODES.strong),
    dim: paint(SGR_CODES.dim),
    warning: paint(SGR_CODES.warning),
  };
}
