import { Command, CommanderError } from 'commander';
import { NotebookError } from '../lib/notebook/index.js';
import { registerApply } from './commands/apply.js';
import { registerDiff } from './commands/diff.js';
import { EXIT, UsageError } from './errors.js';

const VERSION = '0.1.0';

/** What a command reports back; commander does not pass an action's return value through. */
export interface RunContext {
  status: number;
}

/** Entry point of the `cellwise` command; returns the exit status (0 same, 1 different, 2 error). */
export async function main(argv: string[]): Promise<number> {
  const ctx: RunContext = { status: EXIT.same };
  const program = new Command('cellwise')
    .description('Reviewable Jupyter notebook diffs: cell by cell, with moves, outputs and pixel diffs of plots')
    .version(VERSION)
    .showHelpAfterError('(run cellwise --help for usage)');
  registerDiff(program, ctx);
  registerApply(program, ctx);
  program.exitOverride();
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    return reportError(e);
  }
  return ctx.status;
}

function reportError(e: unknown): number {
  // --help and --version end here with code 0; usage errors were already printed by commander.
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.same : EXIT.error;
  if (e instanceof NotebookError || e instanceof UsageError || e instanceof RangeError) {
    process.stderr.write(`cellwise: ${e.message}\n`);
    return EXIT.error;
  }
  throw e;
}
