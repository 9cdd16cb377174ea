import type { Command } from 'commander';
import { checkNotebook } from '../../lib/stale/check.js';
import { renderCheck } from '../../lib/stale/render.js';
import type { CheckReport } from '../../lib/stale/types.js';
import { parseColorMode, useColor, type ColorMode } from '../color.js';
import { EXIT } from '../errors.js';
import { readNotebook } from '../files.js';
import type { RunContext } from '../main.js';
import { reportError } from '../main.js';

interface CheckFlags {
  json?: boolean;
  color: ColorMode;
}

export function registerCheck(program: Command, ctx: RunContext): void {
  program
    .command('check')
    .description('flag hidden-state risks in saved notebooks without running them: out-of-order execution counts, unexecuted cells, gaps, saved errors')
    .usage('[options] NOTEBOOK...')
    .argument('<notebooks...>', 'notebooks to check')
    .option('--json', 'print the findings as JSON')
    .option('--color <when>', 'colour the output: auto, always or never', parseColorMode, 'auto')
    .action((paths: string[], flags: CheckFlags) => {
      ctx.status = runCheck(paths, flags);
    });
}

/** Exit 0: no findings; 1: findings; 2: a notebook could not be read (the others are still checked). */
export function runCheck(paths: string[], flags: CheckFlags): number {
  const reports: CheckReport[] = [];
  const failed: { file: string; error: string }[] = [];
  for (const file of paths) {
    try {
      reports.push({ file, findings: checkNotebook(readNotebook(file).notebook) });
    } catch (e) {
      // reportError prints the one-line message (and rethrows what is not the user's to fix).
      reportError(e);
      failed.push({ file, error: e instanceof Error ? e.message : String(e) });
    }
  }
  if (flags.json) {
    const out = { format: 'cellwise-check', version: 1, notebooks: [...reports, ...failed] };
    process.stdout.write(JSON.stringify(out, null, process.stdout.isTTY ? 2 : undefined) + '\n');
  } else if (reports.length > 0) {
    process.stdout.write(renderCheck(reports, { color: useColor(flags.color) }));
  }
  if (failed.length > 0) return EXIT.error;
  return reports.some((r) => r.findings.length > 0) ? EXIT.different : EXIT.same;
}
