/** Notebook files for the app's tests: the corpus pair from a real history, and small ones made here. */
import { readFileSync } from 'node:fs';

const PAIR = new URL('../../../shared/corpus/pairs/pdsh-03.10-one-line-edit-exec-counts/', import.meta.url);
export const CORPUS_PATH = 'notebooks/03.10-Working-With-Strings.ipynb';
export const corpusBase = (): Buffer => readFileSync(new URL('base.ipynb', PAIR));
export const corpusHead = (): Buffer => readFileSync(new URL('head.ipynb', PAIR));

export interface CellSpec {
  source: string;
  type?: 'code' | 'markdown';
  count?: number | null;
  outputs?: unknown[];
}

let ids = 0;
/** An nbformat 4.5 notebook as Jupyter writes it (indent 1, trailing newline). */
export function notebook(cells: CellSpec[]): string {
  return `${JSON.stringify({
    cells: cells.map((c) => (c.type ?? 'code') === 'code'
      ? { cell_type: 'code', execution_count: c.count ?? null, id: `c${ids++}`, metadata: {}, outputs: c.outputs ?? [], source: c.source }
      : { cell_type: 'markdown', id: `c${ids++}`, metadata: {}, source: c.source }),
    metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python' } },
    nbformat: 4,
    nbformat_minor: 5,
  }, null, 1)}\n`;
}

export const stdout = (text: string) => ({ output_type: 'stream', name: 'stdout', text });
export const errorOutput = (ename: string, evalue: string) => ({ output_type: 'error', ename, evalue, traceback: [`${ename}: ${evalue}`] });
