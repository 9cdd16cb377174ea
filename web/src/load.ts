/**
 * The one way the viewer gets its data: a `<script type="application/json" id="cellwise-review">` in the page,
 * holding the review itself (the `--html` report) or naming a URL to fetch it from with `data-src` (the
 * `cellwise web` server, the GitHub App).
 */
import { REVIEW_FORMAT, type ReviewPayload } from '../../lib/review.js';

export const REVIEW_ELEMENT_ID = 'cellwise-review';

export async function loadReview(doc: Document = document, fetcher: typeof fetch = fetch): Promise<ReviewPayload> {
  const el = doc.getElementById(REVIEW_ELEMENT_ID);
  if (!el) throw new Error('this page holds no review (no #cellwise-review element)');
  const src = el.getAttribute('data-src');
  let text: string;
  if (src) {
    const response = await fetcher(src, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`could not load the review from ${src}: HTTP ${response.status}`);
    text = await response.text();
  } else {
    text = el.textContent ?? '';
  }
  return parseReview(text);
}

export function parseReview(text: string): ReviewPayload {
  const value = JSON.parse(text) as Partial<ReviewPayload>;
  if (value.format !== REVIEW_FORMAT) throw new Error(`not a Cellwise review (format ${JSON.stringify(value.format)})`);
  if (value.version !== 1) throw new Error(`Cellwise review version ${String(value.version)} is not supported by this viewer`);
  if (!Array.isArray(value.files)) throw new Error('the review lists no files');
  return value as ReviewPayload;
}
