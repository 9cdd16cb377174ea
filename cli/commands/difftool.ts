/**
 * `cellwise difftool LOCAL REMOTE [MERGED]`: git's `difftool.cellwise.cmd`. `git difftool -t cellwise` runs it
 * once per changed file (LOCAL and REMOTE are files, /dev/null for an added or deleted one, MERGED the path);
 * `git difftool -d -t cellwise` once for the whole change (LOCAL and REMOTE are folders holding the two
 * versions of every changed file), which gives one view listing every changed notebook.
 *
 * The view is the side-by-side viewer in a browser (a self-contained report in a temporary folder, so
 * nothing has to keep serving it) when a browser can be opened; with `--terminal`, or over SSH and in CI
 * where none can, it is the terminal diff, through git's pager.
 */
import type { Command } from 'commander';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join, relative, sep } from 'node:path';
import type { DiffOptions } from '../../lib/diff/options.js';
import { NotebookError, parseNotebook } from '../../lib/notebook/index.js';
import { reviewFile, reviewPayload, type ReviewFile } from '../../lib/review.js';
import { canOpenBrowser, openBrowser } from '../browser.js';
import { diffSides } from '../diff-sides.js';
import { createStyle } from '../../lib/render/style.js';
import { terminalDiffOptions } from '../../lib/render/terminal.js';
import { parseColorMode, type ColorMode } from '../color.js';
import { loadConfig } from '../config.js';
import { EXIT, UsageError } from '../errors.js';
import { gitWantsColor } from '../git/config.js';
import { diffFiles, diffSidesOf, type FileHeader, isNotebookPath, outputWidth, renderFile, type RenderFlags } from '../git/file-diff.js';
import { plainDiff } from '../git/plain.js';
import type { RunContext } from '../main.js';
import { page } from '../pager.js';

const DEV_NULL = '/dev/null';

interface DifftoolFlags {
  terminal?: boolean;
  color: ColorMode;
}

export function registerDifftool(program: Command, ctx: RunContext): void {
  program
    .command('difftool')
    .description('show two versions of a notebook, or two folders of them, for `git difftool -t cellwise` (see config-git)')
    .argument('<local>', 'the old version (a file, /dev/null, or a folder with -d)')
    .argument('<remote>', 'the new version')
    .argument('[merged]', 'the path git names the file by')
    .option('--terminal', 'print the terminal diff, never a browser view')
    .option('--color <when>', 'colour the output: auto (as git would), always or never', parseColorMode, 'auto')
    .action(async (local: string, remote: string, merged: string | undefined, flags: DifftoolFlags) => {
      ctx.status = await runDifftool(local, remote, merged, flags);
    });
}

/** One file to show: git's two versions of it, on disk. */
interface Pair {
  header: FileHeader;
  oldFile: string;
  newFile: string;
}

export async function runDifftool(local: string, remote: string, merged: string | undefined, flags: DifftoolFlags): Promise<number> {
  const { pairs, skipped } = isFolder(local) && isFolder(remote) ? folderPairs(local, remote) : { pairs: [filePair(local, remote, merged)], skipped: [] };
  const view = chooseView(!!flags.terminal || process.env.CELLWISE_DIFFTOOL === 'terminal');
  const color = flags.color === 'auto' ? gitWantsColor(!!process.stdout.isTTY) : flags.color === 'always';
  const render: RenderFlags = { color, context: 3, width: outputWidth() };
  const style = createStyle(color);
  const options = await loadConfig(undefined);

  if (view.view === 'browser') return showInBrowser(pairs, skipped, options);

  let failed = false;
  const parts: string[] = [];
  // git runs the tool once per file: say it before the first one only.
  const first = Number(process.env.GIT_DIFF_PATH_COUNTER || '1') <= 1;
  if (view.note && first) parts.push(`${style.dim(view.note)}\n`);
  for (const pair of pairs) {
    const shown = showPair(pair, options, render);
    failed ||= shown.failed;
    parts.push(shown.text);
  }
  if (pairs.length === 0) parts.push(`${style.dim('no notebooks changed')}\n`);
  if (skipped.length) parts.push(`${style.dim(`not notebooks, not shown: ${skipped.join(', ')}`)}\n`);
  page(parts.join('\n'));
  return failed ? EXIT.error : EXIT.same;
}

export const NO_BROWSER_NOTE = 'No browser can be opened here (no $BROWSER or display): this is the terminal diff.';

/** Where the diff is shown: the browser when one can be opened, else the terminal, saying why once. */
function chooseView(terminalAsked: boolean): { view: 'terminal' | 'browser'; note?: string } {
  if (terminalAsked) return { view: 'terminal' };
  if (canOpenBrowser()) return { view: 'browser' };
  return { view: 'terminal', note: NO_BROWSER_NOTE };
}

/** One review of every notebook pair, written as a self-contained page and opened in the browser. */
async function showInBrowser(pairs: Pair[], skipped: string[], options: DiffOptions): Promise<number> {
  const files: ReviewFile[] = [];
  for (const { header, oldFile, newFile } of pairs) {
    if (!isNotebookPath(header.newPath)) continue;
    const status = header.status === 'deleted' ? 'deleted' : header.status === 'added' ? 'added' : 'modified';
    const extra = { status, ...(header.oldPath !== header.newPath ? { oldPath: header.oldPath } : {}) } as const;
    try {
      const b = read(oldFile);
      const h = read(newFile);
      const base = b ? parseNotebook(b, header.oldPath) : null;
      const head = h ? parseNotebook(h, header.newPath) : null;
      const diff = await diffSides(...diffSidesOf(base, head, header), { ...options, imageMasks: true });
      files.push(reviewFile(header.newPath, diff, base?.notebook ?? null, head?.notebook ?? null, extra));
    } catch (e) {
      if (!(e instanceof NotebookError) && !(e instanceof UsageError)) throw e;
      files.push(reviewFile(header.newPath, null, null, null, { ...extra, error: e.message }));
    }
  }
  const title = files.length === 1 ? files[0]!.path : `${files.length} notebooks`;
  const page = join(mkdtempSync(join(tmpdir(), 'cellwise-difftool-')), 'review.html');
  const { writeReport } = await import('../report.js'); // not loaded for the terminal (see web.ts)
  await writeReport(page, reviewPayload(title, files));
  openBrowser(pathToFileURL(page).href);
  process.stderr.write(`cellwise: opened the review of ${title} in the browser: ${page}\n`);
  if (skipped.length) process.stderr.write(`cellwise: not notebooks, not shown: ${skipped.join(', ')}\n`);
  return files.some((f) => f.error) ? EXIT.error : EXIT.same;
}

function showPair(pair: Pair, options: DiffOptions, render: RenderFlags): { text: string; failed: boolean } {
  const { header, oldFile, newFile } = pair;
  const labels = [oldFile === DEV_NULL ? DEV_NULL : `a/${header.oldPath}`, newFile === DEV_NULL ? DEV_NULL : `b/${header.newPath}`] as const;
  if (!isNotebookPath(header.newPath)) {
    return { text: plainDiff(oldFile, newFile, labels[0], labels[1], render.color), failed: false };
  }
  try {
    const base = { bytes: read(oldFile), name: labels[0] };
    const head = { bytes: read(newFile), name: newFile === DEV_NULL ? DEV_NULL : header.newPath };
    const same = base.bytes && head.bytes && Buffer.from(base.bytes).equals(Buffer.from(head.bytes));
    return { text: renderFile(header, same ? undefined : diffFiles(base, head, header, { ...options, ...terminalDiffOptions }), render), failed: false };
  } catch (e) {
    if (!(e instanceof NotebookError) && !(e instanceof UsageError)) throw e;
    const text = renderFile(header, undefined, render, [`${e.message} (showing a plain diff)`])
      + plainDiff(oldFile, newFile, labels[0], labels[1], render.color);
    return { text, failed: true };
  }
}

function filePair(local: string, remote: string, merged: string | undefined): Pair {
  const status = local === DEV_NULL ? 'added' : remote === DEV_NULL ? 'deleted' : 'modified';
  // From git, MERGED names the file (LOCAL and REMOTE are temporary copies); run by hand, the two files do.
  const oldPath = merged || (local === DEV_NULL ? remote : local);
  const newPath = merged || (remote === DEV_NULL ? local : remote);
  return { header: { status, oldPath, newPath }, oldFile: local, newFile: remote };
}

/** Every file in either folder (git's dir-diff links the working tree's files into REMOTE), paired by path. */
function folderPairs(left: string, right: string): { pairs: Pair[]; skipped: string[] } {
  const a = new Set(filesUnder(left));
  const b = new Set(filesUnder(right));
  const pairs: Pair[] = [];
  const skipped: string[] = [];
  for (const path of [...new Set([...a, ...b])].sort()) {
    if (!isNotebookPath(path)) {
      skipped.push(path);
      continue;
    }
    const oldFile = a.has(path) ? join(left, path) : DEV_NULL;
    const newFile = b.has(path) ? join(right, path) : DEV_NULL;
    if (a.has(path) && b.has(path) && readFileSync(oldFile).equals(readFileSync(newFile))) continue;
    const status = !a.has(path) ? 'added' : !b.has(path) ? 'deleted' : 'modified';
    pairs.push({ header: { status, oldPath: path, newPath: path }, oldFile, newFile });
  }
  return { pairs: pairRenames(pairs), skipped };
}

/** A folder diff has no renames: a deleted and an added notebook with the same bytes are one rename. */
function pairRenames(pairs: Pair[]): Pair[] {
  const added = pairs.filter((p) => p.header.status === 'added');
  const used = new Set<Pair>();
  const result: Pair[] = [];
  for (const pair of pairs) {
    if (used.has(pair)) continue;
    if (pair.header.status === 'deleted') {
      const bytes = readFileSync(pair.oldFile);
      const twin = added.find((a) => !used.has(a) && readFileSync(a.newFile).equals(bytes));
      if (twin) {
        used.add(twin);
        result.push({ header: { status: 'renamed', oldPath: pair.header.oldPath, newPath: twin.header.newPath, similarity: 100 }, oldFile: pair.oldFile, newFile: twin.newFile });
        continue;
      }
    }
    result.push(pair);
  }
  return result;
}

function filesUnder(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && safeStat(full)?.isDirectory());
      if (isDir) {
        if (!entry.isSymbolicLink()) walk(full);
      } else {
        files.push(relative(root, full).split(sep).join('/'));
      }
    }
  };
  walk(root);
  return files;
}

function read(file: string): Uint8Array | null {
  if (file === DEV_NULL) return null;
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

function isFolder(path: string): boolean {
  return existsSync(path) && !!safeStat(path)?.isDirectory();
}

function safeStat(path: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
