/**
 * Debian's Chromium driven by playwright-core. Without it the end-to-end tests are skipped on a developer's
 * machine, but fail in CI (CI=true): `scripts/setup-browser.sh` installs it there.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT } from '../cli/run.js';

export const CHROMIUM = process.env.CELLWISE_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

export function browserAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: run scripts/setup-browser.sh (end-to-end tests are never skipped in CI)`);
  return false;
}

/** The viewer build the CLI embeds reviews into; the tests use what `npm run build` made. */
export function viewerBuilt(): void {
  if (!existsSync(join(ROOT, 'dist/web/index.html'))) throw new Error('dist/web/index.html is missing: run `npx vite build --config web/vite.config.ts`');
}

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}

/** What a page did that it must not: requests beyond the allowed origins, scripts from the notebook. */
export interface Watch {
  page: Page;
  context: BrowserContext;
  blocked: string[];
  errors: string[];
  dialogs: string[];
}

/**
 * A page that may load only file:, data:, blob: and `allowedOrigin`; anything else is recorded and aborted.
 * CSP violations are recorded too (`window.__cspViolations`), to show the sanitizer held without the CSP.
 */
export async function watchedPage(browser: Browser, allowedOrigin?: string, viewport = { width: 1280, height: 900 }): Promise<Watch> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const watch: Watch = { page, context, blocked: [], errors: [], dialogs: [] };
  const allowed = (url: string): boolean => /^(file|data|blob):/.test(url) || (allowedOrigin !== undefined && url.startsWith(allowedOrigin));
  page.on('request', (r) => {
    if (!allowed(r.url())) watch.blocked.push(r.url());
  });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (allowed(url)) await route.continue();
    else await route.abort('blockedbyclient');
  });
  page.on('pageerror', (e) => watch.errors.push(e.message));
  page.on('dialog', (d) => {
    watch.dialogs.push(d.message());
    void d.dismiss();
  });
  // Strings, not functions: this file is type-checked for Node, without the DOM's types.
  await context.addInitScript({ content: `
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
  ` });
  return watch;
}

/** Counts of `data-cell-status` values and of `data-moved` in the page. */
export async function countCells(page: Page): Promise<Record<string, number>> {
  return page.evaluate(`(() => {
    const n = (s) => document.querySelectorAll(s).length;
    return {
      added: n('[data-cell-status="added"]'), removed: n('[data-cell-status="removed"]'), modified: n('[data-cell-status="modified"]'),
      unchanged: n('[data-cell-status="unchanged"]'), moved: n('[data-moved]'), all: n('[data-cell-status]'),
    };
  })()`);
}

export async function waitReady(page: Page): Promise<void> {
  await page.waitForSelector('[data-review-ready]', { timeout: 30_000 });
}

/** Until the page has nothing left to do: code colored, math typeset (web/src/progress.ts). */
export async function waitRendered(page: Page): Promise<void> {
  await page.waitForSelector('[data-review-rendered]', { state: 'attached', timeout: 30_000 });
}

/** `cellwise web … --no-open --port 0`, started and read until it prints its URL. */
export async function startWeb(args: string[]): Promise<{ url: string; child: ChildProcess; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/cellwise.js'), 'web', '--no-open', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cellwise web printed no URL: ${out} ${err}`)), 30_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.on('exit', (code) => reject(new Error(`cellwise web exited (${code}): ${err}`)));
  });
  const stop = (): Promise<number | null> => new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGINT');
  });
  return { url, child, stop };
}

/** Runs the real CLI synchronously (for --json and --html). */
export function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/cellwise.js'), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
