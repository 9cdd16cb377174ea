import type { Cell, Notebook, Output } from '../../lib/model.js';

/** Small notebooks for tests, built in code so each test shows exactly what it is about. */
export function nb(cells: Cell[], extra: Partial<Notebook> = {}): Notebook {
  return { nbformat: 4, nbformat_minor: 5, metadata: {}, cells, ...extra };
}

export function code(source: string, opts: { id?: string; outputs?: Output[]; count?: number | null; metadata?: Cell['metadata'] } = {}): Cell {
  return {
    cell_type: 'code',
    ...(opts.id ? { id: opts.id } : {}),
    source,
    metadata: opts.metadata ?? {},
    execution_count: opts.count === undefined ? null : opts.count,
    outputs: opts.outputs ?? [],
  };
}

export function md(source: string, id?: string): Cell {
  return { cell_type: 'markdown', ...(id ? { id } : {}), source, metadata: {} };
}

export function stream(text: string, name = 'stdout'): Output {
  return { output_type: 'stream', name, text };
}

export function result(text: string, count: number | null = 1, extra: Record<string, unknown> = {}): Output {
  return { output_type: 'execute_result', data: { 'text/plain': text, ...extra }, metadata: {}, execution_count: count };
}

export function display(data: Record<string, unknown>): Output {
  return { output_type: 'display_data', data: data as never, metadata: {} };
}

export function error(ename: string, evalue: string, traceback: string[] = []): Output {
  return { output_type: 'error', ename, evalue, traceback };
}
