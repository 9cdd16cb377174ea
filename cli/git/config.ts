/**
 * Reading and writing git config through `git config` itself (never by editing files), one scope at a time,
 * and asking git whether it would colour.
 */
import { git, gitMessage, type GitOptions } from './exec.js';
import { UsageError } from '../errors.js';

export type Scope = 'local' | 'global' | 'system';

/** Every value of `key` in that scope's file (multi-valued keys give several), in file order. */
export function configValues(scope: Scope, key: string, options: GitOptions = {}): string[] {
  const r = git(['config', `--${scope}`, '--null', '--get-all', key], options);
  // Exit 1: the key is not set. Anything else: the file cannot be read, which the caller must hear about.
  if (r.status === 1) return [];
  if (r.status !== 0) throw new UsageError(gitMessage(r.stderr, ['config']));
  return r.stdout.toString('utf8').split('\0').slice(0, -1);
}

/** The file a scope's config lives in, as git shows it (`.git/config`, `/root/.gitconfig`). */
export function configOrigin(scope: Scope, key: string, options: GitOptions = {}): string | undefined {
  const r = git(['config', `--${scope}`, '--show-origin', '--null', '--get-all', key], options);
  if (r.status !== 0) return undefined;
  const origin = r.stdout.toString('utf8').split('\0')[0] ?? '';
  return origin.startsWith('file:') ? origin.slice('file:'.length) : undefined;
}

export function setConfig(scope: Scope, key: string, value: string, options: GitOptions = {}): void {
  const r = git(['config', `--${scope}`, '--replace-all', key, value], options);
  if (r.status !== 0) throw new UsageError(`cannot set ${key} in the ${scope} git config: ${gitMessage(r.stderr, ['config'])}`);
}

export function unsetConfig(scope: Scope, key: string, options: GitOptions = {}): void {
  const r = git(['config', `--${scope}`, '--unset-all', key], options);
  // 5: the key was not there, which is what we wanted.
  if (r.status !== 0 && r.status !== 5) throw new UsageError(`cannot unset ${key} in the ${scope} git config: ${gitMessage(r.stderr, ['config'])}`);
}

/** Names of the keys still set under `section.subsection.` in that scope (to know whether it is empty). */
export function keysIn(scope: Scope, prefix: string, options: GitOptions = {}): string[] {
  const pattern = `^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
  const r = git(['config', `--${scope}`, '--null', '--name-only', '--get-regexp', pattern], options);
  if (r.status !== 0) return [];
  return r.stdout.toString('utf8').split('\0').filter((k) => k !== '');
}

export function removeSection(scope: Scope, section: string, options: GitOptions = {}): void {
  git(['config', `--${scope}`, '--remove-section', section], options);
}

/**
 * Whether git would colour a diff written to our standard output: `color.diff` (falling back to `color.ui`)
 * as git reads it, including `git -c color.diff=…` (passed to us in GIT_CONFIG_PARAMETERS). With `auto`,
 * git colours a terminal, and a pipe to its own pager (it sets GIT_PAGER_IN_USE for its children) unless
 * `color.pager` is false. NO_COLOR and FORCE_COLOR win over all of it. `git diff --color`/`--no-color` are
 * not passed to external diff drivers, so they cannot be honoured here (documented in docs/git.md).
 */
export function gitWantsColor(isTTY: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  // Asking with stdout-is-tty false tells us whether git colours "always" or via its pager.
  const r = git(['config', '--get-colorbool', 'color.diff', isTTY ? 'true' : 'false'], { env });
  if (r.status !== 0 || r.stdout.toString('utf8').trim() !== 'true') return false;
  if (isTTY || !pagerInUse(env)) return true;
  // Colour because of the pager: git itself then also checks color.pager, which `--get-colorbool` does not.
  const withoutPager = { ...env };
  delete withoutPager.GIT_PAGER_IN_USE;
  const always = git(['config', '--get-colorbool', 'color.diff', 'false'], { env: withoutPager });
  if (always.stdout.toString('utf8').trim() === 'true') return true;
  const pager = git(['config', '--type=bool', '--get', 'color.pager'], { env });
  return pager.status !== 0 || pager.stdout.toString('utf8').trim() !== 'false';
}

function pagerInUse(env: NodeJS.ProcessEnv): boolean {
  const v = (env.GIT_PAGER_IN_USE ?? '').toLowerCase();
  return v !== '' && v !== '0' && v !== 'false' && v !== 'no' && v !== 'off';
}
