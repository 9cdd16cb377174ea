/**
 * Syntax highlighting in a fresh page spent much of its time turning the grammars' Oniguruma regexes into
 * JavaScript ones (oniguruma-to-es, run cold). The build does it once instead: it lists every regex source
 * vscode-textmate can hand the scanner (`scannerSources`), converts each, and puts source and result into
 * lib/render/syntax/precompiled.ts, which the regex engine consults first (lib/render/syntax/tokens.ts). A
 * source the build could not foresee (an end pattern filled with what its begin pattern captured, when the
 * build could not guess the capture) is converted in the page as before: the lookup makes highlighting
 * faster, never different. Regexes oniguruma-to-es can only emulate (with its RegExp subclass) are listed
 * with the subclass's options: converting the one such regex Python comments need took a fresh page more
 * CPU than any other single regex (the converter's code runs cold). With them goes the table of the ASCII
 * characters of each Unicode property escape they use, for text that is all ASCII (lib/render/syntax/ascii.ts).
 * Target ES2018, as shiki's own precompiled grammars: every browser the viewer supports parses the result.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EmulatedRegExp } from 'oniguruma-to-es';
import { defaultJavaScriptRegexConstructor } from 'shiki/engine/javascript';
import type { Plugin } from 'vite';
import { GRAMMARS } from '../../lib/render/syntax/grammars.js';
import { asciiProperties } from '../../lib/render/syntax/ascii.js';
import type { Precompiled, PrecompiledRegex } from '../../lib/render/syntax/precompiled.js';

const here = dirname(fileURLToPath(import.meta.url));
const TARGET = resolve(here, '../../lib/render/syntax/precompiled.ts');

export function precompiledRegexes(): Plugin {
  return {
    name: 'cellwise-precompiled-regexes',
    apply: 'build',
    load(id) {
      return id === TARGET ? precompiledModule() : null;
    },
  };
}

/**
 * The code that replaces lib/render/syntax/precompiled.ts: in the viewer's build (above), and in the CLI's
 * bundle (scripts/bundle-cli.mjs), which colors the code of the reports it writes.
 */
export function precompiledModule(): string {
  const regexes: PrecompiledRegex[] = [];
  for (const source of scannerSources(GRAMMARS)) {
    try {
      const regex = defaultJavaScriptRegexConstructor(source, { target: 'ES2018' });
      if (Object.getPrototypeOf(regex) === RegExp.prototype) regexes.push([source, regex.source, regex.flags]);
      // Emulated (possessive quantifiers, atomic groups, some anchors): a RegExp subclass the page
      // rebuilds from the same pattern and options. (A lazily compiled one has no pattern to read.)
      else if (regex instanceof EmulatedRegExp && !regex.rawOptions.lazyCompile) regexes.push([source, regex.source, regex.flags, regex.rawOptions]);
    } catch {
      // Not convertible: the page's engine skips it too (it is forgiving).
    }
  }
  const precompiled: Precompiled = { regexes, ascii: asciiProperties(regexes.map((r) => r[1])) };
  // A string for JSON.parse: cheaper for the browser to parse than the same value as a literal.
  return `export default JSON.parse(${JSON.stringify(JSON.stringify(precompiled))});\n`;
}

interface RuleLike {
  match?: unknown;
  begin?: unknown;
  end?: unknown;
  while?: unknown;
  patterns?: unknown;
  captures?: unknown;
  beginCaptures?: unknown;
  endCaptures?: unknown;
  whileCaptures?: unknown;
  repository?: unknown;
  injections?: unknown;
}

const BACK_REFERENCE = /\\(\d+)/g;
/** A guessed capture has at most this many spellings (quotes: `'`, `"`, `'''`, `"""`). */
const MAX_GUESSES = 8;

/**
 * Every regex source vscode-textmate can hand the scanner for these grammars, each once, in a fixed order.
 * It applies the same rewriting vscode-textmate does (RegExpSource: `\z`, and the four spellings of
 * patterns with `\A` or `\G`), so the strings are the ones the scanner will ask for.
 */
export function scannerSources(grammars: readonly object[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (source: string): void => {
    for (const s of anchorSpellings(rewriteEndOfInput(source))) {
      if (!seen.has(s)) {
        seen.add(s);
        out.push(s);
      }
    }
  };
  const visited = new Set<object>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const v of value) visit(v);
      return;
    }
    if (!value || typeof value !== 'object' || visited.has(value)) return;
    visited.add(value);
    const rule = value as RuleLike;
    if (typeof rule.match === 'string') add(rule.match);
    else if (typeof rule.begin === 'string') {
      add(rule.begin);
      // vscode-textmate fills an end (or while) pattern's back-references with what begin captured.
      const tail = typeof rule.while === 'string' ? rule.while : typeof rule.end === 'string' ? rule.end : '\uFFFF';
      for (const s of resolvedBackReferences(rule.begin, tail)) add(s);
    }
    visit(rule.patterns);
    for (const key of ['captures', 'beginCaptures', 'endCaptures', 'whileCaptures', 'repository', 'injections'] as const) {
      const map = rule[key];
      if (map && typeof map === 'object') visit(Object.values(map));
    }
  };
  visit(grammars);
  return out;
}

function rewriteEndOfInput(source: string): string {
  let out = '';
  for (let i = 0; i < source.length; i++) {
    if (source[i] === '\\' && i + 1 < source.length) {
      out += source[i + 1] === 'z' ? '$(?!\\n)(?<!\\n)' : source.slice(i, i + 2);
      i++;
    } else out += source[i];
  }
  return out;
}

/** The spellings of a pattern with `\A` or `\G` that vscode-textmate compiles (each anchor allowed or not). */
function anchorSpellings(source: string): string[] {
  if (!/\\[AG]/.test(source)) return [source];
  const spell = (allowA: boolean, allowG: boolean): string => {
    let out = '';
    for (let i = 0; i < source.length; i++) {
      if (source[i] === '\\' && i + 1 < source.length) {
        const next = source[i + 1]!;
        out += '\\' + ((next === 'A' && !allowA) || (next === 'G' && !allowG) ? '\uFFFF' : next);
        i++;
      } else out += source[i];
    }
    return out;
  };
  return [spell(false, false), spell(false, true), spell(true, false), spell(true, true)];
}

/**
 * An end pattern as it is compiled once begin has matched: `\N` replaced by the escaped text of begin's
 * capture N. Captures whose every spelling can be read off begin (an alternation of literals such as
 * `('''|""")` or `(["'])`, as Python's strings have) are filled in each way; anything else is left to
 * the page. A pattern without back-references is itself.
 */
function resolvedBackReferences(begin: string, end: string): string[] {
  const groups = [...new Set([...end.matchAll(BACK_REFERENCE)].map((m) => Number(m[1])))];
  if (groups.length === 0) return [end];
  let fills: Map<number, string>[] = [new Map()];
  for (const n of groups) {
    const spellings = literalSpellings(captureGroup(begin, n));
    if (!spellings) return [];
    fills = fills.flatMap((f) => spellings.map((s) => new Map(f).set(n, s)));
    if (fills.length > MAX_GUESSES) return [];
  }
  return fills.map((f) => end.replace(BACK_REFERENCE, (_, n: string) => escapeRegExpCharacters(f.get(Number(n)) ?? '')));
}

/** The same escaping vscode-textmate applies to a captured text it puts into a pattern. */
function escapeRegExpCharacters(value: string): string {
  return value.replace(/[\-\\\{\}\*\+\?\|\^\$\.\,\[\]\(\)\#\s]/g, '\\$&');
}

/** The text inside capture group `n` of a pattern (groups counted by their opening parenthesis), or null. */
function captureGroup(pattern: string, n: number): string | null {
  let count = 0;
  const opens: { start: number; capture: number | null }[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') { i++; continue; }
    if (c === '[') {
      // Skip a character class (nested classes included).
      let depth = 0;
      for (; i < pattern.length; i++) {
        if (pattern[i] === '\\') { i++; continue; }
        if (pattern[i] === '[') depth++;
        else if (pattern[i] === ']' && --depth === 0) break;
      }
      continue;
    }
    if (c === '(') {
      const capturing = pattern[i + 1] !== '?' || (pattern[i + 2] === '<' && /[A-Za-z_]/.test(pattern[i + 3] ?? '')) || pattern[i + 2] === 'P';
      opens.push({ start: i + 1, capture: capturing ? ++count : null });
    } else if (c === ')') {
      const open = opens.pop();
      if (open?.capture === n) return pattern.slice(open.start, i);
    }
  }
  return null;
}

/** Every text a group body can match when it is an alternation of literals and one-character classes. */
function literalSpellings(body: string | null): string[] | null {
  if (body === null) return null;
  while (/^\((?!\?)[\s\S]*\)$/.test(body) && captureGroup(body, 1) === body.slice(1, -1)) body = body.slice(1, -1);
  const out: string[] = [];
  for (const branch of body.split('|')) {
    let spellings = [''];
    for (let i = 0; i < branch.length; i++) {
      const c = branch[i]!;
      let options: string[];
      if (c === '\\') {
        const next = branch[i + 1];
        if (next === undefined || /[A-Za-z0-9]/.test(next)) return null;
        options = [next];
        i++;
      } else if (c === '[') {
        const close = branch.indexOf(']', i + 1);
        const inside = close > i ? branch.slice(i + 1, close) : '';
        if (!inside || /[\\^\-\[]/.test(inside.replace(/\\["']/g, ''))) return null;
        options = [...inside.replace(/\\(["'])/g, '$1')];
        i = close;
      } else if (/[()?*+{}.^$]/.test(c)) return null;
      else options = [c];
      spellings = spellings.flatMap((s) => options.map((o) => s + o));
      if (spellings.length > MAX_GUESSES) return null;
    }
    out.push(...spellings);
  }
  return out.length <= MAX_GUESSES ? out : null;
}
