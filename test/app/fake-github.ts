/**
 * A small stand-in for the GitHub REST API, answering with the shapes of the fixtures in payloads/ (taken
 * from GitHub's documented responses). The same handler serves nock (test/app/*.test.ts) and a real HTTP
 * server (the end-to-end test), so both exercise the app against one model: files at commits, the PR's
 * changed files (paginated with Link headers), issue comments, check runs. Every request is recorded.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const fixture = (name: string): Record<string, any> =>
  JSON.parse(readFileSync(new URL(`./payloads/${name}.json`, import.meta.url), 'utf8'));

export const PAYLOAD = fixture('pull_request.opened');
export const OWNER = 'octo-org';
export const REPO = 'notebooks';
export const PR = 7;
export const BASE_SHA: string = PAYLOAD.pull_request.base.sha;
export const HEAD_SHA: string = PAYLOAD.pull_request.head.sha;
export const INSTALLATION: number = PAYLOAD.installation.id;

/** A webhook payload of the given action, optionally at another head commit. */
export function pullRequestEvent(action: 'opened' | 'synchronize' | 'reopened' | 'ready_for_review', headSha = HEAD_SHA): Record<string, any> {
  const payload = structuredClone(PAYLOAD);
  payload.action = action;
  payload.pull_request.head.sha = headSha;
  if (action === 'synchronize') {
    payload.before = HEAD_SHA;
    payload.after = headSha;
  }
  return payload;
}

/** git's blob id: what GitHub reports as `sha` for file contents. */
export function blobSha(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

export interface ChangedFile {
  filename: string;
  status: 'added' | 'removed' | 'modified' | 'renamed';
  previous_filename?: string;
}

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: any;
}

export class FakeGitHub {
  /** ref → path → bytes */
  readonly trees = new Map<string, Map<string, Uint8Array>>();
  readonly blobs = new Map<string, Uint8Array>();
  prFiles: ChangedFile[] = [];
  comments: Record<string, any>[] = [];
  checkRuns: { create: any; updates: any[] }[] = [];
  /** `.github/cellwise.yml` on the default branch, as text. */
  config: string | null = null;
  mergeBase = BASE_SHA;
  /** Files above this size come back from the contents API without content (GitHub: 1 MB). */
  inlineLimit = 1024 * 1024;
  /** Requests matching these answer with the given replies first (one reply per match, in order). */
  failures: { match: RegExp; reply: Reply }[] = [];
  readonly requests: RecordedRequest[] = [];
  private nextId = 1000;

  constructor(readonly origin = 'https://api.github.com') {}

  /** Puts a file at a commit. */
  file(ref: string, path: string, content: string | Uint8Array): this {
    const bytes = typeof content === 'string' ? Buffer.from(content) : content;
    if (!this.trees.has(ref)) this.trees.set(ref, new Map());
    this.trees.get(ref)!.set(path, bytes);
    this.blobs.set(blobSha(bytes), bytes);
    return this;
  }

  /** Requests to a path (without the origin's path prefix) that match. */
  calls(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  handle(method: string, url: URL, rawBody: unknown): Reply {
    const prefix = new URL(this.origin).pathname.replace(/\/$/, '');
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    const body = typeof rawBody === 'string' && rawBody !== '' ? JSON.parse(rawBody) : rawBody;
    this.requests.push({ method, path: `${path}${url.search}`, body });
    const failure = this.failures.findIndex((f) => f.match.test(`${method} ${path}`));
    if (failure !== -1) return this.failures.splice(failure, 1)[0]!.reply;
    const repo = `/repos/${OWNER}/${REPO}`;
    let m: RegExpMatchArray | null;

    if (method === 'POST' && /^\/app\/installations\/\d+\/access_tokens$/.test(path)) {
      return { status: 201, body: fixture('installation.token') };
    }
    if (method === 'GET' && (m = path.match(/^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/))) {
      const [, owner, name, encoded] = m;
      const file = decodeURIComponent(encoded!);
      if (file === '.github/cellwise.yml') {
        if (owner === OWNER && name === REPO && this.config !== null) {
          return { status: 200, body: this.config, headers: { 'content-type': 'application/vnd.github.raw+json; charset=utf-8' } };
        }
        return notFound();
      }
      const bytes = this.trees.get(url.searchParams.get('ref') ?? '')?.get(file);
      if (owner !== OWNER || name !== REPO || !bytes) return notFound();
      const inline = bytes.length <= this.inlineLimit;
      return {
        status: 200,
        body: {
          ...fixture('repos.getContent.file'),
          name: file.split('/').pop(), path: file, size: bytes.length, sha: blobSha(bytes),
          encoding: inline ? 'base64' : 'none',
          // GitHub wraps base64 at 60 characters.
          content: inline ? (Buffer.from(bytes).toString('base64').match(/.{1,60}/g) ?? []).join('\n') : '',
        },
      };
    }
    if (method === 'GET' && (m = path.match(/^\/repos\/[^/]+\/[^/]+\/git\/blobs\/([0-9a-f]{40})$/))) {
      const bytes = this.blobs.get(m[1]!);
      if (!bytes) return notFound();
      return { status: 200, body: { ...fixture('git.getBlob'), sha: m[1], size: bytes.length, content: Buffer.from(bytes).toString('base64') } };
    }
    if (method === 'GET' && path.startsWith(`${repo}/compare/`)) {
      const compare = fixture('repos.compareCommits');
      compare.merge_base_commit.sha = this.mergeBase;
      return { status: 200, body: compare };
    }
    if (method === 'GET' && path === `${repo}/pulls/${PR}/files`) {
      const items = this.prFiles.map((f) => ({
        ...fixture('pulls.listFiles.item'),
        ...f,
        sha: blobSha(this.trees.get(HEAD_SHA)?.get(f.filename) ?? new Uint8Array()),
      }));
      return this.page(url, items);
    }
    if (method === 'GET' && path === `${repo}/issues/${PR}/comments`) return this.page(url, this.comments);
    if (method === 'POST' && path === `${repo}/issues/${PR}/comments`) {
      const comment = { ...fixture('issues.comment'), id: this.nextId++, body: body.body };
      this.comments.push(comment);
      return { status: 201, body: comment };
    }
    if (method === 'PATCH' && (m = path.match(new RegExp(`^${repo}/issues/comments/(\\d+)$`)))) {
      const comment = this.comments.find((c) => c.id === Number(m![1]));
      if (!comment) return notFound();
      comment.body = body.body;
      return { status: 200, body: comment };
    }
    if (method === 'POST' && path === `${repo}/check-runs`) {
      const run = { ...fixture('checks.create'), id: this.nextId++, head_sha: body.head_sha, conclusion: body.conclusion, output: body.output };
      this.checkRuns.push({ create: body, updates: [] });
      return { status: 201, body: run };
    }
    if (method === 'PATCH' && path.startsWith(`${repo}/check-runs/`)) {
      this.checkRuns.at(-1)?.updates.push(body);
      return { status: 200, body: fixture('checks.create') };
    }
    return { status: 404, body: { message: `fake GitHub has no route for ${method} ${path}` } };
  }

  /** One page of a list, with GitHub's Link header. */
  private page(url: URL, items: unknown[]): Reply {
    const perPage = Number(url.searchParams.get('per_page') ?? 30);
    const page = Number(url.searchParams.get('page') ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (p: number, rel: string) => {
      const u = new URL(url.href);
      u.searchParams.set('page', String(p));
      u.searchParams.set('per_page', String(perPage));
      return `<${u.href}>; rel="${rel}"`;
    };
    const links: string[] = [];
    if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
    if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
    return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), headers: links.length ? { link: links.join(', ') } : {} };
  }
}

function notFound(): Reply {
  return { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } };
}

/** A FakeGitHub served over real HTTP on 127.0.0.1 (GHE_HOST `host`), for tests that run the app as a server. */
export async function serveFakeGitHub(): Promise<{ server: Server; fake: FakeGitHub; host: string }> {
  let fake: FakeGitHub | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const reply = fake!.handle(req.method ?? 'GET', new URL(req.url ?? '/', fake!.origin), Buffer.concat(chunks).toString('utf8'));
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
      res.end(typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake = new FakeGitHub(`http://${host}/api/v3`);
  return { server, fake, host };
}
