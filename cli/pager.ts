import { spawnSync } from 'node:child_process';
import { git } from './git/exec.js';

/**
 * Shows text as git shows a long diff: through git's pager (`core.pager`, GIT_PAGER, PAGER; `less` with
 * LESS=FRX as git sets it, so a short text prints and exits) when standard output is a terminal, else as is.
 */
export function page(text: string, stream: NodeJS.WriteStream = process.stdout): void {
  if (!stream.isTTY) {
    stream.write(text);
    return;
  }
  // git difftool empties GIT_PAGER for its tools (so that its own `git diff` does not page); the user's choice
  // is still core.pager or PAGER, which `git var` finds once the empty value is out of the way.
  const env = { ...process.env };
  if (env.GIT_PAGER === '') delete env.GIT_PAGER;
  const r = git(['var', 'GIT_PAGER'], { env });
  const pager = r.status === 0 ? r.stdout.toString('utf8').trim() : 'less';
  if (pager === '' || pager === 'cat') {
    stream.write(text);
    return;
  }
  if (env.LESS === undefined) env.LESS = 'FRX';
  if (env.LV === undefined) env.LV = '-c';
  const shown = spawnSync(pager, { shell: true, input: text, stdio: ['pipe', 'inherit', 'inherit'], env });
  if (shown.error) stream.write(text);
}
