/**
 * `.github/cellwise.yml`: the library's settings (the same keys as `.cellwise.yml`, checked by
 * lib/config.ts) plus what only the app has:
 *
 *   paths: { include: ['**\/*.ipynb'], exclude: ['vendor/**'] }   # globs on the notebook's path
 *   comment: true                                                  # post the sticky comment
 *   check: { enabled: true, fail_on_findings: false }              # the check run; fail it on findings
 *   ignore: { execution_count: true }                              # …and ignore/similarity/image as the CLI
 *
 * Read with Probot's config API from the default branch (so a pull request cannot loosen its own check), with
 * its `_extends` and organization-wide `.github` repository fallback.
 */
import type { Context, Logger, ProbotOctokit } from 'probot';
import { ConfigError, optionsFromConfig } from '../lib/config.js';
import type { DiffOptions } from '../lib/diff/options.js';

export const CONFIG_FILE = 'cellwise.yml';
export const CONFIG_PATH = `.github/${CONFIG_FILE}`;

export interface AppConfig {
  options: DiffOptions;
  include: string[];
  exclude: string[];
  comment: boolean;
  check: { enabled: boolean; failOnFindings: boolean };
  /** Set when the file could not be used: then every other field is the default. */
  error?: string;
}

export function defaultConfig(): AppConfig {
  return { options: {}, include: ['**'], exclude: [], comment: true, check: { enabled: true, failOnFindings: false } };
}

const APP_KEYS = ['paths', 'comment', 'check'];
const LIB_KEYS = ['ignore', 'similarity', 'image'];

/** Checks a parsed config object; throws ConfigError with one line naming the setting at fault. */
export function parseAppConfig(raw: unknown, source = CONFIG_PATH): AppConfig {
  const config = defaultConfig();
  if (raw === null || raw === undefined) return config;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new ConfigError(`${source}: the file must be a mapping of settings`);
  const obj = raw as Record<string, unknown>;
  const lib: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj)) {
    if (LIB_KEYS.includes(key)) lib[key] = value;
    else if (!APP_KEYS.includes(key)) {
      throw new ConfigError(`${source}: unknown setting "${key}" (known: ${[...APP_KEYS, ...LIB_KEYS].join(', ')})`);
    }
  }
  config.options = optionsFromConfig(lib, source);
  if (obj.paths !== undefined) {
    const paths = mapping(obj.paths, source, 'paths', ['include', 'exclude']);
    if (paths.include !== undefined) config.include = globs(paths.include, source, 'paths.include');
    if (paths.exclude !== undefined) config.exclude = globs(paths.exclude, source, 'paths.exclude');
  }
  if (obj.comment !== undefined) config.comment = flag(obj.comment, source, 'comment');
  if (obj.check !== undefined) {
    // `check: false` is short for `check: { enabled: false }`.
    if (typeof obj.check === 'boolean') config.check.enabled = obj.check;
    else {
      const check = mapping(obj.check, source, 'check', ['enabled', 'fail_on_findings']);
      if (check.enabled !== undefined) config.check.enabled = flag(check.enabled, source, 'check.enabled');
      if (check.fail_on_findings !== undefined) config.check.failOnFindings = flag(check.fail_on_findings, source, 'check.fail_on_findings');
    }
  }
  return config;
}

/** The repository's config, or the defaults with `error` set when the file is broken (never throws). */
export async function loadConfig(context: Context<'pull_request'>): Promise<AppConfig> {
  return configOrDefaults(() => context.config<Record<string, unknown>>(CONFIG_FILE), context.log);
}

/** The same, outside a webhook (the hosted viewer): Probot's config plugin on an installation's Octokit. */
export async function loadRepoConfig(octokit: ProbotOctokit, repo: { owner: string; repo: string }, log: Logger): Promise<AppConfig> {
  return configOrDefaults(async () => (await octokit.config.get({ ...repo, path: CONFIG_PATH })).config, log);
}

async function configOrDefaults(read: () => Promise<unknown>, log: Logger): Promise<AppConfig> {
  try {
    return parseAppConfig(await read());
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : `${CONFIG_PATH}: ${(error as Error).message}`;
    log.warn({ err: error }, 'cellwise: config not usable, using defaults');
    return { ...defaultConfig(), error: message.split('\n')[0] ?? message };
  }
}

function mapping(v: unknown, source: string, path: string, known: string[]): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ConfigError(`${source}: ${path} must be a mapping of settings`);
  for (const key of Object.keys(v)) {
    if (!known.includes(key)) throw new ConfigError(`${source}: unknown setting "${path}.${key}" (known: ${known.join(', ')})`);
  }
  return v as Record<string, unknown>;
}

function flag(v: unknown, source: string, path: string): boolean {
  if (typeof v !== 'boolean') throw new ConfigError(`${source}: ${path} must be true or false`);
  return v;
}

function globs(v: unknown, source: string, path: string): string[] {
  const list = typeof v === 'string' ? [v] : v;
  if (!Array.isArray(list) || !list.every((g) => typeof g === 'string' && g !== '')) {
    throw new ConfigError(`${source}: ${path} must be a glob or a list of globs such as "notebooks/**"`);
  }
  return list as string[];
}

/**
 * A predicate for paths matching any of the globs: `**` any number of folders, `*` and `?` within one
 * name, as in .gitignore. A glob without a `/` matches the name in any folder (`*.ipynb`).
 */
export function pathMatcher(patterns: string[]): (path: string) => boolean {
  const res = patterns.map(globToRegExp);
  return (path) => res.some((re) => re.test(path));
}

function globToRegExp(glob: string): RegExp {
  const anchored = glob.includes('/') ? glob.replace(/^\//, '') : `**/${glob}`;
  let re = '';
  for (let i = 0; i < anchored.length; i++) {
    const ch = anchored[i]!;
    if (ch === '*' && anchored[i + 1] === '*') {
      const slash = anchored[i + 2] === '/';
      re += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // A folder matches everything below it: `vendor` and `vendor/` exclude `vendor/a/b.ipynb`.
  return new RegExp(`^${re.replace(/\/$/, '')}(?:/.*)?$`);
}
