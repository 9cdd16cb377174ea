/**
 * The hosted viewer: signed links (unit), the comment's link (nock), and the route on the app's own server
 * over real HTTP (Probot's `run`, as in e2e.test.ts): a valid link gets the viewer page with the review and
 * its Content-Security-Policy; anything else gets a 403 that says nothing about the repository.
 */
import type { Server as HttpServer } from 'node:http';
import { run, type Server } from 'probot';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { createCellwiseApp } from '../../app/index.js';
import { contentSecurityPolicy, loadTemplate, renderPage, scriptHashes } from '../../cli/report.js';
import { linkExpiry, linkSettings, signLink, verifyLink, viewerUrl, type SignedLink } from '../../app/link.js';
import { BASE_SHA, FakeGitHub, HEAD_SHA, INSTALLATION, OWNER, PR, pullRequestEvent, REPO, serveFakeGitHub } from './fake-github.js';
import { freePort } from '../ports.js';
import { CORPUS_PATH, corpusBase, corpusHead } from './notebooks.js';
import { APP_ID, createApp, mockGitHub, PRIVATE_KEY, resetNock, signature } from './setup.js';

const SECRET = 'viewer-webhook-secret';
const NOW = new Date('2025-06-01T12:00:00Z');
const LINK: SignedLink = {
  owner: OWNER, repo: REPO, pull: PR, base: BASE_SHA, head: HEAD_SHA, installation: INSTALLATION, expires: Math.floor(NOW.getTime() / 1000) + 3600,
};
const settings = { publicUrl: 'https://cellwise.example.com', secret: SECRET, ttlDays: 30 };

describe('signed links', () => {
  const check = (url: string, secret = SECRET, now = NOW) => verifyLink(new URL(url), secret, now);
  const url = viewerUrl(LINK, settings);

  test('a link made by viewerUrl is accepted and read back whole', () => {
    expect(url).toMatch(/^https:\/\/cellwise\.example\.com\/cellwise\/octo-org\/notebooks\/pull\/7\?base=[0-9a-f]{40}&sha=[0-9a-f]{40}&inst=\d+&exp=\d+&sig=[\w-]{43}$/);
    expect(check(url)).toEqual({ ok: true, link: LINK });
  });

  const tampered: [string, (u: URL) => void][] = [
    ['owner', (u) => { u.pathname = u.pathname.replace('/octo-org/', '/other-org/'); }],
    ['repo', (u) => { u.pathname = u.pathname.replace('/notebooks/', '/secrets/'); }],
    ['pull number', (u) => { u.pathname = u.pathname.replace('/pull/7', '/pull/8'); }],
    ['head sha', (u) => u.searchParams.set('sha', 'f'.repeat(40))],
    ['base sha', (u) => u.searchParams.set('base', 'f'.repeat(40))],
    ['installation', (u) => u.searchParams.set('inst', String(INSTALLATION + 1))],
    ['expiry', (u) => u.searchParams.set('exp', String(LINK.expires + 86_400 * 365))],
    ['signature', (u) => { const s = u.searchParams.get('sig')!; u.searchParams.set('sig', `${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`); }],
    ['signature (truncated)', (u) => u.searchParams.set('sig', u.searchParams.get('sig')!.slice(0, 20))],
    ['signature (missing)', (u) => u.searchParams.delete('sig')],
  ];
  test.each(tampered)('a tampered %s is rejected', (_, edit) => {
    const u = new URL(url);
    edit(u);
    expect(check(u.href).ok).toBe(false);
  });

  test('an expired link, or one signed with another secret, is rejected', () => {
    expect(check(url, SECRET, new Date(LINK.expires * 1000))).toEqual({ ok: false, reason: 'expired' });
    expect(check(url, 'another-secret')).toEqual({ ok: false, reason: 'bad-signature' });
    expect(check(viewerUrl(LINK, { ...settings, secret: 'another-secret' }))).toEqual({ ok: false, reason: 'bad-signature' });
  });

  test('a signature covers every field', () => {
    const base = signLink(LINK, SECRET);
    for (const change of [{ owner: 'x' }, { repo: 'x' }, { pull: 8 }, { base: HEAD_SHA }, { head: BASE_SHA }, { installation: 1 }, { expires: 1 }]) {
      expect(signLink({ ...LINK, ...change }, SECRET)).not.toBe(base);
    }
  });

  test('settings: none without a public URL or a secret; a dedicated link secret wins; expiry in whole days', () => {
    expect(linkSettings({ WEBHOOK_SECRET: 's' })).toBeNull();
    expect(linkSettings({ CELLWISE_PUBLIC_URL: 'https://x' })).toBeNull();
    expect(linkSettings({ CELLWISE_PUBLIC_URL: 'https://x/', WEBHOOK_SECRET: 's', CELLWISE_LINK_SECRET: 'l', CELLWISE_LINK_TTL_DAYS: '7' }))
      .toEqual({ publicUrl: 'https://x', secret: 'l', ttlDays: 7 });
    expect(linkSettings({ CELLWISE_PUBLIC_URL: 'https://x', WEBHOOK_SECRET: 's' })?.ttlDays).toBe(30);
    const exp = linkExpiry(NOW, 30);
    expect(exp).toBe(Date.UTC(2025, 5, 2) / 1000 + 30 * 86_400);
    expect(linkExpiry(new Date('2025-06-01T23:59:00Z'), 30)).toBe(exp);
  });
});

describe('the comment', () => {
  let fake: FakeGitHub;
  afterEach(() => resetNock());

  async function commentWith(env: Record<string, string>): Promise<string> {
    fake = new FakeGitHub();
    mockGitHub(fake);
    fake.file(BASE_SHA, CORPUS_PATH, corpusBase()).file(HEAD_SHA, CORPUS_PATH, corpusHead());
    fake.prFiles = [{ filename: CORPUS_PATH, status: 'modified' }];
    const probot = createApp({ app: createCellwiseApp(env) });
    await probot.receive({ id: 'd1', name: 'pull_request', payload: pullRequestEvent('opened') } as any);
    return fake.comments[0]!.body;
  }

  test('links each notebook to the hosted viewer when CELLWISE_PUBLIC_URL is set', async () => {
    const body = await commentWith({ CELLWISE_PUBLIC_URL: 'https://cellwise.example.com', WEBHOOK_SECRET: SECRET });
    const links = [...body.matchAll(/\((https:\/\/cellwise\.example\.com\/cellwise\/[^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    expect(body).toContain('[Open the full review](https://cellwise.example.com/cellwise/octo-org/notebooks/pull/7?');
    const checked = verifyLink(new URL(links[0]!), SECRET, new Date());
    expect(checked).toMatchObject({ ok: true, link: { owner: OWNER, repo: REPO, pull: PR, base: BASE_SHA, head: HEAD_SHA, installation: INSTALLATION } });
  });

  test('has no links when CELLWISE_PUBLIC_URL is unset', async () => {
    const body = await commentWith({ WEBHOOK_SECRET: SECRET });
    expect(body).not.toContain('/cellwise/');
    expect(body).not.toContain('Open the full review');
  });
});

describe('the route, over real HTTP', () => {
  let api: HttpServer;
  let app: Server;
  let fake: FakeGitHub;
  let origin: string;

  beforeAll(async () => {
    let apiHost: string;
    ({ server: api, fake, host: apiHost } = await serveFakeGitHub());
    fake.file(BASE_SHA, CORPUS_PATH, corpusBase()).file(HEAD_SHA, CORPUS_PATH, corpusHead());
    fake.prFiles = [{ filename: CORPUS_PATH, status: 'modified' }];

    const port = await freePort();
    origin = `http://127.0.0.1:${port}`;
    const env = {
      APP_ID: String(APP_ID), PRIVATE_KEY, WEBHOOK_SECRET: SECRET, GHE_HOST: apiHost, GHE_PROTOCOL: 'http',
      HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'fatal' as const, LOG_FORMAT: 'json' as const,
    };
    app = await run(createCellwiseApp({ ...env, CELLWISE_PUBLIC_URL: origin }), { env });
  });

  afterAll(async () => {
    await app?.stop();
    await new Promise((resolve) => api?.close(resolve));
  });

  async function postedLink(): Promise<string> {
    const body = JSON.stringify(pullRequestEvent('opened'));
    const response = await fetch(`${origin}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': crypto.randomUUID(),
        'x-hub-signature-256': signature(SECRET, body),
      },
      body,
    });
    expect(response.status).toBe(200);
    const start = Date.now();
    while (fake.comments.length === 0) {
      if (Date.now() - start > 15_000) throw new Error('no comment posted');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const link = fake.comments[0]!.body.match(/\[Open the full review\]\(([^)]+)\)/)?.[1];
    expect(link).toBeDefined();
    return link!;
  }

  const SECRET_TEXT = 'monte.str.extract';

  test('the link from the comment opens the viewer with the review, under the CSP of `cellwise web`', async () => {
    const link = await postedLink();
    expect(link.startsWith(`${origin}/cellwise/${OWNER}/${REPO}/pull/${PR}?`)).toBe(true);
    const response = await fetch(link);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toMatch(/^default-src 'none'; script-src 'sha256-[A-Za-z0-9+/=]+'/);
    expect(csp).toContain("img-src data: blob:;");
    // The very policy `cellwise web` sends with the same page.
    const template = loadTemplate();
    expect(csp).toBe(contentSecurityPolicy(scriptHashes(renderPage(template, { src: 'review.json' })), false));
    const html = await response.text();
    const payload = JSON.parse(html.match(/<script type="application\/json" id="cellwise-review">([\s\S]*?)<\/script>/)![1]!);
    expect(payload).toMatchObject({ format: 'cellwise-review', version: 1, title: `${OWNER}/${REPO}#${PR} · ${BASE_SHA.slice(0, 7)}…${HEAD_SHA.slice(0, 7)}` });
    expect(payload.files).toHaveLength(1);
    expect(payload.files[0]).toMatchObject({ path: CORPUS_PATH, status: 'modified' });
    expect(payload.files[0].diff).not.toBeNull();
    expect(payload.files[0].base.cells.length).toBeGreaterThan(0);
    // The changed code comes colored for both schemes: reviewers' browsers need not color it.
    for (const scheme of ['light', 'dark']) expect(Object.keys(payload.colors[scheme].texts).length, scheme).toBeGreaterThan(0);
    expect(html).toContain(SECRET_TEXT);
    // The installation's token read the notebooks at the link's commits.
    const refs = fake.calls('GET', /\/contents\/notebooks/).map((r) => new URL(r.path, 'http://x').searchParams.get('ref'));
    expect(refs.filter((r) => r === HEAD_SHA).length).toBeGreaterThanOrEqual(2);
  }, 60_000);

  test('a tampered, expired or missing link gets a 403 with nothing from the repository, and no API call', async () => {
    const link = new URL(await postedLink());
    const expired = new URL(viewerUrl({ ...LINK, expires: Math.floor(Date.now() / 1000) - 60 }, { publicUrl: origin, secret: SECRET }));
    const forged = new URL(viewerUrl({ ...LINK, expires: Math.floor(Date.now() / 1000) + 3600 }, { publicUrl: origin, secret: 'guessed' }));
    const otherRepo = new URL(link.href);
    otherRepo.pathname = otherRepo.pathname.replace(`/${REPO}/`, '/private-repo/');
    const otherSha = new URL(link.href);
    otherSha.searchParams.set('sha', 'e'.repeat(40));
    const noSig = new URL(link.href);
    noSig.searchParams.delete('sig');
    const before = fake.requests.length;
    for (const url of [expired, forged, otherRepo, otherSha, noSig, new URL(`${origin}/cellwise/${OWNER}/${REPO}/pull/${PR}`)]) {
      const response = await fetch(url);
      expect(response.status, url.href).toBe(403);
      expect(response.headers.get('cache-control')).toBe('private, no-store');
      const body = await response.text();
      expect(body).not.toContain(SECRET_TEXT);
      expect(body).not.toContain(REPO);
      expect(body).not.toContain('ipynb');
      expect(body).toMatch(/^This Cellwise link is not valid or has expired/);
    }
    expect(fake.requests.length).toBe(before);
  }, 60_000);

  test('other paths are left to Probot; only GET and HEAD are answered', async () => {
    expect((await fetch(`${origin}/not-cellwise`)).status).toBe(404);
    expect((await fetch(`${origin}/cellwise/${OWNER}/${REPO}/pull/${PR}`, { method: 'POST' })).status).toBe(405);
  });
});
