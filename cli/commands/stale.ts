import type { Command } from 'commander';
import type { Notebook, Output } from '../../lib/model.js';
import { serializeNotebook } from '../../lib/notebook/index.js';
import { compareRun, type CompareOptions } from '../../lib/stale/compare.js';
import { skipTag, type Sanitizer } from '../../lib/stale/normalize.js';
import { renderStale } from '../../lib/stale/render.js';
import { STALE_FORMAT, STALE_FORMAT_VERSION, type CellRun, type StaleReport } from '../../lib/stale/types.js';
import { parseColorMode, useColor, type ColorMode } from '../color.js';
import { EXIT, UsageError } from '../errors.js';
import { readNotebook, writeOutput } from '../files.js';
import { Progress } from '../progress.js';
import { KernelDied, KernelStopped, KernelTimeout, type Kernel, type KernelProvider } from '../kernel/kernel.js';
import { localKernels } from '../kernel/spec.js';
import type { RunContext } from '../main.js';

interface StaleFlags {
  kernel?: string;
  server?: string;
  token?: string;
  timeout: number;
  json?: boolean;
  color: ColorMode;
  write?: string;
  inPlace?: boolean;
  keepGoing?: boolean;
  floatTolerance?: number;
  addresses: boolean;
  sanitize: string[];
  imageThreshold?: number;
  imageTolerance?: number;
  all?: boolean;
  progress: boolean;
}

/** 128 + SIGINT, as shells report a command stopped by Ctrl-C. */
const EXIT_INTERRUPTED = 130;

export function registerStale(program: Command, ctx: RunContext): void {
  program
    .command('stale')
    .description('re-run notebooks top to bottom in a fresh kernel and report the code cells whose saved outputs differ from the fresh ones')
    .usage('[options] NOTEBOOK...')
    .argument('<notebooks...>', 'notebooks to re-run (each in its own fresh kernel, in its own folder)')
    .option('--kernel <name>', 'kernelspec to run (default: the notebook\'s metadata.kernelspec)')
    .option('--server <url>', 'run the kernels on this running Jupyter Server (e.g. http://127.0.0.1:8888/) instead of starting them here')
    .option('--token <token>', 'the Jupyter Server\'s token (default: a ?token= in the URL, else $JUPYTER_TOKEN)')
    .option('--timeout <seconds>', 'per-cell time limit; the cell is interrupted and counts as an error (0: none)', seconds, 120)
    .option('--json', 'print the report as JSON (one object per notebook, one per line)')
    .option('--color <when>', 'colour the output: auto, always or never', parseColorMode, 'auto')
    .option('--write <file>', 'save the re-executed notebook to a new file (never overwrites)')
    .option('--in-place', 'save the re-executed notebook over the original')
    .option('--keep-going', 'run the remaining cells after a cell fails (default: stop, and skip them)')
    .option('--float-tolerance <rel>', 'relative tolerance for decimal numbers in text outputs (default 1e-9; 0: exact)', nonNegative('--float-tolerance'))
    .option('--no-addresses', 'compare memory addresses (0x7f…) instead of masking them')
    .option('--sanitize <regex>', 'mask what this regular expression matches in text outputs on both sides (repeatable; REGEX=>REPLACEMENT to choose the mask)', (v: string, all: string[]) => [...all, v], [] as string[])
    .option('--image-threshold <0..1>', 'per-pixel colour difference below which pixels are equal (default 0.1)', fraction('--image-threshold'))
    .option('--image-tolerance <0..1>', 'fraction of changed pixels below which a plot counts as unchanged (default 0)', fraction('--image-tolerance'))
    .option('--all', 'list fresh cells too')
    .option('--no-progress', 'no progress bar (it is only shown when standard error is a terminal)')
    .action(async (paths: string[], flags: StaleFlags) => {
      ctx.status = await runStale(paths, flags);
    });
}

export async function runStale(paths: string[], flags: StaleFlags): Promise<number> {
  if (flags.write && flags.inPlace) throw new UsageError('--write and --in-place exclude each other');
  if (flags.write && paths.length > 1) throw new UsageError('--write takes one notebook; use --in-place for several');
  if (flags.token !== undefined && flags.server === undefined) throw new UsageError('--token goes with --server URL');
  const compare: CompareOptions = {
    ...(flags.floatTolerance !== undefined ? { floatTolerance: flags.floatTolerance } : {}),
    addresses: flags.addresses,
    sanitizers: flags.sanitize.map(parseSanitizer),
    ...(flags.imageThreshold !== undefined ? { imageThreshold: flags.imageThreshold } : {}),
    ...(flags.imageTolerance !== undefined ? { imageTolerance: flags.imageTolerance } : {}),
  };
  // Fails now, before any kernel starts, if a sanitizer does not compile.
  compareRun({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [] }, new Map(), compare);
  // @jupyterlab/services and ws load only with --server; the server is asked for its kernels once, up front.
  const kernels: KernelProvider = flags.server !== undefined
    ? await (await import('../kernel/server.js')).connectServer({ url: flags.server, token: flags.token })
    : localKernels;

  const interrupt = new Interrupt();
  let status: number = EXIT.same;
  try {
    for (const path of paths) {
      const r = await staleOne(path, flags, compare, interrupt, kernels);
      status = Math.max(status, r);
      if (interrupt.requested) return EXIT_INTERRUPTED;
    }
  } finally {
    interrupt.dispose();
  }
  return status;
}

/** Ctrl-C and SIGTERM: the first stops the running kernel and ends the run with what is known so far. */
class Interrupt {
  requested = false;
  private kernel: Kernel | undefined;
  private readonly handler = (signal: NodeJS.Signals) => {
    if (this.requested) {
      // A second Ctrl-C: the user wants out now.
      this.kernel?.kill();
      process.exit(EXIT_INTERRUPTED);
    }
    this.requested = true;
    process.stderr.write(`\ncellwise: ${signal === 'SIGINT' ? 'interrupted' : `got ${signal}`}; stopping the kernel\n`);
    this.kernel?.kill();
  };

  constructor() {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
  }

  watch(kernel: Kernel | undefined): void {
    this.kernel = kernel;
  }

  dispose(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
  }
}

async function staleOne(path: string, flags: StaleFlags, compare: CompareOptions, interrupt: Interrupt, kernels: KernelProvider): Promise<number> {
  const parsed = readNotebook(path);
  const saved = parsed.notebook;
  const choice = await kernels.choose(saved, flags.kernel, path);
  for (const note of choice.notes) process.stderr.write(`cellwise: ${path}: ${note}\n`);
  const codeCells = saved.cells.flatMap((c, i) => (c.cell_type === 'code' ? [i] : []));
  const progress = new Progress({ noun: 'cell', what: path, total: codeCells.length, enabled: flags.progress && !!process.stderr.isTTY, current: true });
  const started = performance.now();

  const runs = new Map<number, CellRun>();
  const fresh = new Map<number, Output[]>();
  const executed = new Map<number, { outputs: Output[]; count: number | null }>();
  let stopped: string | undefined;
  let kernel: Kernel | undefined;
  try {
    progress.update(0);
    kernel = await choice.start();
    interrupt.watch(kernel);
    if (interrupt.requested) kernel.kill();
    for (const [n, index] of codeCells.entries()) {
      const cell = saved.cells[index]!;
      if (interrupt.requested) stopped = 'interrupted';
      if (stopped) {
        runs.set(index, { index, status: 'skipped', reason: `not run: ${stopped}` });
        continue;
      }
      progress.update(n);
      const tag = skipTag(cell);
      try {
        const r = await kernel.execute(cell.source, { timeoutMs: flags.timeout * 1000 });
        executed.set(index, { outputs: r.outputs, count: r.executionCount });
        const timing = { durationMs: round(r.durationMs), ...(r.kernelMs !== undefined ? { kernelMs: r.kernelMs } : {}) };
        if (tag) runs.set(index, { index, status: 'skipped', reason: `tagged ${tag}`, ...timing });
        else {
          fresh.set(index, r.outputs);
          runs.set(index, { index, status: 'fresh', ...timing });
        }
      } catch (e) {
        if (e instanceof KernelStopped && interrupt.requested) {
          stopped = 'interrupted';
          runs.set(index, { index, status: 'skipped', reason: 'interrupted while running' });
        } else if (e instanceof KernelTimeout) {
          runs.set(index, { index, status: 'error', reason: e.message });
          executed.set(index, { outputs: e.outputs, count: null });
          if (!e.recovered) {
            stopped = `cell ${index + 1} timed out and the kernel did not stop it`;
            kernel.kill();
          } else if (!flags.keepGoing) stopped = `cell ${index + 1} failed`;
        } else if (e instanceof KernelDied) {
          runs.set(index, { index, status: 'error', reason: e.message });
          stopped = `the kernel died in cell ${index + 1}`;
        } else throw e;
      }
      const run = runs.get(index)!;
      if (!stopped && !flags.keepGoing && run.status === 'fresh' && failedNow(cell.outputs ?? [], fresh.get(index) ?? [])) {
        stopped = `cell ${index + 1} failed`;
      }
    }
    progress.update(codeCells.length);
  } finally {
    progress.end();
    interrupt.watch(undefined);
    await kernel?.shutdown();
  }

  const { verdicts, diff } = compareRun(saved, fresh, { ...compare, names: { saved: `${path} (saved)`, fresh: `${path} (re-run)` } });
  for (const v of verdicts) {
    const run = runs.get(v.index)!;
    runs.set(v.index, { ...run, ...v });
  }
  const cells = codeCells.map((i) => runs.get(i)!);
  const report: StaleReport = {
    format: STALE_FORMAT, version: STALE_FORMAT_VERSION, file: path, kernel: choice.name, cells,
    stale: cells.filter((c) => c.status === 'stale').map((c) => c.index),
    errors: cells.filter((c) => c.status === 'error').map((c) => c.index),
    complete: executed.size === codeCells.length,
    elapsedMs: round(performance.now() - started),
  };

  if (flags.json) process.stdout.write(JSON.stringify(report) + '\n');
  else {
    const width = Math.max(60, Math.min(process.stdout.columns || 100, 160));
    process.stdout.write(renderStale(report, diff, { color: useColor(flags.color), width, all: !!flags.all }));
  }

  const target = flags.inPlace ? path : flags.write;
  if (target) {
    if (!report.complete) {
      process.stderr.write(`cellwise: not writing ${target}: the run stopped before the last cell (${stopped ?? 'incomplete'})\n`);
    } else {
      writeOutput(target, serializeNotebook(executedNotebook(saved, executed, kernel?.languageInfo)), !!flags.inPlace);
    }
  }
  if (interrupt.requested) return EXIT_INTERRUPTED;
  return report.stale.length + report.errors.length > 0 ? EXIT.different : EXIT.same;
}

/** The cell raised now and not before: later cells would mostly fail because of it. */
function failedNow(saved: readonly Output[], now: readonly Output[]): boolean {
  return now.some((o) => o.output_type === 'error') && !saved.some((o) => o.output_type === 'error');
}

function executedNotebook(saved: Notebook, executed: Map<number, { outputs: Output[]; count: number | null }>, languageInfo: Record<string, unknown> | undefined): Notebook {
  return {
    ...saved,
    metadata: languageInfo ? { ...saved.metadata, language_info: languageInfo as Notebook['metadata'][string] } : saved.metadata,
    cells: saved.cells.map((cell, i) => {
      const run = executed.get(i);
      return run ? { ...cell, execution_count: run.count, outputs: run.outputs } : cell;
    }),
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function parseSanitizer(v: string): Sanitizer {
  const at = v.indexOf('=>');
  return at === -1 ? { regex: v } : { regex: v.slice(0, at), replace: v.slice(at + 2) };
}

function seconds(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !(n >= 0)) throw new UsageError(`--timeout must be a number of seconds (0: none), not "${v}"`);
  return n;
}

function nonNegative(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !(n >= 0)) throw new UsageError(`${flag} must be a number ≥ 0, not "${v}"`);
    return n;
  };
}

function fraction(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !(n >= 0 && n <= 1)) throw new UsageError(`${flag} must be a number from 0 to 1, not "${v}"`);
    return n;
  };
}
