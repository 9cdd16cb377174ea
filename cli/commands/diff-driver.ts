/**
 * `cellwise diff-driver`: git's `diff.cellwise.command`, run by `git diff` (and `git log -p --ext-diff`) for
 * every changed notebook with git's external-diff arguments:
 *
 *   path old-file old-hex old-mode new-file new-hex new-mode [new-path rename-info]
 *
 * old-file or new-file is /dev/null (hex and mode `.`) for an added or deleted file; a rename or copy adds
 * the new path and git's extended header lines; an unmerged path gets the path alone.
 *
 * git stops the whole diff when an external diff exits non-zero, so this always exits 0 once it has been
 * given git's arguments: a notebook that does not parse gets one line saying why, then a plain line diff.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { DiffOptions } from '../../lib/diff/options.js';
import type { NotebookDiff } from '../../lib/model.js';
import { NotebookError } from '../../lib/notebook/index.js';
import { terminalDiffOptions } from '../../lib/render/terminal.js';
import { loadConfig } from '../config.js';
import { EXIT, UsageError } from '../errors.js';
import { gitWantsColor } from '../git/config.js';
import { diffFilesInParallel, type FileHeader, type FileSide, NULL_HEX, outputWidth, renderFile } from '../git/file-diff.js';
import { plainDiff } from '../git/plain.js';

export const DRIVER_USAGE = 'usage: cellwise diff-driver PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE [NEW-PATH INFO] (run by git: see cellwise config-git)';

const DEV_NULL = '/dev/null';

export async function runDiffDriver(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${DRIVER_USAGE}\n`);
    return EXIT.same;
  }
  // `git difftool` works by setting GIT_EXTERNAL_DIFF to its helper, but git runs a diff driver's command
  // instead of GIT_EXTERNAL_DIFF: without this, `git difftool -t <any tool>` would print our diff for
  // notebooks and never open the tool.
  const external = process.env.GIT_EXTERNAL_DIFF;
  if (external && /(^|[\\/])git-difftool--helper$/.test(external)) {
    const r = spawnSync(external, args, { stdio: 'inherit' });
    return r.status ?? EXIT.error;
  }
  if (args.length === 1) {
    // Unmerged: git passes the path alone (and then the working tree against this branch's version).
    process.stdout.write(`* Unmerged path ${args[0]}\n`);
    return EXIT.same;
  }
  if (args.length !== 7 && args.length !== 9) throw new UsageError(DRIVER_USAGE);

  const [path, oldFile, oldHex, oldMode, newFile, newHex, newMode, newPath, info] = args as [string, string, string, string, string, string, string, string?, string?];
  const header: FileHeader = {
    status: oldFile === DEV_NULL ? 'added' : newFile === DEV_NULL ? 'deleted' : newPath === undefined ? 'modified' : /^copy /m.test(info ?? '') ? 'copied' : 'renamed',
    oldPath: path,
    newPath: newPath ?? path,
    ...(oldFile !== DEV_NULL ? { oldMode, oldHex } : {}),
    ...(newFile !== DEV_NULL ? { newMode, newHex } : {}),
    ...(info !== undefined ? { gitLines: info.split('\n').filter((line) => line !== '') } : {}),
  };
  const color = safely(() => gitWantsColor(!!process.stdout.isTTY), false);
  const flags = { color, context: 3, width: outputWidth() };
  // GIT_DIFF_PATH_COUNTER counts git's calls of external diffs: from the second notebook on, a blank line
  // separates it from the one before (git does not say which call is the last).
  const separator = Number(process.env.GIT_DIFF_PATH_COUNTER) > 1 ? '\n' : '';

  let out: string;
  try {
    const base = readSide(oldFile, `a/${header.oldPath}`);
    const head = readSide(newFile, NULL_HEX.test(newHex) ? header.newPath : `b/${header.newPath}`);
    const sameBlob = oldHex === newHex && !NULL_HEX.test(oldHex);
    const sameBytes = base.bytes && head.bytes && Buffer.from(base.bytes).equals(Buffer.from(head.bytes));
    let diff: NotebookDiff | undefined;
    const problems: string[] = [];
    if (!sameBlob && !sameBytes) {
      const { options, problem } = await driverOptions();
      if (problem) problems.push(problem);
      diff = await diffFilesInParallel(base, head, header, { ...options, ...terminalDiffOptions });
    }
    out = renderFile(header, diff, flags, problems);
  } catch (e) {
    // Never let git stop: say what is wrong with this file, show git's own line diff of it, go on.
    const message = e instanceof NotebookError || e instanceof UsageError ? e.message : `internal error: ${(e as Error)?.stack ?? e}`;
    out = renderFile(header, undefined, flags, [`${message} (showing a plain diff)`])
      + safely(() => plainDiff(oldFile, newFile, label(oldFile, 'a', header.oldPath), label(newFile, 'b', header.newPath), color), '');
  }
  process.stdout.write(separator + out);
  return EXIT.same;
}

function readSide(file: string, name: string): FileSide {
  if (file === DEV_NULL) return { bytes: null, name };
  try {
    return { bytes: readFileSync(file), name };
  } catch (e) {
    throw new UsageError(`cannot read ${name}: ${(e as Error).message}`);
  }
}

function label(file: string, prefix: string, path: string): string {
  return file === DEV_NULL ? DEV_NULL : `${prefix}/${path}`;
}

/** `.cellwise.yml` at the top of the working tree (git runs us there); a broken one is reported, not fatal. */
async function driverOptions(): Promise<{ options: DiffOptions; problem?: string }> {
  try {
    return { options: await loadConfig(undefined) };
  } catch (e) {
    if (e instanceof UsageError) return { options: {}, problem: `${e.message} (using the default settings)` };
    throw e;
  }
}

function safely<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}
