import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NotebookError, parseNotebook } from '../../lib/notebook/index.js';
import type { Cell, DisplayDataOutput, ExecuteResultOutput } from '../../lib/model.js';
import { CORPUS } from './corpus-files.js';

const readCorpus = (path: string) => parseNotebook(new Uint8Array(readFileSync(join(CORPUS, path))), path);

function v3(cells: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ metadata: { name: 'x' }, nbformat: 3, nbformat_minor: 0, worksheets: [{ cells, metadata: {} }], ...extra });
}

describe('nbformat 3 → 4', () => {
  it('converts nbformat-tests/test3.ipynb cell by cell', () => {
    const { notebook, nbformat, warnings } = readCorpus('nbformat-tests/test3.ipynb');
    expect(nbformat).toEqual([3, 0]);
    expect(warnings).toEqual([]);
    expect(notebook.nbformat).toBe(4);
    expect(notebook.nbformat_minor).toBe(0);
    expect(notebook.metadata).toEqual({}); // v3 "name" dropped
    expect(notebook).not.toHaveProperty('worksheets');
    expect(notebook.cells.map((c) => c.cell_type)).toEqual(['markdown', 'markdown', 'markdown', 'code', 'markdown', 'code', 'code', 'markdown', 'code']);

    const [h1, , h2, printCell, , htmlCell, jsCell, h3, imageCell] = notebook.cells as [Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell];
    expect(h1.source).toBe('# nbconvert latex test');
    expect(h2.source).toBe('## Printed Using Python');
    expect(h3.source).toBe('### Image');
    expect(h1).not.toHaveProperty('level');
    for (const cell of notebook.cells) expect(cell).not.toHaveProperty('id');

    expect(printCell).toStrictEqual({
      cell_type: 'code',
      metadata: { collapsed: false },
      source: 'print("hello")',
      execution_count: 1,
      outputs: [{ output_type: 'stream', name: 'stdout', text: 'hello\n' }],
    });
    expect(printCell).not.toHaveProperty('language');
    expect(printCell).not.toHaveProperty('input');
    expect(printCell).not.toHaveProperty('prompt_number');

    const html = htmlCell.outputs![0] as ExecuteResultOutput;
    expect(html).toStrictEqual({
      output_type: 'execute_result',
      execution_count: 3,
      metadata: {},
      data: {
        'text/html': '\n<script>\nconsole.log("hello");\n</script>\n<b>HTML</b>\n',
        'text/plain': '<IPython.core.display.HTML at 0x1112757d0>',
      },
    });

    const js = jsCell.outputs![0] as DisplayDataOutput;
    expect(js.output_type).toBe('display_data');
    expect(js.data).toEqual({ 'application/javascript': 'console.log("hi");', 'text/plain': '<IPython.core.display.Javascript at 0x1112b4b50>' });
    expect(js).not.toHaveProperty('execution_count');

    const image = imageCell.outputs![0] as ExecuteResultOutput;
    expect(image.execution_count).toBe(6);
    expect(Object.keys(image.data).sort()).toEqual(['image/png', 'text/plain']);
    expect(image.data['image/png']).toMatch(/^iVBORw0KGgo/);
  });

  it('gives what IPython itself wrote when it upgraded the same notebook (corpus pair v3 → v4)', () => {
    const base = readCorpus('pairs/ipython-custom-display-v3-to-v4/base.ipynb');
    const head = readCorpus('pairs/ipython-custom-display-v3-to-v4/head.ipynb');
    expect(base.nbformat).toEqual([3, 0]);
    expect(head.nbformat).toEqual([4, 0]);
    expect(base.notebook.cells.length).toBe(50);
    expect(base.notebook).toStrictEqual(head.notebook);
  });

  it('reads the v3 test files with a missing metadata or minor version, with a warning', () => {
    const noMetadata = readCorpus('nbformat-tests/test3_no_metadata.ipynb');
    expect(noMetadata.notebook.metadata).toEqual({});
    expect(noMetadata.warnings.map((w) => w.message)).toEqual(['the notebook has no metadata; read as {}']);
    const noMinor = readCorpus('nbformat-tests/test3_no_min_version.ipynb');
    expect(noMinor.nbformat).toEqual([3, 0]);
    expect(noMinor.notebook).toStrictEqual({ metadata: {}, nbformat: 4, nbformat_minor: 0, cells: [] });
  });

  it('converts outputs: pyerr, stream without a name, short MIME keys in data and metadata, JSON text', () => {
    const { notebook } = parseNotebook(
      v3([
        {
          cell_type: 'code',
          input: 'x',
          language: 'python',
          metadata: {},
          outputs: [
            { output_type: 'pyerr', ename: 'E', evalue: 'v', traceback: ['a', 'b'] },
            { output_type: 'stream', text: 'no stream key' },
            { output_type: 'stream', stream: 'stderr', text: ['a\n', 'b'] },
            {
              output_type: 'display_data',
              png: 'iVBOR',
              jpeg: '/9j/',
              svg: ['<svg>\n', '</svg>'],
              latex: '$x$',
              json: '{"a": [1, 2]}',
              'application/x-custom': 'kept',
              metadata: { png: { width: 10 } },
            },
          ],
        },
      ]),
      'outputs.ipynb',
    );
    const [error, unnamed, stderr, display] = notebook.cells[0]!.outputs!;
    expect(error).toStrictEqual({ output_type: 'error', ename: 'E', evalue: 'v', traceback: ['a', 'b'] });
    expect(unnamed).toStrictEqual({ output_type: 'stream', name: 'stdout', text: 'no stream key' });
    expect(stderr).toStrictEqual({ output_type: 'stream', name: 'stderr', text: 'a\nb' });
    expect(display).toStrictEqual({
      output_type: 'display_data',
      metadata: { 'image/png': { width: 10 } },
      data: {
        'image/png': 'iVBOR',
        'image/jpeg': '/9j/',
        'image/svg+xml': '<svg>\n</svg>',
        'text/latex': '$x$',
        'application/json': { a: [1, 2] },
        'application/x-custom': 'kept',
      },
    });
    expect(notebook.cells[0]!.execution_count).toBeNull(); // no prompt_number: never run
  });

  it("joins lists written by old splitlines() (no line ends) with newlines, as nbformat's _join_lines does", () => {
    const { notebook } = parseNotebook(
      v3([
        { cell_type: 'code', input: ['a = 1', 'b = 2'], metadata: {}, outputs: [{ output_type: 'stream', stream: 'stdout', text: ['x', 'y'] }] },
        { cell_type: 'markdown', metadata: {}, source: ['one', 'two'] },
        { cell_type: 'heading', level: 3, metadata: {}, source: ['Two', 'lines'] },
        { cell_type: 'heading', metadata: {}, source: 'no level' },
        { cell_type: 'html', metadata: {}, source: '<b>html</b>' },
        { cell_type: 'raw', metadata: {}, source: ['raw\n', 'text'] },
      ]),
      'old.ipynb',
    );
    expect(notebook.cells.map((c) => [c.cell_type, c.source])).toEqual([
      ['code', 'a = 1\nb = 2'],
      ['markdown', 'one\ntwo'],
      ['markdown', '### Two lines'],
      ['markdown', '# no level'],
      ['markdown', '<b>html</b>'],
      ['raw', 'raw\ntext'],
    ]);
    expect(notebook.cells[0]!.outputs![0]).toMatchObject({ text: 'x\ny' });
  });

  it('flattens several worksheets and names cells by their path in the file', () => {
    const text = JSON.stringify({
      metadata: {},
      nbformat: 3,
      nbformat_minor: 0,
      worksheets: [
        { cells: [{ cell_type: 'markdown', metadata: {}, source: 'first' }] },
        { cells: [{ cell_type: 'markdown', metadata: {}, source: 'second' }, { cell_type: 'markdown', source: 'no metadata' }] },
      ],
    });
    const { notebook, warnings } = parseNotebook(text, 'ws.ipynb');
    expect(notebook.cells.map((c) => c.source)).toEqual(['first', 'second', 'no metadata']);
    expect(notebook.cells[2]!.metadata).toEqual({});
    expect(warnings).toEqual([]); // nbformat's upgrade adds the metadata silently

    const bad = JSON.stringify({
      metadata: {},
      nbformat: 3,
      nbformat_minor: 0,
      worksheets: [{ cells: [] }, { cells: [{ cell_type: 'code', input: 5, metadata: {}, outputs: [] }] }],
    });
    expect(() => parseNotebook(bad, 'bad.ipynb')).toThrow('bad.ipynb: /worksheets/1/cells/0/input: a number where a string or a list of strings should be');
    const unknown = v3([{ cell_type: 'widget', metadata: {}, source: '' }]);
    expect(() => parseNotebook(unknown, 'u.ipynb')).toThrow('u.ipynb: /worksheets/0/cells/0/cell_type: unknown cell_type "widget"');
  });

  it('moves collapsed into the metadata and drops transient and v3-only keys', () => {
    const { notebook } = parseNotebook(
      v3([{ cell_type: 'code', collapsed: true, trusted: true, input: '', language: 'python', metadata: { trusted: false, tag: 1 }, outputs: [], prompt_number: 4 }], {
        orig_nbformat: 2,
        metadata: { name: 'n', signature: 'sha256:…', kernel_info: { name: 'python3' } },
      }),
      'keys.ipynb',
    );
    expect(notebook.metadata).toEqual({ kernel_info: { name: 'python3' } });
    expect(notebook).not.toHaveProperty('orig_nbformat');
    expect(notebook.cells[0]).toStrictEqual({ cell_type: 'code', metadata: { collapsed: true, tag: 1 }, source: '', execution_count: 4, outputs: [] });
  });

  it('fails as nbformat does on a v3 file without worksheets, or a worksheet without cells', () => {
    expect(() => parseNotebook('{"nbformat": 3, "nbformat_minor": 0, "metadata": {}}', 'a.ipynb')).toThrow(NotebookError);
    expect(() => parseNotebook('{"nbformat": 3, "nbformat_minor": 0, "worksheets": {}}', 'a.ipynb')).toThrow(
      'a.ipynb: /worksheets: worksheets is an object, not a list',
    );
    expect(() => parseNotebook('{"nbformat": 3, "nbformat_minor": 0, "worksheets": [[]]}', 'a.ipynb')).toThrow(
      'a.ipynb: /worksheets/0: worksheet is a list, not an object',
    );
  });

  it('keeps invalid JSON text of a json output as a string, with a warning', () => {
    const { notebook, warnings } = parseNotebook(
      v3([{ cell_type: 'code', input: '', metadata: {}, outputs: [{ output_type: 'display_data', json: '{oops', metadata: {} }] }]),
      'json.ipynb',
    );
    expect((notebook.cells[0]!.outputs![0] as DisplayDataOutput).data['application/json']).toBe('{oops');
    expect(warnings).toEqual([{ file: 'json.ipynb', path: '/worksheets/0/cells/0/outputs/0/json', message: 'the json output is not valid JSON; kept as a string' }]);
  });
});
