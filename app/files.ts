/**
 * The notebooks a pull request changes, and their bytes at exact commits. Only GitHub's REST API here: what
 * the bytes mean is lib/'s business.
 */
import type { ProbotOctokit } from 'probot';
import { pathMatcher } from './config.js';

export type Octokit = ProbotOctokit;

export interface Repo {
  owner: string;
  repo: string;
}

/** A changed `.ipynb` as `pulls.listFiles` reports it. */
export interface ChangedNotebook {
  /** Head's path (base's for a deleted file). */
  path: string;
  /** Base's path when renamed. */
  oldPath?: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
}

const NOTEBOOK = /\.ipynb$/i;

/**
 * Every changed notebook of the pull request (all pages: listFiles gives at most 100 per page and 3,000 in
 * all), kept when its path matches `include` and not `exclude`. A rename from or to `.ipynb` counts.
 */
export async function listChangedNotebooks(
  octokit: Octokit,
  repo: Repo,
  pullNumber: number,
  paths: { include: string[]; exclude: string[] },
): Promise<ChangedNotebook[]> {
  const included = pathMatcher(paths.include);
  const excluded = pathMatcher(paths.exclude);
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, { ...repo, pull_number: pullNumber, per_page: 100 });
  const out: ChangedNotebook[] = [];
  for (const f of files) {
    const isNotebook = NOTEBOOK.test(f.filename) || (f.previous_filename !== undefined && NOTEBOOK.test(f.previous_filename));
    if (!isNotebook) continue;
    if (!included(f.filename) || excluded(f.filename)) continue;
    out.push({ path: f.filename, ...(f.previous_filename ? { oldPath: f.previous_filename } : {}), status: f.status });
  }
  return out;
}

export type FetchedFile =
  | { kind: 'file'; bytes: Uint8Array; sha: string; size: number }
  | { kind: 'missing' }
  | { kind: 'too-large'; size: number }
  /** A directory, a submodule or a symlink where a notebook was expected. */
  | { kind: 'not-a-file'; type: string };

/**
 * A file's bytes at a commit. The contents API inlines files up to 1 MB; above that (up to 100 MB) its
 * `object` media type still names the blob, which the git blobs API returns whole. `maxBytes` is checked
 * before the download, so a huge file costs one small request.
 */
export async function fetchFile(octokit: Octokit, repo: Repo, path: string, ref: string, maxBytes: number): Promise<FetchedFile> {
  let data: unknown;
  try {
    ({ data } = await octokit.rest.repos.getContent({ ...repo, path, ref, mediaType: { format: 'object' } }));
  } catch (error) {
    if ((error as { status?: number }).status === 404) return { kind: 'missing' };
    throw error;
  }
  const entry = data as { type?: string; sha?: string; size?: number; content?: string; encoding?: string };
  if (Array.isArray(data) || entry.type !== 'file' || typeof entry.sha !== 'string') {
    return { kind: 'not-a-file', type: Array.isArray(data) ? 'dir' : String(entry.type) };
  }
  const size = entry.size ?? 0;
  if (size > maxBytes) return { kind: 'too-large', size };
  if (entry.encoding === 'base64' && typeof entry.content === 'string' && (entry.content !== '' || size === 0)) {
    return { kind: 'file', bytes: Buffer.from(entry.content, 'base64'), sha: entry.sha, size };
  }
  const blob = await octokit.rest.git.getBlob({ ...repo, file_sha: entry.sha });
  const bytes = blob.data.encoding === 'base64' ? Buffer.from(blob.data.content, 'base64') : Buffer.from(blob.data.content, 'utf8');
  return { kind: 'file', bytes, sha: entry.sha, size: blob.data.size ?? bytes.length };
}

/**
 * The commit the pull request's changes are measured from: the merge base of base and head, as GitHub's
 * "Files changed" tab uses. The base branch's tip is not it once the branch has moved on; then diffing
 * against the tip would show the branch's newer work as reverted by the pull request.
 */
export async function mergeBase(octokit: Octokit, repo: Repo, baseSha: string, headSha: string): Promise<string> {
  const { data } = await octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead: `${baseSha}...${headSha}`, per_page: 1 });
  return data.merge_base_commit.sha;
}
