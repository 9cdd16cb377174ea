/**
 * One notebook of a pull request, reviewed at exact commits: both versions fetched (files.ts), parsed and
 * diffed by the library, the head checked for hidden state. The comment and check run (index.ts) and the
 * hosted viewer (viewer.ts) share it, so both show the same diff.
 */
import { diffNotebooks } from '../lib/diff/notebook.js';
import type { DiffOptions } from '../lib/diff/options.js';
import type { Notebook, NotebookDiff } from '../lib/model.js';
import { emptyNotebook, NotebookError, parseNotebook, type ParsedNotebook } from '../lib/notebook/index.js';
import { formatBytes } from '../lib/render/json.js';
import type { MarkdownFile } from '../lib/render/markdown.js';
import { checkNotebook, staleCells } from '../lib/stale/index.js';
import type { NotebookFinding } from './check.js';
import { fetchFile, type ChangedNotebook, type Octokit, type Repo } from './files.js';

/** Larger notebooks are summarized, not diffed: parsing and diffing them would hold the webhook too long. */
export const MAX_NOTEBOOK_BYTES = 25 * 1024 * 1024;

export interface ReviewedNotebook {
  file: MarkdownFile;
  findings: NotebookFinding[];
  /** The parsed versions the diff was made from (null where missing or unreadable): the viewer draws them. */
  base: Notebook | null;
  head: Notebook | null;
}

/** One notebook: both versions fetched and parsed, diffed, checked; any failure becomes a line, not a crash. */
export async function reviewNotebook(
  octokit: Octokit, repo: Repo, nb: ChangedNotebook, baseSha: string, headSha: string, options: DiffOptions,
): Promise<ReviewedNotebook> {
  const status = fileStatus(nb.status);
  const file: MarkdownFile = { path: nb.path, ...(nb.oldPath ? { oldPath: nb.oldPath } : {}), ...(status ? { status } : {}), diff: null };
  const failed = (error: string): ReviewedNotebook => ({ file: { ...file, error }, findings: [], base: null, head: null });
  try {
    const basePath = nb.oldPath ?? nb.path;
    const base = nb.status === 'added' ? null : await load(octokit, repo, basePath, baseSha);
    const head = nb.status === 'removed' ? null : await load(octokit, repo, nb.path, headSha);
    const problem = (base && 'error' in base ? base.error : undefined) ?? (head && 'error' in head ? head.error : undefined);
    if (problem) return failed(problem);
    const b = base as ParsedNotebook | null;
    const h = head as ParsedNotebook | null;
    if (!b && !h) return failed('neither version could be read');
    const diff: NotebookDiff = diffNotebooks(
      { notebook: b?.notebook ?? emptyLikeWithMetadata(h!.notebook), name: basePath, nbformat: (b ?? h)!.nbformat, warnings: b?.warnings ?? [] },
      { notebook: h?.notebook ?? emptyLikeWithMetadata(b!.notebook), name: nb.path, nbformat: (h ?? b)!.nbformat, warnings: h?.warnings ?? [] },
      options,
    );
    const findings: NotebookFinding[] = [];
    if (h) {
      for (const f of checkNotebook(h.notebook)) findings.push({ path: nb.path, cell: f.index, rule: f.rule, message: f.message });
      for (const s of staleCells(diff)) {
        findings.push({ path: nb.path, cell: s.head, rule: 'stale-outputs', message: 'source changed but the saved outputs were not re-run' });
      }
      findings.sort((x, y) => x.cell - y.cell);
    }
    return { file: { ...file, diff }, findings, base: b?.notebook ?? null, head: h?.notebook ?? null };
  } catch (error) {
    // API errors that survived Probot's retries, or a bug: this notebook gets a line, the others go on.
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return failed(`could not be diffed: ${message}`);
  }
}

type Loaded = ParsedNotebook | { error: string };

async function load(octokit: Octokit, repo: Repo, path: string, ref: string): Promise<Loaded> {
  const fetched = await fetchFile(octokit, repo, path, ref, MAX_NOTEBOOK_BYTES);
  switch (fetched.kind) {
    case 'missing':
      return { error: `not found at ${shortSha(ref)}` };
    case 'not-a-file':
      return { error: `is a ${fetched.type} at ${shortSha(ref)}, not a file` };
    case 'too-large':
      return { error: `too large to diff here (${formatBytes(fetched.size)} at ${shortSha(ref)}; the limit is ${formatBytes(MAX_NOTEBOOK_BYTES)})` };
    case 'file':
      try {
        return parseNotebook(fetched.bytes, `${path}@${shortSha(ref)}`);
      } catch (error) {
        if (error instanceof NotebookError) return { error: error.message };
        throw error;
      }
  }
}

/** An added or deleted notebook is diffed against an empty one with the same metadata: only its cells show. */
function emptyLikeWithMetadata(nb: Notebook): Notebook {
  return emptyNotebook(nb, nb.metadata);
}

function fileStatus(status: ChangedNotebook['status']): MarkdownFile['status'] {
  switch (status) {
    case 'added': return 'added';
    case 'removed': return 'deleted';
    case 'renamed': return 'renamed';
    case 'copied': return 'copied';
    case 'modified':
    case 'changed': return 'modified';
    default: return undefined;
  }
}

export function shortSha(sha: string): string {
  return sha.slice(0, 7);
}
