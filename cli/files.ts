import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseNotebook, type ParsedNotebook } from '../lib/notebook/index.js';
import { UsageError } from './errors.js';

/** Reads and parses a notebook file; every failure becomes a one-line message naming the file. */
export function readNotebook(path: string): ParsedNotebook {
  return parseNotebook(readBytes(path), path);
}

export function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path === '-' ? 0 : path);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${describe(e)}`);
  }
}

/** Writes a new file; an existing one is replaced only when the user said so. */
export function writeOutput(path: string, text: string, force: boolean): void {
  if (!force && existsSync(path)) throw new UsageError(`${path} exists; not overwriting it (use --force to replace it)`);
  try {
    writeFileSync(path, text);
  } catch (e) {
    throw new UsageError(`cannot write ${path}: ${describe(e)}`);
  }
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT': return 'no such file';
    case 'EISDIR': return 'is a directory';
    case 'EACCES': return 'permission denied';
    default: return err.message ?? String(e);
  }
}
