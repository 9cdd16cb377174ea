import type { Command } from 'commander';
import type { NotebookDiff } from '../../lib/model.js';
import { serializeNotebook } from '../../lib/notebook/index.js';
import { applyDiff, PatchError } from '../../lib/patch/apply.js';
import { EXIT, UsageError } from '../errors.js';
import { readBytes, readNotebook, writeOutput } from '../files.js';
import type { RunContext } from '../main.js';

export function registerApply(program: Command, ctx: RunContext): void {
  program
    .command('apply')
    .description('apply a diff made by `cellwise diff --json` to the base notebook, giving the head notebook')
    .argument('<base>', 'the notebook the diff was made from')
    .argument('<diff>', 'the diff (JSON; - for standard input)')
    .option('-o, --output <file>', 'write the patched notebook here instead of standard output')
    .option('-f, --force', 'replace the output file if it exists')
    .action((basePath: string, diffPath: string, flags: { output?: string; force?: boolean }) => {
      const base = readNotebook(basePath);
      let diff: NotebookDiff;
      try {
        diff = JSON.parse(new TextDecoder().decode(readBytes(diffPath))) as NotebookDiff;
      } catch (e) {
        if (e instanceof UsageError) throw e;
        throw new UsageError(`${diffPath}: not valid JSON: ${(e as Error).message}`);
      }
      if (typeof diff !== 'object' || diff === null || !Array.isArray(diff.cells)) {
        throw new UsageError(`${diffPath}: not a Cellwise diff (make one with cellwise diff A B --json)`);
      }
      let text: string;
      try {
        text = serializeNotebook(applyDiff(base.notebook, diff));
      } catch (e) {
        if (e instanceof PatchError) throw new UsageError(`${diffPath} does not apply to ${basePath}: ${e.message}`);
        throw e;
      }
      if (diff.ignored?.length) {
        process.stderr.write(`cellwise: warning: the diff ignored ${diff.ignored.join(', ')}; the result keeps base's version of those parts\n`);
      }
      if (flags.output) writeOutput(flags.output, text, !!flags.force);
      else process.stdout.write(text);
      ctx.status = EXIT.same;
    });
}
