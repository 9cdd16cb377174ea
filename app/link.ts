/**
 * Links to the hosted viewer. A link names one pull request at exact commits and the installation whose token
 * may read it, and carries an expiry and an HMAC-SHA256 over all of it: the server keeps no state (any
 * replica behind a load balancer can check a link), and a link cannot be edited to reach another repository,
 * pull request, commit or installation, or to live longer.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Where `/cellwise/<owner>/<repo>/pull/<n>` is served on the app's web server. */
export const VIEWER_PREFIX = '/cellwise/';
export const DEFAULT_LINK_TTL_DAYS = 30;
const DAY = 86_400;
// Separates these signatures from any other use of the same secret (the webhook secret signs deliveries).
const PURPOSE = 'cellwise-viewer-link/v1';

export interface LinkTarget {
  owner: string;
  repo: string;
  pull: number;
  /** The commits compared (the merge base and the head), as in the comment. */
  base: string;
  head: string;
  installation: number;
}

export interface SignedLink extends LinkTarget {
  /** Unix seconds after which the link is refused. */
  expires: number;
}

export interface LinkSettings {
  /** The app's public origin (and path prefix, if any) without a trailing slash. */
  publicUrl: string;
  secret: string;
  ttlDays: number;
}

/**
 * The viewer's settings from the environment; null (no links, nothing served) without a public URL or a
 * secret. `CELLWISE_LINK_SECRET` lets links be revoked by rotating it without touching the webhook secret.
 */
export function linkSettings(env: Record<string, string | undefined>): LinkSettings | null {
  const publicUrl = env.CELLWISE_PUBLIC_URL?.trim().replace(/\/+$/, '');
  const secret = env.CELLWISE_LINK_SECRET || env.WEBHOOK_SECRET;
  if (!publicUrl || !secret) return null;
  const ttl = Number(env.CELLWISE_LINK_TTL_DAYS ?? DEFAULT_LINK_TTL_DAYS);
  return { publicUrl, secret, ttlDays: Number.isFinite(ttl) && ttl > 0 ? ttl : DEFAULT_LINK_TTL_DAYS };
}

/**
 * The expiry of a link made at `now`: whole days, counted from the end of the current UTC day, so the comment
 * rendered twice on one day is the same text (a redelivered webhook leaves it unchanged).
 */
export function linkExpiry(now: Date, ttlDays: number): number {
  return Math.ceil(now.getTime() / 1000 / DAY) * DAY + Math.round(ttlDays * DAY);
}

export function signLink(link: SignedLink, secret: string): string {
  const message = JSON.stringify([PURPOSE, link.owner, link.repo, link.pull, link.base, link.head, link.installation, link.expires]);
  return createHmac('sha256', secret).update(message).digest('base64url');
}

export function viewerPath(link: Pick<LinkTarget, 'owner' | 'repo' | 'pull'>): string {
  return `${VIEWER_PREFIX}${encodeURIComponent(link.owner)}/${encodeURIComponent(link.repo)}/pull/${link.pull}`;
}

export function viewerUrl(link: SignedLink, settings: Pick<LinkSettings, 'publicUrl' | 'secret'>): string {
  const query = new URLSearchParams({
    base: link.base,
    sha: link.head,
    inst: String(link.installation),
    exp: String(link.expires),
    sig: signLink(link, settings.secret),
  });
  return `${settings.publicUrl}${viewerPath(link)}?${query}`;
}

export type LinkCheck =
  | { ok: true; link: SignedLink }
  | { ok: false; reason: 'not-viewer' | 'malformed' | 'bad-signature' | 'expired' };

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;
const INTEGER = /^[1-9][0-9]{0,15}$/;

/**
 * Reads a request URL (path and query) and checks its link: the signature first, in constant time, then the
 * expiry. `not-viewer` for paths outside `/cellwise/`, so other handlers can take them.
 */
export function verifyLink(url: URL, secret: string, now: Date): LinkCheck {
  if (!url.pathname.startsWith(VIEWER_PREFIX)) return { ok: false, reason: 'not-viewer' };
  const m = url.pathname.slice(VIEWER_PREFIX.length).match(/^([^/]+)\/([^/]+)\/pull\/([^/]+)\/?$/);
  const q = (name: string) => url.searchParams.get(name) ?? '';
  let owner: string, repo: string;
  try {
    owner = decodeURIComponent(m?.[1] ?? '');
    repo = decodeURIComponent(m?.[2] ?? '');
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!m || !NAME.test(owner) || !NAME.test(repo) || !INTEGER.test(m[3]!) || !SHA.test(q('base')) || !SHA.test(q('sha'))
    || !INTEGER.test(q('inst')) || !INTEGER.test(q('exp'))) {
    return { ok: false, reason: 'malformed' };
  }
  const link: SignedLink = {
    owner, repo, pull: Number(m[3]), base: q('base'), head: q('sha'), installation: Number(q('inst')), expires: Number(q('exp')),
  };
  const expected = Buffer.from(signLink(link, secret), 'base64url');
  const given = Buffer.from(q('sig'), 'base64url');
  // Buffer.from drops characters outside base64url: only the canonical spelling of the signature is accepted.
  if (given.length !== expected.length || given.toString('base64url') !== q('sig') || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad-signature' };
  }
  if (link.expires * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, link };
}
