import { fileURLToPath } from 'node:url';
import { EmulatedRegExp } from 'oniguruma-to-es';
import { codeToTokensBase, createShikiPrimitive } from 'shiki/core';
import { createJavaScriptRegexEngine, defaultJavaScriptRegexConstructor } from 'shiki/engine/javascript';
import githubLight from 'shiki/themes/github-light.mjs';
import { describe, expect, it } from 'vitest';
import { precompiledRegexes, scannerSources } from '../../web/build/regexes.js';
import { asciiSource, isAscii } from '../../lib/render/syntax/ascii.js';
import { GRAMMARS } from '../../lib/render/syntax/grammars.js';
import type { Precompiled } from '../../lib/render/syntax/precompiled.js';
import { highlightLines } from '../../lib/render/syntax/tokens.js';

const SAMPLES: Record<string, string> = {
  python: String.raw`import numpy as np
@dataclass(frozen=True)
class Point(Base):
    """A point."""
    def norm(self, p: int = 2) -> float:
        s = f'{self.x!r:>{p}} {self.y}' + rf"\d{p}" + b'\x00' + r'raw' + u"u" + Rb'x' + Br"y" + fR'z'
        t = '''multi
        line''' + F"""{1+1}""" + rb"""bytes""" + 'a\'b' + "c\"d"
        return (self.x ** p + self.y ** p) ** (1 / p)  # comment
lambda x: x if x else None
async def f():
    await g()
    yield from h()
%matplotlib inline
x = [i for i in range(10) if i % 2 == 0]; y = {"a": 1, **d}; z = x[1:2, ...]
`,
  r: 'library(dplyr)\ndf <- data.frame(x = c(1, 2), y = "a")\nf <- function(a, ...) { if (a > 1) a %>% sum() else NULL }\n# comment',
  json: '{"a": [1, 2.5e3, true, null], "b": {"c": "d\\n"}}',
  shellscript: 'for f in *.ipynb; do\n  echo "$f ${f%.ipynb} $(date)" | grep -v x > out.txt\ndone\ncat <<EOF\nhere\nEOF\nexport A=1 && [ -f a ] || exit 1',
  sql: "SELECT a, COUNT(*) AS n FROM t WHERE b = 'x' AND c > 1 GROUP BY a ORDER BY n DESC; -- comment",
};

/** What the build puts into lib/render/syntax/precompiled.ts. */
function built(): Precompiled {
  const load = precompiledRegexes().load as (id: string) => string;
  const module = load(fileURLToPath(new URL('../../lib/render/syntax/precompiled.ts', import.meta.url)));
  return JSON.parse(JSON.parse(/JSON\.parse\((.*)\);/.exec(module)![1]!) as string) as Precompiled;
}

/** Where and what a regex matches from a position (null: nothing). */
function matchAt(regex: RegExp, line: string, at: number): unknown {
  regex.lastIndex = at;
  const m = regex.exec(line);
  return m && [m.index, [...m], m.indices ? [...m.indices] : null];
}

describe('precompiled regexes (web/build/regexes.ts)', () => {
  it('foresee every regex the scanner asks for when coloring typical code of each bundled language', () => {
    const foreseen = new Set(scannerSources(GRAMMARS));
    const asked = new Set<string>();
    const engine = createJavaScriptRegexEngine({ forgiving: true, regexConstructor: (source) => {
      asked.add(source);
      return defaultJavaScriptRegexConstructor(source);
    } });
    const shiki = createShikiPrimitive({ themes: [githubLight], langs: GRAMMARS, engine });
    for (const [lang, code] of Object.entries(SAMPLES)) codeToTokensBase(shiki, code, { lang, theme: 'github-light' });
    expect(asked.size).toBeGreaterThan(100);
    // Shell here-documents end with whatever word began them: those the page converts itself.
    expect([...asked].filter((s) => !foreseen.has(s) && !s.includes('EOF'))).toEqual([]);
  });

  it('rebuild the regexes oniguruma-to-es emulates so that they match as the page\'s own conversion does', () => {
    const emulated = built().regexes.filter((e) => e[3]);
    // The one Python comments ask for (a possessive quantifier), among others.
    expect(emulated.map((e) => e[0])).toContain('#\\s*(type:)\\s*+(?!$|#)');
    const lines = Object.values(SAMPLES).flatMap((code) => code.split('\n')).concat(['x = 1  # type: int', '#   type:  List[int]', '\t  alias ll=ls']);
    for (const [oniguruma, source, flags, options] of emulated) {
      const rebuilt = new EmulatedRegExp(source, flags, options);
      const converted = defaultJavaScriptRegexConstructor(oniguruma, { target: 'ES2018' });
      for (const line of lines) for (const at of [0, 2]) expect(matchAt(rebuilt, line, at), oniguruma).toEqual(matchAt(converted, line, at));
    }
  });
  it('for ASCII text, match exactly as converted once each Unicode property escape lists its ASCII characters', () => {
    const { regexes, ascii } = built();
    // Every printable character and the controls a notebook holds, in each position around words and spaces.
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
    const lines = Object.values(SAMPLES).flatMap((code) => code.split('\n'))
      .concat([printable, `\t${printable}\x0b\f\r`, 'x = 1  # type: int', 'SELECT Kelvin, s FROM t', 'a_b9 = Z_8 + ss; \u0000\x7f']);
    let changed = 0;
    for (const [oniguruma, source, flags, options] of regexes) {
      const variant = asciiSource(source, flags, ascii);
      expect(variant, oniguruma).not.toBeNull();
      if (variant === source) continue;
      expect(variant, oniguruma).not.toMatch(/\\[pP]\{/);
      changed++;
      const make = (s: string): RegExp => (options ? new EmulatedRegExp(s, flags, options) : new RegExp(s, flags));
      const [fast, converted] = [make(variant!), make(source)];
      for (const line of lines) {
        for (let at = 0; at <= line.length; at++) expect(matchAt(fast, line, at), `${oniguruma} on ${line} at ${at}`).toEqual(matchAt(converted, line, at));
      }
    }
    expect(changed).toBeGreaterThan(100);
    // Text with anything else keeps the regexes as converted.
    expect(isAscii('x = "≥"')).toBe(false);
    expect(highlightLines('s = "naïve"  # café', 'python').map((l) => l.map((t) => t.text).join(''))).toEqual(['s = "naïve"  # café']);
  });
});

describe('highlightLines', () => {
  it('colors for the reader\'s scheme, keeping the text', () => {
    const code = 'def f(x):\n    return "s"  # c\n';
    const light = highlightLines(code, 'python', 'light');
    const dark = highlightLines(code, 'python', 'dark');
    for (const lines of [light, dark]) expect(lines.map((l) => l.map((t) => t.text).join(''))).toEqual(['def f(x):', '    return "s"  # c']);
    expect(light.flat().find((t) => t.text === 'def')!.color).not.toBe(dark.flat().find((t) => t.text === 'def')!.color);
    expect(highlightLines('x = 1', 'cobol').flat()).toEqual([{ text: 'x = 1' }]);
  });
});
