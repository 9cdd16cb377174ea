/** A Probot instance with the Cellwise app loaded, talking to a FakeGitHub through nock. */
import { createHmac, generateKeyPairSync } from 'node:crypto';
import nock from 'nock';
import { Probot, ProbotOctokit, type ApplicationFunction } from 'probot';
import cellwiseApp from '../../app/index.js';
import { FakeGitHub } from './fake-github.js';

export const PRIVATE_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
export const APP_ID = 912345;

export function createApp(options: { retry?: boolean; app?: ApplicationFunction } = {}): Probot {
  const probot = new Probot({
    appId: APP_ID,
    privateKey: PRIVATE_KEY,
    secret: 'test-secret',
    logLevel: 'fatal',
    // Retries are on in production (Probot's default); off here unless a test is about them, kept fast.
    // Probot layers its throttle options over the Octokit class's defaults, so a function (which sees them)
    // is the way to turn throttling off: its one-second spacing of writes would slow every test.
    Octokit: ProbotOctokit.defaults((instance: Record<string, any>) => ({
      ...instance,
      throttle: { ...instance.throttle, enabled: false },
      retry: options.retry ? { retryAfterBaseValue: 1 } : { enabled: false },
    })),
  });
  probot.load(options.app ?? cellwiseApp);
  return probot;
}

/** Routes every request to api.github.com to the fake. */
export function mockGitHub(fake: FakeGitHub): void {
  nock.disableNetConnect();
  const scope = nock('https://api.github.com').persist();
  for (const method of ['get', 'post', 'patch', 'put', 'delete'] as const) {
    scope[method](/.*/).reply((uri, body) => {
      const reply = fake.handle(method.toUpperCase(), new URL(uri, 'https://api.github.com'), body);
      return [reply.status, reply.body as nock.Body, reply.headers ?? {}];
    });
  }
}

export function resetNock(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}

/** GitHub's `X-Hub-Signature-256` of a delivery body. */
export function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
