import type { Command } from 'commander';
import { diffNotebooks } from '../../lib/diff/notebook.js';
import type { DiffOptions } from '../../lib/diff/options.js';
import type { NotebookDiff } from '../../lib/model.js';
import { renderTerminal } from '../../lib/render/terminal.js';
import { parseColorMode, useColor, type ColorMode } from '../color.js';
import { loadConfig } from '../config.js';
import { EXIT, UsageError } from '../errors.js';
import { readNotebook } from '../files.js';
import type { RunContext } from '../main.js';

interface DiffFlags {
  json?: boolean;
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
}

export function registerDiff(program: Command, ctx: RunContext): void {
  program
    .command('diff')
    .description('show the differences between two notebooks, cell by cell')
    .argument('<base>', 'the old notebook (- for standard input)')
    .argument('<head>', 'the new notebook')
    .option('--json', 'print the diff as JSON (the documented, applicable Cellwise diff format)')
    .option('--color <when>', 'colour the output: auto, always or never', parseColorMode, 'auto')
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
    .action(async (base: string, head: string, flags: DiffFlags) => {
      ctx.status = await runDiff(base, head, flags);
    });
}

export async function runDiff(basePath: string, headPath: string, flags: DiffFlags): Promise<number> {
  if (basePath === '-' && headPath === '-') throw new UsageError('only one of the notebooks can be read from standard input');
  const options: DiffOptions = { ...(await loadConfig(flags.config)), ...optionsFromFlags(flags) };
  const base = readNotebook(basePath);
  const head = readNotebook(headPath);
  const diff = diffNotebooks(
    { notebook: base.notebook, name: basePath, nbformat: base.nbformat, warnings: base.warnings },
    { notebook: head.notebook, name: headPath, nbformat: head.nbformat, warnings: head.warnings },
    options,
  );
  printDiff(diff, flags);
  return diff.changed ? EXIT.different : EXIT.same;
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

function optionsFromFlags(f: DiffFlags): DiffOptions {
  const o: DiffOptions = {};
  if (f.ignoreOutputs) o.ignoreOutputs = true;
  if (f.ignoreMetadata) o.ignoreMetadata = true;
  if (f.ignoreExecutionCount) o.ignoreExecutionCount = true;
  if (f.ignoreIds) o.ignoreIds = true;
  if (f.ignoreWhitespace) o.ignoreWhitespace = true;
  if (f.ignorePath.length) o.ignorePaths = f.ignorePath;
  if (f.similarity !== undefined) o.similarity = f.similarity;
  if (f.imageThreshold !== undefined) o.imageThreshold = f.imageThreshold;
  if (f.imageTolerance !== undefined) o.imageTolerance = f.imageTolerance;
  if (f.imageMasks) o.imageMasks = true;
  return o;
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
