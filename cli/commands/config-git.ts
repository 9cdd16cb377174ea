/**
 * `cellwise config-git [--global|--system] [--disable]`: registers (or removes) Cellwise with git, so that
 * `git diff`, `git log -p`, `git show` and `git difftool -t cellwise` show notebooks cell by cell.
 *
 * It sets only keys under `diff.cellwise.*` and `difftool.cellwise.*` (through `git config`) and one
 * attribute line, says what it changed, changes nothing on a second run, and `--disable` removes exactly
 * those keys and that line, leaving everything else as it was.
 */
import type { Command } from 'commander';
import { isAbsolute, relative, resolve } from 'node:path';
import { CELL_HEADER_PATTERN } from '../../lib/render/text-format.js';
import { EXIT, UsageError } from '../errors.js';
import { addAttributeLine, ATTRIBUTE_LINE, attributesFile, diffAttribute, removeAttributeLine } from '../git/attributes.js';
import { binPath, gitCommands, isTransientInstall, shellQuote } from '../git/command.js';
import { configOrigin, configValues, keysIn, removeSection, setConfig, unsetConfig, type Scope } from '../git/config.js';
import { findRepository, git, type Repository } from '../git/exec.js';
import type { RunContext } from '../main.js';

interface ConfigGitFlags {
  global?: boolean;
  system?: boolean;
  disable?: boolean;
  attributesFile?: string;
}

/** git's cache of textconv results for our driver (`diff.cellwise.cachetextconv`). */
const TEXTCONV_CACHE = 'refs/notes/textconv/cellwise';

export function registerConfigGit(program: Command, ctx: RunContext): void {
  program
    .command('config-git')
    .description('set up git to show notebooks with Cellwise: git diff, git log -p, git show, git difftool -t cellwise')
    .option('--global', 'for all your repositories (your global git config and attributes file)')
    .option('--system', 'for every user of this machine (the system git config and attributes file)')
    .option('--disable', 'remove what config-git set up, and nothing else')
    .option('--attributes-file <file>', 'write the "*.ipynb diff=cellwise" line to this file instead (e.g. .gitattributes, to share it)')
    .action((flags: ConfigGitFlags) => {
      ctx.status = runConfigGit(flags);
    });
}

const CACHE_KEY = 'diff.cellwise.cachetextconv';

/** The keys config-git owns, with the values it sets (the cache key only when `cache`). */
export function desiredConfig(cache = true): [string, string][] {
  const commands = gitCommands();
  return [
    ['diff.cellwise.command', commands.driver],
    ['diff.cellwise.textconv', commands.textconv],
    // git keeps each blob's text in refs/notes/textconv/cellwise: a version is converted once, ever, and a
    // second `git log -p` over 50 versions of a 5 MB notebook takes a fraction of a second (bench/git-log.ts).
    ...(cache ? [[CACHE_KEY, 'true'] as [string, string]] : []),
    // Hunk headers of the text diff name the cell they are in.
    ['diff.cellwise.xfuncname', CELL_HEADER_PATTERN],
    ['difftool.cellwise.cmd', commands.difftool],
  ];
}

/**
 * git stores its textconv cache as notes commits, and stops `git log -p` ("unable to auto-detect email
 * address") when it has no committer identity to write them with: the cache is only for git that has one.
 */
function canCacheTextconv(): boolean {
  return git(['var', 'GIT_COMMITTER_IDENT']).status === 0;
}

const OWNED_SECTIONS = ['diff.cellwise', 'difftool.cellwise'];

export function runConfigGit(flags: ConfigGitFlags): number {
  if (flags.global && flags.system) throw new UsageError('--global and --system cannot be used together');
  const scope: Scope = flags.global ? 'global' : flags.system ? 'system' : 'local';
  const repo = findRepository();
  if (scope === 'local' && !repo) {
    throw new UsageError('not in a git repository: run config-git inside one, or use --global to set up all your repositories');
  }
  const file = flags.attributesFile ? resolve(flags.attributesFile) : attributesFile(scope);
  const where = describeScope(scope, repo);
  const cache = flags.disable || canCacheTextconv();
  const lines = flags.disable ? disable(scope, file, repo) : enable(scope, file, cache);
  if (lines.length === 0) {
    process.stdout.write(flags.disable
      ? `Cellwise was not set up ${where}: nothing to remove.\n`
      : `Cellwise is already set up ${where}: nothing changed.\n`);
  } else {
    process.stdout.write(`${flags.disable ? 'Removed the Cellwise set-up' : 'Set up Cellwise for notebooks'} ${where}:\n${lines.join('\n')}\n`);
    if (!flags.disable) {
      process.stdout.write('Now `git diff`, `git log -p` and `git show` show notebooks cell by cell, and '
        + '`git difftool -t cellwise` shows them too.\n'
        + `Undo with: cellwise config-git${scope === 'local' ? '' : ` --${scope}`}${flags.attributesFile ? ` --attributes-file ${shellQuote(flags.attributesFile)}` : ''} --disable\n`);
    }
  }
  const notes = warnings(scope, repo, !!flags.disable, file);
  if (!cache) {
    notes.push('git has no committer identity here (user.name, user.email), which its textconv cache needs to store '
      + 'notes, so the cache is off: every `git log -p` converts each notebook version again. Set user.email and run '
      + 'config-git again to turn it on.');
  }
  for (const note of notes) process.stdout.write(`note: ${note}\n`);
  return EXIT.same;
}

function enable(scope: Scope, file: string, cache: boolean): string[] {
  const lines: string[] = [];
  let origin: string | undefined;
  if (!cache && configValues(scope, CACHE_KEY).length) {
    origin = configOrigin(scope, CACHE_KEY);
    unsetConfig(scope, CACHE_KEY);
    lines.push(`  - ${CACHE_KEY}`);
  }
  for (const [key, value] of desiredConfig(cache)) {
    const current = configValues(scope, key);
    if (current.length === 1 && current[0] === value) continue;
    setConfig(scope, key, value);
    origin ??= configOrigin(scope, key);
    lines.push(current.length === 0 ? `  + ${key} = ${value}` : `  ~ ${key} = ${value}  (was: ${current.join(', ')})`);
  }
  if (lines.length) lines.push(`    in ${origin ?? `the ${scope} git config`}`);
  if (addAttributeLine(file) === 'added') lines.push(`  + ${ATTRIBUTE_LINE}`, `    in ${shown(file)}`);
  return lines;
}

function disable(scope: Scope, file: string, repo: Repository | null): string[] {
  const lines: string[] = [];
  let origin: string | undefined;
  for (const [key] of desiredConfig()) {
    const current = configValues(scope, key);
    if (current.length === 0) continue;
    origin ??= configOrigin(scope, key);
    unsetConfig(scope, key);
    lines.push(`  - ${key}`);
  }
  for (const section of OWNED_SECTIONS) {
    // git drops a section with its last key; an empty header left by an older git goes too, a key the user
    // added under it stays.
    if (keysIn(scope, `${section}.`).length === 0) removeSection(scope, section);
  }
  if (lines.length) lines.push(`    from ${origin ?? `the ${scope} git config`}`);
  if (removeAttributeLine(file) === 'removed') lines.push(`  - ${ATTRIBUTE_LINE}`, `    from ${shown(file)}`);
  // The textconv cache is git's, but it exists because of us; in the current repository it goes too.
  if (repo && git(['show-ref', '--verify', '--quiet', TEXTCONV_CACHE]).status === 0) {
    if (git(['update-ref', '-d', TEXTCONV_CACHE]).status === 0) lines.push(`  - ${TEXTCONV_CACHE} (git's cache of notebook text)`);
  }
  return lines;
}

/** A path under the current folder relative to it (as git shows `.git/config`), any other path in full. */
function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function describeScope(scope: Scope, repo: Repository | null): string {
  switch (scope) {
    case 'local':
      return `in this repository (${repo?.topLevel ?? repo?.gitDir})`;
    case 'global':
      return 'in all your repositories';
    case 'system':
      return 'for all users of this machine';
  }
}

/** What could still keep the set-up from working (or, after --disable, keep notebooks on Cellwise). */
function warnings(scope: Scope, repo: Repository | null, disabled: boolean, file: string): string[] {
  const notes: string[] = [];
  if (!disabled && isTransientInstall(binPath())) {
    notes.push('this cellwise runs from npx\'s cache, which npm may clear; git will then fail to run it. '
      + 'Install it (npm install -g cellwise) and run config-git again.');
  }
  if (scope === 'system' && process.env.GIT_ATTR_NOSYSTEM) {
    notes.push(`GIT_ATTR_NOSYSTEM is set, so git does not read ${shown(file)} in this environment.`);
  }
  if (repo?.topLevel) {
    const attribute = diffAttribute('cellwise-probe.ipynb');
    if (!disabled && attribute === 'unspecified') {
      notes.push(`git does not read ${shown(file)} in this repository (notebooks here get no diff attribute), so it `
        + 'does not use Cellwise here; without --attributes-file config-git writes to a file git reads.');
    } else if (!disabled && attribute !== undefined && attribute !== 'cellwise') {
      notes.push(`in this repository notebooks get "diff=${attribute}" from an attributes file that takes precedence over `
        + `${shown(file)} (a .gitattributes?), so git does not use Cellwise here.`);
    }
    if (disabled && attribute === 'cellwise') {
      notes.push(`notebooks here still get "diff=cellwise" from another attributes file (a .gitattributes?); without the `
        + 'driver config git shows them as usual.');
    }
  }
  return notes;
}
