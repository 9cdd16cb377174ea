import { NotebookError } from '../lib/notebook/errors.js';
import { EXIT, UsageError } from './errors.js';

/** What a command reports back; commander does not pass an action's return value through. */
export interface RunContext {
  status: number;
  /** The arguments as given: `cellwise diff` needs to know where `--` stood, which commander drops. */
  argv: string[];
}

/**
 * Commands git runs, once per file and often hundreds of times in one `git log -p`: they skip the argument
 * parser and load only what they use (the textconv path starts in about half the time of a full `cellwise`).
 */
const RUN_BY_GIT: Record<string, (args: string[]) => Promise<number>> = {
  textconv: async (args) => (await import('./commands/textconv.js')).runTextconv(args),
  'diff-driver': async (args) => (await import('./commands/diff-driver.js')).runDiffDriver(args),
};

/** Entry point of the `cellwise` command; returns the exit status (0 same, 1 different, 2 error). */
export async function main(argv: string[]): Promise<number> {
  try {
    const byGit = argv[0] !== undefined ? RUN_BY_GIT[argv[0]] : undefined;
    if (byGit) return await byGit(argv.slice(1));
    const { runProgram } = await import('./program.js');
    return await runProgram(argv);
  } catch (e) {
    return reportError(e);
  }
}

export function reportError(e: unknown): number {
  if (e instanceof NotebookError || e instanceof UsageError || e instanceof RangeError) {
    process.stderr.write(`cellwise: ${e.message}\n`);
    return EXIT.error;
  }
  throw e;
}
