// @vitest-environment jsdom
import { act, cleanup, fireEvent, render } from '@testing-library/react';
import { createElement as h } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { codeCell as code, markdownCell as md, notebookOf as nb } from '../render/builder.js';
import { diffNotebooks } from '../../lib/diff/notebook.js';
import type { TextDiff } from '../../lib/model.js';
import { colorReview } from '../../lib/render/syntax/precolor.js';
import { embeddableJson, reviewFile, reviewPayload } from '../../lib/review.js';
import { App } from '../../web/src/App.js';
import { provideChunk } from '../../web/src/chunks/run.js';
import * as syntaxChunk from '../../web/src/chunks/syntax.js';
import { ImageCompare } from '../../web/src/components/ImageCompare.js';
import { OutputView } from '../../web/src/components/Outputs.js';
import { overlay } from '../../web/src/components/Source.js';
import { parseAnsi } from '../../web/src/render/ansi.js';
import { loadMath, renderMarkdown } from '../../web/src/render/markdown.js';
import { loadReview, parseReview } from '../../web/src/load.js';
import { rows, splitLines, unifiedLines } from '../../web/src/view.js';

afterEach(cleanup);
// What the built page runs from its inert text (web/src/chunks/syntax.ts), here as a module.
provideChunk('syntax', syntaxChunk);


const base = nb([md('# Title', 'a'), code('x = 10\nprint(x)', 'b', [{ output_type: 'stream', name: 'stdout', text: '10\n' }]),
  code('import os', 'c'), md('Gone', 'd'), code('y = 1', 'e'), code('z = 2', 'f')]);
const head = nb([md('# Title', 'a'), code('y = 1', 'e'), code('x = 20\nprint(x)', 'b', [{ output_type: 'stream', name: 'stdout', text: '20\n' }]),
  code('import os', 'c'), code('new = True', 'g'), code('z = 2', 'f')]);
const diff = diffNotebooks({ notebook: base, name: 'a.ipynb' }, { notebook: head, name: 'b.ipynb' });
const review = reviewPayload('a.ipynb → b.ipynb', [reviewFile('b.ipynb', diff, base, head)]);

function counts(): Record<string, number> {
  const n = (s: string): number => document.querySelectorAll(s).length;
  return { added: n('[data-cell-status="added"]'), removed: n('[data-cell-status="removed"]'), modified: n('[data-cell-status="modified"]'),
    unchanged: n('[data-cell-status="unchanged"]'), moved: n('[data-moved]') };
}

describe('App', () => {
  it('puts data-cell-status on one element per entry, data-moved only on moves, in both views', () => {
    const s = diff.summary;
    render(h(App, { review }));
    const expected = { added: s.added, removed: s.removed, modified: s.modified, moved: s.moved };
    const { unchanged, ...rest } = counts();
    expect(rest).toEqual(expected);
    expect(document.querySelectorAll('[data-moved="false"]').length).toBe(0);
    expect(document.querySelectorAll('[data-cell-status] [data-cell-status]').length).toBe(0);
    expect(document.querySelectorAll('.cw-row').length).toBe(document.querySelectorAll('[data-cell-status]').length);
    // Unchanged cells are collapsed; expanding shows them all.
    fireEvent.click(document.querySelector('[data-testid="hide-unchanged"]')!);
    expect(counts().unchanged).toBe(s.unchanged);
    expect(unchanged).toBeLessThanOrEqual(s.unchanged);
    // `u` switches to unified: cells instead of rows, the same counts.
    act(() => { fireEvent.keyDown(window, { key: 'u' }); });
    expect(document.querySelectorAll('.cw-row').length).toBe(0);
    expect(document.querySelectorAll('.cw-cell').length).toBe(diff.cells.length);
    const after = counts();
    expect({ added: after.added, removed: after.removed, modified: after.modified, moved: after.moved }).toEqual(expected);
  });

  it('shows word-level changes and a move with links to both places', () => {
    render(h(App, { review }));
    const words = Array.from(document.querySelectorAll('.cw-word')).map((e) => e.textContent);
    expect(words).toEqual(expect.arrayContaining(['10', '20']));
    const moved = document.querySelector('[data-moved]')!;
    expect(moved.querySelector('[data-testid="moved"]')!.textContent).toMatch(/moved from \d+ → \d+/);
    const away = document.querySelector('.cw-moved-away a')!;
    expect(document.getElementById(away.getAttribute('href')!.slice(1))).toBe(moved);
  });

  it('colors code in the first render (later tasks would be too late for act() to flush)', () => {
    render(h(App, { review }));
    expect(document.querySelector('.cw-code span[style*="color"]')).not.toBeNull();
  });

  it('takes the colors a review brings instead of coloring the code itself', () => {
    const colors = colorReview(review);
    // Recolored: every piece of every text the table holds in one color no theme has.
    const fake = { ...colors.light!, palette: colors.light!.palette.map(() => '#123456') };
    render(h(App, { review: { ...review, colors: { light: fake } } }));
    const colored = Array.from(document.querySelectorAll<HTMLElement>('.cw-code span[style*="color"]'));
    expect(colored.length).toBeGreaterThan(0);
    expect(colored.every((e) => e.style.color === 'rgb(18, 52, 86)')).toBe(true);
    cleanup();
    // Without the table (or with one for another theme) the page colors the code itself, as the table would.
    render(h(App, { review: { ...review, colors: { light: { ...fake, theme: 'another-theme' } } } }));
    const own = document.querySelector('.cw-source')!.innerHTML;
    expect(own).not.toContain('#123456');
    cleanup();
    render(h(App, { review: { ...review, colors } }));
    expect(document.querySelector('.cw-source')!.innerHTML).toBe(own);
    cleanup();
    // A report is a file anyone can edit: a table's colors are checked like the page's own, never pasted into CSS.
    const hostile = { ...colors.light!, palette: colors.light!.palette.map(() => 'red;background:url(https://evil.example/x)') };
    render(h(App, { review: { ...review, colors: { light: hostile } } }));
    expect(document.querySelectorAll('.cw-code span[style]').length).toBe(0);
    expect(document.body.innerHTML).not.toContain('evil.example');
  });

  it('shows code as text: markup in a cell is escaped in both views, never parsed', () => {
    const evil = 'a = "</td><img src=x onerror=alert(1)>" & b < c > d';
    const b = nb([code('x = 1', 'h')]);
    const hd = nb([code(`x = 1\n${evil}`, 'h'), code(`${evil}`, 'i')]);
    const d = diffNotebooks({ notebook: b, name: 'a.ipynb' }, { notebook: hd, name: 'b.ipynb' });
    render(h(App, { review: reviewPayload('evil', [reviewFile('b.ipynb', d, b, hd)]) }));
    for (const view of ['split', 'unified']) {
      if (view === 'unified') act(() => { fireEvent.keyDown(window, { key: 'u' }); });
      expect(document.querySelector('.cw-source img')).toBeNull();
      const texts = Array.from(document.querySelectorAll('.cw-code')).map((e) => e.textContent);
      expect(texts.filter((t) => t === evil).length, view).toBe(2);
    }
  });

  it('side by side, a run of lines with nothing facing them faces one spanning empty cell', () => {
    const b = nb([code('a = 1\nb = 2', 'h')]);
    const hd = nb([code('a = 1\nx = 3\ny = 4\nb = 2', 'h'), code('z = 5\nw = 6\nv = 7', 'i')]);
    const d = diffNotebooks({ notebook: b, name: 'a.ipynb' }, { notebook: hd, name: 'b.ipynb' });
    render(h(App, { review: reviewPayload('runs', [reviewFile('b.ipynb', d, b, hd)]) }));
    const [modified, added] = Array.from(document.querySelectorAll('.cw-split-source'));
    const rows = (table: Element): string[][] => Array.from(table.querySelectorAll('tr')).map((tr) => Array.from(tr.children).map((td) =>
      td.classList.contains('cw-filler') ? `(${td.getAttribute('rowspan') ?? 1})` : td.textContent!));
    expect(rows(modified!)).toEqual([['1', 'a = 1', '1', 'a = 1'], ['(2)', '(2)', '2', 'x = 3'], ['3', 'y = 4'], ['2', 'b = 2', '4', 'b = 2']]);
    expect(rows(added!)).toEqual([['(3)', '(3)', '1', 'z = 5'], ['2', 'w = 6'], ['3', 'v = 7']]);
  });

  it('hides outputs on request', () => {
    render(h(App, { review }));
    expect(document.querySelectorAll('.cw-outputs').length).toBeGreaterThan(0);
    fireEvent.click(document.querySelector('[data-testid="hide-outputs"]')!);
    expect(document.querySelectorAll('.cw-outputs').length).toBe(0);
  });
});

describe('renderers', () => {
  it('renders ANSI colors as classes, dropping other escapes', () => {
    const segs = parseAnsi('\u001b[0;31mValueError\u001b[0m: bad \u001b[38;5;208mx\u001b[1;32my\u001b[K');
    expect(segs.map((s) => s.text).join('')).toBe('ValueError: bad xy');
    expect(segs[0]).toMatchObject({ text: 'ValueError', classes: ['ansi-fg-1'] });
    expect(segs.find((s) => s.text === 'x')!.fg).toMatch(/^rgb/);
    expect(segs.find((s) => s.text === 'y')!.classes).toEqual(['ansi-fg-2', 'ansi-bold']);
  });

  it('renders tracebacks and streams as text, never as markup', () => {
    render(h(OutputView, { output: { output_type: 'error', ename: 'E', evalue: 'v', traceback: ['\u001b[31m<b>bold?</b>\u001b[0m'] } }));
    expect(document.querySelector('b')).toBeNull();
    expect(document.querySelector('.ansi-fg-1')!.textContent).toBe('<b>bold?</b>');
  });

  it('renders markdown with math as MathML, and math cannot smuggle markup', async () => {
    await loadMath();
    const html = renderMarkdown('Euler: $e^{i\\pi} = -1$ and $a</span><img src=x onerror=alert(1)>$\n\n$$\\sum_i x_i$$');
    expect(html).toContain('<math');
    expect(html).toContain('display="block"');
    const root = document.createElement('div');
    root.innerHTML = html;
    expect(root.querySelector('img')).toBeNull();
  });

  it('renders HTML tables and JSON outputs', () => {
    render(h(OutputView, { output: { output_type: 'execute_result', execution_count: 3, metadata: {}, data: { 'text/html': '<table><tr><td>1</td></tr></table>', 'text/plain': 'x' } } }));
    expect(document.querySelector('td')!.textContent).toBe('1');
    cleanup();
    render(h(OutputView, { output: { output_type: 'display_data', metadata: {}, data: { 'application/json': { a: [1, 2] } } } }));
    expect(document.querySelector('.cw-json')!.textContent).toContain('"a"');
  });

  it('compares images side by side, by swipe, onion skin and mask, with the changed-pixel share', () => {
    const comparison = { format: 'png' as const, base: { width: 10, height: 10, bytes: 1 }, head: { width: 10, height: 10, bytes: 1 },
      changedPixels: 13, totalPixels: 1000, sizeChanged: false, reencoded: false, mask: 'AAAA' };
    render(h(ImageCompare, { base: 'data:image/png;base64,AA', head: 'data:image/png;base64,BB', comparison, mime: 'image/png' }));
    expect(document.querySelector('[data-testid="image-stats"]')!.textContent).toMatch(/^1\.3% pixels changed/);
    fireEvent.click(document.querySelector('button[aria-pressed="false"]')!); // Swipe
    const slider = document.querySelector('[data-testid="image-slider"]') as HTMLInputElement;
    fireEvent.change(slider, { target: { value: '30' } });
    expect((document.querySelector('[data-testid="image-top"]') as HTMLElement).style.clipPath).toBe('inset(0 70% 0 0)');
    fireEvent.click(Array.from(document.querySelectorAll('button')).find((b) => b.textContent === 'Onion skin')!);
    expect((document.querySelector('[data-testid="image-top"]') as HTMLElement).style.opacity).toBe('0.3');
    fireEvent.click(Array.from(document.querySelectorAll('button')).find((b) => b.textContent === 'Diff mask')!);
    expect(document.querySelector('img[alt="changed pixels in red"]')!.getAttribute('src')).toBe('data:image/png;base64,AAAA');
  });
});

describe('view model', () => {
  const text: TextDiff = { added: 2, removed: 1, ops: [
    { op: 'equal', lines: ['a\n'] },
    { op: 'replace', base: ['x = 10\n'], head: ['x = 20\n', 'y\n'], words: [[{ t: '=', s: 'x = ' }, { t: '-', s: '10' }, { t: '+', s: '20' }, { t: '=', s: '\n' }]] },
  ] };

  it('pairs replaced lines side by side and lists them in order unified', () => {
    const pairs = splitLines(text);
    expect(pairs.map(([l, r]) => [l?.text ?? null, r?.text ?? null])).toEqual([['a', 'a'], ['x = 10', 'x = 20'], [null, 'y']]);
    expect(pairs[1]![0]!.words).toEqual([{ s: 'x = ', changed: false }, { s: '10', changed: true }, { s: '', changed: false }]);
    expect(unifiedLines(text).map((l) => `${l.kind}:${l.text}`)).toEqual(['equal:a', 'delete:x = 10', 'insert:x = 20', 'insert:y']);
  });

  it('cuts syntax tokens at word changes', () => {
    const pieces = overlay([{ text: 'x', color: '#1' }, { text: ' = ' }, { text: '20', color: '#2' }], [{ s: 'x = ', changed: false }, { s: '20', changed: true }]);
    expect(pieces).toEqual([{ text: 'x', color: '#1' }, { text: ' = ' }, { text: '20', color: '#2', changed: true }]);
  });

  it('collapses runs of unchanged cells and marks where moved cells left', () => {
    const list = rows(diff, { hideUnchanged: true, hideOutputs: false, hideMetaOnly: false }, new Set());
    expect(list.some((r) => r.kind === 'collapsed')).toBe(true);
    expect(list.filter((r) => r.kind === 'moved-away').length).toBe(diff.summary.moved);
  });
});

describe('loading a review', () => {
  it('reads it embedded in the page, where no notebook text can close the script element', async () => {
    const evil = reviewPayload('</script><script>alert(1)</script> é ≥ 😀 \u2028 \u2029 \u007f', []);
    const json = embeddableJson(evil);
    expect(json).not.toMatch(/[<>&]/);
    // All ASCII (a page with any character above U+00FF is held as 16-bit text), and read back unchanged.
    expect(json).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.parse(json)).toEqual(evil);
    document.body.innerHTML = `<script type="application/json" id="cellwise-review">${json}</script>`;
    expect((await loadReview(document)).title).toBe(evil.title);
  });

  it('fetches it from a URL named by data-src', async () => {
    document.body.innerHTML = '<script type="application/json" id="cellwise-review" data-src="/r.json"></script>';
    const fetcher = (async (url: string) => new Response(JSON.stringify(review), { status: url === '/r.json' ? 200 : 404 })) as unknown as typeof fetch;
    expect((await loadReview(document, fetcher)).files[0]!.path).toBe('b.ipynb');
  });

  it('refuses what is not a review', () => {
    expect(() => parseReview('{"format":"cellwise-diff"}')).toThrow(/not a Cellwise review/);
  });
});
