/**
 * When and from where the viewer colors code. The coloring itself is the library's (lib/render/syntax); a
 * review may bring its code colored already (`ReviewPayload.colors`), and then the page only looks the
 * colors up: the coloring code stays inert text in the page (../chunks/syntax.ts) until something is to be
 * colored here.
 */
import { plainLines, precoloredLines, type CodeToken, type ReviewColors } from '../../../lib/render/syntax/colors.js';
import { grammarFor, type ColorScheme } from '../../../lib/render/syntax/languages.js';
import { runChunk } from '../chunks/run.js';

export { grammarFor, type CodeToken, type ColorScheme };

type Syntax = typeof import('../chunks/syntax.js');
let syntax: Syntax | null | undefined;

/** Colors the text here, running the coloring code on first use; plain lines if the page lacks it. */
function colorLines(code: string, language: string | undefined, scheme: ColorScheme): CodeToken[][] {
  if (syntax === undefined) {
    try {
      syntax = runChunk('syntax') as Syntax;
    } catch {
      // A page built without the chunk (Vite's dev server): code stays uncolored rather than the page failing.
      syntax = null;
    }
  }
  return syntax ? syntax.highlightLines(code, language, scheme) : plainLines(code);
}

let precolored: ReviewColors = {};

/** The review's own colors, used before coloring anything here. */
export function setPrecolored(colors: ReviewColors | undefined): void {
  precolored = colors ?? {};
}

/** Lines of tokens for a whole text: from the review's tables when they have it, else colored here. */
export function highlightLines(code: string, language: string | undefined, scheme: ColorScheme = 'light'): CodeToken[][] {
  return precoloredLines(precolored[scheme], scheme, code, language) ?? colorLines(code, language, scheme);
}

// ─── When to color ──────────────────────────────────────────────────────────────────────────────────────
// Code is colored while a render runs, so the page is drawn once, already colored, until this many lines
// were colored in the current task (a hundred-cell notebook's changes fit); what is left is drawn plain and
// colored in later tasks, a slice at a time, so a page of hundreds of changed cells still appears quickly
// and stays responsive. Counted in lines, not milliseconds, so what a page does never depends on how busy
// the machine is. (The first coloring on a page costs most, 100-200 ms: the grammar and the JIT warm up.)

/** Lines colored while rendering, per task. */
const TASK_BUDGET_LINES = 2000;
/** Time per later task spent coloring what the budget left. */
const SLICE_MS = 30;

let linesThisTask = 0;
let resetQueued = false;

/** Colors now if this task's budget allows; null when the caller should use `highlightLater`. */
export function highlightNow(code: string, language: string | undefined, scheme: ColorScheme): CodeToken[][] | null {
  // Colors the review brought cost a lookup, not coloring: they do not count against the budget.
  const ready = precoloredLines(precolored[scheme], scheme, code, language);
  if (ready) return ready;
  if (linesThisTask >= TASK_BUDGET_LINES) return null;
  const lines = colorLines(code, language, scheme);
  linesThisTask += lines.length;
  if (!resetQueued) {
    resetQueued = true;
    queueMicrotask(() => {
      linesThisTask = 0;
      resetQueued = false;
    });
  }
  return lines;
}

const queue: (() => void)[] = [];
let scheduled = false;

function pump(): void {
  scheduled = false;
  const until = performance.now() + SLICE_MS;
  while (queue.length && performance.now() < until) queue.shift()!();
  if (queue.length) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(pump, 0);
}

/** Colors in a later task; the callback is not called if the returned cancel function was. */
export function highlightLater(code: string, language: string | undefined, scheme: ColorScheme, done: (lines: CodeToken[][]) => void): () => void {
  let cancelled = false;
  queue.push(() => {
    if (!cancelled) done(highlightLines(code, language, scheme));
  });
  schedule();
  return () => {
    cancelled = true;
  };
}

// ─── The reader's color scheme ──────────────────────────────────────────────────────────────────────────

const darkQuery = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;

export function colorScheme(): ColorScheme {
  return darkQuery?.matches ? 'dark' : 'light';
}

export function onColorSchemeChange(listener: () => void): () => void {
  darkQuery?.addEventListener('change', listener);
  return () => darkQuery?.removeEventListener('change', listener);
}
