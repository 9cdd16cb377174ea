import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared corpus of real notebooks, beside the repository. */
export const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');

/** Every .ipynb under `folder` of the corpus (recursively), as paths relative to the corpus, sorted. */
export function corpusNotebooks(folder: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ipynb')) found.push(relative(CORPUS, path));
    }
  };
  walk(join(CORPUS, folder));
  return found.sort();
}
