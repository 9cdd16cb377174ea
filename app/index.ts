/**
 * The Cellwise GitHub App: on a pull request's push, diff every changed notebook at the exact commits, post
 * one sticky comment and a `Cellwise` check run. A thin adapter: files.ts fetches, lib/ parses and diffs,
 * lib/render/markdown.ts renders, comment.ts and check.ts post. Stateless: everything comes from the event
 * and the API. Retries and rate limits are Probot's Octokit plugins' (retry, throttling).
 */
import type { Context, Probot } from 'probot';
import { diffNotebooks } from '../lib/diff/notebook.js';
import type { Notebook, NotebookDiff } from '../lib/model.js';
import { NotebookError, parseNotebook, type ParsedNotebook } from '../lib/notebook/index.js';
import { formatBytes } from '../lib/render/json.js';
import { inline, renderMarkdownComment, renderMarkdownSummary, type MarkdownFile } from '../lib/render/markdown.js';
import { checkNotebook, staleCells } from '../lib/stale/index.js';
import { createCheckRun, type NotebookFinding } from './check.js';
import { MARKER, upsertStickyComment, type StickyResult } from './comment.js';
import { CONFIG_PATH, loadConfig, type AppConfig } from './config.js';
import { fetchFile, listChangedNotebooks, mergeBase, type ChangedNotebook, type Octokit, type Repo } from './files.js';

/** Larger notebooks are summarized, not diffed: parsing and diffing them would hold the webhook too long. */
export const MAX_NOTEBOOK_BYTES = 25 * 1024 * 1024;

export const EVENTS = [
  'pull_request.opened',
  'pull_request.synchronize',
  'pull_request.reopened',
  'pull_request.ready_for_review',
] as const;

export default function cellwiseApp(app: Probot): void {
  app.on([...EVENTS], async (context) => {
    await handlePullRequest(context);
  });
}

export interface HandlerResult {
  notebooks: number;
  comment: StickyResult;
  check?: { id: number; conclusion: string };
}

export async function handlePullRequest(context: Context<'pull_request'>): Promise<HandlerResult> {
  const { octokit, log } = context;
  const pr = context.payload.pull_request;
  const repo: Repo = { owner: context.payload.repository.owner.login, repo: context.payload.repository.name };
  const config = await loadConfig(context);

  const changed = await listChangedNotebooks(octokit, repo, pr.number, { include: config.include, exclude: config.exclude });
  const headSha = pr.head.sha;
  let baseSha = pr.base.sha;
  if (changed.length > 0) {
    try {
      baseSha = await mergeBase(octokit, repo, pr.base.sha, headSha);
    } catch (error) {
      log.warn({ err: error }, 'cellwise: no merge base, diffing against the base branch tip');
    }
  }

  const files: MarkdownFile[] = [];
  const findings: NotebookFinding[] = [];
  for (const nb of changed) {
    const result = await reviewNotebook(octokit, repo, nb, baseSha, headSha, config);
    files.push(result.file);
    findings.push(...result.findings);
  }

  const notes = config.error ? [`> ⚠️ \`${CONFIG_PATH}\` was not used: ${inline(config.error)}. Using the defaults.`] : [];
  const footer = `<sub>Cellwise · ${files.length === 1 ? '1 notebook' : `${files.length} notebooks`} · ${shortSha(baseSha)}…${shortSha(headSha)}</sub>`;

  let comment: StickyResult = { action: 'skipped' };
  if (config.comment) {
    const body = renderMarkdownComment(files, { marker: MARKER, notes, footer });
    // Without notebooks no new comment, but an old one is brought up to date.
    comment = await upsertStickyComment(octokit, repo, pr.number, body, files.length > 0);
  }

  let check: HandlerResult['check'];
  if (config.check.enabled && (files.length > 0 || config.error)) {
    check = await createCheckRun(octokit, repo, {
      headSha,
      summary: renderMarkdownSummary(files, { notes }),
      findings,
      failOnFindings: config.check.failOnFindings,
      ...(config.error ? { problem: `${CONFIG_PATH} not used: defaults applied` } : {}),
    });
  }
  log.info({ notebooks: files.length, comment: comment.action, check: check?.conclusion }, 'cellwise: pull request reviewed');
  return { notebooks: files.length, comment, ...(check ? { check } : {}) };
}

/** One notebook: both versions fetched and parsed, diffed, checked; any failure becomes a line, not a crash. */
async function reviewNotebook(
  octokit: Octokit, repo: Repo, nb: ChangedNotebook, baseSha: string, headSha: string, config: AppConfig,
): Promise<{ file: MarkdownFile; findings: NotebookFinding[] }> {
  const status = fileStatus(nb.status);
  const file: MarkdownFile = { path: nb.path, ...(nb.oldPath ? { oldPath: nb.oldPath } : {}), ...(status ? { status } : {}), diff: null };
  try {
    const basePath = nb.oldPath ?? nb.path;
    const base = nb.status === 'added' ? null : await load(octokit, repo, basePath, baseSha);
    const head = nb.status === 'removed' ? null : await load(octokit, repo, nb.path, headSha);
    const problem = (base && 'error' in base ? base.error : undefined) ?? (head && 'error' in head ? head.error : undefined);
    if (problem) return { file: { ...file, error: problem }, findings: [] };
    const b = base as ParsedNotebook | null;
    const h = head as ParsedNotebook | null;
    if (!b && !h) return { file: { ...file, error: 'neither version could be read' }, findings: [] };
    const diff: NotebookDiff = diffNotebooks(
      { notebook: b?.notebook ?? emptyLike(h!.notebook), name: basePath, nbformat: (b ?? h)!.nbformat, warnings: b?.warnings ?? [] },
      { notebook: h?.notebook ?? emptyLike(b!.notebook), name: nb.path, nbformat: (h ?? b)!.nbformat, warnings: h?.warnings ?? [] },
      config.options,
    );
    const findings: NotebookFinding[] = [];
    if (h) {
      for (const f of checkNotebook(h.notebook)) findings.push({ path: nb.path, cell: f.index, rule: f.rule, message: f.message });
      for (const s of staleCells(diff)) {
        findings.push({ path: nb.path, cell: s.head, rule: 'stale-outputs', message: 'source changed but the saved outputs were not re-run' });
      }
      findings.sort((x, y) => x.cell - y.cell);
    }
    return { file: { ...file, diff }, findings };
  } catch (error) {
    // API errors that survived Probot's retries, or a bug: this notebook gets a line, the others go on.
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { file: { ...file, error: `could not be diffed: ${message}` }, findings: [] };
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
function emptyLike(nb: Notebook): Notebook {
  return { nbformat: nb.nbformat, nbformat_minor: nb.nbformat_minor, metadata: nb.metadata, cells: [] };
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

function shortSha(sha: string): string {
  return sha.slice(0, 7);
}

