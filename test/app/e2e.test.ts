/**
 * End to end over real HTTP: the app started as `probot run` starts it (Probot's `run`, configured only by
 * Probot's standard environment), a local HTTP server playing the GitHub REST API (GHE_HOST, GHE_PROTOCOL),
 * and signed webhooks POSTed to the app's webhook endpoint.
 */
import type { Server as HttpServer } from 'node:http';
import { run, type Server } from 'probot';
import { afterAll, beforeAll, expect, test } from 'vitest';
import cellwiseApp from '../../app/index.js';
import { MARKER } from '../../app/comment.js';
import { BASE_SHA, FakeGitHub, HEAD_SHA, pullRequestEvent, serveFakeGitHub } from './fake-github.js';
import { freePort } from '../ports.js';
import { CORPUS_PATH, corpusBase, corpusHead } from './notebooks.js';
import { APP_ID, PRIVATE_KEY, signature } from './setup.js';

const SECRET = 'e2e-webhook-secret';
let api: HttpServer;
let app: Server;
let fake: FakeGitHub;
let webhookUrl: string;

beforeAll(async () => {
  let apiHost: string;
  ({ server: api, fake, host: apiHost } = await serveFakeGitHub());
  fake.file(BASE_SHA, CORPUS_PATH, corpusBase()).file(HEAD_SHA, CORPUS_PATH, corpusHead());
  fake.prFiles = [{ filename: CORPUS_PATH, status: 'modified' }];

  const port = await freePort();
  app = await run(cellwiseApp, {
    env: {
      APP_ID: String(APP_ID),
      PRIVATE_KEY,
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: apiHost,
      GHE_PROTOCOL: 'http',
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'fatal',
      LOG_FORMAT: 'json',
    },
  });
  webhookUrl = `http://127.0.0.1:${port}/api/github/webhooks`;
});

afterAll(async () => {
  await app?.stop();
  await new Promise((resolve) => api?.close(resolve));
});

async function deliver(payload: object, forged?: string): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(webhookUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'pull_request',
      'x-github-delivery': crypto.randomUUID(),
      'x-hub-signature-256': forged ?? signature(SECRET, body),
    },
    body,
  });
}

async function until(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('a webhook with a bad signature is rejected and nothing is posted', async () => {
  const response = await deliver(pullRequestEvent('opened'), `sha256=${'0'.repeat(64)}`);
  expect(response.status).toBe(400);
  expect(fake.requests).toHaveLength(0);
});

test('a signed pull_request webhook: the app reads the PR over HTTP and posts one comment, then updates it', async () => {
  const response = await deliver(pullRequestEvent('opened'));
  expect(response.status).toBe(200);
  await until(() => fake.checkRuns.length === 1);
  expect(fake.comments).toHaveLength(1);
  const body: string = fake.comments[0]!.body;
  expect(body.startsWith(MARKER)).toBe(true);
  expect(body).toContain('| notebooks/03.10-Working-With-Strings.ipynb | 0 | 0 | 3 (2 re-run only) | 0 | 2 | 0 | ⚠️ 1 |');
  expect(body).toContain("+monte.str.extract('([A-Za-z]+)', expand=False)");
  // The installation token was minted with the app's JWT, then used for every REST call.
  expect(fake.requests[0]!.path).toMatch(/^\/app\/installations\/\d+\/access_tokens$/);

  await deliver(pullRequestEvent('synchronize'));
  await until(() => fake.checkRuns.length === 2);
  expect(fake.comments).toHaveLength(1);
}, 60_000);
