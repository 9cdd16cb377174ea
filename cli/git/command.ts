/**
 * The commands git runs for Cellwise, as registered by `cellwise config-git`: absolute paths to this node
 * and to this package's bin, quoted for the shell git runs them with, so they work without `cellwise` on
 * PATH (and for `npx` and global installs alike, whose bin is wherever this file is).
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEXT_FORMAT_VERSION } from '../../lib/render/text-format.js';

/** This package's `bin/cellwise.js`, found from this module (dist/cli/git/ when built, cli/git/ in tests). */
export function binPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const bin = join(dir, 'bin', 'cellwise.js');
    if (existsSync(bin) && existsSync(join(dir, 'package.json'))) return realpathSync(bin);
    dir = dirname(dir);
  }
  throw new Error('cannot find bin/cellwise.js above ' + fileURLToPath(import.meta.url));
}

/** Single quotes for sh: the one quoting in which nothing but `'` itself is special. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_\/.,:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface GitCommands {
  /** diff.cellwise.command: git appends the 7 (or 9) external-diff arguments. */
  driver: string;
  /** diff.cellwise.textconv: git appends the file. The format version is part of the command, so that git's
   *  textconv cache (keyed by the command) is dropped when the text form changes. */
  textconv: string;
  /** difftool.cellwise.cmd: git's difftool helper expands $LOCAL, $REMOTE and $MERGED. */
  difftool: string;
}

export function gitCommands(node = realpathSync(process.execPath), bin = binPath()): GitCommands {
  const run = `${shellQuote(node)} ${shellQuote(bin)}`;
  return {
    driver: `${run} diff-driver`,
    textconv: `${run} textconv --format=${TEXT_FORMAT_VERSION}`,
    difftool: `${run} difftool "$LOCAL" "$REMOTE" "$MERGED"`,
  };
}

/** npx runs packages from npm's cache, which `npm cache clean` or a newer version may remove. */
export function isTransientInstall(bin: string): boolean {
  return /[\\/]_npx[\\/]/.test(bin);
}
