/**
 * The viewer page with a review in it, from the single-file build of web/ (dist/web/index.html): the pure
 * part shared by the CLI (`--html` report, `cellwise web`) and the GitHub App's hosted viewer. Reading the
 * template file is I/O and stays with each of them.
 */
import { createHash } from 'node:crypto';
import { writeEmbeddableJson, type ReviewPayload } from '../review.js';

/** The element of the template that the review replaces; a build without it is not a viewer. */
export const REVIEW_PLACEHOLDER = '<script type="application/json" id="cellwise-review"></script>';

/** The page with the review inside (`review`) or told where to fetch it (`src`, a same-origin URL). */
export function renderPage(template: string, data: { review: ReviewPayload } | { src: string }): string {
  const pieces: string[] = [];
  writePage(template, data, (piece) => pieces.push(piece));
  return pieces.join('');
}

/**
 * `renderPage` handed to `write` in pieces, in order: a large review is written out without ever being one
 * string (see writeEmbeddableJson).
 */
export function writePage(template: string, data: { review: ReviewPayload } | { src: string }, write: (piece: string) => void): void {
  const at = template.indexOf(REVIEW_PLACEHOLDER);
  if (at < 0) throw new Error('the viewer template has no review element');
  write(template.slice(0, at));
  if ('review' in data) {
    write('<script type="application/json" id="cellwise-review">');
    writeEmbeddableJson(data.review, write);
    write('</script>');
  } else {
    write(`<script type="application/json" id="cellwise-review" data-src="${data.src.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)}"></script>`);
  }
  write(template.slice(at + REVIEW_PLACEHOLDER.length));
}

/** Hashes of the page's own inline scripts, the only ones its Content-Security-Policy lets run. */
export function scriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/g)) {
    if (/type="application\/json"/.test(m[1] ?? '') || (m[2] ?? '') === '') continue;
    hashes.push(`'sha256-${createHash('sha256').update(m[2]!).digest('base64')}'`);
  }
  return hashes;
}

/** The policy the served page gets as a header; the page sets the same one itself (web/index.html). */
export function contentSecurityPolicy(hashes: string[], remoteImages: boolean): string {
  return [
    "default-src 'none'",
    `script-src ${hashes.join(' ')}`,
    "style-src 'unsafe-inline'",
    `img-src data: blob:${remoteImages ? ' https: http:' : ''}`,
    'font-src data:',
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "media-src 'none'",
    "worker-src 'none'",
    "manifest-src 'none'",
  ].join('; ');
}
