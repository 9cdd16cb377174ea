import { diffArrays } from 'diff';
import type { Output, StreamOutput } from '../model.js';
import { fingerprint } from '../util/hash.js';

/**
 * An output as a reviewer sees it. Kernels split a cell's printing into many stream messages at arbitrary
 * points (buffer flushes), so consecutive stream outputs of one name are one text.
 */
export interface OutputUnit {
  /** Index of the first output of the unit in the cell's outputs. */
  index: number;
  /** How many outputs it stands for (more than one only for merged streams). */
  count: number;
  output: Output;
  /** Equal keys: equal outputs (as far as a fingerprint tells). */
  key: string;
  /** Outputs of one kind can be paired as one modified output. */
  kind: string;
}

const STREAM_KEYS = new Set(['output_type', 'name', 'text']);

function isPlainStream(o: Output): o is StreamOutput {
  return o.output_type === 'stream' && Object.keys(o).every((k) => STREAM_KEYS.has(k));
}

export function outputUnits(outputs: readonly Output[]): OutputUnit[] {
  const units: OutputUnit[] = [];
  for (let i = 0; i < outputs.length;) {
    const o = outputs[i]!;
    let count = 1;
    let output: Output = o;
    if (isPlainStream(o)) {
      let text = o.text;
      while (i + count < outputs.length) {
        const next = outputs[i + count]!;
        if (!isPlainStream(next) || next.name !== o.name) break;
        text += next.text;
        count++;
      }
      if (count > 1) output = { output_type: 'stream', name: o.name, text };
    }
    units.push({ index: i, count, output, key: fingerprint(output), kind: kindOf(output) });
    i += count;
  }
  return units;
}

function kindOf(o: Output): string {
  switch (o.output_type) {
    case 'stream': return 'stream:' + o.name;
    case 'error': return 'error';
    // A plot that changed is one output modified; a plot replaced by a table is one removed and one added.
    case 'execute_result':
    case 'display_data': return o.output_type + (Object.keys(o.data ?? {}).some((m) => m.startsWith('image/')) ? ':image' : ':text');
    default: return String((o as Output).output_type);
  }
}

/** Pairs of unit indices in display order: [base, head], [base, null] removed, [null, head] added. */
export function alignOutputs(base: readonly OutputUnit[], head: readonly OutputUnit[]): [number | null, number | null][] {
  const out: [number | null, number | null][] = [];
  let ib = 0;
  let ih = 0;
  const changes = diffArrays(base.map((u) => u.key), head.map((u) => u.key));
  for (let k = 0; k < changes.length; k++) {
    const c = changes[k]!;
    if (!c.added && !c.removed) {
      for (let n = 0; n < c.count; n++) out.push([ib++, ih++]);
      continue;
    }
    // A block of removed units next to a block of added ones: pair those of one kind, in order.
    let nb = 0;
    let nh = 0;
    if (c.removed) { nb = c.count; const next = changes[k + 1]; if (next?.added) { nh = next.count; k++; } }
    else nh = c.count;
    const kinds = diffArrays(base.slice(ib, ib + nb).map((u) => u.kind), head.slice(ih, ih + nh).map((u) => u.kind));
    for (const d of kinds) {
      for (let n = 0; n < d.count; n++) {
        if (d.removed) out.push([ib++, null]);
        else if (d.added) out.push([null, ih++]);
        else out.push([ib++, ih++]);
      }
    }
  }
  return out;
}
