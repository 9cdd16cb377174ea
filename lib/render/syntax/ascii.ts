/**
 * Regexes for text that is all ASCII. The grammars' regexes, converted from Oniguruma, spell "word
 * character" and "space" as Unicode property escapes (`[\p{L}\p{M}\p{N}\p{Pc}]`, `\p{space}`), and V8
 * builds each such class from its Unicode tables when the regex is made and again when it is compiled:
 * 0.7 ms per regex, most of a fresh page's coloring (the bundled grammars' 471 regexes: 34 ms to make and
 * 98 ms to first run, against 3 and 36 ms with the classes below; Node 20). Most code is ASCII, and on
 * ASCII text a property escape matches exactly the ASCII characters it contains: so for such text each
 * escape is replaced by those characters, listed. Text with any other character gets the regexes as
 * converted. The lists come from the build (web/build/regexes.ts), made by asking the engine itself.
 */

/** For each property escape (`\p{L}`, `\P{space}`): the ASCII characters it matches, as class content,
 *  without and with the i flag. */
export type AsciiProperties = Record<string, [plain: string, ignoreCase: string]>;

const PROPERTY = /^\\[pP]\{[^}]*\}/;

/** True when every character of the text is ASCII. */
export function isAscii(text: string): boolean {
  return !/[^\x00-\x7f]/.test(text);
}

/**
 * The source with each property escape replaced by the ASCII characters it matches, for a regex only
 * ever run on ASCII text; null when an escape is missing from the table, or for `v`-mode classes (which
 * nest, and the build's ES2018 conversions never use).
 */
export function asciiSource(source: string, flags: string, table: AsciiProperties): string | null {
  if (flags.includes('v')) return null;
  const column = flags.includes('i') ? 1 : 0;
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      const property = PROPERTY.exec(source.slice(i, i + 40))?.[0];
      if (property) {
        const chars = table[property]?.[column];
        if (chars === undefined) return null;
        // An empty list: nothing in ASCII matches (an empty class outside, nothing added inside).
        out += inClass ? chars : `[${chars}]`;
        i += property.length - 1;
      } else {
        out += source.slice(i, i + 2);
        i++;
      }
      continue;
    }
    if (c === '[' && !inClass) inClass = true;
    else if (c === ']' && inClass) inClass = false;
    out += c;
  }
  return out;
}

/** The ASCII characters a property escape matches, as class content (`\x30-\x39\x41-\x5a`). */
export function asciiClassOf(property: string, ignoreCase: boolean): string {
  const regex = new RegExp(property, ignoreCase ? 'iu' : 'u');
  const hex = (c: number): string => `\\x${c.toString(16).padStart(2, '0')}`;
  let out = '';
  let start = -1;
  for (let c = 0; c <= 128; c++) {
    const member = c < 128 && regex.test(String.fromCharCode(c));
    if (member && start < 0) start = c;
    if (!member && start >= 0) {
      out += start === c - 1 ? hex(start) : `${hex(start)}-${hex(c - 1)}`;
      start = -1;
    }
  }
  return out;
}

/** The table for every property escape in these regex sources. */
export function asciiProperties(sources: Iterable<string>): AsciiProperties {
  const table: AsciiProperties = {};
  for (const source of sources) {
    for (const [property] of source.matchAll(/\\[pP]\{[^}]*\}/g)) {
      try {
        table[property] ??= [asciiClassOf(property, false), asciiClassOf(property, true)];
      } catch {
        // Not a property escape after all (an escaped backslash before `p{`): nothing to list.
      }
    }
  }
  return table;
}
