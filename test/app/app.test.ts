import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Probot } from 'probot';
import { MARKER } from '../../app/comment.js';
import { MAX_NOTEBOOK_BYTES } from '../../app/index.js';
import { GITHUB_COMMENT_LIMIT } from '../../lib/render/markdown.js';
import { BASE_SHA, FakeGitHub, HEAD_SHA, pullRequestEvent } from './fake-github.js';
import { CORPUS_PATH, corpusBase, corpusHead, errorOutput, notebook, stdout } from './notebooks.js';
import { createApp, mockGitHub, resetNock, signature } from './setup.js';

let fake: FakeGitHub;
let probot: Probot;

beforeEach(() => {
  fake = new FakeGitHub();
  mockGitHub(fake);
  probot = createApp();
});
afterEach(() => resetNock());

const receive = (payload: Record<string, any>) => probot.receive({ id: `delivery-${Math.random()}`, name: 'pull_request', payload } as any);

/** The corpus pair as a one-notebook pull request, plus a non-notebook file the app must skip. */
function corpusPullRequest(): void {
  fake.file(BASE_SHA, CORPUS_PATH, corpusBase()).file(HEAD_SHA, CORPUS_PATH, corpusHead()).file(HEAD_SHA, 'README.md', '# hi\n');
  fake.prFiles = [{ filename: CORPUS_PATH, status: 'modified' }, { filename: 'README.md', status: 'modified' }];
}

const contentRefs = () => fake.calls('GET', /\/contents\/notebooks/).map((r) => new URL(r.path, 'http://x').searchParams.get('ref'));

describe('pull_request opened', () => {
  test('one comment with the summary table and the source diff; the check run; exact commits', async () => {
    corpusPullRequest();
    await receive(pullRequestEvent('opened'));

    expect(fake.comments).toHaveLength(1);
    const body: string = fake.comments[0]!.body;
    expect(body.startsWith(`${MARKER}\n`)).toBe(true);
    expect(body).toContain('| notebooks/03.10-Working-With-Strings.ipynb | 0 | 0 | 3 (2 re-run only) | 0 | 2 | 0 | ⚠️ 1 |');
    expect(body).toContain("-monte.str.extract('([A-Za-z]+)')\n+monte.str.extract('([A-Za-z]+)', expand=False)");
    expect(body).not.toContain('README');
    // Base at the merge base, head at the head commit: never a branch name.
    expect(contentRefs().sort()).toEqual([BASE_SHA, HEAD_SHA].sort());

    expect(fake.checkRuns).toHaveLength(1);
    const check = fake.checkRuns[0]!.create;
    expect(check).toMatchObject({ name: 'Cellwise', head_sha: HEAD_SHA, status: 'completed', conclusion: 'neutral' });
    expect(check.output.summary).toContain('| notebooks/03.10-Working-With-Strings.ipynb |');
    const stale = check.output.annotations.find((a: any) => a.title === 'cell 29: stale-outputs');
    expect(stale).toMatchObject({ path: CORPUS_PATH, start_line: 1, end_line: 1, annotation_level: 'notice' });
  });

  test('the base side is the merge base, not the base branch tip', async () => {
    corpusPullRequest();
    fake.mergeBase = 'a'.repeat(40);
    fake.file(fake.mergeBase, CORPUS_PATH, corpusBase());
    await receive(pullRequestEvent('opened'));
    expect(contentRefs()).toContain(fake.mergeBase);
    expect(contentRefs()).not.toContain(BASE_SHA);
  });

  test('reopened and ready_for_review are handled too; other actions are not', async () => {
    corpusPullRequest();
    await receive(pullRequestEvent('reopened'));
    await receive(pullRequestEvent('ready_for_review'));
    await receive({ ...pullRequestEvent('opened'), action: 'closed' });
    expect(fake.comments).toHaveLength(1);
    expect(fake.checkRuns).toHaveLength(2);
  });

  test('a pull request without notebooks gets no comment and no check run', async () => {
    fake.file(HEAD_SHA, 'a.py', 'x = 1\n');
    fake.prFiles = [{ filename: 'a.py', status: 'added' }];
    await receive(pullRequestEvent('opened'));
    expect(fake.comments).toHaveLength(0);
    expect(fake.checkRuns).toHaveLength(0);
    expect(fake.calls('GET', /\/compare\//)).toHaveLength(0);
  });
});

describe('synchronize', () => {
  test('the comment is updated, never duplicated; a person quoting the marker is left alone', async () => {
    fake.comments.push({ id: 1, body: `${MARKER} quoted by a person`, user: { login: 'octocat', type: 'User' } });
    corpusPullRequest();
    await receive(pullRequestEvent('opened'));
    expect(fake.comments).toHaveLength(2);
    const first = fake.comments[1]!.body;

    // A second push: the notebook's head changes again.
    const next = 'f'.repeat(40);
    const head = JSON.parse(corpusHead().toString());
    head.cells[1].source = ['# a brand new first line\n', ...[head.cells[1].source].flat()];
    fake.file(next, CORPUS_PATH, JSON.stringify(head));
    await receive(pullRequestEvent('synchronize', next));

    expect(fake.comments).toHaveLength(2);
    expect(fake.comments[0]!.body).toBe(`${MARKER} quoted by a person`);
    expect(fake.comments[1]!.body).not.toBe(first);
    expect(fake.comments[1]!.body).toContain('+# a brand new first line');
    expect(fake.calls('PATCH', /\/issues\/comments\/\d+$/)).toHaveLength(1);
    expect(fake.calls('POST', /\/issues\/7\/comments$/)).toHaveLength(1);
    expect(fake.checkRuns.map((r) => r.create.head_sha)).toEqual([HEAD_SHA, next]);
  });

  test('the sticky comment is found on a later page of comments', async () => {
    for (let i = 0; i < 130; i++) fake.comments.push({ id: i + 1, body: `comment ${i}`, user: { login: 'octocat', type: 'User' } });
    corpusPullRequest();
    await receive(pullRequestEvent('opened'));
    await receive(pullRequestEvent('synchronize'));
    expect(fake.comments.filter((c) => c.body.startsWith(MARKER))).toHaveLength(1);
    expect(fake.calls('GET', /\/issues\/7\/comments\?.*page=2/).length).toBeGreaterThan(0);
  });
});

describe('the changed files', () => {
  test('120 changed files: every page is listed', async () => {
    const files = Array.from({ length: 120 }, (_, i) => `src/module_${String(i).padStart(3, '0')}.py`);
    files.splice(110, 0, 'late/notebook.ipynb');
    for (const f of files) fake.file(HEAD_SHA, f, 'x = 1\n');
    fake.file(HEAD_SHA, 'late/notebook.ipynb', notebook([{ source: 'print(1)' }]));
    fake.prFiles = files.map((filename) => ({ filename, status: filename.endsWith('.ipynb') ? 'added' : 'modified' }));
    await receive(pullRequestEvent('opened'));
    expect(fake.calls('GET', /\/pulls\/7\/files/).map((r) => new URL(r.path, 'http://x').searchParams.get('page'))).toEqual([null, '2']);
    expect(fake.comments[0]!.body).toContain('| late/notebook.ipynb (new) | 1 |');
  });

  test('added, deleted and renamed notebooks', async () => {
    fake.file(HEAD_SHA, 'new.ipynb', notebook([{ source: 'import pandas as pd' }, { type: 'markdown', source: '# Title' }]));
    fake.file(BASE_SHA, 'gone.ipynb', notebook([{ source: 'old()' }]));
    const moved = notebook([{ source: 'a = 1', count: 1 }, { source: 'b = 2', count: 2 }]);
    fake.file(BASE_SHA, 'old/name.ipynb', moved).file(HEAD_SHA, 'new/name.ipynb', moved.replace('b = 2', 'b = 3'));
    fake.prFiles = [
      { filename: 'new.ipynb', status: 'added' },
      { filename: 'gone.ipynb', status: 'removed' },
      { filename: 'new/name.ipynb', previous_filename: 'old/name.ipynb', status: 'renamed' },
    ];
    await receive(pullRequestEvent('opened'));
    const body: string = fake.comments[0]!.body;
    expect(body).toContain('| new.ipynb (new) | 2 | 0 | 0 |');
    expect(body).toContain('| gone.ipynb (deleted) | 0 | 1 | 0 |');
    expect(body).toContain('| new/name.ipynb (renamed from old/name.ipynb) | 0 | 0 | 1 |');
    expect(body).toContain('-b = 2\n+b = 3');
    // A deleted file is not fetched at head, an added one not at base; a rename is read at its old path.
    expect(fake.calls('GET', /\/contents\/gone\.ipynb\?ref=431/)).toHaveLength(0);
    expect(fake.calls('GET', /\/contents\/new\.ipynb\?ref=6c9/)).toHaveLength(0);
    expect(fake.calls('GET', /\/contents\/old%2Fname\.ipynb\?ref=6c9/)).toHaveLength(1);
  });

  test('an invalid notebook gets a clear line; the others are still diffed and the check still runs', async () => {
    corpusPullRequest();
    const conflicted = `<<<<<<< HEAD\n${notebook([{ source: 'a' }])}=======\n${notebook([{ source: 'b' }])}>>>>>>> other\n`;
    fake.file(BASE_SHA, 'broken.ipynb', notebook([{ source: 'a' }])).file(HEAD_SHA, 'broken.ipynb', conflicted);
    fake.prFiles.push({ filename: 'broken.ipynb', status: 'modified' });
    await receive(pullRequestEvent('opened'));
    const body: string = fake.comments[0]!.body;
    expect(body).toContain('| broken.ipynb | not diffed (see below) |');
    expect(body).toContain('- broken.ipynb: broken.ipynb@&#8203;431da7c: line 1: merge conflict markers (\\<\\<\\<\\<\\<\\<\\< HEAD): resolve the git conflict before diffing');
    expect(body).toContain('| notebooks/03.10-Working-With-Strings.ipynb | 0 | 0 | 3');
    expect(fake.checkRuns).toHaveLength(1);
  });

  test('a file above 1 MB comes through the git blobs API', async () => {
    const big = notebook([{ source: 'x = 1', count: 1, outputs: [stdout('y'.repeat(1_200_000))] }]);
    fake.file(BASE_SHA, 'big.ipynb', big).file(HEAD_SHA, 'big.ipynb', big.replace('x = 1', 'x = 2'));
    fake.prFiles = [{ filename: 'big.ipynb', status: 'modified' }];
    await receive(pullRequestEvent('opened'));
    expect(fake.calls('GET', /\/git\/blobs\/[0-9a-f]{40}$/)).toHaveLength(2);
    expect(fake.comments[0]!.body).toContain('-x = 1\n+x = 2');
  });

  test('a notebook over the size limit is summarized without being downloaded', async () => {
    const huge = Buffer.alloc(MAX_NOTEBOOK_BYTES + 1, 32);
    fake.file(BASE_SHA, 'huge.ipynb', huge).file(HEAD_SHA, 'huge.ipynb', Buffer.concat([huge, Buffer.from(' ')]));
    fake.prFiles = [{ filename: 'huge.ipynb', status: 'modified' }];
    await receive(pullRequestEvent('opened'));
    expect(fake.comments[0]!.body).toMatch(/huge\.ipynb: too large to diff here \(\d+\.\d MB at 6c9b1e6; the limit is \d+\.\d MB\)/);
    expect(fake.calls('GET', /\/git\/blobs\//)).toHaveLength(0);
  });

  test('an over-long diff keeps the comment under GitHub\'s limit', async () => {
    const cells = (v: string) => Array.from({ length: 300 }, (_, i) => ({
      source: Array.from({ length: 30 }, (_, j) => `value_${i}_${j} = compute_${v}(${j})  # ${'padding '.repeat(8)}`).join('\n'),
    }));
    fake.file(BASE_SHA, 'long.ipynb', notebook(cells('a'))).file(HEAD_SHA, 'long.ipynb', notebook(cells('b')));
    fake.prFiles = [{ filename: 'long.ipynb', status: 'modified' }];
    await receive(pullRequestEvent('opened'));
    const body: string = fake.comments[0]!.body;
    expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    expect(body).toContain('| long.ipynb | 0 | 0 | 300 |');
  });
});

describe('.github/cellwise.yml', () => {
  test('paths, ignore options and check strictness are honoured', async () => {
    corpusPullRequest();
    fake.file(HEAD_SHA, 'vendor/lib.ipynb', notebook([{ source: 'v' }]));
    fake.prFiles.push({ filename: 'vendor/lib.ipynb', status: 'added' });
    fake.config = ['paths:', '  exclude: [vendor/**]', 'ignore:', '  execution_count: true', 'check:', '  fail_on_findings: true', ''].join('\n');
    await receive(pullRequestEvent('opened'));
    const body: string = fake.comments[0]!.body;
    expect(body).not.toContain('vendor');
    // Execution counts ignored: the two re-run-only cells are no longer changes.
    expect(body).toContain('| notebooks/03.10-Working-With-Strings.ipynb | 0 | 0 | 1 | 0 |');
    expect(body).not.toContain('only re-run');
    expect(fake.checkRuns[0]!.create.conclusion).toBe('failure');
  });

  test('comment: false posts no comment, check: false no check run', async () => {
    corpusPullRequest();
    fake.config = 'comment: false\n';
    await receive(pullRequestEvent('opened'));
    expect(fake.comments).toHaveLength(0);
    expect(fake.checkRuns).toHaveLength(1);
    fake.config = 'check: false\n';
    await receive(pullRequestEvent('synchronize'));
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.comments).toHaveLength(1);
  });

  test('a broken config is reported in the comment and the check, and the defaults apply', async () => {
    corpusPullRequest();
    fake.config = 'ignore:\n  execution_counts: true\n';
    await receive(pullRequestEvent('opened'));
    const body: string = fake.comments[0]!.body;
    expect(body).toContain('`.github/cellwise.yml` was not used: .github/cellwise.yml: unknown setting "ignore.execution\\_counts"');
    expect(body).toContain('3 (2 re-run only)');
    expect(fake.checkRuns[0]!.create.output.title).toBe('.github/cellwise.yml not used: defaults applied');
  });

  test('absent: the repository and the organization\'s .github repository are asked, then defaults', async () => {
    corpusPullRequest();
    await receive(pullRequestEvent('opened'));
    expect(fake.calls('GET', /^\/repos\/octo-org\/notebooks\/contents\/\.github%2Fcellwise\.yml/)).toHaveLength(1);
    expect(fake.calls('GET', /^\/repos\/octo-org\/\.github\/contents\/\.github%2Fcellwise\.yml/)).toHaveLength(1);
  });
});

describe('the check run', () => {
  test('annotations for out-of-order runs, saved errors and stale outputs, in batches of 50', async () => {
    const base = notebook([{ source: 'a = 1', count: 1 }, { source: 'b = a', count: 2 }]);
    const head = notebook([
      { source: 'a = 1', count: 3 },
      { source: 'b = a + 1', count: 2 },
      { source: 'c = d', count: 4, outputs: [errorOutput('NameError', "name 'd' is not defined")] },
    ]);
    fake.file(BASE_SHA, 'a.ipynb', base).file(HEAD_SHA, 'a.ipynb', head);
    const many = notebook(Array.from({ length: 60 }, (_, i) => ({ source: `x${i} = 1`, count: 60 - i })));
    fake.file(HEAD_SHA, 'many.ipynb', many);
    fake.prFiles = [{ filename: 'a.ipynb', status: 'modified' }, { filename: 'many.ipynb', status: 'added' }];
    await receive(pullRequestEvent('opened'));

    const run = fake.checkRuns[0]!;
    expect(run.create.conclusion).toBe('neutral');
    const annotations = [...run.create.output.annotations, ...run.updates.flatMap((u) => u.output.annotations)];
    expect(run.create.output.annotations).toHaveLength(50);
    expect(run.updates).toHaveLength(1);
    const onA = annotations.filter((a) => a.path === 'a.ipynb').map((a) => a.title);
    expect(onA).toEqual(['cell 1: stale-counts', 'cell 2: out-of-order', 'cell 2: stale-outputs', 'cell 3: error-output']);
    expect(annotations.find((a) => a.title === 'cell 3: error-output').message).toBe("saved error output: NameError: name 'd' is not defined");
    expect(annotations.filter((a) => a.path === 'many.ipynb')).toHaveLength(59);
    expect(run.create.output.text).toContain("cell 3 (error-output): saved error output: NameError: name 'd' is not defined");
  });

  test('no findings: success', async () => {
    fake.file(BASE_SHA, 'a.ipynb', notebook([{ source: 'a = 1', count: 1 }])).file(HEAD_SHA, 'a.ipynb', notebook([{ source: 'a = 2', count: 1, outputs: [stdout('2\n')] }]));
    fake.prFiles = [{ filename: 'a.ipynb', status: 'modified' }];
    await receive(pullRequestEvent('opened'));
    expect(fake.checkRuns[0]!.create).toMatchObject({ conclusion: 'success', output: { title: 'No hidden-state findings in the changed notebooks' } });
  });
});

describe('robustness', () => {
  test('a server error is retried by Probot\'s Octokit retry plugin', async () => {
    probot = createApp({ retry: true });
    corpusPullRequest();
    fake.failures.push({ match: /^GET \/repos\/octo-org\/notebooks\/pulls\/7\/files/, reply: { status: 502, body: { message: 'Server Error' } } });
    await receive(pullRequestEvent('opened'));
    expect(fake.calls('GET', /\/pulls\/7\/files/)).toHaveLength(2);
    expect(fake.comments).toHaveLength(1);
  });

  test('a failing fetch of one notebook becomes a line in the comment', async () => {
    corpusPullRequest();
    fake.failures.push({ match: /^GET .*\/contents\/notebooks/, reply: { status: 403, body: { message: 'Resource not accessible by integration' } } });
    await receive(pullRequestEvent('opened'));
    expect(fake.comments[0]!.body).toContain('could not be diffed: Resource not accessible by integration');
  });

  test('a webhook with a bad signature is rejected; a good one is handled', async () => {
    corpusPullRequest();
    const payload = JSON.stringify(pullRequestEvent('opened'));
    await expect(probot.webhooks.verifyAndReceive({ id: '1', name: 'pull_request', payload, signature: 'sha256=' + '0'.repeat(64) }))
      .rejects.toThrow(/signature does not match/i);
    expect(fake.comments).toHaveLength(0);
    await probot.webhooks.verifyAndReceive({ id: '2', name: 'pull_request', payload, signature: signature('test-secret', payload) });
    expect(fake.comments).toHaveLength(1);
  });
});
