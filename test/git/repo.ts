/**
 * Temporary git repositories for the git integration tests: real `git`, real `cellwise` (the built bin), and
 * an environment of their own (HOME, no system config, an identity, no pager, no colour variables), so that
 * nothing depends on the machine's or the user's git config.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import { ROOT } from '../cli/run.js';

export const BIN = join(ROOT, 'bin/cellwise.js');
export const FIXTURES = {
  base: join(ROOT, 'fixtures/examples/analysis-base.ipynb'),
  head: join(ROOT, 'fixtures/examples/analysis-head.ipynb'),
  v3: join(ROOT, 'fixtures/unit/v3.ipynb'),
  v4: join(ROOT, 'fixtures/unit/v4-from-v3.ipynb'),
  idsA: join(ROOT, 'fixtures/unit/ids-moved-a.ipynb'),
  idsB: join(ROOT, 'fixtures/unit/ids-moved-b.ipynb'),
};

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export const ESC = '\x1b[';

/** The variables a developer's shell may carry that would change what git or cellwise do. */
const SCRUB = [
  'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_CONFIG', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM', 'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT', 'GIT_PAGER', 'GIT_PAGER_IN_USE', 'GIT_EXTERNAL_DIFF', 'GIT_DIFF_OPTS', 'GIT_ATTR_NOSYSTEM', 'PAGER',
  'NO_COLOR', 'FORCE_COLOR', 'CELLWISE_DIFFTOOL', 'XDG_CONFIG_HOME', 'EMAIL', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL',
  'GIT_COMMITTER_NAME', 'GIT_COMMITTER_EMAIL', 'COLUMNS', 'BROWSER', 'DISPLAY', 'WAYLAND_DISPLAY'];

/** Every repository made by the test file importing this module, removed after its tests. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export class Repo {
  readonly root: string;
  readonly dir: string;
  readonly home: string;
  readonly env: Record<string, string>;

  constructor(options: { identity?: boolean } = {}) {
    this.root = mkdtempSync(join(tmpdir(), 'cellwise-git-'));
    made.push(this.root);
    this.home = join(this.root, 'home');
    this.dir = join(this.root, 'repo');
    mkdirSync(this.home);
    mkdirSync(this.dir);
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !SCRUB.includes(k)) env[k] = v;
    Object.assign(env, {
      HOME: this.home,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_PAGER: 'cat',
      PAGER: 'cat',
      TERM: 'dumb',
      LC_ALL: 'C.UTF-8',
      GIT_TERMINAL_PROMPT: '0',
    });
    this.env = env;
    this.git(['init', '-q', '-b', 'main']);
    if (options.identity !== false) {
      this.git(['config', 'user.name', 'Test']);
      this.git(['config', 'user.email', 'test@example.com']);
    } else {
      // Make sure git cannot guess one from the machine either.
      this.git(['config', 'user.useConfigOnly', 'true']);
    }
  }

  /** Runs git in the repository (or `cwd`); `env` adds to (or, with undefined, removes from) the repo's. */
  git(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Run {
    return this.spawn('git', args, options);
  }

  /** Runs git and expects it to succeed; returns its output. */
  ok(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): string {
    const r = this.git(args, options);
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed (${r.status}):\n${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  cellwise(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Run {
    return this.spawn(process.execPath, [BIN, ...args], options);
  }

  spawn(cmd: string, args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Run {
    const env: Record<string, string> = { ...this.env };
    for (const [k, v] of Object.entries(options.env ?? {})) {
      if (v === undefined) delete env[k];
      else env[k] = v;
    }
    const r = spawnSync(cmd, args, { cwd: options.cwd ?? this.dir, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** Writes a file in the working tree: a fixture's bytes (a path under ROOT) or text. */
  put(path: string, from: { fixture: string } | { text: string }): void {
    const target = join(this.dir, path);
    mkdirSync(dirname(target), { recursive: true });
    if ('fixture' in from) copyFileSync(from.fixture, target);
    else writeFileSync(target, from.text);
  }

  read(path: string): string {
    return readFileSync(join(this.dir, path), 'utf8');
  }

  commit(message: string, paths: string[] = ['-A']): string {
    this.ok(['add', ...paths]);
    this.ok(['commit', '-q', '-m', message]);
    return this.ok(['rev-parse', 'HEAD']).trim();
  }
}

/** The notebook text of a fixture with two lines replaced by merge-conflict markers around a change. */
export function withConflictMarkers(fixture: string): { text: string; markerLine: number } {
  const lines = readFileSync(fixture, 'utf8').split('\n');
  const at = lines.findIndex((line) => line.includes('"source": ['));
  const inserted = ['<<<<<<< HEAD', lines[at + 1]!, '=======', lines[at + 1]!.replace(/"/, '"changed '), '>>>>>>> other'];
  lines.splice(at + 1, 1, ...inserted);
  return { text: lines.join('\n'), markerLine: at + 2 };
}
