/**
 * Syntax colors from shiki's core with the JavaScript regex engine (no WebAssembly to inline), a few
 * grammars (./grammars.ts) and two themes: the full `shiki` import would put every grammar into the bundle.
 *
 * Coloring is most of the work of showing a page of code, so it is done once, for the theme of the reader's
 * color scheme (shiki tokenizes a text once per theme); a change of scheme colors the code again. Regexes
 * come converted from the build where it could (web/build/regexes.ts), in a cheaper form for text that is
 * all ASCII (./ascii.ts), and a highlighter is made on first use, with only the grammar and the theme it
 * is asked for.
 */
import { EmulatedRegExp } from 'oniguruma-to-es';
import { codeToTokensBase, createShikiPrimitive, type PatternScanner, type RegexEngine, type RegexEngineString, type ShikiPrimitive } from 'shiki/core';
import { createJavaScriptRegexEngine, defaultJavaScriptRegexConstructor } from 'shiki/engine/javascript';
import githubDark from 'shiki/themes/github-dark.mjs';
import githubLight from 'shiki/themes/github-light.mjs';
import { asciiSource, isAscii } from './ascii.js';
import { grammarFor, LANGUAGES } from './grammars.js';
import PRECOMPILED, { type PrecompiledRegex } from './precompiled.js';

export { grammarFor };

export type ColorScheme = 'light' | 'dark';
const THEMES = { light: githubLight, dark: githubDark } as const;

/** One colored piece of a line. */
export interface CodeToken {
  text: string;
  color?: string;
}

let highlighter: ShikiPrimitive | null = null;
const loaded = new Set<string>();

/**
 * The highlighter with the language and theme loaded: each on first use, since registering a grammar
 * walks all of it and a theme is normalized whole: a page usually needs one of each, and making the
 * highlighter with all five grammars and both themes took 10-20 ms cold, against 5-7 ms for one of each
 * (Node 20, three fresh processes each).
 */
function get(lang: keyof typeof LANGUAGES, scheme: ColorScheme): ShikiPrimitive {
  highlighter ??= createShikiPrimitive({ themes: [], langs: [], engine: regexEngine() });
  if (!loaded.has(lang)) {
    highlighter.loadLanguageSync(LANGUAGES[lang]);
    loaded.add(lang);
  }
  if (!loaded.has(scheme)) {
    highlighter.loadThemeSync(THEMES[scheme]);
    loaded.add(scheme);
  }
  return highlighter;
}

type Line = RegexEngineString & { ascii?: boolean };

/**
 * shiki's JavaScript engine, with each grammar rule's regexes made on demand twice over: for lines that
 * are all ASCII (./ascii.ts), and as converted for any other line. Chosen line by line, so a comment with
 * an accent costs its own line the Unicode regexes, not the whole cell.
 */
function regexEngine(): RegexEngine {
  const engines = [false, true].map((ascii) => createJavaScriptRegexEngine({
    forgiving: true,
    regexConstructor: (source) => precompiledRegex(source, ascii) ?? defaultJavaScriptRegexConstructor(source),
  }));
  const [any, ascii] = engines as [RegexEngine, RegexEngine];
  return {
    createScanner(patterns) {
      const scanners: (PatternScanner | undefined)[] = [];
      return {
        findNextMatchSync(line, start, options) {
          const which = (typeof line === 'string' ? isAscii(line) : (line as Line).ascii) ? 1 : 0;
          scanners[which] ??= (which ? ascii : any).createScanner(patterns);
          return scanners[which].findNextMatchSync(line, start, options);
        },
        dispose() {
          scanners.forEach((s) => s?.dispose?.());
        },
      };
    },
    createString(text) {
      const line: Line = any.createString(text);
      line.ascii = isAscii(text);
      return line;
    },
  };
}

let precompiled: Map<string, PrecompiledRegex> | null = null;

/**
 * The build's conversion of a regex source, for ASCII text only or any; null where it has none (then the
 * page converts it, for any text).
 */
function precompiledRegex(oniguruma: string, ascii: boolean): RegExp | null {
  precompiled ??= new Map(PRECOMPILED.regexes.map((entry) => [entry[0], entry]));
  const found = precompiled.get(oniguruma);
  if (!found) return null;
  const [, converted, flags, emulated] = found;
  const source = (ascii ? asciiSource(converted, flags, PRECOMPILED.ascii) : null) ?? converted;
  try {
    return emulated ? new EmulatedRegExp(source, flags, emulated) : new RegExp(source, flags);
  } catch {
    // A browser without a feature the build's conversion uses: convert in the page.
    return null;
  }
}

function plain(text: string): CodeToken[][] {
  return text.split('\n').map((line) => [{ text: line }]);
}

/** Lines of tokens for a whole text (highlighted in one go, so strings and comments spanning lines work). */
export function highlightLines(code: string, language: string | undefined, scheme: ColorScheme = 'light'): CodeToken[][] {
  const text = code.endsWith('\n') ? code.slice(0, -1) : code;
  const lang = grammarFor(language);
  if (!lang || text.length > 200_000) return plain(text);
  try {
    const shiki = get(lang, scheme);
    const theme = THEMES[scheme];
    // The theme's default color is left to the page's (much the same), so most of a line is bare text.
    const fg = shiki.getTheme(theme).fg.toLowerCase();
    return codeToTokensBase(shiki, text, { lang, theme }).map((line) => {
      const out: CodeToken[] = [];
      for (const t of line) {
        const color = t.color && t.color.toLowerCase() !== fg ? t.color : undefined;
        const last = out[out.length - 1];
        if (last && last.color === color) last.text += t.content;
        else out.push(color ? { text: t.content, color } : { text: t.content });
      }
      return out;
    });
  } catch {
    return plain(text);
  }
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
  if (linesThisTask >= TASK_BUDGET_LINES) return null;
  const lines = highlightLines(code, language, scheme);
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
