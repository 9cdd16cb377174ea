import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NotebookError, parseNotebook } from '../../lib/notebook/index.js';
import { CORPUS } from './corpus-files.js';

/**
 * What happens to each file of corpus/invalid/, decided per file after what Python's nbformat 5 does with it:
 * it raises for unreadable text or JSON and for structural errors of nbformat 3, and only logs schema
 * violations. Exceptions, by design: a bad or duplicate cell id and an unknown cell or output type (nbformat
 * logs, or repairs ids at random) are errors, because the diff aligns cells by id and the model has no place
 * for unknown types; UTF-16 (which nbformat cannot decode at all) is read with a warning.
 */
type Expected =
  | { error: RegExp[]; path?: string; line?: number; column?: number }
  | { warnings: RegExp[]; nbformat: [number, number] };

const EXPECTED: Record<string, Expected> = {
  // Same line and column as Python's json module reports for each of these.
  'hml2--04--hash-comment-cjk.ipynb': { error: [/not valid JSON/, /unexpected '#' where a value should be/, /#新版已不接受/], line: 1385, column: 14 },
  'hml2--07--truncated.ipynb': { error: [/not valid JSON/, /truncated/], line: 1474, column: 13261 },
  'hml2--19--unescaped-quotes.ipynb': { error: [/expected ',' or '\]'/, /found 'm'/, /quote inside a string/], line: 246, column: 17 },
  'ipython--Index--raw-newline-in-string.ipynb': { error: [/line break inside a string/], line: 21, column: 74 },
  'ipython--helloworld--xml-nbformat2.ipynb': { error: [/XML notebook/, /nbformat 2/], line: 1 },
  'llms--ch06--missing-commas.ipynb': { error: [/expected ',' or '\]'/, /comma missing/], line: 764, column: 5 },
  'llms--code-part1--git-conflict-markers.ipynb': { error: [/merge conflict markers/, /line 1376/, /<<<<<<< HEAD/], line: 1376 },
  'nbconvert--notebook2--stray-quote.ipynb': { error: [/line break inside a string/, /import numpy as np/], line: 1573, column: 30 },
  'nbconvert--notebook2--trailing-comma.ipynb': { error: [/trailing comma before '\]'/], line: 1585, column: 4 },
  'pdsh--02.03--text-before-json.ipynb': { error: [/text before the JSON/, /#About array how you compute/, /on line 2/], line: 1 },
  'pdsh--02.06--missing-commas.ipynb': { error: [/expected ',' or '\]'/, /comma missing/], line: 76, column: 5 },
  'pdsh--04.11--url-pasted-into-json.ipynb': { error: [/expected a property name in double quotes, found 'h'/, /http:\/\/localhost/], line: 111, column: 8 },
  // nbformat raises ValidationError "missing an expected key" for both.
  'nbformat--test3_no_worksheets.ipynb': { error: [/nbformat 3 notebook has no "worksheets"/], path: '' },
  'nbformat--test3_worksheet_with_no_cells.ipynb': { error: [/worksheet has no "cells"/], path: '/worksheets/0' },
  // nbformat logs these three (and repairs the duplicate with a random id); see above.
  'nbformat--invalid_cell_id.ipynb': { error: [/invalid cell id "\$illegal_chars"/], path: '/cells/0/id' },
  'nbformat--invalid_unique_cell_id.ipynb': { error: [/duplicate cell id "dup"/, /cells 0 and 1 both have it/], path: '/cells/1/id' },
  'nbformat--invalid.ipynb': { error: [/unknown cell_type "heading"/], path: '/cells/2/cell_type' },
  // nbformat only logs these.
  'nbformat--no_min_version.ipynb': { warnings: [/no "nbformat_minor"/], nbformat: [4, 0] },
  'nbformat--v4_5_no_cell_id.ipynb': { warnings: [/cell has no id/], nbformat: [4, 5] },
  'nbformat--v4_5_invalid_metadata.ipynb': {
    warnings: [
      /"kernelspec" should be an object/,
      /"authors" should be a list/,
      /"collapsed" should be a boolean/,
      /"scrolled" should be true, false or "auto"/,
      /"tags" should be a list/,
      /"name" should be a non-empty string/,
      /"execution" should be an object/,
      /"jupyter" should be an object/,
      /"source_hidden" should be a boolean/,
      /"outputs_hidden" should be a boolean/,
      /"isolated" should be a boolean/,
    ],
    nbformat: [4, 5],
  },
  // nbformat cannot decode it at all (it reads UTF-8 only).
  'nbdime--empty-utf-16.ipynb': { warnings: [/UTF-16 little-endian/], nbformat: [4, 0] },
};

const files = readdirSync(join(CORPUS, 'invalid')).sort();

describe('corpus/invalid', () => {
  it('has an expectation for every file, and every expectation has a file', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(Object.keys(EXPECTED).sort()).toEqual(files);
  });

  for (const name of files) {
    const expected = EXPECTED[name];
    if (!expected) continue;
    it(`${name}: ${'error' in expected ? 'NotebookError' : 'warnings'}`, () => {
      const bytes = new Uint8Array(readFileSync(join(CORPUS, 'invalid', name)));
      if ('error' in expected) {
        let error: unknown;
        try {
          parseNotebook(bytes, name);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(NotebookError);
        const e = error as NotebookError;
        expect(e.file).toBe(name);
        expect(e.message.startsWith(`${name}: `)).toBe(true);
        expect(e.message).not.toContain('\n');
        for (const reason of expected.error) expect(e.message).toMatch(reason);
        if (expected.path !== undefined) expect(e.path).toBe(expected.path);
        if (expected.line !== undefined) expect(e.line).toBe(expected.line);
        if (expected.column !== undefined) expect(e.column).toBe(expected.column);
      } else {
        const parsed = parseNotebook(bytes, name);
        expect(parsed.nbformat).toEqual(expected.nbformat);
        expect(parsed.warnings.length).toBeGreaterThan(0);
        for (const w of parsed.warnings) expect(w.file).toBe(name);
        const messages = parsed.warnings.map((w) => w.message);
        for (const reason of expected.warnings) expect(messages.some((m) => reason.test(m)), String(reason)).toBe(true);
      }
    });
  }
});
