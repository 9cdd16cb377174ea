/**
 * `cellwise textconv [--format=N] FILE`: a notebook as readable text, for git's `diff.cellwise.textconv`
 * (`git log -p`, `git show` and `git diff --no-ext-diff` diff this text). git runs it once per blob (cached
 * with `diff.cellwise.cachetextconv`), so main.ts runs it without loading the argument parser or the differ.
 *
 * It must never fail: git stops the whole log when a textconv exits non-zero. A file that is not a notebook
 * Cellwise can read is printed as it is (git then diffs the raw text) with the reason on standard error.
 */
import { readFileSync } from 'node:fs';
import { NotebookError } from '../../lib/notebook/errors.js';
import { parseNotebook } from '../../lib/notebook/parse.js';
import { notebookText } from '../../lib/render/text.js';
import { TEXT_FORMAT_VERSION } from '../../lib/render/text-format.js';
import { EXIT } from '../errors.js';

export const TEXTCONV_USAGE = 'usage: cellwise textconv [--format=N] FILE (run by git: see cellwise config-git)';

export function runTextconv(args: string[]): number {
  const files = args.filter((a) => !a.startsWith('--format='));
  const format = args.find((a) => a.startsWith('--format='));
  if (files.length !== 1 || args.includes('--help') || args.includes('-h')) {
    process.stderr.write(`${TEXTCONV_USAGE}\n`);
    return args.includes('--help') || args.includes('-h') ? EXIT.same : EXIT.error;
  }
  if (format !== undefined && format !== `--format=${TEXT_FORMAT_VERSION}`) {
    // An older registration: still print the current form, and say how to refresh git's cache.
    process.stderr.write(`cellwise: git is set up for text format ${format.slice(9)}; run \`cellwise config-git\` again to update it\n`);
  }
  const file = files[0]!;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file === '-' ? 0 : file);
  } catch (e) {
    process.stderr.write(`cellwise: cannot read ${file}: ${(e as Error).message}\n`);
    return EXIT.error;
  }
  let text: string;
  try {
    const parsed = parseNotebook(asText(bytes), file);
    text = notebookText(parsed.notebook, { nbformat: parsed.nbformat });
  } catch (e) {
    if (!(e instanceof NotebookError)) throw e;
    process.stderr.write(`cellwise: ${e.message} (shown as plain text)\n`);
    process.stdout.write(bytes);
    return EXIT.same;
  }
  process.stdout.write(text);
  return EXIT.same;
}

/**
 * UTF-8 text as Buffer decodes it, a third faster than the parser's validating decoder on large notebooks;
 * anything else (a byte-order mark, UTF-16) goes to the parser as bytes, which knows those encodings.
 * Invalid UTF-8 becomes U+FFFD here rather than an error: this text is only for reading.
 */
function asText(bytes: Buffer): string | Buffer {
  const [b0, b1] = [bytes[0], bytes[1]];
  const plain = bytes.length >= 2 && b0 !== 0 && b1 !== 0 && b0 !== 0xef && b0 !== 0xff && b0 !== 0xfe;
  return plain ? bytes.toString('utf8') : bytes;
}
