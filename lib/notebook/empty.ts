import type { JsonObject, Notebook } from '../model.js';

/**
 * What an added or deleted notebook is compared with: no cells, in the other side's nbformat version (so
 * the version is no change), with the given metadata (none by default).
 */
export function emptyNotebook(like?: Notebook, metadata: JsonObject = {}): Notebook {
  return { nbformat: like?.nbformat ?? 4, nbformat_minor: like?.nbformat_minor ?? 5, metadata, cells: [] };
}
