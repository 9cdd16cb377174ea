import type { Notebook } from '../model.js';
import type { ResolvedOptions } from './options.js';

/**
 * Ignoring a part means leaving it out of both notebooks before they are compared, so that every later
 * stage (alignment, diff, summary) is blind to it alike. Paths are nbdime's: `/cells/*\/outputs/*\/metadata`.
 */
export function ignorePatterns(o: ResolvedOptions): string[] {
  const p: string[] = [];
  if (o.ignoreOutputs) p.push('/cells/*/outputs');
  if (o.ignoreExecutionCount) p.push('/cells/*/execution_count', '/cells/*/outputs/*/execution_count');
  if (o.ignoreMetadata) p.push('/metadata', '/cells/*/metadata', '/cells/*/outputs/*/metadata');
  if (o.ignoreIds) p.push('/cells/*/id');
  return [...p, ...o.ignorePaths];
}

/** Checks a user's path and splits it into keys. */
export function parseIgnorePath(path: string): string[] {
  if (!path.startsWith('/') || path === '/') throw new RangeError(`ignore path must start with / and name a part, e.g. /cells/*/metadata/collapsed: ${JSON.stringify(path)}`);
  return path.slice(1).split('/');
}

// Parts the notebook model cannot be without are emptied rather than deleted.
const EMPTY: Record<string, () => unknown> = { metadata: () => ({}), source: () => '', data: () => ({}), cells: () => [] };

/** The notebook without the parts the patterns name (copy on write: the input is not changed). */
export function stripIgnored(nb: Notebook, patterns: readonly string[]): Notebook {
  let out: unknown = nb;
  for (const p of patterns) out = strip(out, parseIgnorePath(p), 0);
  return out as Notebook;
}

function strip(value: unknown, keys: string[], depth: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const key = keys[depth]!;
  const last = depth === keys.length - 1;
  if (Array.isArray(value)) {
    if (last) return key === '*' ? [] : value.filter((_, i) => String(i) !== key);
    let changed = false;
    const next = value.map((v, i) => {
      if (key !== '*' && String(i) !== key) return v;
      const s = strip(v, keys, depth + 1);
      if (s !== v) changed = true;
      return s;
    });
    return changed ? next : value;
  }
  const obj = value as Record<string, unknown>;
  const targets = key === '*' ? Object.keys(obj) : Object.hasOwn(obj, key) ? [key] : [];
  if (!targets.length) return value;
  const copy: Record<string, unknown> = { ...obj };
  let changed = false;
  for (const k of targets) {
    if (last) {
      if (EMPTY[k]) copy[k] = EMPTY[k]!();
      else delete copy[k];
      changed = true;
    } else {
      const s = strip(obj[k], keys, depth + 1);
      if (s !== obj[k]) { copy[k] = s; changed = true; }
    }
  }
  return changed ? copy : value;
}
