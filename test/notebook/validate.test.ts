import { describe, expect, it } from 'vitest';
import { NotebookError, parseNotebook, serializeNotebook } from '../../lib/notebook/index.js';
import type { DisplayDataOutput, ErrorOutput, StreamOutput } from '../../lib/model.js';

type Json = unknown;

function nb(cells: Json[], minor = 5, extra: Record<string, Json> = {}): string {
  return JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: minor, ...extra });
}
const code = (id: string, extra: Record<string, Json> = {}): Record<string, Json> => ({
  id,
  cell_type: 'code',
  execution_count: null,
  metadata: {},
  outputs: [],
  source: '',
  ...extra,
});

function errorOf(text: string): NotebookError {
  try {
    parseNotebook(text, 'v.ipynb');
  } catch (e) {
    if (e instanceof NotebookError) return e;
    throw e;
  }
  throw new Error('parsed without error');
}

function messages(text: string): string[] {
  return parseNotebook(text, 'v.ipynb').warnings.map((w) => `${w.path} ${w.message}`);
}

describe('structural errors', () => {
  it.each<[string, string, string, string]>([
    ['top level a list', '[]', '', 'the top level is a list, not an object: not a notebook'],
    ['no nbformat', '{"cells": []}', '', 'no "nbformat" version: not a Jupyter notebook'],
    ['nbformat a string', '{"nbformat": "4"}', '/nbformat', 'nbformat is "4", not a version number'],
    ['nbformat 1', '{"nbformat": 1}', '/nbformat', 'unsupported nbformat 1 (Cellwise reads nbformat 3 and 4); open and save it in Jupyter to upgrade it'],
    ['nbformat 5', '{"nbformat": 5, "nbformat_minor": 0}', '/nbformat', 'unsupported nbformat 5 (Cellwise reads nbformat 3 and 4)'],
    ['minor a string', '{"nbformat": 4, "nbformat_minor": "5"}', '/nbformat_minor', 'nbformat_minor is "5", not a version number'],
    ['no cells', '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}}', '', 'no "cells" list: not an nbformat 4 notebook'],
    ['cells an object', nb([]).replace('"cells":[]', '"cells":{}'), '/cells', 'cells is an object, not a list'],
    ['metadata a list', nb([], 5, { metadata: [] }), '/metadata', 'the notebook metadata is a list, not an object'],
    ['a cell a string', nb(['x']), '/cells/0', 'cell is a string, not an object'],
    ['no cell_type', nb([{ id: 'a', metadata: {}, source: '' }]), '/cells/0', 'cell has no cell_type'],
    ['unknown cell_type', nb([code('a'), { ...code('b'), cell_type: 'heading' }]), '/cells/1/cell_type', 'unknown cell_type "heading" (nbformat 4 has code, markdown and raw)'],
    ['source a number', nb([code('a', { source: 3 })]), '/cells/0/source', 'source is a number, not a string or a list of strings'],
    ['source a list with a number', nb([code('a', { source: ['a\n', 2] })]), '/cells/0/source', 'source is a list, not a string or a list of strings'],
    ['cell metadata null', nb([code('a', { metadata: null })]), '/cells/0/metadata', 'cell metadata is null, not an object'],
    ['outputs an object', nb([code('a', { outputs: {} })]), '/cells/0/outputs', 'outputs is an object, not a list'],
    ['an output a list', nb([code('a', { outputs: [[]] })]), '/cells/0/outputs/0', 'output is a list, not an object'],
    ['no output_type', nb([code('a', { outputs: [{ text: 'x' }] })]), '/cells/0/outputs/0', 'output has no output_type'],
    ['unknown output_type', nb([code('a', { outputs: [{ output_type: 'pyout' }] })]), '/cells/0/outputs/0/output_type', 'unknown output_type "pyout" (nbformat 4 has execute_result, display_data, stream and error)'],
    ['stream text a number', nb([code('a', { outputs: [{ output_type: 'stream', name: 'stdout', text: 1 }] })]), '/cells/0/outputs/0/text', 'stream text is a number, not a string or a list of strings'],
    ['data a string', nb([code('a', { outputs: [{ output_type: 'display_data', data: 'x', metadata: {} }] })]), '/cells/0/outputs/0/data', 'display_data output data is a string, not an object'],
    ['traceback a string', nb([code('a', { outputs: [{ output_type: 'error', ename: 'E', evalue: '', traceback: 'x' }] })]), '/cells/0/outputs/0/traceback', 'error traceback is a string, not a list of strings'],
    ['execution_count a string', nb([code('a', { execution_count: '3' })]), '/cells/0/execution_count', 'execution_count is a string, not a number or null'],
    ['attachments a list', nb([{ id: 'a', cell_type: 'markdown', metadata: {}, source: '', attachments: [] }]), '/cells/0/attachments', 'attachments is a list, not an object'],
    ['duplicate ids', nb([code('x'), code('y'), code('x')]), '/cells/2/id', 'duplicate cell id "x": cells 0 and 2 both have it'],
    ['empty id', nb([code('')]), '/cells/0/id', `invalid cell id "" (nbformat: 1 to 64 letters, digits, '-' or '_')`],
    ['id too long', nb([code('a'.repeat(65))]), '/cells/0/id', `invalid cell id "${'a'.repeat(65)}" (nbformat: 1 to 64 letters, digits, '-' or '_')`],
    ['id with a space', nb([code('a b')]), '/cells/0/id', `invalid cell id "a b" (nbformat: 1 to 64 letters, digits, '-' or '_')`],
    ['id a number', nb([code('a'), { ...code('b'), id: 7 }]), '/cells/1/id', `invalid cell id a number (nbformat: 1 to 64 letters, digits, '-' or '_')`],
  ])('%s', (_, text, path, detail) => {
    const e = errorOf(text);
    expect(e.path).toBe(path);
    expect(e.detail).toBe(detail);
    expect(e.message).toBe(path ? `v.ipynb: ${path}: ${detail}` : `v.ipynb: ${detail}`);
  });

  it('accepts every valid id form', () => {
    const ids = ['a', 'A-z_09', 'x'.repeat(64), 'c024bfa4-1a7a-4751-b5a1-827225a3478b'];
    expect(parseNotebook(nb(ids.map((id) => code(id))), 'v.ipynb').notebook.cells.map((c) => c.id)).toEqual(ids);
  });
});

describe('warnings (what nbformat only logs)', () => {
  it('reads a 4.5 cell without an id, folding repeats into one warning', () => {
    const text = nb([{ ...code('a'), id: undefined }, { cell_type: 'markdown', metadata: {}, source: '' }, { cell_type: 'raw', metadata: {}, source: '' }]);
    const parsed = parseNotebook(text, 'v.ipynb');
    expect(parsed.warnings).toEqual([{ file: 'v.ipynb', path: '/cells/0', message: 'cell has no id (nbformat 4.5 requires one) (and 2 more like it)' }]);
    expect(parsed.notebook.cells[0]).not.toHaveProperty('id');
  });

  it('notes ids in notebooks older than 4.5 but keeps them', () => {
    const parsed = parseNotebook(nb([code('a'), code('b')], 4), 'v.ipynb');
    expect(parsed.notebook.cells.map((c) => c.id)).toEqual(['a', 'b']);
    expect(parsed.warnings.map((w) => w.message)).toEqual(['cell id in an nbformat 4.4 notebook (ids came with 4.5) (and 1 more like it)']);
  });

  it('reads missing metadata, nbformat_minor, source and output parts with defaults the model needs', () => {
    const text = JSON.stringify({
      nbformat: 4,
      cells: [
        { cell_type: 'code', outputs: [{ output_type: 'stream' }, { output_type: 'execute_result' }, { output_type: 'error' }] },
      ],
    });
    const parsed = parseNotebook(text, 'v.ipynb');
    expect(parsed.nbformat).toEqual([4, 0]);
    expect(parsed.notebook).toStrictEqual({
      nbformat: 4,
      nbformat_minor: 0,
      metadata: {},
      cells: [
        {
          cell_type: 'code',
          metadata: {},
          source: '',
          outputs: [
            { output_type: 'stream', name: 'stdout', text: '' },
            { output_type: 'execute_result', data: {}, metadata: {}, execution_count: null },
            { output_type: 'error', ename: '', evalue: '', traceback: [] },
          ],
        },
      ],
    });
    expect(parsed.warnings.map((w) => `${w.path} ${w.message}`)).toEqual([
      ' no "nbformat_minor" (nbformat requires it); read as 4.0',
      ' the notebook has no metadata; read as {}',
      '/cells/0 cell has no metadata; read as {}',
      '/cells/0 cell has no source; read as empty',
      '/cells/0 code cell has no execution_count',
      '/cells/0/outputs/0 stream output has no name; read as stdout',
      '/cells/0/outputs/0 stream output has no text; read as empty',
      '/cells/0/outputs/1 execute_result output has no data; read as {}',
      '/cells/0/outputs/1 execute_result output has no metadata; read as {}',
      '/cells/0/outputs/1 execute_result output has no execution_count; read as null',
      '/cells/0/outputs/2 error output has no ename; read as empty',
      '/cells/0/outputs/2 error output has no evalue; read as empty',
      '/cells/0/outputs/2 error output has no traceback; read as empty',
    ]);
  });

  it('keeps keys absent in the file absent where the model allows it', () => {
    const cell = { id: 'a', cell_type: 'code', metadata: {}, source: 'x' };
    const parsed = parseNotebook(nb([cell]), 'v.ipynb');
    expect(parsed.notebook.cells[0]).toStrictEqual(cell);
    expect(messages(nb([cell]))).toEqual(['/cells/0 code cell has no execution_count', '/cells/0 code cell has no outputs list']);
  });

  it('keeps unknown keys, with a warning', () => {
    const text = nb([code('a', { extra: 1, outputs: [{ output_type: 'stream', name: 'stdout', text: '', extra: 2 }] }), { id: 'b', cell_type: 'markdown', metadata: {}, source: '', outputs: [] }], 5, { extra: 3 });
    const parsed = parseNotebook(text, 'v.ipynb');
    expect(parsed.notebook).toMatchObject({ extra: 3, cells: [{ extra: 1, outputs: [{ extra: 2 }] }, { outputs: [] }] });
    expect(parsed.warnings.map((w) => `${w.path} ${w.message}`)).toEqual([
      `/extra unknown top-level key "extra" (not in nbformat's schema; kept)`,
      `/cells/0/outputs/0/extra unknown key "extra" in a stream output (not in nbformat's schema; kept)`,
      `/cells/0/extra unknown key "extra" in a code cell (not in nbformat's schema; kept)`,
      `/cells/1/outputs unknown key "outputs" in a markdown cell (not in nbformat's schema; kept)`,
    ]);
  });

  it('accepts a future minor version with extras, unknown cell and output types, warning once about each', () => {
    const future = { id: 'f', cell_type: 'chart', metadata: {}, spec: { a: 1 } };
    const text = nb([future, code('a', { outputs: [{ output_type: 'hologram', x: 1 }], later: true })], 7, { extra: 1 });
    const parsed = parseNotebook(text, 'v.ipynb');
    expect(parsed.nbformat).toEqual([4, 7]);
    expect(parsed.notebook.cells[0]).toStrictEqual({ ...future, source: '' });
    expect(parsed.notebook.cells[1]!.outputs).toStrictEqual([{ output_type: 'hologram', x: 1 }]);
    expect(parsed.warnings.map((w) => `${w.path} ${w.message}`)).toEqual([
      '/nbformat_minor nbformat 4.7 is newer than 4.5, the latest Cellwise knows; read as 4.5 plus extras',
      '/cells/0 cell_type "chart" is newer than Cellwise knows; compared as plain JSON',
      '/cells/0 cell has no source; read as empty',
      '/cells/1/outputs/0 output_type "hologram" is newer than Cellwise knows; compared as plain JSON',
    ]);
  });

  it('warns about wrong execution counts and mime values but keeps them', () => {
    const text = nb([code('a', { execution_count: -1, outputs: [{ output_type: 'display_data', data: { 'text/plain': 5, 'image/png': ['iVBO', 'Rw=='] }, metadata: {} }] })]);
    const parsed = parseNotebook(text, 'v.ipynb');
    expect((parsed.notebook.cells[0]!.outputs![0] as DisplayDataOutput).data).toEqual({ 'text/plain': 5, 'image/png': 'iVBORw==' });
    expect(parsed.warnings.map((w) => `${w.path} ${w.message}`)).toEqual([
      '/cells/0/execution_count execution_count should be a non-negative integer, not -1',
      '/cells/0/outputs/0/data/text/plain text/plain data is a number, not a string or a list of strings (kept as is)',
    ]);
  });

  it('strips the keys nbformat treats as transient', () => {
    const text = nb([code('a', { metadata: { trusted: true, tags: ['t'] } })], 5, { metadata: { orig_nbformat: 3, orig_nbformat_minor: 0, signature: 'x', kernelspec: { name: 'p', display_name: 'P' } } });
    const { notebook, warnings } = parseNotebook(text, 'v.ipynb');
    expect(notebook.metadata).toEqual({ kernelspec: { name: 'p', display_name: 'P' } });
    expect(notebook.cells[0]!.metadata).toEqual({ tags: ['t'] });
    expect(warnings).toEqual([]);
  });

  it('checks metadata types (nbformat logs these)', () => {
    const text = nb([code('a', { metadata: { tags: ['a', 'a'], scrolled: 'auto', collapsed: 1 } }), { id: 'b', cell_type: 'raw', metadata: { format: 3 }, source: '' }], 5, {
      metadata: { kernelspec: { name: 1 }, language_info: { name: 'python', codemirror_mode: { name: 'ipython' }, file_extension: 1 } },
    });
    expect(messages(text)).toEqual([
      '/metadata/kernelspec/name kernelspec metadata "name" should be a string, not a number',
      '/metadata/kernelspec kernelspec has no "display_name"',
      '/metadata/language_info/file_extension language_info metadata "file_extension" should be a string, not a number',
      '/cells/0/metadata/tags cell metadata "tags" should be a list of distinct strings without commas, not a list',
      '/cells/0/metadata/collapsed cell metadata "collapsed" should be a boolean, not a number',
      '/cells/1/metadata/format cell metadata "format" should be a string (a MIME type), not a number',
    ]);
  });
});

describe('normalization', () => {
  it('reads the string and the list form of every multiline value alike', () => {
    const asLists = nb([
      code('a', {
        source: ['import x\n', 'x.y()'],
        outputs: [
          { output_type: 'stream', name: 'stdout', text: ['a\n', 'b\n'] },
          { output_type: 'execute_result', execution_count: 1, metadata: {}, data: { 'text/plain': ['1\n', '2'], 'text/html': ['<b>', '</b>'], 'image/svg+xml': ['<svg/>'], 'application/json': ['kept', 'as list'], 'application/vnd.x+json': { a: ['b'] } } },
          { output_type: 'error', ename: 'E', evalue: 'v', traceback: ['l1', 'l2'] },
        ],
      }),
      { id: 'b', cell_type: 'markdown', metadata: {}, source: ['# T\n', '\n', 'text'], attachments: { 'a.png': { 'image/png': ['iVBO', 'Rw=='], 'text/plain': ['alt\n', 'text'] } } },
    ]);
    const asStrings = nb([
      code('a', {
        source: 'import x\nx.y()',
        outputs: [
          { output_type: 'stream', name: 'stdout', text: 'a\nb\n' },
          { output_type: 'execute_result', execution_count: 1, metadata: {}, data: { 'text/plain': '1\n2', 'text/html': '<b></b>', 'image/svg+xml': '<svg/>', 'application/json': ['kept', 'as list'], 'application/vnd.x+json': { a: ['b'] } } },
          { output_type: 'error', ename: 'E', evalue: 'v', traceback: ['l1', 'l2'] },
        ],
      }),
      { id: 'b', cell_type: 'markdown', metadata: {}, source: '# T\n\ntext', attachments: { 'a.png': { 'image/png': 'iVBORw==', 'text/plain': 'alt\ntext' } } },
    ]);
    const lists = parseNotebook(asLists, 'l.ipynb');
    const strings = parseNotebook(asStrings, 's.ipynb');
    expect(lists.notebook).toStrictEqual(strings.notebook);
    expect(lists.warnings).toEqual([]);
    const [stream, , error] = lists.notebook.cells[0]!.outputs! as [StreamOutput, unknown, ErrorOutput];
    expect(stream.text).toBe('a\nb\n');
    expect(error.traceback).toEqual(['l1', 'l2']);
    expect(serializeNotebook(lists.notebook)).toBe(serializeNotebook(strings.notebook));
  });

  it('keeps a "__proto__" key as data', () => {
    const text = '{"cells": [], "metadata": {"__proto__": {"polluted": true}}, "nbformat": 4, "nbformat_minor": 4}';
    const { notebook } = parseNotebook(text, 'p.ipynb');
    expect(Object.keys(notebook.metadata)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(serializeNotebook(notebook)).toContain('"__proto__": {\n   "polluted": true\n  }');
  });
});
