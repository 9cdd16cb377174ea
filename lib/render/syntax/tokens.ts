/**
 * Syntax colors from shiki's core with the JavaScript regex engine (no WebAssembly to inline), a few
 * grammars (./grammars.ts) and two themes: the full `shiki` import would put every grammar into the
 * viewer's bundle. Pure: the viewer colors code with it in the page, and whoever builds a review can color
 * it ahead of time (./precolor.ts) so that the page does not have to.
 *
 * Code is colored for one theme at a time (shiki tokenizes a text once per theme). Regexes come converted
 * from the viewer's build where it could (web/build/regexes.ts), in a cheaper form for text that is all
 * ASCII (./ascii.ts), and a highlighter is made on first use, with only the grammar and the theme it is
 * asked for.
 */
import { EmulatedRegExp } from 'oniguruma-to-es';
import { codeToTokensBase, createShikiPrimitive, type PatternScanner, type RegexEngine, type RegexEngineString, type ShikiPrimitive } from 'shiki/core';
import { createJavaScriptRegexEngine, defaultJavaScriptRegexConstructor } from 'shiki/engine/javascript';
import githubDark from 'shiki/themes/github-dark.mjs';
import githubLight from 'shiki/themes/github-light.mjs';
import { asciiSource, isAscii } from './ascii.js';
import { plainLines, type CodeToken } from './colors.js';
import { LANGUAGES } from './grammars.js';
import { grammarFor, THEME_NAMES, type ColorScheme } from './languages.js';
import PRECOMPILED, { type PrecompiledRegex } from './precompiled.js';

export { plainLines, type CodeToken, type ColorScheme };

const THEMES = { light: githubLight, dark: githubDark } as const;
for (const scheme of ['light', 'dark'] as const) {
  if (THEMES[scheme].name !== THEME_NAMES[scheme]) throw new Error(`the ${scheme} theme is ${THEMES[scheme].name}, not ${THEME_NAMES[scheme]}`);
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
 * The build's conversion of a regex source, for ASCII text only or any; null where it has none (then it
 * is converted here, for any text).
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
    // A browser without a feature the build's conversion uses: convert here.
    return null;
  }
}

function withoutFinalNewline(code: string): string {
  return code.endsWith('\n') ? code.slice(0, -1) : code;
}

/** Texts longer than this are shown uncolored: tokenizing is superlinear on pathological input. */
export const MAX_COLORED_CHARS = 200_000;

/**
 * Lines of tokens for a whole text (highlighted in one go, so strings and comments spanning lines work);
 * one final newline makes no line of its own.
 */
export function highlightLines(code: string, language: string | undefined, scheme: ColorScheme = 'light'): CodeToken[][] {
  const lang = grammarFor(language);
  if (!lang || code.length > MAX_COLORED_CHARS) return plainLines(code);
  try {
    const shiki = get(lang, scheme);
    const theme = THEMES[scheme];
    // The theme's default color is left to the page's (much the same), so most of a line is bare text.
    const fg = shiki.getTheme(theme).fg.toLowerCase();
    return codeToTokensBase(shiki, withoutFinalNewline(code), { lang, theme }).map((line) => {
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
    return plainLines(code);
  }
}
