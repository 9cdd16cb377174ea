/**
 * The viewer page with a review in it: the `--html` report (the review embedded, one file that works offline
 * from file://) and the page `cellwise web` serves (the review fetched from the server). Both start from the
 * single-file build of web/ in dist/web/index.html.
 */
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DiffOptions } from '../lib/diff/options.js';
import type { NotebookDiff } from '../lib/model.js';
import { NotebookError, parseNotebook, type ParsedNotebook } from '../lib/notebook/index.js';
import { REVIEW_PLACEHOLDER, writePage } from '../lib/render/page.js';
import { reviewFile, reviewPayload, type ReviewFile, type ReviewPayload } from '../lib/review.js';
import { diffSides } from './diff-sides.js';
import { UsageError } from './errors.js';
import { findRepository } from './git/exec.js';
import { diffSidesOf, isNotebookPath } from './git/file-diff.js';
import { listChanges, readVersion, type ChangeQuery } from './git/revisions.js';
import { readNotebook } from './files.js';
import { imageProgress } from './progress.js';

// The pure page pieces live in lib/ (the GitHub App serves the same page); their callers here import them from this file.
export { contentSecurityPolicy, renderPage, scriptHashes } from '../lib/render/page.js';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/cli/report.js → dist/web; cli/report.ts (tests run the source) → dist/web. */
const TEMPLATE_CANDIDATES = [join(here, '../web/index.html'), join(here, '../dist/web/index.html')];

let cached: string | undefined;
export function loadTemplate(): string {
  if (cached) return cached;
  const path = TEMPLATE_CANDIDATES.find((p) => existsSync(p));
  if (!path) throw new UsageError('the viewer is not built (dist/web/index.html is missing): run `npm run build`');
  const html = readFileSync(path, 'utf8');
  if (!html.includes(REVIEW_PLACEHOLDER)) throw new UsageError(`${path} is not a Cellwise viewer build`);
  cached = html;
  return html;
}

/**
 * Writes the page with the review in it, its code colored now (see lib/render/syntax/precolor.ts): a report
 * is written once and opened many times, and coloring was the largest part of opening it.
 */
export async function writeReport(path: string, review: ReviewPayload): Promise<void> {
  const template = loadTemplate();
  const colored = await withColors(review);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'w');
    const out = fd;
    // In pieces: the review of large notebooks is hundreds of megabytes as one string (see writeEmbeddableJson).
    writePage(template, { review: colored }, (piece) => writeSync(out, piece));
  } catch (e) {
    // The file system's refusals (EACCES, ENOSPC, …) are the user's to fix; anything else is a bug.
    if (typeof (e as NodeJS.ErrnoException).code === 'string') throw new UsageError(`cannot write ${path}: ${(e as Error).message}`);
    throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The review with its code colored for the page (lib/render/syntax/precolor.ts); a failure is a warning. */
export async function withColors(review: ReviewPayload): Promise<ReviewPayload> {
  // Imported here: the grammars are needed only by the commands that show the viewer.
  const precolor = await import('../lib/render/syntax/precolor.js');
  return precolor.withColors(review, (e) => {
    process.stderr.write(`cellwise: warning: could not color the code ahead of time (${e instanceof Error ? e.message : String(e)}); the page will\n`);
  });
}

/** The viewer shows image diff masks, so reviews always ask for them. */
function reviewOptions(options: DiffOptions): DiffOptions {
  return { ...options, imageMasks: true };
}

/** A review of two notebook files. */
export async function reviewOfFiles(basePath: string, headPath: string, options: DiffOptions): Promise<ReviewPayload> {
  const base = readNotebook(basePath);
  const head = readNotebook(headPath);
  const diff = await diffSides(...diffSidesOf(base, head, { oldPath: basePath, newPath: headPath }), reviewOptions(options), undefined,
    imageProgress(`${basePath} → ${headPath}`));
  return reviewOfDiff(basePath, headPath, base, head, diff);
}

/** The review of two notebook files already diffed (with image masks, which the viewer shows). */
export function reviewOfDiff(basePath: string, headPath: string, base: ParsedNotebook, head: ParsedNotebook, diff: NotebookDiff): ReviewPayload {
  return reviewPayload(`${basePath} → ${headPath}`, [reviewFile(headPath, diff, base.notebook, head.notebook, basePath !== headPath ? { oldPath: basePath } : {})]);
}

/** A review of the notebooks changed between revisions, as `cellwise diff REV…` lists them. */
export async function reviewOfRevisions(query: Omit<ChangeQuery, 'cwd'>, options: DiffOptions): Promise<ReviewPayload> {
  const repo = findRepository();
  if (!repo) throw new UsageError('not in a git repository');
  const files: ReviewFile[] = [];
  for (const change of listChanges(query)) {
    if (change.status === 'unmerged' || change.status === 'unknown') continue;
    if (!isNotebookPath(change.newPath) && !isNotebookPath(change.oldPath)) continue;
    const status = change.status;
    const extra = { status, ...(change.oldPath !== change.newPath ? { oldPath: change.oldPath } : {}) };
    try {
      const top = repo.topLevel ?? '';
      const read = (sha: string, mode: string, path: string, name: string): ParsedNotebook | null => {
        const bytes = readVersion(sha, mode, path, top);
        return bytes ? parseNotebook(bytes, name) : null;
      };
      const base = read(change.oldSha, change.oldMode, change.oldPath, `a/${change.oldPath}`);
      const head = read(change.newSha, change.newMode, change.newPath, `b/${change.newPath}`);
      const diff = await diffSides(...diffSidesOf(base, head, change), reviewOptions(options));
      files.push(reviewFile(change.newPath, diff, base?.notebook ?? null, head?.notebook ?? null, extra));
    } catch (e) {
      if (!(e instanceof NotebookError) && !(e instanceof UsageError)) throw e;
      files.push(reviewFile(change.newPath, null, null, null, { ...extra, error: e.message }));
    }
  }
  const title = query.revisions.length ? query.revisions.join(' → ') : query.cached ? 'staged changes' : 'working tree';
  return reviewPayload(title, files);
}
