import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { parseNotebook, type ParsedNotebook } from '../lib/notebook/index.js';
import { UsageError } from './errors.js';

/** Reads and parses a notebook file; every failure becomes a one-line message naming the file. */
export function readNotebook(path: string): ParsedNotebook {
  // The bytes are dead once decoded, so every notebook is read into the same memory: a fresh 50 MB buffer
  // costs more in page faults than the read itself.
  return parseNotebook(path === '-' ? readBytes(path) : readReusing(path), path);
}

/** Files up to this size leave their buffer for the next read. */
const KEEP_BYTES = 256 * 1024 * 1024;
let reusable: Buffer | undefined;

/** The file's bytes, in a buffer that the next call overwrites. */
function readReusing(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${describe(e)}`);
  }
  try {
    // One byte more than the size, to see a file that grows while it is read.
    const want = fstatSync(fd).size + 1;
    // With room to spare: the other notebook of a pair is often a little larger, and a second buffer would
    // be faulted in afresh. Pages never read into are never touched, so the room costs nothing.
    let buffer = reusable && reusable.length >= want ? reusable : Buffer.allocUnsafeSlow(Math.ceil(want * 1.25));
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const bigger = Buffer.allocUnsafeSlow(buffer.length * 2);
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (buffer.length <= KEEP_BYTES) reusable = buffer;
    return buffer.subarray(0, length);
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${describe(e)}`);
  } finally {
    closeSync(fd);
  }
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
