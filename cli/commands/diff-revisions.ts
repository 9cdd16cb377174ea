/**
 * `cellwise diff [--cached] [REV [REV]] [-- PATH...]`: the notebooks changed between two revisions, or
 * between the working tree (or the index) and a revision, as `git diff` takes them. git lists the changes
 * (with renames) and gives the blobs; each notebook is diffed and printed as the diff driver prints it.
 */
import type { DiffOptions } from '../../lib/diff/options.js';
import type { NotebookDiff } from '../../lib/model.js';
import { NotebookError } from '../../lib/notebook/index.js';
import { createStyle } from '../../lib/render/style.js';
import { terminalDiffOptions } from '../../lib/render/terminal.js';
import { useColor } from '../color.js';
import { EXIT, UsageError } from '../errors.js';
import { findRepository } from '../git/exec.js';
import { diffFiles, type FileHeader, type FileStatus, isNotebookPath, outputWidth, renderFile, type RenderFlags } from '../git/file-diff.js';
import { type ChangeQuery, listChanges, type RawChange, readVersion } from '../git/revisions.js';
import { page } from '../pager.js';
import type { DiffFlags } from './diff.js';

/** One notebook in `--json` output. */
export interface FileEntry {
  path: string;
  oldPath: string;
  status: FileStatus;
  /** The working-tree file still has a merge conflict; this is it against the current branch's version. */
  unmerged?: boolean;
  diff?: NotebookDiff;
  /** Why this notebook could not be diffed (then `diff` is absent). */
  error?: string;
}

export async function runRevisionDiff(query: Omit<ChangeQuery, 'cwd'>, flags: DiffFlags, options: DiffOptions): Promise<number> {
  const repo = findRepository();
  if (!repo) throw new UsageError('not in a git repository');
  const changes = listChanges(query);
  const unmerged = new Set(changes.filter((c) => c.status === 'unmerged').map((c) => c.newPath));
  const files: FileEntry[] = [];
  const skipped: { path: string; status: string }[] = [];
  const headers: FileHeader[] = [];
  const diffOptions = flags.json ? options : { ...options, ...terminalDiffOptions };

  for (const change of changes) {
    const notebook = isNotebookPath(change.newPath) || isNotebookPath(change.oldPath);
    if (change.status === 'unmerged') {
      // `git diff` lists an unmerged path twice: U, then the working tree against our side (unless --cached).
      if (!changes.some((c) => c !== change && c.newPath === change.newPath)) skipped.push({ path: change.newPath, status: 'unmerged' });
      continue;
    }
    if (!notebook || change.status === 'unknown') {
      skipped.push({ path: change.newPath, status: change.status });
      continue;
    }
    const header = toHeader(change);
    headers.push(header);
    const entry: FileEntry = { path: change.newPath, oldPath: change.oldPath, status: header.status, ...(unmerged.has(change.newPath) ? { unmerged: true } : {}) };
    try {
      entry.diff = diffChange(change, header, repo.topLevel, diffOptions);
    } catch (e) {
      if (!(e instanceof NotebookError) && !(e instanceof UsageError)) throw e;
      entry.error = e.message;
    }
    files.push(entry);
  }

  if (flags.json) {
    process.stdout.write(JSON.stringify({ files, skipped }, null, process.stdout.isTTY ? 2 : undefined) + '\n');
  } else {
    printTerminal(files, headers, skipped, flags);
  }
  const errors = files.filter((f) => f.error !== undefined);
  for (const f of errors) process.stderr.write(`cellwise: ${f.error}\n`);
  if (errors.length) return EXIT.error;
  // Like `git diff --exit-code`: a rename, an added or deleted notebook or a mode change is a difference too.
  const differs = files.some((f, i) => f.diff?.changed || f.status !== 'modified' || headers[i]!.oldMode !== headers[i]!.newMode);
  return differs ? EXIT.different : EXIT.same;
}

function diffChange(change: RawChange, header: FileHeader, topLevel: string | null, options: DiffOptions): NotebookDiff {
  const needsTree = /^0+$/.test(change.newSha) && !/^0+$/.test(change.newMode);
  if (needsTree && topLevel === null) throw new UsageError('a bare repository has no working tree: give two revisions');
  const top = topLevel ?? '';
  const base = { bytes: readVersion(change.oldSha, change.oldMode, change.oldPath, top), name: `a/${change.oldPath}` };
  // A working-tree file is named by its path, as the user knows it (conflict markers are reported there).
  const head = { bytes: readVersion(change.newSha, change.newMode, change.newPath, top), name: needsTree ? change.newPath : `b/${change.newPath}` };
  return diffFiles(base, head, header, options);
}

function toHeader(change: RawChange): FileHeader {
  const status = change.status as FileStatus;
  return {
    status,
    oldPath: change.oldPath,
    newPath: change.newPath,
    ...(status !== 'added' ? { oldMode: change.oldMode, oldHex: change.oldSha } : {}),
    ...(status !== 'deleted' ? { newMode: change.newMode, newHex: change.newSha } : {}),
    ...(change.score !== undefined ? { similarity: change.score } : {}),
  };
}

function printTerminal(files: FileEntry[], headers: FileHeader[], skipped: { path: string; status: string }[], flags: DiffFlags): void {
  const color = useColor(flags.color);
  const style = createStyle(color);
  const render: RenderFlags = { color, context: flags.context, width: outputWidth(), expandRerun: !!flags.expandRerun, showUnchanged: !!flags.showUnchanged };
  const parts: string[] = [];
  files.forEach((file, i) => {
    // A notebook that cannot be read is reported once, on standard error, and the exit status is 2.
    if (file.error !== undefined) return;
    const header = headers[i]!;
    const unmerged = file.unmerged ? `${style.strong(`* Unmerged path ${file.path}`)}\n` : '';
    // The same blob under another name or mode: git's header lines say it all.
    const sameBlob = header.oldHex !== undefined && header.oldHex === header.newHex && !/^0+$/.test(header.oldHex);
    parts.push(unmerged + renderFile(header, sameBlob ? undefined : file.diff, render));
  });
  if (files.length === 0) parts.push(`${style.dim('no notebooks changed')}\n`);
  const others = skipped.filter((s) => s.status !== 'unmerged').map((s) => s.path);
  const conflicts = skipped.filter((s) => s.status === 'unmerged').map((s) => s.path);
  if (others.length) parts.push(`${style.dim(`not notebooks, not shown: ${others.join(', ')}`)}\n`);
  if (conflicts.length) parts.push(`${style.dim(`unmerged, not shown (resolve the conflict first): ${conflicts.join(', ')}`)}\n`);
  // Like `git diff`: through git's pager on a terminal.
  page(parts.join('\n'));
}
