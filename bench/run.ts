/**
 * `npm run bench` (after `npm run build`): every corpus pair and every generated pair, each measured in its
 * own child process (case.js), plus the whole CLI as a user runs it; then the performance targets.
 *
 *   node --expose-gc dist/bench/run.js [--json] [--only <text>]… [--regenerate] [--corpus <dir>]
 *
 * Exit status: 0 all measured and every target met, 1 a target failed, 2 a case could not be measured.
 */
import { benchGitLog } from './git-log.js';
import { benchStale, formatStaleBench } from './stale.js';
import { viewerBenchText } from './viewer.js';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CASE_RESULT_TAG, median, RSS_PROBE_TAG, type CaseResult } from './common.js';
import { GENERATOR_VERSION, type Generation } from './generate.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CASE_JS = join(ROOT, 'dist/bench/case.js');
const PROBE_JS = join(ROOT, 'dist/bench/rss-probe.js');
const GENERATE_JS = join(ROOT, 'dist/bench/generate.js');
const BIN = join(ROOT, 'bin/cellwise.js');
const DEFAULT_CORPUS = resolve(ROOT, '../shared/corpus/pairs');

// Five, not three: on this VM the matplotlib pair's median of three was 0.47 s in one run and 0.67 s in the next.
const CLI_RUNS = 5;
/** Pairs above this many bytes (both files) get fewer repetitions: they are slow and their noise is small. */
const BIG_PAIR_BYTES = 10 * 1024 * 1024;
/**
 * Pairs up to this size get 15 repetitions after 3 warm-up runs: their library times are tens of ms, where
 * this VM's noise moved the 1,000-cell pair's median from 26 to 42 ms between runs of 5 (2.2× to 3.6× the
 * floor), while 15 interleaved repetitions gave 2.1–2.6× for the same code.
 */
const SMALL_PAIR_BYTES = 2 * 1024 * 1024;
const CASE_TIMEOUT_MS = 15 * 60 * 1000;

const TARGETS = {
  corpusCliSeconds: 0.5,
  bigPair: 'gen-50mb-200-png',
  bigCliSeconds: 2,
  bigPeakMB: 1024,
  floorRatio: 3,
  floorPairs: ['gen-1000-cells', 'gen-10000-cells', 'gen-50mb-200-png'],
  scaling: { from: 'gen-1000-cells', to: 'gen-10000-cells', maxRatio: 15 },
};

/** A mistake in how the bench was called: reported as a message, without a stack. */
class UsageError extends Error {}

interface Args {
  json: boolean;
  only: string[];
  regenerate: boolean;
  corpus: string;
}

interface CliRun {
  /** Median wall time of CLI_RUNS runs, seconds. */
  seconds: number;
  runs: number[];
  exitCode: number;
  /** Peak RSS of one more run with the probe loaded, MB. */
  peakRssMB: number | null;
}

interface Row {
  name: string;
  source: 'corpus' | 'generated';
  base: string;
  head: string;
  result?: CaseResult;
  cli?: CliRun;
  errors: string[];
}

interface Target {
  status: 'PASS' | 'FAIL';
  target: string;
  detail: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { json: false, only: [], regenerate: false, corpus: DEFAULT_CORPUS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--json') args.json = true;
    else if (a === '--only') args.only.push(value());
    else if (a === '--regenerate') args.regenerate = true;
    else if (a === '--corpus') args.corpus = resolve(value());
    else throw new UsageError(`unknown argument ${a} (known: --json, --only <text>, --regenerate, --corpus <dir>)`);
  }
  return args;
}

function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${text}`);
  else process.stderr.write(`${text}\n`);
}

function endProgress(): void {
  if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
}

/** The compiled files run here; a stale dist/ would measure old code without saying so. */
function staleBuildWarnings(): string[] {
  const stale: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const js = join(ROOT, 'dist', relative(ROOT, p)).replace(/\.ts$/, '.js');
        if (!existsSync(js) || statSync(js).mtimeMs < statSync(p).mtimeMs) stale.push(relative(ROOT, p));
      }
    }
  };
  for (const d of ['lib', 'cli', 'bench']) walk(join(ROOT, d));
  return stale;
}

function corpusRows(dir: string): Row[] {
  if (!existsSync(dir)) throw new UsageError(`corpus folder not found: ${dir} (use --corpus <dir>)`);
  const rows: Row[] = [];
  for (const name of readdirSync(dir).sort()) {
    const base = join(dir, name, 'base.ipynb');
    const head = join(dir, name, 'head.ipynb');
    if (!existsSync(base) || !existsSync(head)) continue;
    rows.push({ name, source: 'corpus', base, head, errors: [] });
  }
  if (rows.length === 0) throw new UsageError(`no pairs (*/base.ipynb + */head.ipynb) in ${dir}`);
  return rows;
}

function runCase(row: Row): void {
  const bytes = statSync(row.base).size + statSync(row.head).size;
  const [reps, warmup] = bytes > BIG_PAIR_BYTES ? [3, 1] : bytes > SMALL_PAIR_BYTES ? [5, 2] : [15, 3];
  const child = spawnSync(process.execPath, ['--expose-gc', CASE_JS, row.base, row.head, '--reps', String(reps), '--warmup', String(warmup)], {
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: CASE_TIMEOUT_MS,
  });
  const line = child.stdout?.split('\n').find((l) => l.startsWith(`${CASE_RESULT_TAG} `));
  const parsed = line ? (JSON.parse(line.slice(CASE_RESULT_TAG.length + 1)) as Partial<CaseResult>) : null;
  if (parsed && !parsed.error && child.status === 0) {
    row.result = parsed as CaseResult;
    return;
  }
  const why = parsed?.error
    ?? (child.error ? String(child.error) : child.signal ? `killed by ${child.signal}` : `exit status ${child.status}`);
  row.errors.push(`case: ${why}${child.stderr?.trim() ? `\n${child.stderr.trim()}` : ''}`);
}

function runCli(row: Row): void {
  const cwd = dirname(row.base); // away from any .cellwise.yml that would change the options
  const runs: number[] = [];
  let exitCode = -1;
  for (let i = 0; i < CLI_RUNS; i++) {
    const t = performance.now();
    const child = spawnSync(process.execPath, [BIN, 'diff', row.base, row.head], {
      cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: CASE_TIMEOUT_MS,
    });
    runs.push((performance.now() - t) / 1000);
    exitCode = child.status ?? -1;
    if (exitCode !== 0 && exitCode !== 1) {
      row.errors.push(`cli: ${child.error ?? (child.signal ? `killed by ${child.signal}` : `exit status ${exitCode}`)}: ${child.stderr?.trim() ?? ''}`);
      return;
    }
  }
  const probe = spawnSync(process.execPath, ['--import', pathToFileURL(PROBE_JS).href, BIN, 'diff', row.base, row.head], {
    cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', timeout: CASE_TIMEOUT_MS,
  });
  const rssLine = probe.stderr?.split('\n').find((l) => l.startsWith(`${RSS_PROBE_TAG} `));
  const peakRssMB = rssLine ? Number(rssLine.slice(RSS_PROBE_TAG.length + 1)) : null;
  if (peakRssMB === null) row.errors.push(`cli: the memory probe run reported nothing (exit ${probe.status}): ${probe.stderr?.trim()}`);
  row.cli = { seconds: median(runs), runs: runs.map((s) => Math.round(s * 10000) / 10000), exitCode, peakRssMB };
  // The CLI and the library must agree on whether the notebooks differ.
  if (row.result && (exitCode === 1) !== row.result.changed) {
    row.errors.push(`cli: exit status ${exitCode} but the library's diff says changed=${row.result.changed}`);
  }
}

/**
 * In a child, so that this process stays small: a fork copies the parent's page tables (time in every CLI
 * run measured after it), and Linux carries the parent's peak RSS into getrusage of its children.
 */
function generatePairs(force: boolean): Generation {
  const child = spawnSync(process.execPath, [GENERATE_JS, '--json', ...(force ? ['--force'] : [])], {
    encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0 || child.error) {
    throw new Error(`generating the pairs failed (${child.error ?? `exit status ${child.status}`})`);
  }
  return JSON.parse(child.stdout) as Generation;
}

/** What every CLI run pays before reading a file: Node itself, then loading the CLI's modules. */
function startupBaseline(): string {
  const time = (args: string[]) => {
    const runs: number[] = [];
    for (let i = 0; i < CLI_RUNS; i++) {
      const t = performance.now();
      const child = spawnSync(process.execPath, args, { stdio: 'ignore', timeout: 60_000 });
      runs.push((performance.now() - t) / 1000);
      if (child.status !== 0) return NaN;
    }
    return median(runs);
  };
  const node = time(['-e', '0']);
  const cli = time([BIN, '--version']);
  return `CLI startup: \`node -e 0\` ${node.toFixed(3)} s, \`cellwise --version\` ${Number.isNaN(cli) ? 'failed' : `${cli.toFixed(3)} s`} (medians of ${CLI_RUNS})`;
}

// ─── Table ──────────────────────────────────────────────────────────────────────────────────────────────

const mb = (bytes: number) => bytes / (1024 * 1024);
const fmtMB = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const fmtMs = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));

interface Column {
  title: string;
  left?: boolean;
  cell: (row: Row) => string | undefined;
}

const COLUMNS: Column[] = [
  { title: 'pair', left: true, cell: (r) => r.name },
  { title: 'MB base/head', cell: (r) => r.result && `${fmtMB(mb(r.result.bytes.base))}/${fmtMB(mb(r.result.bytes.head))}` },
  { title: 'cells b/h', cell: (r) => r.result && `${r.result.cells.base}/${r.result.cells.head}` },
  { title: 'JSON.parse', cell: (r) => r.result && fmtMs(r.result.jsonParse.median) },
  { title: 'parse', cell: (r) => r.result && fmtMs(r.result.parse.median) },
  { title: 'diff', cell: (r) => r.result && fmtMs(r.result.diff.median) },
  { title: 'render', cell: (r) => r.result && fmtMs(r.result.render.median) },
  { title: 'library', cell: (r) => r.result && fmtMs(r.result.library.median) },
  { title: 'lib/floor', cell: (r) => r.result && `${(r.result.library.median / r.result.jsonParse.median).toFixed(1)}x` },
  { title: 'cold', cell: (r) => r.result && fmtMs(r.result.coldLibrary) },
  { title: 'peak MB', cell: (r) => r.result && r.result.peakRssMB.toFixed(0) },
  { title: 'CLI s', cell: (r) => r.cli && r.cli.seconds.toFixed(3) },
  { title: 'CLI MB', cell: (r) => r.cli?.peakRssMB != null ? r.cli.peakRssMB.toFixed(0) : undefined },
  { title: 'add', cell: (r) => r.result && String(r.result.summary.added) },
  { title: 'rem', cell: (r) => r.result && String(r.result.summary.removed) },
  { title: 'mod', cell: (r) => r.result && String(r.result.summary.modified) },
  { title: 'mov', cell: (r) => r.result && String(r.result.summary.moved) },
  { title: 'img', cell: (r) => r.result && String(r.result.summary.imagesChanged) },
];

function table(rows: Row[]): string {
  const cells = rows.map((r) => COLUMNS.map((c) => c.cell(r) ?? (r.errors.length ? 'ERR' : '-')));
  const widths = COLUMNS.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: string[]) =>
    values.map((v, i) => (COLUMNS[i]!.left ? v.padEnd(widths[i]!) : v.padStart(widths[i]!))).join('  ').trimEnd();
  const out = [line(COLUMNS.map((c) => c.title)), line(widths.map((w) => '-'.repeat(w)))];
  rows.forEach((r, i) => {
    if (i > 0 && r.source !== rows[i - 1]!.source) out.push('');
    out.push(line(cells[i]!));
    for (const e of r.errors) out.push(`  ERROR ${e.split('\n')[0]}`);
  });
  return out.join('\n');
}

// ─── Targets ────────────────────────────────────────────────────────────────────────────────────────────

function targets(rows: Row[]): Target[] {
  const out: Target[] = [];
  const check = (ok: boolean, target: string, detail: string) => out.push({ status: ok ? 'PASS' : 'FAIL', target, detail });
  const byName = (name: string) => rows.find((r) => r.name === name);

  const corpus = rows.filter((r) => r.source === 'corpus');
  if (corpus.length) {
    const slow = corpus.filter((r) => !r.cli || r.cli.seconds >= TARGETS.corpusCliSeconds);
    const slowest = corpus.filter((r) => r.cli).sort((a, b) => b.cli!.seconds - a.cli!.seconds)[0];
    check(slow.length === 0, `every corpus pair: CLI run < ${TARGETS.corpusCliSeconds} s`,
      (slow.length ? `over or unmeasured: ${slow.map((r) => `${r.name} ${r.cli ? `${r.cli.seconds.toFixed(3)} s` : 'error'}`).join(', ')}; ` : '')
      + (slowest ? `slowest ${slowest.name} ${slowest.cli!.seconds.toFixed(3)} s` : ''));
  }

  const big = byName(TARGETS.bigPair);
  if (big) {
    check(!!big.cli && big.cli.seconds < TARGETS.bigCliSeconds, `${big.name}: CLI run < ${TARGETS.bigCliSeconds} s`,
      big.cli ? `${big.cli.seconds.toFixed(3)} s (runs ${big.cli.runs.map((s) => s.toFixed(2)).join(', ')})` : 'not measured');
    const peak = big.cli?.peakRssMB;
    check(peak != null && peak < TARGETS.bigPeakMB, `${big.name}: CLI peak memory < 1 GB`,
      `CLI ${peak != null ? `${peak.toFixed(0)} MB` : 'not measured'}; library case process ${big.result ? `${big.result.peakRssMB.toFixed(0)} MB` : 'not measured'}`);
  }

  for (const name of TARGETS.floorPairs) {
    const r = byName(name);
    if (!r) continue;
    const ratio = r.result ? r.result.library.median / r.result.jsonParse.median : NaN;
    check(ratio <= TARGETS.floorRatio, `${name}: library time <= ${TARGETS.floorRatio}x JSON.parse floor`,
      r.result ? `${ratio.toFixed(2)}x (library ${fmtMs(r.result.library.median)} ms = parse ${fmtMs(r.result.parse.median)} + diff ${fmtMs(r.result.diff.median)}; JSON.parse ${fmtMs(r.result.jsonParse.median)} ms; the cold first run ${fmtMs(r.result.coldLibrary)} ms = ${(r.result.coldLibrary / r.result.jsonParse.median).toFixed(2)}x)` : 'not measured');
  }

  const { from, to, maxRatio } = TARGETS.scaling;
  const a = byName(from), b = byName(to);
  if (a && b) {
    const ratio = a.result && b.result ? b.result.library.median / a.result.library.median : NaN;
    check(ratio <= maxRatio, `10x more cells (${from} -> ${to}): library time <= ${maxRatio}x`,
      a.result && b.result ? `${ratio.toFixed(1)}x (${fmtMs(a.result.library.median)} -> ${fmtMs(b.result.library.median)} ms; diff alone ${(b.result.diff.median / a.result.diff.median).toFixed(1)}x)` : 'not measured');
  }
  return out;
}

// ─── Main ───────────────────────────────────────────────────────────────────────────────────────────────

function describeGeneration(g: Generation): string {
  if (g.generated.length) {
    return `generated ${g.generated.length} of ${g.pairs.length} pairs in ${g.seconds.toFixed(1)} s (generator v${GENERATOR_VERSION}) in ${g.dir}`;
  }
  const first = g.pairs.reduce((s, p) => s + p.seconds, 0);
  return `reused ${g.pairs.length} generated pairs (generator v${GENERATOR_VERSION}) from ${g.dir}; generating them took ${first.toFixed(1)} s`;
}

/**
 * Timings are only as good as the machine is quiet: say how busy it was. The bench itself keeps about one
 * CPU busy, so a 1-minute load average well above 1 means other processes competed for the CPUs.
 */
function describeLoad(before: number, max: number): string {
  const cpus = availableParallelism();
  const busy = before > 0.5 || max > 1.5;
  return `load average ${before.toFixed(2)} before, at most ${max.toFixed(2)} during the run, on ${cpus} CPUs`
    + (busy ? ' — WARNING: other processes were running, timings are inflated; rerun on a quiet machine' : '');
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const notes: string[] = [];
  const stale = staleBuildWarnings();
  if (stale.length) notes.push(`WARNING: dist/ is older than ${stale.length} source file(s) (e.g. ${stale.slice(0, 3).join(', ')}): run npm run build first`);
  if (!(globalThis as { gc?: unknown }).gc) notes.push('note: run.js itself runs without --expose-gc; the cases always get it');
  for (const n of notes) process.stderr.write(`${n}\n`);

  progress('generating pairs…');
  const generation = generatePairs(args.regenerate);
  endProgress();
  process.stderr.write(`${describeGeneration(generation)}\n`);

  const rows: Row[] = [
    ...corpusRows(args.corpus),
    ...generation.pairs.map((p): Row => ({ name: p.name, source: 'generated', base: p.base, head: p.head, errors: [] })),
  ].filter((r, _, all) => args.only.length === 0 || args.only.some((o) =>
    // An exact name selects that pair alone (gen-100-cells is a prefix of gen-1000-cells); other text, every pair containing it.
    all.some((x) => x.name === o) ? r.name === o : r.name.includes(o)));
  if (rows.length === 0) throw new UsageError(`no pair matches --only ${args.only.join(', ')}`);

  const loadBefore = loadavg()[0]!;
  let loadMax = loadBefore;
  const started = performance.now();
  const startup = startupBaseline();
  rows.forEach((row, i) => {
    progress(`[${i + 1}/${rows.length}] ${row.name}: library…`);
    runCase(row);
    progress(`[${i + 1}/${rows.length}] ${row.name}: CLI…`);
    runCli(row);
    loadMax = Math.max(loadMax, loadavg()[0]!);
  });
  endProgress();
  const seconds = (performance.now() - started) / 1000;
  const load = describeLoad(loadBefore, loadMax);

  // Beyond diffing pairs: `git log -p` through the textconv driver, and `cellwise stale`'s overhead over
  // the kernel's own time. Only on a full run (not with --only).
  const extra: string[] = [];
  if (args.only.length === 0) {
    progress('git log -p over 50 commits of a 5 MB notebook…');
    try {
      const g = await benchGitLog();
      extra.push(`git log -p, ${g.commits} commits of a ${g.sizeMB.toFixed(1)} MB notebook: ${g.seconds.toFixed(1)} s `
        + `(again with git's textconv cache: ${g.cachedSeconds.toFixed(1)} s; first commit only: ${g.firstCommitSeconds.toFixed(2)} s; `
        + `git's raw JSON diff: ${g.rawSeconds.toFixed(1)} s)`);
    } catch (e) {
      extra.push(`git log -p: failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    progress('cellwise stale on a 50-cell notebook…');
    try {
      extra.push(formatStaleBench(await benchStale({ cells: 50 })));
    } catch (e) {
      extra.push(`cellwise stale: failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    progress('the --html report of a 100-cell pair in Chromium…');
    extra.push(await viewerBenchText(args.corpus));
    endProgress();
  }

  const results = targets(rows);
  const errors = rows.filter((r) => r.errors.length);
  const status = errors.length ? 2 : results.some((t) => t.status === 'FAIL') ? 1 : 0;

  if (args.json) {
    process.stdout.write(JSON.stringify({
      node: process.version, generation: { ...generation, description: describeGeneration(generation) },
      notes, load, startup, rows, extra, targets: results, seconds, status,
    }, null, 2) + '\n');
    return status;
  }

  const out: string[] = [];
  out.push(`Cellwise benchmark · node ${process.version} · ${rows.length} pairs in ${seconds.toFixed(0)} s`);
  out.push(describeGeneration(generation));
  out.push(...notes.filter((n) => n.startsWith('WARNING')));
  out.push(load);
  out.push(startup);
  out.push('Times in ms, medians of 15 repetitions after 3 warm-up runs (5 after 2 over 2 MB, 3 after 1 over 10 MB), both files');
  out.push('together. JSON.parse = decode + JSON.parse of both files, both values kept (the floor); library =');
  out.push('parseNotebook + diffNotebooks; cold = the library\'s first run in a fresh process (JIT not warm);');
  out.push('peak MB = peak RSS of the case process;');
  out.push(`CLI s = median wall time of ${CLI_RUNS} runs of \`cellwise diff base head\`; CLI MB = its peak RSS.`);
  out.push('add/rem/mod/mov = cells added, removed, modified (re-run included), moved; img = images whose pixels changed.');
  out.push('');
  out.push(table(rows));
  out.push('');
  if (extra.length) {
    out.push(...extra);
    out.push('');
  }
  out.push('targets');
  for (const t of results) out.push(`  ${t.status}  ${t.target}: ${t.detail}`);
  if (results.length === 0) out.push('  (none applies to the pairs selected)');
  if (errors.length) {
    out.push('');
    out.push('errors');
    for (const r of errors) for (const e of r.errors) out.push(`  ${r.name}: ${e.replace(/\n/g, '\n    ')}`);
  }
  process.stdout.write(out.join('\n') + '\n');
  return status;
}

try {
  process.exitCode = await main();
} catch (e) {
  endProgress();
  process.stderr.write(`bench: ${e instanceof UsageError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 2;
}
