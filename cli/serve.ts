/**
 * The local server behind `cellwise web`: the viewer page and its review, on 127.0.0.1 only. The page is
 * the same single-file build as the report; it fetches the review from this server (the same interface the
 * GitHub App uses) and gets its Content-Security-Policy as a header too.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { embeddableJson, type ReviewPayload } from '../lib/review.js';
import { contentSecurityPolicy, loadTemplate, renderPage, scriptHashes, withColors } from './report.js';

export interface RunningServer {
  url: string;
  port: number;
  close: () => Promise<void>;
}

export async function serveReview(review: ReviewPayload, port = 0): Promise<RunningServer> {
  const page = renderPage(loadTemplate(), { src: 'review.json' });
  const hashes = scriptHashes(page);
  let json: Promise<string> | undefined;
  // The review's code is colored here (lib/render/syntax/precolor.ts) while the browser starts, which takes
  // longer: the page then finds it colored instead of running the coloring code itself. As one-byte text
  // (embeddableJson), whatever the review holds.
  const reviewJson = () => (json ??= withColors(review).then(embeddableJson));
  let actualPort = port;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    // Another site the browser has open must not read the review through a DNS name pointed at 127.0.0.1.
    const host = req.headers.host ?? '';
    if (host !== `127.0.0.1:${actualPort}` && host !== `localhost:${actualPort}`) {
      send(res, 421, 'text/plain; charset=utf-8', 'wrong host\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
      return;
    }
    const url = new URL(req.url ?? '/', `http://${host}`);
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const remote = url.searchParams.get('remote-images') === '1';
      send(res, 200, 'text/html; charset=utf-8', page, { 'content-security-policy': contentSecurityPolicy(hashes, remote) });
    } else if (url.pathname === '/review.json') {
      reviewJson().then(
        (body) => send(res, 200, 'application/json; charset=utf-8', body),
        (e: unknown) => send(res, 500, 'text/plain; charset=utf-8', `cellwise could not prepare the review: ${e instanceof Error ? e.message : String(e)}\n`),
      );
    } else {
      send(res, 404, 'text/plain; charset=utf-8', 'not found\n');
    }
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  actualPort = (server.address() as AddressInfo).port;
  setImmediate(() => void reviewJson().catch(() => undefined));
  return {
    url: `http://127.0.0.1:${actualPort}/`,
    port: actualPort,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-resource-policy': 'same-origin',
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
