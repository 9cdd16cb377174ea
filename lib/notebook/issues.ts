import type { Warning } from '../model.js';
import { NotebookError } from './errors.js';

/**
 * Collects what the reader accepts with a warning and raises what it cannot accept, both naming the file.
 *
 * Identical messages are folded into one warning (the first place, plus a count): a 4.5 notebook written by an
 * old tool has no id in any of its 300 cells, and 300 warnings would bury the one that matters. Messages
 * therefore never contain indexes; the path carries the place.
 */
export class Issues {
  private readonly groups = new Map<string, { warning: Warning; count: number }>();

  constructor(readonly file: string) {}

  warn(path: string, message: string): void {
    const group = this.groups.get(message);
    if (group) group.count++;
    else this.groups.set(message, { warning: { file: this.file, path, message }, count: 1 });
  }

  fail(path: string, detail: string): never {
    throw new NotebookError(this.file, path, detail);
  }

  warnings(): Warning[] {
    return [...this.groups.values()].map(({ warning, count }) =>
      count === 1 ? warning : { ...warning, message: `${warning.message} (and ${count - 1} more like it)` },
    );
  }
}
