/**
 * One benchmark case, alone in its process so that neither JIT state nor heap carries over between cases:
 * `node --expose-gc dist/bench/case.js <base.ipynb> <head.ipynb> [--reps N] [--warmup N]`.
 * The first `--warmup` repetitions are not in the medians: the library runs in long-lived processes too
 * (the app, `cellwise web`), where its code is compiled and optimized, while the JSON.parse it is compared
 * with is native from the start. The first repetition's library time is kept as `coldLibrary`, and the
 * CLI column measures the whole cold run.
 * Prints one line `CASE_RESULT_TAG <json>` (a CaseResult) on stdout; on failure the JSON carries `error`
 * and the exit status is 1.
 */
import { readFileSync } from 'node:fs';
import { diffNotebooks } from '../lib/diff/notebook.js';
import type { NotebookDiff } from '../lib/model.js';
import { parseNotebook } from '../lib/notebook/index.js';
import { renderTerminal } from '../lib/render/terminal.js';
import { CASE_RESULT_TAG, median, peakRssMB, type CaseResult, type Timing } from './common.js';

const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (() => {});

function main(argv: string[]): void {
  const files = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--reps' && argv[i - 1] !== '--warmup');
  const flag = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
  const reps = flag('--reps', 5);
  const warmup = flag('--warmup', 2);
  if (files.length !== 2 || !(reps >= 1) || !(warmup >= 0)) {
    throw new Error('usage: node --expose-gc dist/bench/case.js <base.ipynb> <head.ipynb> [--reps N] [--warmup N]');
  }
  const [basePath, headPath] = files as [string, string];
  const baseBytes = readFileSync(basePath);
  const headBytes = readFileSync(headPath);
  const decoder = new TextDecoder();

  const jsonParse: number[] = [], parse: number[] = [], diffT: number[] = [], render: number[] = [], library: number[] = [];
  let last: { diff: NotebookDiff; cells: { base: number; head: number }; lines: number } | null = null;
  let coldLibrary = NaN;
  for (let r = 0; r < warmup + reps; r++) {
    if (r === warmup) for (const times of [jsonParse, parse, diffT, render, library]) times.length = 0;
    last = null;
    gc();
    let t = performance.now();
    // Both values are kept until both are parsed, as any diff must keep them (and as parseNotebook's are
    // here). Dropping the first while the second is parsed spares the collector copying it: on the
    // 10,000-cell pair that floor was about 98 ms against 133 kept, i.e. a 26% lower yardstick.
    let floor: unknown[] | null = [JSON.parse(decoder.decode(baseBytes)), JSON.parse(decoder.decode(headBytes))];
    jsonParse.push(performance.now() - t);
    floor = null;

    gc();
    t = performance.now();
    const b = parseNotebook(baseBytes, basePath);
    const h = parseNotebook(headBytes, headPath);
    const tParse = performance.now() - t;
    // No gc here: a GC pause that parsing left due belongs to the library's time.
    t = performance.now();
    const diff = diffNotebooks(
      { notebook: b.notebook, name: basePath, nbformat: b.nbformat, warnings: b.warnings },
      { notebook: h.notebook, name: headPath, nbformat: h.nbformat, warnings: h.warnings },
    );
    const tDiff = performance.now() - t;
    parse.push(tParse);
    diffT.push(tDiff);
    library.push(tParse + tDiff);
    if (r === 0) coldLibrary = tParse + tDiff;

    gc();
    t = performance.now();
    const text = renderTerminal(diff, { color: false });
    render.push(performance.now() - t);
    last = { diff, cells: { base: b.notebook.cells.length, head: h.notebook.cells.length }, lines: text.split('\n').length };
  }
  if (!last) throw new Error('no repetition ran');
  const result: CaseResult = {
    base: basePath,
    head: headPath,
    bytes: { base: baseBytes.length, head: headBytes.length },
    cells: last.cells,
    reps,
    warmup,
    jsonParse: timing(jsonParse),
    parse: timing(parse),
    diff: timing(diffT),
    render: timing(render),
    library: timing(library),
    coldLibrary: Math.round(coldLibrary * 1000) / 1000,
    peakRssMB: peakRssMB(),
    summary: last.diff.summary,
    changed: last.diff.changed,
    renderedLines: last.lines,
  };
  process.stdout.write(`${CASE_RESULT_TAG} ${JSON.stringify(result)}\n`);
}

function timing(runs: number[]): Timing {
  return { median: median(runs), runs: runs.map((x) => Math.round(x * 1000) / 1000) };
}

try {
  main(process.argv.slice(2));
} catch (e) {
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stdout.write(`${CASE_RESULT_TAG} ${JSON.stringify({ error: message })}\n`);
  process.exitCode = 1;
}
