import { describe, expect, it } from 'vitest';
import { parseNotebook, serializeNotebook } from '../../lib/notebook/index.js';
import type { Notebook } from '../../lib/model.js';
import { compareCodePoints, formatNumber, writePythonJson } from '../../lib/notebook/python-json.js';
import { pythonSplitLines } from '../../lib/notebook/python-text.js';

// The expected texts below were written by Python 3.11 and nbformat 5.5 (json.dumps / nbformat.writes).

describe('Python JSON layout', () => {
  it('matches json.dumps(indent=1, sort_keys=True, ensure_ascii=False), including the slow path', () => {
    const value = {
      b: [1e-5, 1.5e-7, 0.0001, 0.1, 123.456, 10 ** 21, -3],
      a: { '10': 1, '9': 2, x: 3, '😀': 4, '！': 5 },
      s: 'é\u2028\u007f\u0000\u001f\t"\\/😀',
      e: [],
      o: {},
    };
    const python =
      '{\n "a": {\n  "10": 1,\n  "9": 2,\n  "x": 3,\n  "\uff01": 5,\n  "\ud83d\ude00": 4\n },\n "b": [\n  1e-05,\n  1.5e-07,\n  0.0001,\n  0.1,\n  123.456,\n  1000000000000000000000,\n  -3\n ],\n "e": [],\n "o": {},\n "s": "\u00e9\u2028\u007f\\u0000\\u001f\\t\\"\\\\/\ud83d\ude00"\n}';
    expect(writePythonJson(value)).toBe(python);
    // Without the values that need the piece-by-piece writer, JSON.stringify does the layout: same result.
    const plain = { b: [0.0001, 0.1, 123.456, -3], a: { x: 3, '😀': 4, '！': 5 }, e: [], o: {} };
    expect(writePythonJson(plain)).toBe(
      '{\n "a": {\n  "x": 3,\n  "\uff01": 5,\n  "\ud83d\ude00": 4\n },\n "b": [\n  0.0001,\n  0.1,\n  123.456,\n  -3\n ],\n "e": [],\n "o": {}\n}',
    );
  });

  it('formats numbers as Python repr does', () => {
    expect(formatNumber(1e-5)).toBe('1e-05');
    expect(formatNumber(-2.5e-10)).toBe('-2.5e-10');
    expect(formatNumber(1.23e-100)).toBe('1.23e-100');
    expect(formatNumber(0.0001)).toBe('0.0001');
    expect(formatNumber(0.30000000000000004)).toBe('0.30000000000000004');
    expect(formatNumber(1e21)).toBe('1000000000000000000000');
    expect(formatNumber(-0)).toBe('0');
    // Known limit: JSON.parse cannot tell 1.0 from 1, so an integral float is written as an int.
    expect(formatNumber(1)).toBe('1');
  });

  it('sorts keys by code point, as Python does', () => {
    expect(['😀', '！', 'a', 'B', ''].sort(compareCodePoints)).toEqual(['', 'B', 'a', '！', '😀']);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('\ud83d\ude00', '\ud83d\ude01')).toBeLessThan(0);
  });

  it("splits lines as Python's str.splitlines(True)", () => {
    expect(pythonSplitLines('a\rb\r\nc\x0bd\x0ce\x1cf\x85g\u2028h\u2029i\n', true)).toEqual([
      'a\r', 'b\r\n', 'c\x0b', 'd\x0c', 'e\x1c', 'f\x85', 'g\u2028', 'h\u2029', 'i\n',
    ]);
    expect(pythonSplitLines('a\n\nb', false)).toEqual(['a', '', 'b']);
    expect(pythonSplitLines('', true)).toEqual([]);
    expect(pythonSplitLines('\r\n', true)).toEqual(['\r\n']);
  });
});

describe('serializeNotebook', () => {
  const notebook: Notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { trusted_note: 'x', orig_nbformat: 3, signature: 'sha256:x' },
    cells: [
      { id: 'm', cell_type: 'markdown', metadata: {}, source: '' },
      {
        id: 'c',
        cell_type: 'code',
        execution_count: null,
        metadata: { trusted: true },
        source: 'x = 1\n',
        outputs: [
          { output_type: 'stream', name: 'stdout', text: '10%\r50%\r100%\n' },
          {
            output_type: 'display_data',
            metadata: {},
            data: { 'image/png': 'iVBO\nRw==', 'text/plain': 'a\nb', 'application/json': { k: ['l1\n', 'l2'] }, 'application/javascript': 'x;\ny;', 'text/markdown': '' },
          },
        ],
      },
      {
        id: 'a',
        cell_type: 'markdown',
        metadata: {},
        source: '![x](attachment:a.png)',
        attachments: { 'a.png': { 'image/png': 'iVBO', 'image/svg+xml': '<svg>\n</svg>', 'text/plain': 'alt\ntext' } },
      },
    ],
  };
  const python =
    '{\n "cells": [\n  {\n   "cell_type": "markdown",\n   "id": "m",\n   "metadata": {},\n   "source": []\n  },\n  {\n   "cell_type": "code",\n   "execution_count": null,\n   "id": "c",\n   "metadata": {},\n   "outputs": [\n    {\n     "name": "stdout",\n     "output_type": "stream",\n     "text": [\n      "10%\\r",\n      "50%\\r",\n      "100%\\n"\n     ]\n    },\n    {\n     "data": {\n      "application/javascript": [\n       "x;\\n",\n       "y;"\n      ],\n      "application/json": {\n       "k": [\n        "l1\\n",\n        "l2"\n       ]\n      },\n      "image/png": "iVBO\\nRw==",\n      "text/markdown": [],\n      "text/plain": [\n       "a\\n",\n       "b"\n      ]\n     },\n     "metadata": {},\n     "output_type": "display_data"\n    }\n   ],\n   "source": [\n    "x = 1\\n"\n   ]\n  },\n  {\n   "attachments": {\n    "a.png": {\n     "image/png": "iVBO",\n     "image/svg+xml": [\n      "<svg>\\n",\n      "</svg>"\n     ],\n     "text/plain": [\n      "alt\\n",\n      "text"\n     ]\n    }\n   },\n   "cell_type": "markdown",\n   "id": "a",\n   "metadata": {},\n   "source": [\n    "![x](attachment:a.png)"\n   ]\n  }\n ],\n "metadata": {\n  "trusted_note": "x"\n },\n "nbformat": 4,\n "nbformat_minor": 5\n}\n';

  it('writes what nbformat.writes writes: split lines by its rules, transient keys left out, final newline', () => {
    expect(serializeNotebook(notebook)).toBe(python);
  });

  it('does not change the notebook it writes', () => {
    const before = structuredClone(notebook);
    serializeNotebook(notebook);
    expect(notebook).toStrictEqual(before);
  });

  it('round-trips through parseNotebook (minus the transient keys)', () => {
    const again = parseNotebook(serializeNotebook(notebook), 'n.ipynb');
    expect(again.warnings).toEqual([]);
    expect(again.notebook.metadata).toEqual({ trusted_note: 'x' });
    expect(again.notebook.cells).toStrictEqual(
      notebook.cells.map((c) => (c.id === 'c' ? { ...c, metadata: {} } : c)),
    );
  });
});
