/**
 * The viewer in a real headless Chromium: the `--html` report from file:// and `cellwise web`'s server, for
 * the bundled example, corpus pairs and a malicious pair. Counts on the page must match the diff JSON, and
 * nothing from a notebook may run or reach the network.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiffSummary } from '../../lib/model.js';
import { embeddableJson, type ReviewPayload } from '../../lib/review.js';
import { ROOT } from '../cli/run.js';
import { CORPUS, corpusExists } from '../corpus/corpus.js';
import { browserAvailable, cli, countCells, launch, startWeb, viewerBuilt, waitReady, waitRendered, watchedPage, type Watch } from './browser.js';
import { writeMaliciousPair } from './malicious.js';

const available = browserAvailable();
const out = mkdtempSync(join(tmpdir(), 'cellwise-e2e-'));
const EXAMPLE = ['fixtures/examples/analysis-base.ipynb', 'fixtures/examples/analysis-head.ipynb'] as const;
/** Corpus pairs with moves, images, SVG/JS/LaTeX, ANSI errors, remote images and ~100 cells. */
const PAIRS = ['llms-ch04-move-with-new-id', 'llms-ch05-pure-move-same-id', 'pdsh-05.02-erratum-one-png', 'ipython-rich-output-svg-js-latex',
  'llms-ch02-ansi-error-removed', 'hml2-16-nlp-102-cells-inserted', 'hml2-18-rl-moved-cells-html-dropped'];

function summaryOf(base: string, head: string): DiffSummary {
  const r = cli(['diff', base, head, '--json']);
  expect(r.status, r.stderr).not.toBe(2);
  return (JSON.parse(r.stdout) as { summary: DiffSummary }).summary;
}

function report(base: string, head: string, name: string): string {
  const file = join(out, `${name}.html`);
  const r = cli(['diff', base, head, '--html', file]);
  expect(r.status, r.stderr).not.toBe(2);
  return pathToFileURL(file).href;
}

async function expectCounts(page: Page, s: DiffSummary): Promise<void> {
  const c = await countCells(page);
  expect({ added: c.added, removed: c.removed, modified: c.modified, moved: c.moved })
    .toEqual({ added: s.added, removed: s.removed, modified: s.modified, moved: s.moved });
}

async function setView(page: Page, view: 'split' | 'unified'): Promise<void> {
  await page.click(`[data-testid="view-${view}"]`);
  await page.waitForSelector(view === 'split' ? '.cw-row' : '.cw-cell', { state: 'attached' }).catch(() => undefined);
}

/** Scrolls down the whole page so lazily rendered cells render. */
async function scrollThrough(page: Page): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const done = await page.evaluate(`(() => { window.scrollBy(0, window.innerHeight); return window.scrollY + window.innerHeight >= document.body.scrollHeight - 2; })()`);
    await page.waitForTimeout(30);
    if (done) break;
  }
}

/** Scrolls each row still waiting to render (`.cw-lazy`) into view until none is left; robust to a busy page. */
async function renderEveryRow(page: Page): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const left = await page.evaluate(`(() => { const row = document.querySelector('.cw-lazy'); row?.scrollIntoView(); return row !== null; })()`);
    if (!left) return;
    await page.waitForTimeout(50);
  }
  throw new Error('rows were still waiting to render after 1000 scrolls');
}

describe.skipIf(!available)('the viewer in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    viewerBuilt();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the bundled example from file://: counts, both views, hide unchanged, image swipe, screenshot', async () => {
    const summary = summaryOf(...EXAMPLE);
    const w = await watchedPage(browser, undefined, { width: 1360, height: 900 });
    await w.page.goto(report(...EXAMPLE, 'example'));
    await waitReady(w.page);
    await expectCounts(w.page, summary);
    // Unchanged cells are collapsed into bars by default; expanding them shows every one.
    expect(await w.page.locator('[data-testid="collapsed"]').count()).toBeGreaterThan(0);
    await w.page.uncheck('[data-testid="hide-unchanged"]');
    expect((await countCells(w.page)).unchanged).toBe(summary.unchanged);
    await w.page.check('[data-testid="hide-unchanged"]');
    // Hidden again: only moved unchanged cells (a move is a change) stay.
    expect((await countCells(w.page)).unchanged).toBe(await w.page.locator('[data-cell-status="unchanged"][data-moved]').count());

    // Side by side: the status is on the row, never repeated on its panes.
    expect(await w.page.locator('.cw-row').count()).toBe((await countCells(w.page)).all);
    expect(await w.page.locator('[data-cell-status] [data-cell-status]').count()).toBe(0);
    expect(await w.page.locator('[data-moved="false"]').count()).toBe(0);
    // `u` switches to unified and back; the counts stay.
    await w.page.keyboard.press('u');
    await w.page.waitForSelector('.cw-cell');
    expect(await w.page.locator('.cw-row').count()).toBe(0);
    await expectCounts(w.page, summary);
    await w.page.keyboard.press('u');
    await w.page.waitForSelector('.cw-row');
    // j/k walk the changes.
    await w.page.keyboard.press('j');
    await w.page.keyboard.press('j');
    expect(await w.page.locator('.cw-current').count()).toBe(1);
    // The stale-output hint from the library is on the cell.
    expect(await w.page.locator('[data-testid="stale"]').count()).toBe(summary.staleOutputs);

    // The changed plot: swipe and the changed-pixel percentage.
    const compare = w.page.locator('[data-testid="image-compare"]').first();
    await compare.scrollIntoViewIfNeeded();
    await expect.poll(() => compare.locator('[data-testid="image-stats"]').textContent()).toMatch(/\d(\.\d+)?% pixels changed/);
    await compare.getByRole('button', { name: 'Swipe' }).click();
    const top = compare.locator('[data-testid="image-top"]');
    const slider = compare.locator('[data-testid="image-slider"]');
    await slider.fill('20');
    expect(await top.getAttribute('style')).toContain('clip-path: inset(0px 80% 0px 0px)');
    await compare.getByRole('button', { name: 'Diff mask' }).click();
    expect(await compare.locator('img[alt="changed pixels in red"]').count()).toBe(1);
    await compare.getByRole('button', { name: 'Swipe' }).click();
    await compare.locator('[data-testid="image-slider"]').fill('50');

    // The screenshot in the README (written there with UPDATE_SCREENSHOT=1).
    await w.page.evaluate('window.scrollTo(0, 0)');
    const shot = process.env.UPDATE_SCREENSHOT === '1' ? join(ROOT, 'docs/viewer.png') : join(out, 'viewer.png');
    await w.page.screenshot({ path: shot });
    expect(w.blocked).toEqual([]);
    expect(w.errors).toEqual([]);
    await w.context.close();
  });

  it.skipIf(!corpusExists() && !process.env.CI)('corpus pairs: the page counts added, removed, modified and moved cells as the diff JSON does', async () => {
    for (const pair of PAIRS) {
      const base = join(CORPUS, 'pairs', pair, 'base.ipynb');
      const head = join(CORPUS, 'pairs', pair, 'head.ipynb');
      const summary = summaryOf(base, head);
      const w = await watchedPage(browser);
      await w.page.goto(report(base, head, pair));
      await waitRendered(w.page);
      await expectCounts(w.page, summary);
      await setView(w.page, 'unified');
      await expectCounts(w.page, summary);
      await w.page.uncheck('[data-testid="hide-unchanged"]');
      expect((await countCells(w.page)).unchanged, pair).toBe(summary.unchanged);
      if (pair === 'ipython-rich-output-svg-js-latex') {
        // KaTeX is kept in the page as inert text and run when math first shows, under the page's policy.
        await renderEveryRow(w.page);
        await expect.poll(() => w.page.locator('.cw-rendered math').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      }
      expect(w.blocked, pair).toEqual([]);
      expect(w.errors, pair).toEqual([]);
      await w.context.close();
    }
    // Seven pairs, each opened, counted in both views and expanded: about 35 s alone, near a minute when the
    // machine is busy, which the default per-test limit does not allow for.
  }, 180_000);

  it.skipIf(!corpusExists() && !process.env.CI)('a report with remote images in its markdown requests nothing beyond file:, data: and blob:', async () => {
    const pair = join(CORPUS, 'pairs', 'llms-ch05-pure-move-same-id');
    const url = report(join(pair, 'base.ipynb'), join(pair, 'head.ipynb'), 'remote-images');
    const w = await watchedPage(browser);
    await w.page.goto(url);
    await waitReady(w.page);
    await w.page.uncheck('[data-testid="hide-unchanged"]');
    await scrollThrough(w.page);
    const placeholders = w.page.locator('.cw-remote-image[data-remote-host="sebastianraschka.com"]');
    expect(await placeholders.count()).toBeGreaterThan(0);
    expect(w.blocked).toEqual([]);
    // The one switch turns them on: the page reloads under a policy that allows them. A click, not check():
    // the box itself stays as it was until the new page draws it, and check() failed when it looked first.
    await Promise.all([w.page.waitForURL(/remote-images=1/), w.page.click('[data-testid="remote-images"]')]);
    await waitReady(w.page);
    await w.page.uncheck('[data-testid="hide-unchanged"]');
    await expect.poll(() => w.blocked.some((u) => u.includes('sebastianraschka.com')), { timeout: 10_000 }).toBe(true);
    await w.context.close();
  });

  it('the report brings its code colored for both schemes, and the page shows it as it would color it itself', async () => {
    const url = report(...EXAMPLE, 'precolored');
    const file = fileURLToPath(url);
    const html = readFileSync(file, 'utf8');
    const element = /(<script type="application\/json" id="cellwise-review">)([\s\S]*?)(<\/script>)/;
    const review = JSON.parse(element.exec(html)![2]!) as ReviewPayload;
    for (const scheme of ['light', 'dark'] as const) expect(Object.keys(review.colors?.[scheme]?.texts ?? {}).length, scheme).toBeGreaterThan(0);
    // The same report without the tables: the page colors the code itself.
    const plainFile = join(out, 'colored-here.html');
    writeFileSync(plainFile, html.replace(element, (_, open: string, _json, close: string) => open + embeddableJson({ ...review, colors: undefined }) + close));
    for (const colorScheme of ['light', 'dark'] as const) {
      const code: string[][] = [];
      for (const page of [url, pathToFileURL(plainFile).href]) {
        const w = await watchedPage(browser);
        await w.page.emulateMedia({ colorScheme });
        await w.page.goto(page);
        await waitRendered(w.page);
        code.push(await w.page.$$eval('.cw-source', (els) => els.map((e) => e.innerHTML)));
        expect(w.errors).toEqual([]);
        await w.context.close();
      }
      expect(code[0]!.join('').match(/style="color/g)!.length, colorScheme).toBeGreaterThan(10);
      expect(code[0], colorScheme).toEqual(code[1]);
    }
  });

  it.skipIf(!corpusExists() && !process.env.CI)('the report of a 100-cell pair opens and renders quickly (target: under a second; measured and printed)', async () => {
    const pair = join(CORPUS, 'pairs', 'hml2-16-nlp-102-cells-inserted');
    const url = report(join(pair, 'base.ipynb'), join(pair, 'head.ipynb'), 'hundred');
    const summary = summaryOf(join(pair, 'base.ipynb'), join(pair, 'head.ipynb'));
    const times: number[] = [];
    // Best of three: the first load also pays for starting the renderer process.
    for (let i = 0; i < 3; i++) {
      const w = await watchedPage(browser);
      await w.page.goto(url);
      await waitRendered(w.page);
      // Rendered: every changed cell in the page, its code colored (web/src/progress.ts).
      expect((await countCells(w.page)).all).toBe(summary.added + summary.removed + summary.modified);
      expect(await w.page.locator('.cw-code span[style]').count()).toBeGreaterThan(100);
      times.push(Number(await w.page.evaluate(`performance.getEntriesByName('cellwise-rendered')[0].startTime`)));
      expect(w.errors).toEqual([]);
      await w.context.close();
    }
    const best = Math.min(...times);
    console.log(`100-cell report: rendered ${times.map((t) => t.toFixed(0)).join(', ')} ms after navigation start (best ${best.toFixed(0)} ms)`);
    // Timings belong to benchmarks (npm run bench measures this page without Playwright's instrumentation,
    // which adds to it): the figure is printed; the assertion only catches a page that got several times slower.
    expect(best).toBeLessThan(Number(process.env.CELLWISE_RENDER_BUDGET_MS ?? 4000));
  });

  describe('a malicious notebook runs no script and makes no request', () => {
    const evil = writeMaliciousPair();

    async function exercise(w: Watch): Promise<void> {
      await waitReady(w.page);
      for (const view of ['split', 'unified'] as const) {
        await setView(w.page, view);
        await w.page.uncheck('[data-testid="hide-unchanged"]');
        // Open every source view and every details element, hover and click what a reader would.
        for (const b of await w.page.locator('.cw-link-button').all()) await b.click();
        for (const b of await w.page.locator('.cw-link-button').all()) await b.click();
        await w.page.evaluate(`document.querySelectorAll('details').forEach((d) => { d.open = true; })`);
        for (const a of await w.page.locator('.cw-rendered a:not([href])').all()) await a.click({ force: true }).catch(() => undefined);
        for (const el of (await w.page.locator('.cw-rendered div').all()).slice(0, 20)) await el.hover({ force: true }).catch(() => undefined);
        await scrollThrough(w.page);
        await w.page.waitForTimeout(300);
        expect(await w.page.evaluate('window.__pwned ?? null'), view).toBeNull();
        expect(w.blocked, view).toEqual([]);
        expect(w.dialogs, view).toEqual([]);
        // (CSP violations are not asserted: DOMPurify's inert parse of the markup reports some, harmlessly.)
        const dangerous = await w.page.evaluate(`(() => {
          const found = [];
          for (const el of document.querySelectorAll('#root *')) {
            for (const a of el.attributes) {
              if (/^on/i.test(a.name)) found.push(el.tagName + ' ' + a.name);
              if (/^\\s*javascript:/i.test(a.value)) found.push(el.tagName + ' ' + a.name + '=' + a.value);
            }
            if (/^(SCRIPT|IFRAME|OBJECT|EMBED|FORM|STYLE|LINK|META|BASE|FOREIGNOBJECT|IMAGE)$/i.test(el.tagName)) found.push(el.tagName);
          }
          return found;
        })()`);
        expect(dangerous, view).toEqual([]);
        // The break-out text is shown as text, where it was written.
        expect(await w.page.locator('text=/<\\/script><script>/').count(), view).toBeGreaterThan(0);
      }
      expect(w.errors).toEqual([]);
    }

    it('in the --html report (file://)', async () => {
      const w = await watchedPage(browser);
      await w.page.goto(report(evil.base, evil.head, 'evil'));
      await exercise(w);
      // The remote images are placeholders naming their host.
      expect(await w.page.locator('.cw-remote-image[data-remote-host="evil.test"]').count()).toBeGreaterThan(0);
      await w.context.close();
    });

    it('in the viewer served by cellwise web', async () => {
      const server = await startWeb([evil.base, evil.head]);
      try {
        const w = await watchedPage(browser, server.url);
        const response = await w.page.goto(server.url);
        expect(response?.headers()['content-security-policy']).toMatch(/default-src 'none'/);
        await exercise(w);
        await w.context.close();
      } finally {
        expect(await server.stop()).toBe(0);
      }
    });
  });

  it('cellwise web serves the example on 127.0.0.1 with the same counts, and stops on Ctrl-C', async () => {
    const summary = summaryOf(...EXAMPLE);
    const server = await startWeb([...EXAMPLE]);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const w = await watchedPage(browser, server.url);
      await w.page.goto(server.url);
      await waitReady(w.page);
      await expectCounts(w.page, summary);
      await setView(w.page, 'unified');
      await expectCounts(w.page, summary);
      expect(w.blocked).toEqual([]);
      await w.context.close();
      // The review comes with its code colored (by the server, while the browser started).
      const served = await (await fetch(new URL('review.json', server.url))).json() as ReviewPayload;
      expect(Object.keys(served.colors?.light?.texts ?? {}).length).toBeGreaterThan(0);
      expect(Object.keys(served.colors?.dark?.texts ?? {}).length).toBeGreaterThan(0);
      // Requests naming another host (DNS rebinding) are refused.
      const wrongHost = await new Promise<number | undefined>((resolve, reject) => {
        request(server.url, { headers: { host: 'evil.test' } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        }).on('error', reject).end();
      });
      expect(wrongHost).toBe(421);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});

mkdirSync(out, { recursive: true });
