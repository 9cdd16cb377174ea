/**
 * The fallback when a version is not a notebook Cellwise can read (conflict markers, broken JSON, a symlink):
 * git's own line diff of the two files, so that the user still sees what changed and git never stops.
 */
import { stripAnsi } from '../../lib/util/text.js';
import { createStyle } from '../../lib/render/style.js';
import { git } from './exec.js';

/**
 * `git diff --no-index` of two files on disk, its header (which names temporary files) replaced by
 * `--- a/old` / `+++ b/new` (or /dev/null).
 */
export function plainDiff(oldFile: string, newFile: string, oldLabel: string, newLabel: string, color: boolean): string {
  const r = git(['diff', '--no-index', '--no-ext-diff', '--no-textconv', `--color=${color ? 'always' : 'never'}`, '--', oldFile, newFile]);
  const lines = r.stdout.toString('utf8').split('\n');
  const hunk = lines.findIndex((line) => stripAnsi(line).startsWith('@@'));
  const style = createStyle(color);
  if (hunk === -1) {
    const binary = lines.find((line) => stripAnsi(line).startsWith('Binary files'));
    if (binary) return `Binary files ${oldLabel} and ${newLabel} differ\n`;
    return r.status === 0 ? '' : `${r.stderr.trim()}\n`;
  }
  return [style.strong(`--- ${oldLabel}`), style.strong(`+++ ${newLabel}`), ...lines.slice(hunk)].join('\n').replace(/\n?$/, '\n');
}
