/**
 * Where git reads the `*.ipynb diff=cellwise` attribute for each scope, and adding or removing exactly our
 * lines there. Attribute files are plain text that git never writes, so here we edit them ourselves, keeping
 * every other line as it was.
 */
import { existsSync, lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { Scope } from './config.js';
import { git, gitText, type GitOptions } from './exec.js';

export const ATTRIBUTE_LINE = '*.ipynb diff=cellwise';
export const ATTRIBUTE_COMMENT = '# notebooks cell by cell (added by `cellwise config-git`; `cellwise config-git --disable` removes it)';

/**
 * The file git reads attributes from for the scope:
 * - local: `$GIT_DIR/info/attributes`, which git reads first and which is not part of the project (the
 *   tracked `.gitattributes` would change the user's files; `--attributes-file .gitattributes` asks for it);
 * - global: `core.attributesFile`, or its default `$XDG_CONFIG_HOME/git/attributes` (~/.config/git/attributes);
 * - system: `$(prefix)/etc/gitattributes`, beside the system gitconfig.
 */
export function attributesFile(scope: Scope, options: GitOptions & { env?: NodeJS.ProcessEnv } = {}): string {
  const env = options.env ?? process.env;
  switch (scope) {
    case 'local':
      return resolve(options.cwd ?? process.cwd(), gitText(['rev-parse', '--git-path', 'info/attributes'], options));
    case 'global': {
      for (const where of ['--global', '--system']) {
        const r = git(['config', where, '--type=path', '--get', 'core.attributesFile'], options);
        const value = r.stdout.toString('utf8').trim();
        if (r.status === 0 && value !== '') return resolve(options.cwd ?? process.cwd(), value);
      }
      const xdg = env.XDG_CONFIG_HOME;
      const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.config');
      return join(base, 'git', 'attributes');
    }
    case 'system':
      return systemAttributesFile(options);
  }
}

function systemAttributesFile(options: GitOptions): string {
  const env = { ...(options.env ?? process.env) };
  // git ≥ 2.42 says it directly.
  const direct = git(['var', 'GIT_ATTR_SYSTEM'], { ...options, env });
  if (direct.status === 0 && direct.stdout.toString('utf8').trim() !== '') return direct.stdout.toString('utf8').trim();
  // Older git: the system attributes file sits beside the built-in system gitconfig ($(sysconfdir)), whose
  // path `git config --system --edit` hands to the editor. GIT_CONFIG_SYSTEM would redirect only the config.
  delete env.GIT_CONFIG_SYSTEM;
  delete env.GIT_CONFIG_NOSYSTEM;
  const edit = git(['config', '--system', '--edit'], { ...options, env: { ...env, GIT_EDITOR: 'echo' } });
  const config = edit.stdout.toString('utf8').trim();
  if (edit.status === 0 && isAbsolute(config)) return join(dirname(config), 'gitattributes');
  return '/etc/gitattributes';
}

export type LineChange = 'added' | 'present' | 'removed' | 'absent';

/** Appends our line (with its comment) unless the file already has it. */
export function addAttributeLine(file: string): LineChange {
  const text = readText(file);
  const lines = text === undefined ? [] : splitFileLines(text);
  if (lines.some((line) => line.trim() === ATTRIBUTE_LINE)) return 'present';
  let next = text ?? '';
  if (next !== '' && !next.endsWith('\n')) next += '\n';
  next += `${ATTRIBUTE_COMMENT}\n${ATTRIBUTE_LINE}\n`;
  writeText(file, next);
  return 'added';
}

/** Removes our line and our comment above it, nothing else; deletes the file when nothing else is left. */
export function removeAttributeLine(file: string): LineChange {
  const text = readText(file);
  if (text === undefined) return 'absent';
  const lines = splitFileLines(text);
  const keep: string[] = [];
  let removed = false;
  for (const line of lines) {
    if (line.trim() === ATTRIBUTE_LINE) {
      removed = true;
      if (keep.length && keep[keep.length - 1]!.trim() === ATTRIBUTE_COMMENT) keep.pop();
      continue;
    }
    keep.push(line);
  }
  if (!removed) return 'absent';
  const rest = keep.join('');
  // Only our lines were there: the file goes (git reads a missing file as an empty one), unless it is a
  // link, say into a dotfiles repository, which stays and is emptied.
  if (rest.trim() === '' && lstatSync(file).isFile()) rmSync(file);
  else writeText(file, rest);
  return 'removed';
}

/** The `diff` attribute git applies to a path (`cellwise`, `unset`, `unspecified`, …), asked in a repository. */
export function diffAttribute(path: string, options: GitOptions = {}): string | undefined {
  const r = git(['check-attr', 'diff', '--', path], options);
  if (r.status !== 0) return undefined;
  const m = /: diff: (.*)$/.exec(r.stdout.toString('utf8').trim());
  return m?.[1];
}

function splitFileLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function readText(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
}

function writeText(file: string, text: string): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const hint = code === 'EACCES' || code === 'EPERM' ? ' (permission denied: the system scope needs an administrator)' : '';
    throw new UsageError(`cannot write ${file}${hint}: ${(e as Error).message}`);
  }
}
