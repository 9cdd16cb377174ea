import { diffSides } from '../diff-sides.js';
import type { Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import type { DiffOptions } from '../../lib/diff/options.js';
import type { NotebookDiff } from '../../lib/model.js';
import { renderTerminal, terminalDiffOptions } from '../../lib/render/terminal.js';
import { parseColorMode, useColor, type ColorMode } from '../color.js';
import { loadConfig } from '../config.js';
import { EXIT, UsageError } from '../errors.js';
import { readNotebook } from '../files.js';
import { startImageThreads } from '../images/pool.js';
import { imageProgress } from '../progress.js';
import { findRepository } from '../git/exec.js';
import { isRevision } from '../git/revisions.js';
import type { RunContext } from '../main.js';

export interface DiffFlags {
  json?: boolean;
  cached?: boolean;
  staged?: boolean;
  color: ColorMode;
  config?: string;
  ignoreOutputs?: boolean;
  ignoreMetadata?: boolean;
  ignoreExecutionCount?: boolean;
  ignoreIds?: boolean;
  ignoreWhitespace?: boolean;
  ignorePath: string[];
  similarity?: number;
  imageThreshold?: number;
  imageTolerance?: number;
  imageMasks?: boolean;
  context: number;
  expandRerun?: boolean;
  showUnchanged?: boolean;
  /** `--html OUT`: also write the review viewer with this diff, as one self-contained file. */
  html?: string;
}

export function registerDiff(program: Command, ctx: RunContext): void {
  program
    .command('diff')
    .description('show the differences between two notebooks, cell by cell; or, in a git repository, the notebooks changed between revisions')
    .usage('[options] BASE HEAD\n       cellwise diff [options] [--cached] [REV [REV]] [-- PATH...]')
    .argument('[args...]', 'two notebooks (- for standard input); or git revisions (none: the working tree against the index; REV; REV REV; A..B) and, after --, paths')
    .option('--json', 'print the diff as JSON (the documented, applicable Cellwise diff format)')
    .option('--color <when>', 'colour the output: auto, always or never', parseColorMode, 'auto')
    .option('--cached', 'git: compare the index (what is staged) with HEAD, or with REV')
    .option('--staged', 'the same as --cached')
    .option('-c, --config <file>', `settings file (default: ${'.cellwise.yml'} in the current folder, if any)`)
    .option('--ignore-outputs', 'leave outputs out of the comparison')
    .option('--ignore-metadata', 'leave notebook, cell and output metadata out')
    .option('--ignore-execution-count', 'leave execution counts out')
    .option('--ignore-ids', 'leave cell ids out (cells are matched by content)')
    .option('-w, --ignore-whitespace', 'lines that differ only in whitespace are equal')
    .option('--ignore-path <path>', 'leave out a part by nbdime-style path, e.g. /cells/*/metadata/collapsed (repeatable)', collect, [])
    .option('--similarity <0..1>', 'how alike two cells must be to count as one modified cell (default 0.5)', fraction('--similarity'))
    .option('--image-threshold <0..1>', 'per-pixel colour difference below which pixels are equal (default 0.1)', fraction('--image-threshold'))
    .option('--image-tolerance <0..1>', 'fraction of changed pixels below which an image counts as unchanged (default 0)', fraction('--image-tolerance'))
    .option('--image-masks', 'include a diff-mask PNG for every changed image in --json output')
    .option('-U, --context <lines>', 'lines of context around source changes', count('--context'), 3)
    .option('--expand-rerun', 'show cells that were only re-run one by one')
    .option('--show-unchanged', 'list unchanged cells too')
    .option('--html <file>', 'also write a self-contained HTML review (the web viewer, works offline) to FILE')
    .action(async (args: string[], flags: DiffFlags) => {
      flags.cached ||= flags.staged;
      const mode = chooseMode(args, operandsAfterDashDash(ctx.argv), !!flags.cached);
      if (flags.html && mode.kind === 'files' && (mode.base === '-' || mode.head === '-')) {
        throw new UsageError('--html needs notebook files: standard input can be read only once');
      }
      const options = await diffOptions(flags);
      if (mode.kind === 'files') {
        ctx.status = await runDiff(mode.base, mode.head, flags, options);
      } else {
        const { runRevisionDiff } = await import('./diff-revisions.js');
        ctx.status = await runRevisionDiff({ revisions: mode.revisions, paths: mode.paths, cached: !!flags.cached }, flags, options);
      }
      // Two files: runDiff writes the report from its own diff.
      if (flags.html && mode.kind === 'git') await writeHtmlReport(flags.html, mode, flags, options);
    });
}

type Mode = { kind: 'files'; base: string; head: string } | { kind: 'git'; revisions: string[]; paths: string[] };

/**
 * Two files, or git revisions and paths, decided as `git diff` decides: after `--` everything is a path;
 * without it, leading arguments that name commits are revisions and the rest must be existing paths. Two
 * existing files are always two notebooks, as before git mode existed.
 */
export function chooseMode(args: string[], afterDashDash: number | undefined, cached: boolean): Mode {
  let repo: boolean | undefined;
  const inRepository = (): boolean => (repo ??= findRepository() !== null);
  if (afterDashDash === undefined && !cached) {
    const [a, b] = args;
    if (args.length === 2 && a !== undefined && b !== undefined) {
      if ((isFile(a) && isFile(b)) || !inRepository() || !(isRevision(a) || isRevision(b))) return { kind: 'files', base: a, head: b };
    }
    if (args.length === 1 && a !== undefined && isFile(a) && !isRevision(a)) {
      throw new UsageError(`give a second notebook to compare ${a} with, or use \`cellwise diff -- ${a}\` for its changes in the working tree`);
    }
  }
  if (!inRepository()) {
    throw new UsageError(args.length === 0 && afterDashDash === undefined
      ? 'give two notebooks to compare (or run this inside a git repository to see the notebooks changed there)'
      : 'not in a git repository: give two notebooks to compare');
  }
  if (args.includes('-')) throw new UsageError('standard input (-) is for comparing two notebooks, not git revisions');
  if (afterDashDash !== undefined) {
    const split = args.length - afterDashDash;
    return { kind: 'git', revisions: args.slice(0, split), paths: args.slice(split) };
  }
  const revisions: string[] = [];
  let i = 0;
  while (i < args.length && isRevision(args[i]!)) revisions.push(args[i++]!);
  const paths = args.slice(i);
  for (const path of paths) {
    if (!existsSync(path)) {
      throw new UsageError(`ambiguous argument '${path}': unknown revision or path not in the working tree (use -- to separate paths from revisions)`);
    }
  }
  return { kind: 'git', revisions, paths };
}

/** How many operands followed `--` (commander drops the `--` itself), or undefined when there was none. */
function operandsAfterDashDash(argv: string[]): number | undefined {
  const at = argv.indexOf('--');
  return at === -1 ? undefined : argv.length - at - 1;
}

function isFile(path: string): boolean {
  if (path === '-') return true;
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export async function runDiff(basePath: string, headPath: string, flags: DiffFlags, options: DiffOptions): Promise<number> {
  if (basePath === '-' && headPath === '-') throw new UsageError('only one of the notebooks can be read from standard input');
  // Notebooks this large nearly always hold enough images for more threads (see THREAD_WORK): those start
  // while the notebooks are read. Smaller ones get threads, if their images need them, once that is known.
  const threads = fileSize(basePath) + fileSize(headPath) >= EARLY_THREADS_BYTES ? startImageThreads() : undefined;
  const base = readNotebook(basePath);
  const head = readNotebook(headPath);
  // With --html, one diff serves both the output and the report, which shows image masks; --json prints
  // them only when asked, so that case makes the report's diff apart. A diff only for the terminal skips
  // what the terminal does not show.
  const oneDiff = flags.html !== undefined && !(flags.json && !flags.imageMasks);
  const diff = await diffSides(
    { notebook: base.notebook, name: basePath, nbformat: base.nbformat, warnings: base.warnings },
    { notebook: head.notebook, name: headPath, nbformat: head.nbformat, warnings: head.warnings },
    oneDiff ? { ...options, imageMasks: true } : flags.json ? options : { ...options, ...terminalDiffOptions },
    threads,
    imageProgress(`${basePath} → ${headPath}`),
  );
  printDiff(diff, flags);
  if (flags.html) {
    const { reviewOfDiff, reviewOfFiles, writeReport } = await import('../report.js');
    await writeReport(flags.html, oneDiff ? reviewOfDiff(basePath, headPath, base, head, diff) : await reviewOfFiles(basePath, headPath, options));
  }
  return diff.changed ? EXIT.different : EXIT.same;
}

const EARLY_THREADS_BYTES = 6 * 1024 * 1024;

function fileSize(path: string): number {
  try {
    return path === '-' ? 0 : statSync(path).size;
  } catch {
    return 0; // readNotebook reports it
  }
}

export function printDiff(diff: NotebookDiff, flags: Pick<DiffFlags, 'json' | 'color' | 'context' | 'expandRerun' | 'showUnchanged'>): void {
  if (flags.json) {
    process.stdout.write(JSON.stringify(diff, null, process.stdout.isTTY ? 2 : undefined) + '\n');
    return;
  }
  process.stdout.write(renderTerminal(diff, {
    color: useColor(flags.color),
    context: flags.context,
    width: Math.max(60, Math.min(process.stdout.columns || 100, 160)),
    expandRerun: !!flags.expandRerun,
    showUnchanged: !!flags.showUnchanged,
  }));
}

/** The flags that set diff options (shared with `cellwise web`). */
export type OptionFlags = Partial<Pick<DiffFlags, 'config' | 'ignoreOutputs' | 'ignoreMetadata' | 'ignoreExecutionCount' | 'ignoreIds'
  | 'ignoreWhitespace' | 'ignorePath' | 'similarity' | 'imageThreshold' | 'imageTolerance' | 'imageMasks'>>;

/** The settings file (--config or .cellwise.yml), overridden by the flags. */
export async function diffOptions(flags: OptionFlags): Promise<DiffOptions> {
  return { ...(await loadConfig(flags.config)), ...optionsFromFlags(flags) };
}

function optionsFromFlags(f: OptionFlags): DiffOptions {
  const o: DiffOptions = {};
  if (f.ignoreOutputs) o.ignoreOutputs = true;
  if (f.ignoreMetadata) o.ignoreMetadata = true;
  if (f.ignoreExecutionCount) o.ignoreExecutionCount = true;
  if (f.ignoreIds) o.ignoreIds = true;
  if (f.ignoreWhitespace) o.ignoreWhitespace = true;
  if (f.ignorePath?.length) o.ignorePaths = f.ignorePath;
  if (f.similarity !== undefined) o.similarity = f.similarity;
  if (f.imageThreshold !== undefined) o.imageThreshold = f.imageThreshold;
  if (f.imageTolerance !== undefined) o.imageTolerance = f.imageTolerance;
  if (f.imageMasks) o.imageMasks = true;
  return o;
}

/** `--html OUT` for git revisions: the web viewer with this review in it, one file that works offline (see cli/report.ts). */
async function writeHtmlReport(out: string, mode: Extract<Mode, { kind: 'git' }>, flags: DiffFlags, options: DiffOptions): Promise<void> {
  const { reviewOfRevisions, writeReport } = await import('../report.js');
  await writeReport(out, await reviewOfRevisions({ revisions: mode.revisions, paths: mode.paths, cached: !!flags.cached }, options));
}

function collect(v: string, all: string[]): string[] {
  if (!v.startsWith('/')) throw new UsageError(`--ignore-path must start with /, e.g. /cells/*/metadata/collapsed (got "${v}")`);
  return [...all, v];
}

function fraction(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (v.trim() === '' || !(n >= 0 && n <= 1)) throw new UsageError(`${flag} must be a number from 0 to 1, not "${v}"`);
    return n;
  };
}

function count(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number, not "${v}"`);
    return n;
  };
}
