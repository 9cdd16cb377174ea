/**
 * What changed between revisions (or the working tree, or the index), as git itself lists it, and the
 * contents of each version: `git diff --raw -z -M` and `git cat-file blob`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { git, gitMessage } from './exec.js';
import { NULL_HEX, type FileStatus } from './file-diff.js';

export interface RawChange {
  status: FileStatus | 'unmerged' | 'unknown';
  /** git's letter: A D M R C T U X. */
  letter: string;
  /** Similarity of a rename or copy, in percent. */
  score?: number;
  oldMode: string;
  newMode: string;
  oldSha: string;
  newSha: string;
  oldPath: string;
  newPath: string;
}

const STATUS: Record<string, RawChange['status']> = {
  A: 'added', D: 'deleted', M: 'modified', R: 'renamed', C: 'copied', T: 'type-changed', U: 'unmerged',
};

export interface ChangeQuery {
  /** Revisions as `git diff` takes them: none, one, two, or `A..B` / `A...B`. */
  revisions: string[];
  /** Pathspecs (relative to the current folder, as git takes them). */
  paths: string[];
  /** Compare the index instead of the working tree (`--cached`). */
  cached: boolean;
  cwd?: string;
}

/** The changed files, with renames detected; paths relative to the top of the working tree. */
export function listChanges(q: ChangeQuery): RawChange[] {
  for (const rev of q.revisions) {
    // Anything that git could read as an option is not a revision we were given.
    if (rev.startsWith('-')) throw new UsageError(`"${rev}" is not a revision`);
  }
  const args = ['diff', '--raw', '-z', '-M', '--no-abbrev', '--no-relative', '--no-ext-diff', '--no-textconv', '--ignore-submodules'];
  if (q.cached) args.push('--cached');
  args.push(...q.revisions, '--', ...q.paths);
  const r = git(args, { cwd: q.cwd });
  if (r.status !== 0) throw new UsageError(gitMessage(r.stderr, args));
  return parseRaw(r.stdout.toString('utf8'));
}

/** `:old-mode new-mode old-sha new-sha STATUS\0path\0[new-path\0]`, repeated. */
export function parseRaw(text: string): RawChange[] {
  const fields = text.split('\0');
  const changes: RawChange[] = [];
  for (let i = 0; i < fields.length; ) {
    const meta = fields[i++];
    if (!meta || !meta.startsWith(':')) continue;
    const [oldMode = '', newMode = '', oldSha = '', newSha = '', code = ''] = meta.slice(1).split(' ');
    const letter = code.charAt(0);
    const oldPath = fields[i++] ?? '';
    const twoPaths = letter === 'R' || letter === 'C';
    const newPath = twoPaths ? fields[i++] ?? '' : oldPath;
    const score = twoPaths && code.length > 1 ? Number(code.slice(1)) : undefined;
    changes.push({
      status: STATUS[letter] ?? 'unknown', letter, oldMode, newMode, oldSha, newSha, oldPath, newPath,
      ...(score !== undefined ? { score } : {}),
    });
  }
  return changes;
}

/**
 * One version's bytes: the blob, or the working-tree file when git lists no blob for it (all zeros on the
 * working-tree side), or null when the file does not exist on that side.
 */
export function readVersion(sha: string, mode: string, path: string, topLevel: string): Uint8Array | null {
  if (/^0+$/.test(mode)) return null;
  if (NULL_HEX.test(sha)) {
    try {
      return readFileSync(join(topLevel, path));
    } catch (e) {
      throw new UsageError(`cannot read ${path}: ${(e as Error).message}`);
    }
  }
  return readBlob(sha);
}

export function readBlob(sha: string, cwd?: string): Uint8Array {
  const r = git(['cat-file', 'blob', sha], { cwd });
  if (r.status !== 0) throw new UsageError(`cannot read blob ${sha}: ${gitMessage(r.stderr, ['cat-file'])}`);
  return r.stdout;
}

/** Whether the argument names a commit (or a range of them), as opposed to a path. */
export function isRevision(arg: string, cwd?: string): boolean {
  if (arg.startsWith('-')) return false;
  const ends = arg.includes('...') ? arg.split('...') : arg.includes('..') ? arg.split('..') : [arg];
  return ends.every((end) => end === '' || git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${end}^{commit}`], { cwd }).status === 0);
}
