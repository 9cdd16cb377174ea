/**
 * What `cellwise stale` costs beyond the kernel's own work, on a generated 50-cell notebook (numpy
 * arithmetic, prints, reprs, a few matplotlib plots): the whole command's wall time against the sum of the
 * kernel's reported execution times (execute_reply date minus `started`), split into kernel start-up,
 * per-cell messaging (round trip minus kernel time) and the rest (Node start, parse, compare, render, shutdown).
 *
 *   node dist/bench/stale.js [--json] [--runs N]      (after `npm run build`; needs the python3 kernel)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startLocalKernel } from '../cli/kernel/local.js';
import { listKernelSpecs } from '../cli/kernel/spec.js';
import type { StaleReport } from '../lib/stale/types.js';
import { median } from './common.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/cellwise.js');

export interface StaleBench {
  cells: number;
  runs: number;
  /** Medians over the runs, milliseconds. */
  wallMs: number;
  /** Sum of the kernel's own execution times. */
  kernelMs: number;
  /** Starting the kernel until it answers on shell and iopub (measured in-process). */
  kernelStartMs: number;
  /** Sum over cells of (round trip − kernel time): zeromq, signing, collecting outputs. */
  messagingMs: number;
  /** wallMs − kernelMs: everything `stale` adds to the kernel's own work. */
  overheadMs: number;
  /** wallMs / kernelMs. */
  ratio: number;
}

function cellSource(i: number): string {
  switch (i % 10) {
    case 0: return `import numpy as np\nrng = np.random.default_rng(${i})\nm = rng.normal(size=(200, 200))\nprint(m.shape)`;
    case 1: return `u, s, vt = np.linalg.svd(m)\nround(float(s[0]), 6)`;
    case 2: return `total = sum(k * k for k in range(100_000))\ntotal`;
    case 3: return `print("\\n".join(f"row {k}: {k ** 0.5:.4f}" for k in range(20)))`;
    case 4: return `{"cell": ${i}, "values": list(range(10))}`;
    case 5: return i % 20 === 5
      ? `import matplotlib\nmatplotlib.use("module://matplotlib_inline.backend_inline")\nimport matplotlib.pyplot as plt\nfig, ax = plt.subplots(figsize=(3, 2), dpi=60)\nax.plot(np.sort(m[0]))\nplt.show()`
      : `sorted(m[0])[:5]`;
    case 6: return `class Box:\n    pass\nBox()`;
    case 7: return `import math\n[math.factorial(k) % 97 for k in range(50)]`;
    case 8: return `x${i} = np.cumsum(np.arange(10_000))\nx${i}[-1]`;
    default: return `print("cell ${i}")`;
  }
}

export function generateNotebook(cells: number): object {
  return {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
    cells: Array.from({ length: cells }, (_, i) => ({
      cell_type: 'code', id: `c${i}`, metadata: {}, source: cellSource(i), execution_count: null, outputs: [],
    })),
  };
}

export async function benchStale(options: { cells?: number; runs?: number } = {}): Promise<StaleBench> {
  const cells = options.cells ?? 50;
  const runs = options.runs ?? 3;
  const dir = mkdtempSync(join(tmpdir(), 'cellwise-bench-stale-'));
  try {
    const blank = join(dir, 'blank.ipynb');
    const saved = join(dir, 'saved.ipynb');
    writeFileSync(blank, JSON.stringify(generateNotebook(cells)));
    // The saved notebook is the kernel's own run: every later run should find it fresh.
    const first = spawnSync(process.execPath, [BIN, 'stale', '--write', saved, blank], { encoding: 'utf8' });
    if (first.status !== 1) throw new Error(`could not execute the generated notebook: ${first.stderr}`);

    const wall: number[] = [];
    const kernel: number[] = [];
    const messaging: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      const run = spawnSync(process.execPath, [BIN, 'stale', '--json', saved], { encoding: 'utf8' });
      wall.push(performance.now() - t);
      if (run.status !== 0) throw new Error(`a fresh re-run was not all fresh (exit ${run.status}): ${run.stderr}${run.stdout.slice(0, 2000)}`);
      const report = JSON.parse(run.stdout) as StaleReport;
      kernel.push(report.cells.reduce((s, c) => s + (c.kernelMs ?? 0), 0));
      messaging.push(report.cells.reduce((s, c) => s + Math.max(0, (c.durationMs ?? 0) - (c.kernelMs ?? 0)), 0));
    }

    const starts: number[] = [];
    const spec = listKernelSpecs().get('python3');
    if (!spec) throw new Error('no python3 kernelspec: run scripts/setup-kernel.sh');
    for (let r = 0; r < runs; r++) {
      const t = performance.now();
      const k = await startLocalKernel(spec, { cwd: dir });
      starts.push(performance.now() - t);
      await k.shutdown();
    }

    const wallMs = median(wall);
    const kernelMs = median(kernel);
    return {
      cells, runs, wallMs: round(wallMs), kernelMs: round(kernelMs), kernelStartMs: round(median(starts)),
      messagingMs: round(median(messaging)), overheadMs: round(wallMs - kernelMs), ratio: round(wallMs / kernelMs, 2),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function round(x: number, digits = 0): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export function formatStaleBench(b: StaleBench): string {
  return [
    `cellwise stale on a generated ${b.cells}-cell notebook (median of ${b.runs} runs):`,
    `  whole command   ${b.wallMs} ms`,
    `  kernel's own    ${b.kernelMs} ms  (sum of the kernel's reported execution times)`,
    `  overhead        ${b.overheadMs} ms  (${b.ratio}× the kernel's own time), of which:`,
    `    kernel start  ${b.kernelStartMs} ms  (until it answers on shell and iopub)`,
    `    messaging     ${b.messagingMs} ms  (all cells: round trip minus kernel time)`,
    `    the rest      ${round(b.overheadMs - b.kernelStartMs - b.messagingMs)} ms  (Node start, parse, compare, render, shutdown)`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--runs');
  const runs = at >= 0 ? Number(args[at + 1]) : 3;
  benchStale({ runs }).then((b) => {
    process.stdout.write((args.includes('--json') ? JSON.stringify(b) : formatStaleBench(b)) + '\n');
  }, (e: Error) => {
    process.stderr.write(`bench/stale: ${e.message}\n`);
    process.exitCode = 2;
  });
}
