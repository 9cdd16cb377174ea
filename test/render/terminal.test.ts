import { describe, expect, test } from 'vitest';
import type { CellEntry, NotebookDiff } from '../../lib/model.js';
import { SGR_CODES, SGR_RESET } from '../../lib/render/style.js';
import { renderTerminal, type TerminalOptions } from '../../lib/render/terminal.js';
import { displayWidth } from '../../lib/render/visible.js';
import {
  added,
  cell,
  del,
  display,
  eq,
  error,
  image,
  ins,
  modified,
  notebookDiff,
  outAdded,
  outModified,
  outRemoved,
  outputs,
  png,
  removed,
  rep,
  rerun,
  result,
  stream,
  textDiff,
  unchanged,
  w,
} from './builder.js';

const plain = (diff: NotebookDiff, options: Partial<TerminalOptions> = {}): string =>
  renderTerminal(diff, { color: false, width: 60, ...options });
const plainLines = (diff: NotebookDiff, options: Partial<TerminalOptions> = {}): string[] =>
  plain(diff, options).split('\n');
const ofCells = (...cells: CellEntry[]): NotebookDiff => notebookDiff({ cells });

/** The renderer's own SGR sequences; anything else starting with ESC came from the notebook. */
const OWN_SGR = new RegExp(
  [...Object.values(SGR_CODES).map((code) => `\x1b[${code}m`), SGR_RESET]
    .map((s) => s.replace(/[[\]]/g, '\\$&'))
    .join('|'),
  'g',
);

/** A diff with one of everything, used for the sample in the docs and the whole-output test. */
export function sampleDiff(): NotebookDiff {
  return notebookDiff({
    notebook: {
      metadata: [{ op: 'replace', path: ['kernelspec', 'display_name'], old: 'Python 2', value: 'Python 3' }],
    },
    cells: [
      unchanged(0, 0),
      added(1, cell('markdown', '# Results\nThe model now uses **ones**.')),
      removed(1, cell('code', 'import os\nprint(os.getcwd())', { outputs: [stream('/home/me\n')] })),
      modified(
        4,
        2,
        {
          source: textDiff(
            eq('import numpy as np', 'import matplotlib.pyplot as plt', '', 'n = 10'),
            rep(['x = np.zeros(n)'], ['x = np.ones(n)'], [w('=x = np.', '-zeros', '+ones', '=(n)\n')]),
            eq('plt.plot(x)'),
            { op: 'insert', lines: ['plt.title("ones")'] },
          ),
          execution_count: { base: 5, head: 9 },
          outputs: outputs(
            outModified(0, 0, 'execute_result', {
              execution_count: { base: 5, head: 9 },
              data: [{ mime: 'text/plain', status: 'modified', text: textDiff(rep(['<Line2D at 0x7f1>'], ['<Line2D at 0x7f2>'])), significant: true }],
            }),
            outModified(1, 1, 'display_data', {
              data: [{ mime: 'image/png', status: 'modified', image: image([640, 480], [640, 480], 3994), significant: true }],
            }),
          ),
        },
        { moved: true, match: 'similar', similarity: 0.87 },
      ),
      rerun(3, 3, 7),
      unchanged(2, 4, true, 'markdown'),
    ],
  });
}

describe('the whole rendering', () => {
  test('sample diff, colour off', () => {
    expect(plain(sampleDiff(), { width: 72 })).toBe(
      [
        'a/nb.ipynb → b/nb.ipynb (cells and outputs numbered from 1)',
        '── notebook metadata ───────────────────────────────────────────────────',
        '  ~ /kernelspec/display_name: "Python 2" → "Python 3"',
        '── cell 2 · markdown · added ───────────────────────────────────────────',
        '+# Results',
        '+The model now uses **ones**.',
        '── cell 2 (base) · code · removed ──────────────────────────────────────',
        '-import os',
        '-print(os.getcwd())',
        '  - output 1: stdout 1 line',
        '── cell 3 · code · modified · moved from 5 · similar 87% ───────────────',
        '@@ -2,5 +2,6 @@',
        ' import matplotlib.pyplot as plt',
        ' ',
        ' n = 10',
        '~x = np.[-zeros-]{+ones+}(n)',
        ' plt.plot(x)',
        '+plt.title("ones")',
        '  ~ execution count: [5] → [9]',
        '  ~ output 1 execute_result: text/plain: +1 −1 lines',
        '  ~ output 2 display_data: image/png 640×480, 1.3% pixels changed',
        '── cell 5 · markdown · moved from 3 ────────────────────────────────────',
        '── 1 cell only re-run (execution count changed): 4 ─────────────────────',
        '',
        '1 added, 1 removed, 2 modified (1 re-run only), 2 moved;',
        '2 outputs changed (1 image); notebook metadata changed',
        '',
      ].join('\n'),
    );
  });

  test('no differences', () => {
    expect(plain(notebookDiff({ cells: [unchanged(0, 0), unchanged(1, 1)] }))).toBe(
      'a/nb.ipynb → b/nb.ipynb (cells and outputs numbered from 1)\n\nno differences\n',
    );
  });

  test('rules and summaries fit the width; source lines are never cut', () => {
    const longLine = `print("${'x'.repeat(150)}")`;
    const diff = notebookDiff({
      notebook: { metadata: [{ op: 'add', path: ['very', 'deep', 'path'], value: { list: Array(500).fill('item') } }] },
      warnings: [{ file: 'b/nb.ipynb', path: '/cells/0', message: 'w'.repeat(300) }],
      cells: [
        added(0, cell('code', longLine, { outputs: [error('ValueError', 'v'.repeat(500))] })),
        modified(1, 1, { outputs: outputs(outModified(0, 0, 'error', { ename: { base: 'E'.repeat(200), head: 'F' }, evalue: { base: 'x', head: 'y'.repeat(300) } })) }),
      ],
    });
    for (const width of [40, 60, 100]) {
      const lines = plainLines(diff, { width }).filter((l) => l !== `+${longLine}`);
      for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(width);
      expect(plain(diff, { width })).toContain(`+${longLine}\n`);
      // Warnings wrap instead of being cut: every character of the message is there.
      expect(lines.filter((l) => /^(warning| )/.test(l)).join('').replace(/[^w]/g, '').length).toBeGreaterThanOrEqual(300);
    }
  });
});

describe('header', () => {
  test('names, nbformat change, ignored parts, warnings', () => {
    const lines = plainLines(
      notebookDiff({
        base: { name: 'old.ipynb', nbformat: [4, 4], cells: 1 },
        head: { name: 'new.ipynb', nbformat: [4, 5], cells: 1 },
        notebook: { nbformat: { base: [4, 4], head: [4, 5] } },
        ignored: ['outputs', 'path:/metadata/widgets'],
        warnings: [{ file: 'new.ipynb', path: '/cells/3/id', message: 'duplicate cell id "a"' }],
      }),
    );
    expect(lines.slice(0, 4)).toEqual([
      'old.ipynb → new.ipynb (cells and outputs numbered from 1)',
      'nbformat 4.4 → 4.5',
      'ignored: outputs, path:/metadata/widgets',
      'warning: new.ipynb: /cells/3/id: duplicate cell id "a"',
    ]);
  });

  test('one name when both sides have it, base → head when none is given', () => {
    const same = notebookDiff({ base: { name: 'x.ipynb', nbformat: [4, 5], cells: 0 }, head: { name: 'x.ipynb', nbformat: [4, 5], cells: 0 } });
    expect(plainLines(same)[0]).toBe('x.ipynb (cells and outputs numbered from 1)');
    const none = notebookDiff({ base: { nbformat: [4, 5], cells: 0 }, head: { nbformat: [4, 5], cells: 0 } });
    expect(plainLines(none)[0]).toBe('base → head (cells and outputs numbered from 1)');
  });
});

describe('notebook metadata', () => {
  test('compact ops; base64 and long values summarized', () => {
    const diff = notebookDiff({
      notebook: {
        metadata: [
          { op: 'add', path: ['thumbnail'], value: png(100, 100, 12_300) },
          { op: 'remove', path: ['widgets'], old: { state: { model: { bytes: png(1, 1, 2_000_000) } } } },
          { op: 'replace', path: ['description'], old: 'short', value: 'long '.repeat(50) },
        ],
        other: [{ op: 'add', path: ['custom_key'], value: 1 }],
      },
    });
    expect(plainLines(diff, { width: 100 }).slice(1, 7)).toEqual([
      `── notebook metadata ${'─'.repeat(79)}`,
      '  + /thumbnail: <base64 12.3 kB>',
      '  - /widgets: {"state":{"model":{"bytes":<base64 2.0 MB>}}}',
      `  ~ /description: "short" → "${'long '.repeat(8)}…"`,
      `── notebook fields outside nbformat ${'─'.repeat(64)}`,
      '  + /custom_key: 1',
    ]);
  });
});

describe('added and removed cells', () => {
  test('source as + lines, then one line per output and attachment', () => {
    const c = cell('code', 'for i in range(3):\n    print(i)\n', {
      outputs: [stream('0\n'), stream('1\n2\n'), display({ 'image/png': png(640, 480, 20_000), 'text/plain': '<Figure>' }), error('ZeroDivisionError', 'division by zero')],
    });
    expect(plainLines(ofCells(added(0, c))).slice(1, 8)).toEqual([
      `── cell 1 · code · added ${'─'.repeat(35)}`,
      '+for i in range(3):',
      '+    print(i)',
      '  + outputs 1–2: stdout 3 lines',
      '  + output 3: image/png 640×480 (20.0 kB), text/plain 1 line',
      '  + output 4: error ZeroDivisionError: division by zero',
      '',
    ]);
  });

  test('removed cells use base numbering and - lines', () => {
    const c = cell('markdown', '![chart](attachment:chart.png)', { attachments: { 'chart.png': { 'image/png': png(32, 16, 900) } } });
    expect(plainLines(ofCells(removed(6, c))).slice(1, 4)).toEqual([
      `── cell 7 (base) · markdown · removed ${'─'.repeat(22)}`,
      '-![chart](attachment:chart.png)',
      '  - attachment chart.png: image/png 32×16 (900 B)',
    ]);
  });

  test('an empty source says so', () => {
    expect(plainLines(ofCells(added(0, cell('code', '')))).slice(2, 3)).toEqual(['  (empty source)']);
  });
});

describe('modified cells: source', () => {
  const longSource = textDiff(
    eq('a1', 'a2', 'a3', 'a4', 'a5'),
    rep(['b = 1'], ['b = 2'], [w('=b = ', '-1', '+2', '=\n')]),
    eq('c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8'),
    del('gone'),
    eq('d1'),
  );

  test('unified hunks with the requested context', () => {
    const lines = plainLines(ofCells(modified(0, 0, { source: longSource })), { context: 1 });
    expect(lines.slice(2)).toEqual(['@@ -5,3 +5,3 @@', ' a5', '~b = [-1-]{+2+}', ' c1', '@@ -14,3 +14,2 @@', ' c8', '-gone', ' d1', '', '1 modified', '']);
  });

  test('default context is 3 lines', () => {
    const lines = plainLines(ofCells(modified(0, 0, { source: longSource })));
    expect(lines[2]).toBe('@@ -3,7 +3,7 @@');
    expect(lines[10]).toBe('@@ -12,5 +12,4 @@');
  });

  test('lines without a word diff are - then + lines; pairs with one are merged', () => {
    const source = textDiff(
      rep(['x = 1', 'y = 2', 'print(x)'], ['x = 10', 'z = 3', 'print(x, z)'], [w('=x = ', '-1', '+10', '=\n'), null, w('=print(x', '+, z', '=)\n')]),
    );
    expect(plainLines(ofCells(modified(0, 0, { source }))).slice(2, 8)).toEqual([
      '@@ -1,3 +1,3 @@',
      '~x = [-1-]{+10+}',
      '-y = 2',
      '+z = 3',
      '~print(x{+, z+})',
      '',
    ]);
  });

  test('a line ending that appears or disappears is not shown', () => {
    const source = textDiff({ op: 'replace', base: ['x = 1'], head: ['x = 1\n'], words: [w('=x = 1', '+\n')] }, ins('y'));
    expect(plainLines(ofCells(modified(0, 0, { source }))).slice(2, 5)).toEqual(['@@ -1 +1,2 @@', '~x = 1', '+y']);
  });

  test('colour: red and green lines, changed words in reverse video', () => {
    const source = textDiff(rep(['x = np.zeros(3)'], ['x = np.ones(3)'], [w('=x = np.', '-zeros', '+ones', '=(3)\n')]), del('old'), ins('new'));
    const text = renderTerminal(ofCells(modified(0, 0, { source })), { color: true });
    expect(text).toContain('\x1b[7;31mzeros\x1b[0m');
    expect(text).toContain('\x1b[7;32mones\x1b[0m');
    expect(text).toContain('\x1b[31mx = np.\x1b[0m');
    expect(text).toContain('\x1b[32m(3)\x1b[0m');
    expect(text).toContain('\x1b[31m-old\x1b[0m');
    expect(text).toContain('\x1b[32m+new\x1b[0m');
    expect(text).toContain('\x1b[36m@@ -1,2 +1,2 @@\x1b[0m');
    expect(text).not.toContain('[-');
    expect(text).not.toContain('{+');
  });
});

describe('modified cells: everything but the source', () => {
  test('execution count, cell type, id, metadata, attachments, other keys', () => {
    const entry = modified(2, 2, {
      cell_type: { base: 'raw', head: 'markdown' },
      id: { base: null, head: 'intro' },
      execution_count: { base: null, head: 1 },
      metadata: [
        { op: 'add', path: ['tags'], value: ['parameters'] },
        { op: 'replace', path: ['collapsed'], old: false, value: true },
        { op: 'remove', path: ['scrolled'], old: 'auto' },
      ],
      attachments: [
        { op: 'add', path: ['new.png'], value: { 'image/png': png(10, 20, 3000) } },
        { op: 'remove', path: ['old.gif'], old: { 'image/gif': 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7R0lGODlhAQABAIAAAAAAAP' } },
        { op: 'replace', path: ['plot.png', 'image/png'], old: png(10, 10, 1000), value: png(20, 20, 4000) },
      ],
      other: [{ op: 'add', path: ['vendor'], value: { x: 1 } }],
    });
    expect(plainLines(ofCells(entry), { width: 80 }).slice(2, 14)).toEqual([
      '  ~ cell type: raw → markdown',
      '  ~ id: (none) → "intro"',
      '  ~ execution count: [ ] → [1]',
      '  + metadata/tags: ["parameters"]',
      '  ~ metadata/collapsed: false → true',
      '  - metadata/scrolled: "auto"',
      '  + attachment new.png: image/png 10×20 (3.0 kB)',
      '  - attachment old.gif: image/gif 1×1 (58 B)',
      '  ~ attachment plot.png: image/png 10×10 (1.0 kB) → image/png 20×20 (4.0 kB)',
      '  + /vendor: {"x":1}',
      '',
      '1 modified',
    ]);
  });

  test('stale outputs get a warning line', () => {
    const entry = modified(0, 0, { source: textDiff(rep(['a'], ['b'])) }, { staleOutputs: true });
    expect(plainLines(ofCells(entry), { width: 100 })).toContain('  ! source changed but outputs were not re-run (stale outputs?)');
    const coloured = renderTerminal(ofCells(entry), { color: true });
    expect(coloured).toContain('\x1b[33m! source changed but outputs were not re-run (stale outputs?)\x1b[0m');
  });

  test('shifted cells show both positions, similarity is shown for similar matches only', () => {
    const shifted = modified(3, 5, { execution_count: { base: 1, head: 2 } }, { match: 'identical' });
    expect(plainLines(ofCells(shifted))[1]).toBe(`── cell 6 (base 4) · code · modified ${'─'.repeat(23)}`);
  });
});

describe('outputs of modified cells', () => {
  const cellWith = (...entries: Parameters<typeof outputs>): NotebookDiff =>
    ofCells(modified(0, 0, { execution_count: { base: 3, head: 4 }, outputs: outputs(...entries) }));

  test('one line per changed output, never the payload', () => {
    const diff = cellWith(
      { status: 'unchanged', base: 0, head: 0, changes: { data: [{ mime: 'image/png', status: 'modified', image: image([9, 9], [9, 9], 0, { reencoded: true }), significant: false }] } },
      outModified(1, 1, 'stream', { text: textDiff(eq('epoch 1'), rep(['loss 0.5'], ['loss 0.4']), ins('epoch 2', 'loss 0.3')) }),
      outModified(2, 2, 'display_data', { data: [{ mime: 'text/html', status: 'modified', text: textDiff(del('a', 'b', 'c'), ins('d', 'e', 'f', 'g', 'h')), significant: true }] }),
      outModified(3, 3, 'display_data', { data: [{ mime: 'image/png', status: 'modified', image: image([640, 480], [800, 600], 1), significant: true }] }),
      outModified(4, 4, 'display_data', { data: [{ mime: 'image/png', status: 'modified', image: image([64, 64], [64, 64], 1), significant: true }] }),
      outModified(5, 5, 'error', { ename: { base: 'KeyError', head: 'ValueError' }, evalue: { base: "'x'", head: '\x1b[1mbad\x1b[0m' } }),
      outModified(6, 6, 'execute_result', { execution_count: { base: 3, head: 4 } }),
      outModified(7, 7, 'execute_result', { execution_count: { base: 1, head: 4 }, metadata: [{ op: 'add', path: ['isolated'], value: true }] }),
      outRemoved(8, error('ZeroDivisionError', 'division by zero')),
      outAdded(8, result(4, { 'text/plain': '42' })),
    );
    expect(plainLines(diff, { width: 100 }).slice(2, 15)).toEqual([
      '  ~ execution count: [3] → [4]',
      '  ~ output 2 stream: +3 −1 lines',
      '  ~ output 3 display_data: text/html: +5 −3 lines',
      '  ~ output 4 display_data: image/png size changed 640×480 → 800×600',
      '  ~ output 5 display_data: image/png 64×64, <0.1% pixels changed',
      "  ~ output 6 error: KeyError: 'x' → ValueError: bad",
      '  ~ output 8 execute_result: [1] → [4]; metadata: 1 change',
      '      + metadata/isolated: true',
      '  - output 9: error ZeroDivisionError: division by zero',
      '  + output 9: [4] text/plain 1 line',
      '',
      '1 modified; 9 outputs changed (2 images)',
      '',
    ]);
  });

  test('parts that do not fit go on continuation lines', () => {
    const diff = cellWith(
      outModified(0, 0, 'display_data', {
        data: [
          { mime: 'image/png', status: 'modified', image: image([640, 480], [640, 480], 30_000), significant: true },
          { mime: 'text/plain', status: 'modified', text: textDiff(rep(['<Figure 1>'], ['<Figure 2>'])), significant: true },
        ],
      }),
    );
    expect(plainLines(diff, { width: 50 }).slice(4, 7)).toEqual([
      '  ~ output 1 display_data:',
      '    image/png 640×480, 9.8% pixels changed',
      '    text/plain: +1 −1 lines',
    ]);
  });
});

describe('re-run-only cells', () => {
  test('collapsed into one line after the cells', () => {
    const diff = ofCells(rerun(2, 1, 5), added(3, cell('code', 'x')), rerun(6, 2, 6), rerun(9, 3, 7));
    const lines = plainLines(diff);
    expect(lines.filter((l) => l.startsWith('──')).map((l) => l.replace(/ ─+$/, ''))).toEqual([
      '── cell 4 · code · added',
      '── 3 cells only re-run (execution count changed): 3, 7, 10',
    ]);
  });

  test('indices cut to the width', () => {
    const many = Array.from({ length: 40 }, (_, i) => rerun(i + 100, 1, 2));
    const line = plainLines(ofCells(...many), { width: 100 }).find((l) => l.includes('only re-run'))!;
    expect(line).toBe('── 40 cells only re-run (execution count changed): 101, 102, 103, 104, 105, 106, 107, 108, 109, … ──');
    const narrow = plainLines(ofCells(...many), { width: 60 }).find((l) => l.includes('only re-run'))!;
    expect(narrow).toBe('── 40 cells only re-run (execution count changed): 101, … ──');
  });

  test('expandRerun gives each its own header', () => {
    const lines = plainLines(ofCells(rerun(2, 1, 5)), { expandRerun: true });
    expect(lines.slice(1, 3)).toEqual([`── cell 3 · code · re-run ${'─'.repeat(34)}`, '  ~ execution count: [1] → [5]']);
  });

  test('a moved re-run cell keeps its header', () => {
    const moved = modified(1, 4, { execution_count: { base: 1, head: 2 } }, { rerunOnly: true, moved: true });
    expect(plainLines(ofCells(moved))[1]).toBe(`── cell 5 · code · re-run · moved from 2 ${'─'.repeat(19)}`);
  });
});

describe('unchanged cells', () => {
  test('hidden unless asked for; moved ones always shown', () => {
    const diff = ofCells(unchanged(0, 0), unchanged(1, 2, true, 'markdown'), unchanged(2, 1));
    expect(plainLines(diff).filter((l) => l.includes('cell'))).toEqual([
      'a/nb.ipynb → b/nb.ipynb (cells and outputs numbered from 1)',
      `── cell 3 · markdown · moved from 2 ${'─'.repeat(24)}`,
    ]);
    expect(plainLines(diff, { showUnchanged: true }).slice(1, 4)).toEqual([
      '   cell 1 · code · unchanged',
      `── cell 3 · markdown · moved from 2 ${'─'.repeat(24)}`,
      '   cell 2 (base 3) · code · unchanged',
    ]);
  });
});

describe('colour and untrusted text', () => {
  test('no escape byte at all without colour', () => {
    expect(plain(sampleDiff())).not.toContain('\x1b');
  });

  test('colour uses only the renderer’s own SGR codes', () => {
    const text = renderTerminal(sampleDiff(), { color: true });
    expect(text).toContain('\x1b[');
    expect(text.replace(OWN_SGR, '')).not.toContain('\x1b');
  });

  const hostile = '\x1b[2J\x1b]0;pwned\x07\r\x9b31m\u202e';
  const hostileDiff = (): NotebookDiff =>
    notebookDiff({
      base: { name: `a${hostile}.ipynb`, nbformat: [4, 5], cells: 2 },
      head: { name: 'b.ipynb', nbformat: [4, 5], cells: 2 },
      notebook: { metadata: [{ op: 'add', path: [`k${hostile}`], value: hostile }] },
      warnings: [{ file: 'b.ipynb', path: `/cells/${hostile}`, message: hostile }],
      cells: [
        added(0, cell('code', `print("${hostile}")\n${hostile}`, {
          outputs: [stream(hostile, `std${hostile}`), error(hostile, hostile), display({ [`text/${hostile}`]: hostile })],
          attachments: { [`x${hostile}.png`]: { 'image/png': png(1, 1) } },
        })),
        removed(0, cell('raw', hostile)),
        modified(1, 1, {
          source: textDiff(eq(hostile), rep([`a${hostile}`], [`b${hostile}`], [w('-a', '+b', `=${hostile}\n`)]), del(hostile), ins(hostile)),
          id: { base: hostile, head: 'x' },
          metadata: [{ op: 'replace', path: [hostile], old: hostile, value: [hostile] }],
          outputs: outputs(
            outModified(0, 0, 'error', { ename: { base: hostile, head: 'E' }, evalue: { base: hostile, head: hostile } }),
            outModified(1, 1, 'display_data', { data: [{ mime: hostile, status: 'added', value: hostile }] }),
            outModified(2, 2, 'display_data', { data: [{ mime: 'image/png', status: 'modified', image: image([1, 1], [1, 1], 0, { error: hostile }), significant: true }] }),
          ),
        }),
      ],
    });

  test.each([false, true])('control characters from the notebook never reach the terminal (color %s)', (color) => {
    const text = renderTerminal(hostileDiff(), { color, width: 200 });
    const foreign = text.replace(OWN_SGR, '');
    expect(foreign).not.toContain('\x1b');
    expect(foreign).not.toContain('\x07');
    expect(foreign).not.toContain('\r');
    expect(foreign).not.toContain('\x9b');
    expect(foreign).not.toContain('\u202e');
    expect(text).toContain('␛[2J');
    if (!color) expect(text).not.toContain('\x1b');
  });
});
