/**
 * The review viewer in a real browser: how long the `--html` report of a 100-cell pair takes to open and
 * render in headless Chromium (target: under a second), and how big the page is.
 *
 *   node dist/bench/viewer.js [--runs N] [--json] [--corpus <pairs dir>]   (after `npm run build`)
 *
 * Rendered means what web/src/progress.ts marks `cellwise-rendered`: every changed cell in the DOM, its
 * code colored and its math typeset, timed from navigation start. Each run is a fresh browser context on a
 * file:// URL, as a reader opens the report (so it includes the browser starting a renderer process and
 * handing it the file: 200-700 ms before the page's first task here, depending on load); the figure is the
 * best of the runs (the median is printed too). Three more runs, traced, give the main thread's CPU time up
 * to that point (thread time of its tasks), which a busy machine inflates much less than the wall time.
 *
 * Chromium is driven over --remote-debugging-pipe with no DevTools domain enabled. Playwright enables the
 * Runtime domain on every page, and with it Chromium records a detailed stack for each Error created; React
 * creates five at start-up, and positions for their frames mean re-parsing the whole script: 150-250 ms
 * that a reader's browser never spends (the browser test, which uses Playwright, includes it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { median } from './common.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/cellwise.js');
const PAGE = join(ROOT, 'dist/web/index.html');
const CHROMIUM = process.env.CELLWISE_CHROMIUM ?? '/usr/bin/chromium';
const PAIR = 'hml2-16-nlp-102-cells-inserted';
const TARGET_MS = 1000;
const TIMEOUT_MS = 30_000;
/** Runs with a trace, for the main thread's CPU time, after the timed ones. */
const TRACED_RUNS = 3;

export interface ViewerBench {
  pair: string;
  runs: number;
  /** Milliseconds from navigation start, per run. */
  rendered: number[];
  ready: number[];
  /** Main-thread CPU time from navigation start to rendered, per traced run. */
  cpu: number[];
  bestMs: number;
  medianMs: number;
  cpuMedianMs: number;
  /** Changed cells in the page when rendered, and colored pieces of code. */
  cells: number;
  coloredSpans: number;
  size: PageSize;
  /** 1-minute load average before and after. */
  load: [number, number];
}

export interface PageSize {
  /** The built viewer (dist/web/index.html), bytes. */
  raw: number;
  gzip: number;
  /** The script parsed and run on load. */
  script: number;
  /** Chunks kept as inert text until needed, by name. */
  inert: Record<string, number>;
  /** The 100-cell report (viewer plus review). */
  report: number;
}

export function pageSize(html: string): Omit<PageSize, 'report'> {
  const script = /<script type="module">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  const inert: Record<string, number> = {};
  for (const m of html.matchAll(/<script type="text\/plain" data-cellwise-chunk="([^"]+)">([\s\S]*?)<\/script>/g)) inert[m[1]!] = Buffer.byteLength(m[2]!);
  return { raw: Buffer.byteLength(html), gzip: gzipSync(html).length, script: Buffer.byteLength(script), inert };
}

// ─── Chromium over a pipe ───────────────────────────────────────────────────────────────────────────────

interface Message {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
  sessionId?: string;
}

class Browser {
  private next = 0;
  private readonly waiting = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<(m: Message) => void>();
  private buffer = '';

  private constructor(private readonly child: ChildProcess, private readonly profile: string) {
    const out = child.stdio[4] as Readable;
    out.setEncoding('utf8');
    out.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end: number;
      while ((end = this.buffer.indexOf('\0')) >= 0) {
        const message = JSON.parse(this.buffer.slice(0, end)) as Message;
        this.buffer = this.buffer.slice(end + 1);
        if (message.id !== undefined) {
          const w = this.waiting.get(message.id);
          this.waiting.delete(message.id);
          if (message.error) w?.reject(new Error(message.error.message));
          else w?.resolve(message);
        } else for (const l of this.listeners) l(message);
      }
    });
  }

  static launch(): Browser {
    const profile = mkdtempSync(join(tmpdir(), 'cellwise-bench-chromium-'));
    // A report a reader opens is the foreground tab: without the --disable-*backgrounding flags (which
    // Playwright passes too) Chromium treats headless pages as background ones and lowers their priority.
    const child = spawn(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-renderer-backgrounding',
      '--disable-background-timer-throttling', '--disable-backgrounding-occluded-windows', `--user-data-dir=${profile}`,
      '--remote-debugging-pipe', 'about:blank'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
    return new Browser(child, profile);
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = ++this.next;
    return within(new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: (m) => resolve(m.result ?? {}), reject });
      (this.child.stdio[3] as Writable).write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    }), method);
  }

  on(listener: (m: Message) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    const exited = new Promise((r) => (this.child.exitCode !== null ? r(null) : this.child.once('exit', r)));
    await this.send('Browser.close').catch(() => undefined);
    await within(exited, 'Chromium to exit').catch(() => this.child.kill('SIGKILL'));
    rmSync(this.profile, { recursive: true, force: true });
  }
}

/** The promise, or an error naming what did not happen within the time limit. */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS / 1000} s: ${what}`)), TIMEOUT_MS);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/**
 * Thread time of the renderer main thread's tasks from navigation start to the rendered mark, which the page
 * put `renderedMs` after navigation start (the trace has no navigation start of its own here).
 */
function mainThreadCpu(events: TraceEvent[], renderedMs: number): number | null {
  const rendered = events.find((e) => e.name === 'cellwise-rendered');
  if (!rendered) return null;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === rendered.pid && e.args?.name === 'CrRendererMain');
  if (!main) return null;
  const start = rendered.ts - renderedMs * 1000;
  let cpu = 0;
  for (const e of events) {
    if (e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask' || !e.dur) continue;
    const overlap = Math.min(e.ts + e.dur, rendered.ts) - Math.max(e.ts, start);
    if (overlap > 0) cpu += (e.tdur ?? e.dur) * (overlap / e.dur);
  }
  return cpu / 1000;
}

interface Run {
  ready: number;
  rendered: number;
  cells: number;
  colored: number;
  cpu: number | null;
}

async function openReport(browser: Browser, url: string, trace: boolean): Promise<Run> {
  const { browserContextId } = await browser.send('Target.createBrowserContext');
  const { targetId } = await browser.send('Target.createTarget', { url: 'about:blank', browserContextId });
  const { sessionId } = await browser.send('Target.attachToTarget', { targetId, flatten: true }) as { sessionId: string };
  const events: TraceEvent[] = [];
  let traced!: () => void;
  const complete = new Promise<void>((r) => (traced = r));
  const off = browser.on((m) => {
    if (m.sessionId !== sessionId) return;
    if (m.method === 'Tracing.dataCollected') events.push(...(m.params!.value as TraceEvent[]));
    else if (m.method === 'Tracing.tracingComplete') traced();
  });
  try {
    // Only task boundaries and the page's marks, and still not free: Chromium then records every task of
    // every process, which added 200-300 ms here. So the times come from runs without it.
    if (trace) await browser.send('Tracing.start', { categories: 'toplevel,blink.user_timing', transferMode: 'ReportEvents' }, sessionId);
    // The viewport the browser test uses. (--window-size instead made the page slower: the headless
    // screen is 800×600, and a window larger than it rendered 150-250 ms later.)
    await browser.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
    await browser.send('Page.navigate', { url }, sessionId);
    const deadline = Date.now() + TIMEOUT_MS;
    let value: string | undefined;
    while (!value) {
      if (Date.now() > deadline) throw new Error(`the report did not render within ${TIMEOUT_MS / 1000} s`);
      await new Promise((r) => setTimeout(r, 50));
      const out = await browser.send('Runtime.evaluate', {
        returnByValue: true,
        expression: `(() => {
          if (!document.documentElement.hasAttribute('data-review-rendered')) return '';
          const at = (n) => performance.getEntriesByName(n)[0]?.startTime ?? -1;
          return JSON.stringify({ ready: at('cellwise-ready'), rendered: at('cellwise-rendered'),
            cells: document.querySelectorAll('[data-cell-status]').length, colored: document.querySelectorAll('.cw-code span[style]').length });
        })()`,
      }, sessionId) as { result?: { value?: string } };
      value = out.result?.value;
    }
    const run = JSON.parse(value) as Omit<Run, 'cpu'>;
    if (!trace) return { ...run, cpu: null };
    await browser.send('Tracing.end', {}, sessionId);
    await within(complete, 'the trace');
    return { ...run, cpu: mainThreadCpu(events, run.rendered) };
  } finally {
    off();
    await browser.send('Target.closeTarget', { targetId }).catch(() => undefined);
    await browser.send('Target.disposeBrowserContext', { browserContextId }).catch(() => undefined);
  }
}

/** Writes the 100-cell report and opens it `runs` times (after one run to start the renderer). */
export async function benchViewer(options: { runs?: number; corpus?: string } = {}): Promise<ViewerBench> {
  const runs = options.runs ?? 7;
  const pairDir = join(options.corpus ?? resolve(ROOT, '../shared/corpus/pairs'), PAIR);
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (scripts/setup-browser.sh installs it)`);
  if (!existsSync(PAGE)) throw new Error('dist/web/index.html is missing: run npm run build');
  if (!existsSync(join(pairDir, 'base.ipynb'))) throw new Error(`the corpus pair ${PAIR} is missing (looked in ${pairDir})`);
  const dir = mkdtempSync(join(tmpdir(), 'cellwise-bench-viewer-'));
  const load: [number, number] = [loadavg()[0]!, 0];
  try {
    const report = join(dir, 'report.html');
    const cli = spawnSync(process.execPath, [BIN, 'diff', join(pairDir, 'base.ipynb'), join(pairDir, 'head.ipynb'), '--html', report], { encoding: 'utf8' });
    if (cli.status !== 0 && cli.status !== 1) throw new Error(`cellwise diff --html failed: ${cli.stderr}`);
    const size = { ...pageSize(readFileSync(PAGE, 'utf8')), report: readFileSync(report).length };
    const browser = Browser.launch();
    const results: Run[] = [];
    const traced: Run[] = [];
    try {
      const url = pathToFileURL(report).href;
      await openReport(browser, url, false);
      for (let i = 0; i < runs + TRACED_RUNS; i++) {
        // Let the last run's renderer exit first: it would compete for the CPU.
        await new Promise((r) => setTimeout(r, 500));
        if (i < runs) results.push(await openReport(browser, url, false));
        else traced.push(await openReport(browser, url, true));
      }
    } finally {
      await browser.close();
    }
    load[1] = loadavg()[0]!;
    const rendered = results.map((r) => Math.round(r.rendered));
    const cpu = traced.flatMap((r) => (r.cpu === null ? [] : [Math.round(r.cpu)]));
    return {
      pair: PAIR, runs, rendered, ready: results.map((r) => Math.round(r.ready)), cpu,
      bestMs: Math.min(...rendered), medianMs: median(rendered), cpuMedianMs: cpu.length ? median(cpu) : NaN,
      cells: results[0]!.cells, coloredSpans: results[0]!.colored, size, load,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const kB = (bytes: number): string => `${Math.round(bytes / 1000)} kB`;

export function formatViewerBench(b: ViewerBench): string {
  const status = b.bestMs < TARGET_MS ? 'PASS' : 'FAIL';
  const busy = Math.max(...b.load) > 0.5 * availableParallelism();
  const inert = Object.entries(b.size.inert).map(([name, bytes]) => `${name} ${kB(bytes)}`).join(', ') || 'none';
  return [
    `viewer: the --html report of a 100-cell pair (${b.pair}, ${b.cells} changed cells) in headless Chromium, from file://:`,
    `  ${status}  rendered < ${TARGET_MS} ms: best ${b.bestMs} ms, median ${b.medianMs} ms of ${b.runs} runs (${b.rendered.join(', ')});`
      + ` first commit best ${Math.min(...b.ready)} ms; main-thread CPU median ${b.cpuMedianMs} ms (${b.cpu.length} traced runs)`,
    `  page: ${kB(b.size.raw)} raw, ${kB(b.size.gzip)} gzip; script run on load ${kB(b.size.script)}, kept inert until needed: ${inert};`
      + ` the report itself ${kB(b.size.report)}`,
    `  load average ${b.load[0].toFixed(2)} before, ${b.load[1].toFixed(2)} after, on ${availableParallelism()} CPUs`
      + (busy ? ' — WARNING: the machine was busy, times are inflated (the CPU time much less so)' : ''),
  ].join('\n');
}

/** One block of text for `npm run bench` (bench/run.ts): the figures, or why there are none. */
export async function viewerBenchText(corpus?: string): Promise<string> {
  try {
    return formatViewerBench(await benchViewer(corpus ? { corpus } : {}));
  } catch (e) {
    return `viewer: not measured: ${e instanceof Error ? e.message : String(e)}`;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const value = (flag: string): string | undefined => {
    const at = args.indexOf(flag);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const corpus = value('--corpus');
  benchViewer({ runs: Number(value('--runs') ?? 7), ...(corpus ? { corpus: resolve(corpus) } : {}) }).then((b) => {
    process.stdout.write((args.includes('--json') ? JSON.stringify(b, null, 2) : formatViewerBench(b)) + '\n');
  }, (e: Error) => {
    process.stderr.write(`bench/viewer: ${e.message}\n`);
    process.exitCode = 2;
  });
}
