/**
 * The Cellwise GitHub App: on a pull request's push, diff every changed notebook at the exact commits, post
 * one sticky comment and a `Cellwise` check run, and serve the hosted viewer behind the comment's signed links.
 * A thin adapter: files.ts fetches, review.ts has lib/ parse and diff, lib/render/markdown.ts renders,
 * comment.ts and check.ts post, viewer.ts serves. Stateless: everything comes from the event
 * and the API. Retries and rate limits are Probot's Octokit plugins' (retry, throttling).
 */
import type { ApplicationFunctionOptions, Context, Probot } from 'probot';
import { inline, renderMarkdownComment, renderMarkdownSummary, type MarkdownFile } from '../lib/render/markdown.js';
import { createCheckRun, type NotebookFinding } from './check.js';
import { MARKER, upsertStickyComment, type StickyResult } from './comment.js';
import { CONFIG_PATH, loadConfig } from './config.js';
import { listChangedNotebooks, mergeBase, type Repo } from './files.js';
import { linkExpiry, linkSettings, viewerUrl, type LinkSettings } from './link.js';
import { reviewNotebook, shortSha } from './review.js';
import { viewerHandler } from './viewer.js';

export { MAX_NOTEBOOK_BYTES } from './review.js';

export const EVENTS = [
  'pull_request.opened',
  'pull_request.synchronize',
  'pull_request.reopened',
  'pull_request.ready_for_review',
] as const;

/**
 * The app, configured from `env`: `CELLWISE_PUBLIC_URL` (with `CELLWISE_LINK_SECRET` or `WEBHOOK_SECRET`)
 * turns on the hosted viewer's links and route.
 */
export function createCellwiseApp(env: Record<string, string | undefined>) {
  const links = linkSettings(env);
  return (app: Probot, options?: Partial<ApplicationFunctionOptions>): void => {
    app.on([...EVENTS], async (context) => {
      await handlePullRequest(context, links);
    });
    // `probot.load` outside a server (the tests' Probot) has no HTTP routes to add to.
    try {
      options?.addHandler?.(viewerHandler(app, links));
    } catch (error) {
      if (links) app.log.warn({ err: error }, 'cellwise: no web server, the hosted viewer is not served');
    }
  };
}

/** What `probot run ./dist/app/index.js` loads: the environment is read when the app starts. */
export default function cellwiseApp(app: Probot, options?: Partial<ApplicationFunctionOptions>): void {
  createCellwiseApp(process.env)(app, options);
}

export interface HandlerResult {
  notebooks: number;
  comment: StickyResult;
  check?: { id: number; conclusion: string };
}

export async function handlePullRequest(context: Context<'pull_request'>, links: LinkSettings | null = null): Promise<HandlerResult> {
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

  const installation = 'installation' in context.payload ? context.payload.installation?.id : undefined;
  // One link per push: the whole pull request at these commits (the viewer shows every notebook).
  const url = links && installation
    ? viewerUrl({ ...repo, pull: pr.number, base: baseSha, head: headSha, installation, expires: linkExpiry(new Date(), links.ttlDays) }, links)
    : undefined;
  const files: MarkdownFile[] = [];
  const findings: NotebookFinding[] = [];
  for (const nb of changed) {
    const result = await reviewNotebook(octokit, repo, nb, baseSha, headSha, config.options);
    files.push(url ? { ...result.file, viewerUrl: url } : result.file);
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
