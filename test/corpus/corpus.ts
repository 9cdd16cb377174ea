import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseNotebook, type ParsedNotebook } from '../../lib/notebook/index.js';

/** The shared corpus of real notebooks, beside the repository (never copied into it). */
export const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');

export function corpusExists(): boolean {
  try {
    return statSync(CORPUS).isDirectory();
  } catch {
    return false;
  }
}

export function pairNames(): string[] {
  return readdirSync(join(CORPUS, 'pairs')).filter((d) => statSync(join(CORPUS, 'pairs', d)).isDirectory()).sort();
}

export function readCorpus(path: string): ParsedNotebook {
  return parseNotebook(readFileSync(join(CORPUS, path)), path);
}
