import type { Json, JsonOp } from '../model.js';
import { deepEqual, isPlainObject } from '../util/json.js';

/**
 * Edits that turn `base` into `head`, descending into objects key by key (sorted, so the output is stable)
 * and treating arrays and scalars as whole values. `undefined` stands for an absent value.
 */
export function jsonDiff(base: Json | undefined, head: Json | undefined, path: string[] = []): JsonOp[] {
  // Equal is the common case (every cell's metadata is diffed); checking it first allocates nothing.
  if (deepEqual(base, head)) return [];
  const ops: JsonOp[] = [];
  walk(base, head, path, ops);
  return ops;
}

function walk(base: Json | undefined, head: Json | undefined, path: string[], ops: JsonOp[]): void {
  if (base === head) return;
  if (base === undefined) { ops.push({ op: 'add', path, value: head as Json }); return; }
  if (head === undefined) { ops.push({ op: 'remove', path, old: base }); return; }
  if (isPlainObject(base) && isPlainObject(head)) {
    const keys = new Set([...Object.keys(base), ...Object.keys(head)]);
    for (const k of [...keys].sort()) {
      walk(Object.hasOwn(base, k) ? base[k] : undefined, Object.hasOwn(head, k) ? head[k] : undefined, [...path, k], ops);
    }
    return;
  }
  if (!deepEqual(base, head)) ops.push({ op: 'replace', path, old: base, value: head });
}

export class PatchError extends Error {}

/** Applies JsonOps to a value without mutating it; returns the new value (`undefined` when removed). */
export function applyJsonOps(value: Json | undefined, ops: readonly JsonOp[]): Json | undefined {
  let result = value;
  for (const op of ops) result = applyOne(result, op, 0);
  return result;
}

function applyOne(target: Json | undefined, op: JsonOp, depth: number): Json | undefined {
  if (depth === op.path.length) return op.op === 'remove' ? undefined : op.value;
  if (!isPlainObject(target)) {
    if (target === undefined && op.op === 'add') target = {};
    else throw new PatchError(`cannot apply ${op.op} at /${op.path.join('/')}: not an object at /${op.path.slice(0, depth).join('/')}`);
  }
  const key = op.path[depth]!;
  const copy: { [key: string]: Json } = { ...target };
  const next = applyOne(Object.hasOwn(copy, key) ? copy[key] : undefined, op, depth + 1);
  if (next === undefined) delete copy[key];
  else copy[key] = next;
  return copy;
}
