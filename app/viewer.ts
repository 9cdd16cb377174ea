/**
 * The hosted viewer: `GET /cellwise/<owner>/<repo>/pull/<n>?base&sha&inst&exp&sig` on the app's own web
 * server. Nothing is served without a valid, unexpired link (link.ts); with one, the pull request's notebooks
 * are read with that installation's token at the link's commits, reviewed as for the comment (review.ts),
 * and sent inside the same viewer page and Content-Security-Policy as `cellwise web`. Stateless: the link and
 * the API are all it needs.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Probot } from 'probot';
import { contentSecurityPolicy, renderPage, REVIEW_PLACEHOLDER, scriptHashes } from '../lib/render/page.js';
import { withColors } from '../lib/render/syntax/precolor.js';
import { reviewFile, reviewPayload } from '../lib/review.js';
import { loadRepoConfig } from './config.js';
import { listChangedNotebooks, type Repo } from './files.js';
import { verifyLink, VIEWER_PREFIX, type LinkSettings, type SignedLink } from './link.js';
import { reviewNotebook, shortSha } from './review.js';

const here = dirname(fileURLToPath(import.meta.url));
/** dist/app/viewer.js → dist/web; app/viewer.ts (tests run the source) → dist/web. */
const TEMPLATE_CANDIDATES = [join(here, '../web/index.html'), join(here, '../dist/web/index.html')];

let cached: string | undefined;
/** The viewer's single-file build; throws when it is missing (run `npm run build`). */
export function loadTemplate(): string {
  if (cached) return cached;
  const path = TEMPLATE_CANDIDATES.find((p) => existsSync(p));
  if (!path) throw new Error('the viewer is not built (dist/web/index.html is missing): run `npm run build`');
  const html = readFileSync(path, 'utf8');
  if (!html.includes(REVIEW_PLACEHOLDER)) throw new Error(`${path} is not a Cellwise viewer build`);
  cached = html;
  return html;
}

/** The same answer for every refused link: it must not tell whether a repository or pull request exists. */
const REFUSED = 'This Cellwise link is not valid or has expired. Open the newest link from the pull request\'s Cellwise comment.\n';

/** A Probot server handler: true when it answered (a `/cellwise/` path), false to leave the request to others. */
export function viewerHandler(app: Probot, settings: LinkSettings | null, now: () => Date = () => new Date()) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://cellwise.invalid');
    if (!url.pathname.startsWith(VIEWER_PREFIX)) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n', { allow: 'GET, HEAD' });
      return true;
    }
    const check = settings ? verifyLink(url, settings.secret, now()) : null;
    if (!check?.ok) {
      send(res, 403, 'text/plain; charset=utf-8', REFUSED);
      return true;
    }
    try {
      const page = await reviewPage(app, check.link);
      const remote = url.searchParams.get('remote-images') === '1';
      send(res, 200, 'text/html; charset=utf-8', page, { 'content-security-policy': contentSecurityPolicy(scriptHashes(page), remote) });
    } catch (error) {
      // The installation was removed, the pull request deleted, GitHub down: the link was valid, so say that
      // loading failed, but not why (the reason may name what the token can or cannot see).
      app.log.warn({ err: error, owner: check.link.owner, repo: check.link.repo, pull: check.link.pull }, 'cellwise: hosted viewer failed');
      send(res, 502, 'text/plain; charset=utf-8', 'Cellwise could not load this pull request from GitHub. Try again later.\n');
    }
    return true;
  };
}

async function reviewPage(app: Probot, link: SignedLink): Promise<string> {
  const template = loadTemplate();
  const octokit = await app.auth(link.installation);
  const repo: Repo = { owner: link.owner, repo: link.repo };
  const config = await loadRepoConfig(octokit, repo, app.log);
  const changed = await listChangedNotebooks(octokit, repo, link.pull, { include: config.include, exclude: config.exclude });
  const files = [];
  for (const nb of changed) {
    // The viewer draws image diff masks, so its review asks for them (as the CLI's does).
    const { file, base, head } = await reviewNotebook(octokit, repo, nb, link.base, link.head, { ...config.options, imageMasks: true });
    files.push(reviewFile(file.path, file.diff, base, head, {
      ...(file.oldPath ? { oldPath: file.oldPath } : {}), ...(file.status ? { status: file.status } : {}), ...(file.error ? { error: file.error } : {}),
    }));
  }
  const title = `${link.owner}/${link.repo}#${link.pull} · ${shortSha(link.base)}…${shortSha(link.head)}`;
  // Colored here, once, rather than in each reviewer's browser (lib/render/syntax/precolor.ts).
  const review = withColors(reviewPayload(title, files), (error) => app.log.warn({ err: error }, 'cellwise: could not color the review ahead of time'));
  return renderPage(template, { review });
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': type,
    // The page holds a private repository's notebooks: no shared cache may keep it, and the link (a bearer
    // token in its query) must not leave in a Referer header.
    'cache-control': 'private, no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'cross-origin-resource-policy': 'same-origin',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
