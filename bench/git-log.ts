/**
 * `git log -p` over the history of one large notebook, with Cellwise set up by `cellwise config-git`: git
 * runs the textconv command once per version of the notebook (then keeps the text in its textconv cache),
 * so this measures what a user waits for when reading a long notebook history.
 *
 * The history: a notebook of about 5 MB (300 code and markdown cells and as many 640×480 plots of ~350 kB
 * as it takes, like a long analysis), committed 50 times; each commit edits a few sources, re-runs a few cells, and re-plots one figure.
 * Deterministic (seeded), built in a temporary repository with its own HOME (the user's git config is not read).
 *
 *   node dist/bench/git-log.js [--commits N] [--size-mb N] [--json] [--keep]
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { drawPlot, encodePng } from './plot.js';
import { Random } from './random.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = join(ROOT, 'bin/cellwise.js');

export interface GitLogOptions {
  /** Commits in the history (default 50). */
  commits?: number;
  /** Approximate size of the notebook in MB (default 5). */
  sizeMB?: number;
  /** Leave the repository on disk (its path is in the result). */
  keep?: boolean;
}

export interface GitLogResult {
  /** Wall time of the first `git log -p` (nothing cached: every version goes through textconv), seconds. */
  seconds: number;
  commits: number;
  /** Size of the notebook's last version, MB. */
  sizeMB: number;
  /** The same `git log -p` again, with git's textconv cache filled, seconds. */
  cachedSeconds: number;
  /** `git log -p -1` with nothing cached: what a reader waits for the first screen of the pager, seconds. */
  firstCommitSeconds: number;
  /** `git log -p --no-textconv` (git's raw JSON diff, no Cellwise at all), seconds: the floor. */
  rawSeconds: number;
  /** Lines `git log -p` printed (the first run). */
  lines: number;
  /** Seconds spent building the history (not part of the measurement). */
  setupSeconds: number;
  repository?: string;
}

type Cell = Record<string, unknown> & { cell_type: string; source: string[] };

export async function benchGitLog(options: GitLogOptions = {}): Promise<GitLogResult> {
  const commits = options.commits ?? 50;
  const sizeMB = options.sizeMB ?? 5;
  const t0 = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'cellwise-bench-git-log-'));
  const home = join(dir, 'home');
  const repo = join(dir, 'repo');
  const env: NodeJS.ProcessEnv = {
    ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@example.com', GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com', GIT_PAGER: 'cat', NO_COLOR: '1',
  };
  const run = (cmd: string, args: string[], extra: SpawnSyncOptions = {}): string => {
    const r = spawnSync(cmd, args, { cwd: repo, env, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, ...extra });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
    return String(r.stdout);
  };
  try {
    mkdirSync(home, { recursive: true });
    mkdirSync(repo, { recursive: true });
    run('git', ['init', '-q', '-b', 'main']);
    run(process.execPath, [BIN, 'config-git']);

    const history = new History(sizeMB);
    const file = join(repo, 'analysis.ipynb');
    for (let i = 0; i < commits; i++) {
      if (i > 0) history.edit(i);
      writeFileSync(file, history.serialize());
      run('git', ['add', 'analysis.ipynb']);
      run('git', ['commit', '-q', '-m', `step ${i + 1}`]);
    }
    const setupSeconds = (performance.now() - t0) / 1000;

    const timeLog = (args: string[]): { seconds: number; lines: number } => {
      const start = performance.now();
      const out = run('git', ['log', '-p', ...args]);
      return { seconds: (performance.now() - start) / 1000, lines: out.split('\n').length };
    };
    const firstCommit = timeLog(['-1']);
    run('git', ['update-ref', '-d', 'refs/notes/textconv/cellwise']);
    const first = timeLog([]);
    const cached = timeLog([]);
    const raw = timeLog(['--no-textconv']);
    return {
      seconds: first.seconds, commits, sizeMB: statSync(file).size / 1e6, cachedSeconds: cached.seconds, firstCommitSeconds: firstCommit.seconds,
      rawSeconds: raw.seconds, lines: first.lines, setupSeconds, ...(options.keep ? { repository: repo } : {}),
    };
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** One notebook and the edits of each commit, from a fixed seed. */
class History {
  private readonly rnd = new Random(2024);
  private readonly cells: Cell[] = [];
  private readonly plotCells: number[] = [];
  private count = 0;

  constructor(sizeMB: number) {
    for (let i = 0; i < 300; i++) this.cells.push(i % 3 === 0 ? this.markdown() : this.code());
    // Plots until the notebook reaches the size asked for, spread evenly among the other cells.
    const plots: Cell[] = [];
    let size = this.serialize().length;
    while (size < sizeMB * 1e6) {
      const plot = this.plot(plots.length + 1, 0);
      plots.push(plot);
      size += JSON.stringify(plot, null, 1).length;
    }
    const every = Math.max(1, Math.floor(this.cells.length / Math.max(1, plots.length)));
    plots.forEach((plot, k) => this.cells.splice((k + 1) * every + k, 0, plot));
    this.cells.forEach((cell, i) => {
      if (plots.includes(cell)) this.plotCells.push(i);
    });
  }

  /** A commit's worth of change: three sources edited, five cells re-run, one figure re-plotted. */
  edit(step: number): void {
    const r = this.rnd;
    for (let k = 0; k < 3; k++) {
      const cell = this.cells[r.int(0, this.cells.length - 1)]!;
      const last = (cell.source.at(-1) ?? '').replace(/\d+/, String(r.int(1, 999)));
      cell.source = [...cell.source.slice(0, -1), `${last}\n`, `# step ${step}`];
    }
    for (let k = 0; k < 5; k++) {
      const cell = this.cells[r.int(0, this.cells.length - 1)]!;
      if (cell.cell_type === 'code') cell.execution_count = ++this.count;
    }
    const which = step % this.plotCells.length;
    this.cells[this.plotCells[which]!] = this.plot(which + 1, step);
  }

  serialize(): string {
    return JSON.stringify({
      cells: this.cells,
      metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python', version: '3.11.2' } },
      nbformat: 4,
      nbformat_minor: 4,
    }, null, 1) + '\n';
  }

  private markdown(): Cell {
    const r = this.rnd;
    const words = Array.from({ length: r.int(10, 60) }, () => r.pick(WORDS));
    return { cell_type: 'markdown', metadata: {}, source: [`## ${r.pick(WORDS)} ${r.pick(WORDS)}\n`, '\n', `${words.join(' ')}.`] };
  }

  private code(): Cell {
    const r = this.rnd;
    const lines = Array.from({ length: r.int(2, 10) }, () => `${r.pick(WORDS)}_${r.int(1, 99)} = ${r.pick(WORDS)}(${r.int(0, 999)}, ${r.pick(WORDS)}=${r.next().toFixed(3)})\n`);
    const last = lines.length - 1;
    lines[last] = lines[last]!.trimEnd();
    const table = Array.from({ length: r.int(3, 12) }, (_, i) => `${i}  ${r.next().toFixed(4)}  ${r.int(0, 9999)}  ${r.pick(WORDS)}\n`);
    return {
      cell_type: 'code', execution_count: ++this.count, metadata: {}, source: lines,
      outputs: [{ output_type: 'stream', name: 'stdout', text: table }],
    };
  }

  private plot(seed: number, phase: number): Cell {
    const png = encodePng(drawPlot({ width: 640, height: 480, seed, phase: phase * 0.3, band: 0.2, noise: 90 }));
    return {
      cell_type: 'code', execution_count: ++this.count, metadata: {},
      source: [`fig, ax = plt.subplots()\n`, `ax.plot(series_${seed})`],
      outputs: [{
        output_type: 'display_data', metadata: {},
        data: { 'image/png': png.toString('base64'), 'text/plain': ['<Figure size 640x480 with 1 Axes>'] },
      }],
    };
  }
}

const WORDS = 'data model train test feature label score loss value result sample mean error rate weight batch epoch layer'.split(' ');

async function standalone(argv: string[]): Promise<void> {
  const value = (flag: string): number | undefined => {
    const i = argv.indexOf(flag);
    return i === -1 ? undefined : Number(argv[i + 1]);
  };
  const result = await benchGitLog({ commits: value('--commits'), sizeMB: value('--size-mb'), keep: argv.includes('--keep') });
  if (argv.includes('--json')) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  process.stdout.write(
    `git log -p over ${result.commits} commits of a ${result.sizeMB.toFixed(1)} MB notebook (Cellwise textconv):\n`
    + `  first run (every version converted): ${result.seconds.toFixed(2)} s, ${result.lines} lines\n`
    + `  again (git's textconv cache):        ${result.cachedSeconds.toFixed(2)} s\n`
    + `  the newest commit alone (first screen): ${result.firstCommitSeconds.toFixed(2)} s\n`
    + `  --no-textconv (raw JSON, no Cellwise): ${result.rawSeconds.toFixed(2)} s\n`
    + `  (building the history took ${result.setupSeconds.toFixed(1)} s)\n`
    + (result.repository ? `  repository kept at ${result.repository}\n` : ''),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  standalone(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.message : e}\n`);
    process.exitCode = 2;
  });
}
