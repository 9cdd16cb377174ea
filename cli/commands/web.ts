/**
 * `cellwise web A B` and `cellwise web [REV [REV]] [-- PATH...]`: the review viewer in a browser, served on
 * 127.0.0.1 until Ctrl-C.
 */
import type { Command } from 'commander';
import type { ReviewPayload } from '../../lib/review.js';
import { openBrowser } from '../browser.js';
import { EXIT, UsageError } from '../errors.js';
import type { RunContext } from '../main.js';
import { chooseMode, diffOptions, type OptionFlags } from './diff.js';

interface WebFlags extends OptionFlags {
  port?: number;
  open: boolean;
  cached?: boolean;
  staged?: boolean;
}

export function registerWeb(program: Command, ctx: RunContext): void {
  program
    .command('web')
    .description('review two notebooks, or the notebooks changed in git, in the browser (served on 127.0.0.1 until Ctrl-C)')
    .usage('[options] BASE HEAD\n       cellwise web [options] [--cached] [REV [REV]] [-- PATH...]')
    .argument('[args...]', 'two notebooks; or git revisions and, after --, paths (as for cellwise diff)')
    .option('--port <port>', 'port on 127.0.0.1 (default: a free one)', portNumber)
    .option('--no-open', 'print the URL but do not open a browser')
    .option('--cached', 'git: compare the index (what is staged) with HEAD, or with REV')
    .option('--staged', 'the same as --cached')
    .option('-c, --config <file>', 'settings file (default: .cellwise.yml in the current folder, if any)')
    .option('--ignore-outputs', 'leave outputs out of the comparison')
    .option('--ignore-metadata', 'leave notebook, cell and output metadata out')
    .option('--ignore-execution-count', 'leave execution counts out')
    .option('--ignore-ids', 'leave cell ids out (cells are matched by content)')
    .option('-w, --ignore-whitespace', 'lines that differ only in whitespace are equal')
    .action(async (args: string[], flags: WebFlags) => {
      const cached = !!(flags.cached || flags.staged);
      const at = ctx.argv.indexOf('--');
      const mode = chooseMode(args, at === -1 ? undefined : ctx.argv.length - at - 1, cached);
      const options = await diffOptions(flags);
      // Loaded here: the report and the server bring node:http and node:crypto, which every other command's
      // start-up (a `cellwise diff` run) would pay for otherwise.
      const { reviewOfFiles, reviewOfRevisions } = await import('../report.js');
      const review = mode.kind === 'files'
        ? await reviewOfFiles(mode.base, mode.head, options)
        : await reviewOfRevisions({ revisions: mode.revisions, paths: mode.paths, cached }, options);
      ctx.status = await runWeb(review, flags);
    });
}

export async function runWeb(review: ReviewPayload, flags: Pick<WebFlags, 'port' | 'open'>): Promise<number> {
  const { serveReview } = await import('../serve.js');
  const server = await serveReview(review, flags.port ?? 0);
  process.stdout.write(`Cellwise review at ${server.url}\n(Ctrl-C to stop)\n`);
  if (flags.open) openBrowser(server.url);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return EXIT.same;
}

function portNumber(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`--port must be a port number, not "${v}"`);
  return n;
}
