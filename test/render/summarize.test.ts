import { describe, expect, test } from 'vitest';
import { imageSize } from '../../lib/image/info.js';
import {
  formatLineChange,
  formatPercent,
  summarizeImageComparison,
  summarizeMimeChange,
  summarizeNotebookDiff,
  summarizeOutput,
  summarizeOutputChanges,
  summarizeOutputs,
} from '../../lib/render/summarize.js';
import {
  added,
  cell,
  display,
  error,
  image,
  notebookDiff,
  png,
  rep,
  result,
  stream,
  summary,
  textDiff,
} from './builder.js';

describe('formatPercent', () => {
  test('precision where it matters', () => {
    expect(formatPercent(0, 100)).toBe('0%');
    expect(formatPercent(1, 307_200)).toBe('<0.1%');
    expect(formatPercent(3994, 307_200)).toBe('1.3%');
    expect(formatPercent(42, 100)).toBe('42%');
    expect(formatPercent(999, 1000)).toBe('>99%');
    expect(formatPercent(1000, 1000)).toBe('100%');
  });
});

test('formatLineChange', () => {
  expect(formatLineChange({ ops: [], added: 3, removed: 1 })).toBe('+3 −1 lines');
  expect(formatLineChange({ ops: [], added: 1, removed: 0 })).toBe('+1 line');
  expect(formatLineChange({ ops: [], added: 0, removed: 2 })).toBe('−2 lines');
  expect(formatLineChange({ ops: [], added: 0, removed: 0 })).toBe('changed');
});

describe('imageSize', () => {
  test('reads PNG, GIF and JPEG headers', () => {
    expect(imageSize(png(640, 480))).toEqual({ width: 640, height: 480 });
    const gif = Buffer.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x20, 0x03, 0x58, 0x02, 0, 0, 0]).toString('base64');
    expect(imageSize(gif)).toEqual({ width: 800, height: 600 });
    const jpeg = Buffer.from([
      0xff, 0xd8, // SOI
      0xff, 0xe0, 0x00, 0x06, 0x4a, 0x46, 0x49, 0x46, // APP0, length 6
      0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, // SOF0 480×640
    ]).toString('base64');
    expect(imageSize(jpeg)).toEqual({ width: 640, height: 480 });
  });

  test('null for anything else', () => {
    expect(imageSize('not base64 at all!')).toBeNull();
    expect(imageSize(Buffer.from('hello world, this is text').toString('base64'))).toBeNull();
  });
});

describe('summarizeOutput', () => {
  test('streams, errors, results, displays', () => {
    expect(summarizeOutput(stream('a\nb\nc\n'))).toBe('stdout 3 lines');
    expect(summarizeOutput(stream('oops', 'stderr'))).toBe('stderr 1 line');
    expect(summarizeOutput(error('ZeroDivisionError', 'division by zero'))).toBe('error ZeroDivisionError: division by zero');
    expect(summarizeOutput(result(7, { 'text/plain': '42' }))).toBe('[7] text/plain 1 line');
    expect(summarizeOutput(display({ 'text/plain': '<Figure>', 'image/png': png(640, 480, 12_300) }))).toBe(
      'image/png 640×480 (12.3 kB), text/plain 1 line',
    );
  });

  test('error text loses its ANSI codes and keeps no control characters', () => {
    expect(summarizeOutput(error('\x1b[31mKeyError\x1b[0m', "'x'\nmore"))).toBe("error KeyError: 'x' …");
    expect(summarizeOutput(error('E', 'bell\x07'))).toBe('error E: bell␇');
  });

  test('consecutive streams of one name are one entry', () => {
    const groups = summarizeOutputs([stream('a\n'), stream('b\nc\n'), stream('!', 'stderr'), display({ 'text/html': '<b>' })], 2);
    expect(groups).toEqual([
      { index: 2, count: 2, text: 'stdout 3 lines' },
      { index: 4, count: 1, text: 'stderr 1 line' },
      { index: 5, count: 1, text: 'text/html 1 line' },
    ]);
  });
});

describe('images', () => {
  test('pixel changes, size changes, re-encoding, decode errors', () => {
    expect(summarizeImageComparison('image/png', image([640, 480], [640, 480], 3994))).toBe(
      'image/png 640×480, 1.3% pixels changed',
    );
    expect(summarizeImageComparison('image/png', image([640, 480], [800, 600], 100))).toBe(
      'image/png size changed 640×480 → 800×600',
    );
    expect(summarizeImageComparison('image/png', image([64, 64], [64, 64], 0, { reencoded: true }))).toBe(
      'image/png 64×64, re-encoded, pixels identical',
    );
    expect(summarizeImageComparison('image/jpeg', image([0, 0], [0, 0], 0, { error: 'bad huffman\x07' }))).toBe(
      'image/jpeg bytes differ (20.0 kB → 21.0 kB); not decoded: bad huffman␇',
    );
  });
});

describe('output changes', () => {
  test('one phrase per part', () => {
    expect(
      summarizeOutputChanges({
        execution_count: { base: 3, head: 7 },
        data: [
          { mime: 'text/plain', status: 'modified', text: textDiff(rep(['1'], ['2'])), significant: true },
          { mime: 'text/html', status: 'added', value: '<b>x</b>' },
          { mime: 'application/json', status: 'removed', old: { a: 1 } },
        ],
        metadata: [{ op: 'add', path: ['isolated'], value: true }],
      }),
    ).toEqual(['[3] → [7]', 'text/plain: +1 −1 lines', 'added text/html 1 line', 'removed application/json', 'metadata: 1 change']);
  });

  test('leaves out the execution count the cell already reports', () => {
    const count = { base: 3, head: 7 };
    expect(summarizeOutputChanges({ execution_count: count }, { cellExecutionCount: { base: 3, head: 7 } })).toEqual([]);
  });

  test('errors: name and value, either alone, or the traceback', () => {
    expect(summarizeOutputChanges({ ename: { base: 'KeyError', head: 'ValueError' }, evalue: { base: "'x'", head: 'bad' } }))
      .toEqual(["KeyError: 'x' → ValueError: bad"]);
    expect(summarizeOutputChanges({ evalue: { base: "'x'", head: "'y'" } })).toEqual(["'x' → 'y'"]);
    expect(summarizeOutputChanges({ traceback: textDiff(rep(['a', 'b'], ['c', 'd'])) })).toEqual(['traceback +2 −2 lines']);
  });

  test('binary MIME changes give the new size, not the data', () => {
    expect(summarizeMimeChange({ mime: 'application/pdf', status: 'modified', value: png(1, 1, 5000), significant: true }))
      .toBe('application/pdf changed (now 5.0 kB)');
  });
});

describe('summarizeNotebookDiff', () => {
  test('the closing line', () => {
    const diff = notebookDiff({
      cells: [added(0, cell('code', 'x'))],
      summary: summary({ added: 2, removed: 1, modified: 5, rerunOnly: 3, moved: 1, outputsChanged: 4, imagesChanged: 1 }),
    });
    expect(summarizeNotebookDiff(diff)).toBe('2 added, 1 removed, 5 modified (3 re-run only), 1 moved; 4 outputs changed (1 image)');
  });

  test('singulars, stale outputs, notebook-level changes, no differences', () => {
    const diff = notebookDiff({
      changed: true,
      base: { name: 'a.ipynb', nbformat: [4, 4], cells: 1 },
      head: { name: 'b.ipynb', nbformat: [4, 5], cells: 1 },
      notebook: { metadata: [{ op: 'add', path: ['x'], value: 1 }], nbformat: { base: [4, 4], head: [4, 5] } },
      summary: summary({ modified: 1, staleOutputs: 1, outputsChanged: 1 }),
    });
    expect(summarizeNotebookDiff(diff)).toBe(
      '1 modified (1 with stale outputs); 1 output changed; notebook metadata changed; nbformat 4.4 → 4.5',
    );
    expect(summarizeNotebookDiff(notebookDiff())).toBe('no differences');
  });
});
