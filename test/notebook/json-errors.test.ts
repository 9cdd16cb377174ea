import { describe, expect, it } from 'vitest';
import { NotebookError, parseNotebook } from '../../lib/notebook/index.js';
import { locateJsonError } from '../../lib/notebook/json-locate.js';

function errorOf(text: string, file = 'nb.ipynb'): NotebookError {
  try {
    parseNotebook(text, file);
  } catch (e) {
    if (e instanceof NotebookError) return e;
    throw e;
  }
  throw new Error('parsed without error');
}

const VALID = JSON.stringify(
  { a: [1, -2.5e3, true, null, 's"\\é\n😀'], b: { c: {}, d: [], 'e f': 'x\ty' }, g: [[{}], [0.5, 'z']] },
  null,
  1,
);

describe('JSON syntax errors', () => {
  it('says so for an empty or blank file', () => {
    expect(errorOf('').message).toBe('nb.ipynb: empty file: there is no notebook in it');
    expect(errorOf(' \n\t\n').message).toBe('nb.ipynb: empty file: there is no notebook in it');
  });

  it('recognizes an XML notebook', () => {
    const e = errorOf('\n<notebook>\n  <nbformat>2</nbformat>\n</notebook>\n');
    expect(e.message).toMatch(/^nb\.ipynb: line 2: an XML notebook \(nbformat 2 XML/);
    expect(e.line).toBe(2);
  });

  it('points at the first merge conflict marker', () => {
    const text = '{\n "cells": [],\n<<<<<<< HEAD\n "nbformat": 4,\n=======\n "nbformat": 3,\n>>>>>>> other\n "metadata": {}\n}\n';
    const e = errorOf(text);
    expect(e.message).toBe('nb.ipynb: line 3: merge conflict markers (<<<<<<< HEAD): resolve the git conflict before diffing');
    expect(e.line).toBe(3);
    // A lone separator line is a marker too (conflicts inside a list can start with it in view).
    expect(errorOf('{\n "a": [\n=======\n ]\n}').line).toBe(3);
    // Seven characters inside a line are not a marker.
    expect(errorOf('{"a": 1 <<<<<<< x}').message).toMatch(/not valid JSON/);
  });

  it('reports text before the JSON', () => {
    const e = errorOf('Here is my notebook:\n\n{"cells": []}');
    expect(e.message).toBe(`nb.ipynb: line 1: text before the JSON: "Here is my notebook:" (a notebook starts with '{', which is on line 3)`);
    expect(errorOf('garbage').message).toBe(`nb.ipynb: line 1: text before the JSON: "garbage" (a notebook starts with '{')`);
  });

  it('gives line, column, reason and the text around the fault', () => {
    const e = errorOf('{\n "cells": [\n  "a"\n  "b"\n ]\n}');
    expect(e.message).toBe(`nb.ipynb: line 4, column 3: not valid JSON: expected ',' or ']' after a list item, found '"'; is a comma missing? ("b")`);
    expect([e.line, e.column, e.path]).toEqual([4, 3, '']);
  });

  it.each([
    ['{"a": [1, 2,]}', "trailing comma before ']'", 1, 13],
    ['{"a": 1,\n}', "trailing comma before '}'", 2, 1],
    ['{"a": "x"y"}', 'is a quote inside a string not written as \\"?', 1, 10],
    ['{"a": "line\nbreak"}', 'line break inside a string', 1, 12],
    ['{"a": "tab\there"}', 'control character U+0009 inside a string', 1, 11],
    ['{"a": "C:\\path"}', "invalid escape '\\p' in a string", 1, 10],
    ['{"a": NaN}', 'NaN is not valid JSON', 1, 7],
    ['{"a": -Infinity}', '-Infinity is not valid JSON', 1, 7],
    ['{"a": 01}', "expected ',' or '}' after a property value, found '1'", 1, 8],
    ['{"a" 1}', "expected ':' after a property name, found '1'", 1, 6],
    ["{'a': 1}", "expected a property name in double quotes, found '''", 1, 2],
    ['{"a": 1} x', 'unexpected text after the end of the JSON', 1, 10],
    ['{"a": [1, 2', 'it looks truncated', 1, 12],
    ['{"a": "abc', 'it looks truncated', 1, 11],
    ['{"a": "\u00e9\u00e9😀", x}', 'expected a property name in double quotes', 1, 14],
  ])('%j → %s at %i:%i', (text, reason, line, column) => {
    const e = errorOf(text);
    expect(e.message).toContain(reason);
    expect([e.line, e.column]).toEqual([line, column]);
  });

  it('cuts long lines around the fault', () => {
    const e = errorOf(`{"a": "${'x'.repeat(200)}" "${'y'.repeat(200)}"}`);
    expect(e.message).toMatch(/ \(…x{20,}" "y{20,}…\)$/);
    expect(e.message.length).toBeLessThan(200);
  });

  // The scanner must agree with JSON.parse on whether text is JSON at all, and on where the error is for the
  // kinds V8 places the same way (V8 points one character later for escapes and inside numbers and
  // literals; Python, and so the scanner, points at their start).
  it('agrees with JSON.parse on thousands of corrupted documents', () => {
    const samePosition = /^(Expected ',' or '[\]}]' after (array element|property value)|Expected property name or '}'|Expected ':' after property name|Bad control character in string literal|Unexpected non-whitespace character after JSON)/;
    const inserts = ['"', ',', ']', '}', '{', '[', ':', 'x', '\\', '\n', '1', '-', 'e', '.', ' ', '\t', '\u0001', 'n'];
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
    let compared = 0;
    for (let k = 0; k < 5000; k++) {
      const at = random(VALID.length);
      const c = inserts[random(inserts.length)]!;
      const op = random(3);
      const text = op === 0 ? VALID.slice(0, at) + VALID.slice(at + 1) : VALID.slice(0, at) + c + VALID.slice(op === 1 ? at : at + 1);
      let v8: string | null = null;
      try {
        JSON.parse(text);
      } catch (e) {
        v8 = (e as Error).message;
      }
      const found = locateJsonError(text);
      expect(found === null, JSON.stringify(text)).toBe(v8 === null);
      const position = v8 && samePosition.test(v8) ? /at position (\d+)/.exec(v8) : null;
      if (found && position && Number(position[1]) < text.trimEnd().length) {
        expect(found.offset, `${JSON.stringify(text)}: ${v8}`).toBe(Number(position[1]));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
