import { Command, CommanderError } from 'commander';
import { registerApply } from './commands/apply.js';
import { registerCheck } from './commands/check.js';
import { registerConfigGit } from './commands/config-git.js';
import { registerDiff } from './commands/diff.js';
import { registerDifftool } from './commands/difftool.js';
import { registerWeb } from './commands/web.js';
import { registerStale } from './commands/stale.js';
import { EXIT } from './errors.js';
import type { RunContext } from './main.js';

const VERSION = '0.1.0';

/** The `cellwise` command line, parsed by commander; returns the exit status. */
export async function runProgram(argv: string[]): Promise<number> {
  const ctx: RunContext = { status: EXIT.same, argv };
  const program = new Command('cellwise')
    .description('Reviewable Jupyter notebook diffs: cell by cell, with moves, outputs and pixel diffs of plots')
    .version(VERSION)
    .showHelpAfterError('(run cellwise --help for usage)');
  registerDiff(program, ctx);
  registerApply(program, ctx);
  registerCheck(program, ctx);
  registerConfigGit(program, ctx);
  registerDifftool(program, ctx);
  registerWeb(program, ctx);
  registerStale(program, ctx);
  program.exitOverride();
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    // --help and --version end here with code 0; usage errors were already printed by commander.
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.same : EXIT.error;
    throw e;
  }
  return ctx.status;
}
