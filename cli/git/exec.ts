/**
 * Running git itself. Every git fact Cellwise needs (config, attributes, revisions, blobs, colour) comes
 * from the `git` on PATH, so that it agrees with what the user's git does.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { UsageError } from '../errors.js';

export interface GitResult {
  status: number;
  stdout: Buffer;
  stderr: string;
}

export interface GitOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string | Uint8Array;
}

/** Runs `git ARGS`; never throws for a non-zero exit (the caller decides), only when git cannot be run. */
export function git(args: string[], options: GitOptions = {}): GitResult {
  const spawnOptions: SpawnSyncOptions = {
    cwd: options.cwd,
    env: options.env ?? process.env,
    input: options.input,
    maxBuffer: 2 * 1024 * 1024 * 1024,
    stdio: ['pipe', 'pipe', 'pipe'],
  };
  const r = spawnSync('git', args, spawnOptions);
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? 'git is not installed (or not on PATH)' : `cannot run git: ${r.error.message}`);
  }
  return { status: r.status ?? 128, stdout: r.stdout as Buffer, stderr: (r.stderr as Buffer).toString('utf8') };
}

/** `git ARGS` that must succeed; its output as text without the final newline. */
export function gitText(args: string[], options: GitOptions = {}): string {
  const r = git(args, options);
  if (r.status !== 0) throw new UsageError(gitMessage(r.stderr, args));
  return r.stdout.toString('utf8').replace(/\n$/, '');
}

/** git's own words on one line: `fatal: ambiguous argument 'x': …` → `ambiguous argument 'x': …`. */
export function gitMessage(stderr: string, args: string[]): string {
  const text = stderr
    .split('\n')
    .map((line) => line.replace(/^(fatal|error): /, '').trim())
    .filter((line) => line !== '')
    .join(' ');
  return text === '' ? `git ${args[0] ?? ''} failed` : text;
}

/** The repository around `cwd`, or null outside one. */
export interface Repository {
  /** Absolute path of the working tree's top level (null in a bare repository). */
  topLevel: string | null;
  /** Absolute path of the git directory. */
  gitDir: string;
}

export function findRepository(cwd = process.cwd()): Repository | null {
  const r = git(['rev-parse', '--path-format=absolute', '--git-dir', '--show-toplevel'], { cwd });
  if (r.status !== 0) {
    // In a bare repository --show-toplevel fails; ask again for the git directory alone.
    const bare = git(['rev-parse', '--path-format=absolute', '--git-dir'], { cwd });
    if (bare.status !== 0) return null;
    return { gitDir: bare.stdout.toString('utf8').trim(), topLevel: null };
  }
  const [gitDir, topLevel] = r.stdout.toString('utf8').trim().split('\n');
  return { gitDir: gitDir ?? '', topLevel: topLevel ?? null };
}
