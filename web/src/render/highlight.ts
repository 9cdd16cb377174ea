/**
 * Syntax colors from shiki's core with the JavaScript regex engine (no WebAssembly to inline), and only the
 * kernel languages most notebooks are written in (Julia is left out: its grammar embeds C++, 1 MB) plus two themes: the full `shiki` import would put every
 * grammar into the bundle. Tokens carry both themes' colors; CSS picks one by the system's color scheme.
 */
import { createHighlighterCoreSync, type HighlighterCore } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import json from 'shiki/langs/json.mjs';
import python from 'shiki/langs/python.mjs';
import r from 'shiki/langs/r.mjs';
import shellscript from 'shiki/langs/shellscript.mjs';
import sql from 'shiki/langs/sql.mjs';
import githubDark from 'shiki/themes/github-dark.mjs';
import githubLight from 'shiki/themes/github-light.mjs';

/** One colored piece of a line: light and dark theme colors. */
export interface CodeToken {
  text: string;
  light?: string;
  dark?: string;
}

let highlighter: HighlighterCore | null = null;
function get(): HighlighterCore {
  highlighter ??= createHighlighterCoreSync({
    themes: [githubLight, githubDark],
    langs: [python, r, json, shellscript, sql],
    engine: createJavaScriptRegexEngine({ forgiving: true }),
  });
  return highlighter;
}

const ALIASES: Record<string, string> = {
  python: 'python', python3: 'python', ipython: 'python', ipython3: 'python', py: 'python',
  r: 'r', json: 'json', bash: 'shellscript', sh: 'shellscript', shell: 'shellscript', shellscript: 'shellscript',
  sql: 'sql',
};

/** The bundled grammar for a notebook's language (metadata.language_info.name or kernelspec.language). */
export function grammarFor(language: string | undefined): string | null {
  return language ? ALIASES[language.toLowerCase()] ?? null : null;
}

/** Lines of tokens for a whole text (highlighted in one go, so strings and comments spanning lines work). */
export function highlightLines(code: string, language: string | undefined): CodeToken[][] {
  const text = code.endsWith('\n') ? code.slice(0, -1) : code;
  const lang = grammarFor(language);
  if (!lang || text.length > 200_000) return text.split('\n').map((line) => [{ text: line }]);
  try {
    const { tokens } = get().codeToTokens(text, { lang, themes: { light: 'github-light', dark: 'github-dark' }, defaultColor: false });
    return tokens.map((line) => line.map((t) => ({
      text: t.content,
      ...(t.htmlStyle?.['--shiki-light'] ? { light: t.htmlStyle['--shiki-light'] } : {}),
      ...(t.htmlStyle?.['--shiki-dark'] ? { dark: t.htmlStyle['--shiki-dark'] } : {}),
    })));
  } catch {
    return text.split('\n').map((line) => [{ text: line }]);
  }
}

// Compiling a grammar's regular expressions costs several hundred milliseconds on first use, so the page is
// drawn with plain code first and colored afterwards, a few cells per task, keeping it responsive.
const queue: (() => void)[] = [];
let scheduled = false;

function pump(): void {
  scheduled = false;
  const until = performance.now() + 12;
  while (queue.length && performance.now() < until) queue.shift()!();
  if (queue.length) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setTimeout(pump, 0);
}

/** Highlights in a later task; the callback is not called if the returned cancel function was. */
export function highlightLater(code: string, language: string | undefined, done: (lines: CodeToken[][]) => void): () => void {
  if (!grammarFor(language)) return () => {};
  let cancelled = false;
  queue.push(() => {
    if (!cancelled) done(highlightLines(code, language));
  });
  schedule();
  return () => {
    cancelled = true;
  };
}
