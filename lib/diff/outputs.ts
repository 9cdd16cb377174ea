import type { ErrorOutput, JsonObject, Output, OutputChanges, OutputEntry, OutputsDiff, StreamOutput } from '../model.js';
import { alignOutputs, outputUnits, type OutputUnit } from '../align/outputs.js';
import { deepEqual } from '../util/json.js';
import { stripAnsi } from '../util/text.js';
import { jsonDiff } from './json.js';
import { diffMimeBundles, type MimeOptions } from './mime.js';
import { diffItems, diffText, lineContent, lineIgnoringWhitespace } from './text.js';

/** The keys nbformat's schema names for each output type; others are compared as `other`. */
export const OUTPUT_KEYS: Record<Output['output_type'], string[]> = {
  stream: ['output_type', 'name', 'text'],
  display_data: ['output_type', 'data', 'metadata'],
  execute_result: ['output_type', 'data', 'metadata', 'execution_count'],
  error: ['output_type', 'ename', 'evalue', 'traceback'],
};

/** The outputs of a matched code cell, aligned and compared; undefined when they are equal. */
export function diffOutputs(base: readonly Output[], head: readonly Output[], o: MimeOptions): OutputsDiff | undefined {
  // Most matched cells have equal outputs: one walk that stops at the first difference settles them without
  // fingerprints and an alignment.
  if (deepEqual(base, head)) return undefined;
  const bu = outputUnits(base);
  const hu = outputUnits(head);
  const entries: OutputEntry[] = [];
  let differs = false;
  let significant = false;
  for (const [b, h] of alignOutputs(bu, hu)) {
    if (h === null) {
      const u = bu[b!]!;
      entries.push({ status: 'removed', base: u.index, head: null, outputs: base.slice(u.index, u.index + u.count) });
      differs = significant = true;
    } else if (b === null) {
      const u = hu[h]!;
      entries.push({ status: 'added', base: null, head: u.index, outputs: head.slice(u.index, u.index + u.count) });
      differs = significant = true;
    } else {
      const e = diffUnit(bu[b]!, hu[h]!, base, head, o);
      if (e.status === 'modified') differs = significant = true;
      else if ('changes' in e && e.changes) differs = true;
      entries.push(e);
    }
  }
  return differs ? { entries, significant } : undefined;
}

function diffUnit(bu: OutputUnit, hu: OutputUnit, base: readonly Output[], head: readonly Output[], o: MimeOptions): OutputEntry {
  const counts = {
    ...(bu.count > 1 ? { baseCount: bu.count } : {}),
    ...(hu.count > 1 ? { headCount: hu.count } : {}),
  };
  const { changes, significant } = compareOutputs(bu.output, hu.output, o);
  if (bu.output.output_type === 'stream') {
    const split = (outs: readonly Output[], u: OutputUnit) => outs.slice(u.index, u.index + u.count).map((x) => (x as StreamOutput).text.length);
    const hs = split(head, hu);
    const bs = split(base, bu);
    if (changes.text ? hu.count > 1 : hs.join() !== bs.join()) changes.headSplit = hs;
  }
  const any = Object.keys(changes).length > 0;
  if (significant) {
    const name = hu.output.output_type === 'stream' ? { name: hu.output.name } : {};
    return { status: 'modified', base: bu.index, head: hu.index, ...counts, output_type: hu.output.output_type, ...name, changes };
  }
  return { status: 'unchanged', base: bu.index, head: hu.index, ...counts, ...(any ? { changes } : {}) };
}

/** What differs between two outputs of one kind, and whether a reviewer would see it. */
function compareOutputs(b: Output, h: Output, o: MimeOptions): { changes: OutputChanges; significant: boolean } {
  const changes: OutputChanges = {};
  let significant = false;
  const lineKey = o.ignoreWhitespace ? lineIgnoringWhitespace : lineContent;
  switch (h.output_type) {
    case 'stream': {
      const bt = (b as StreamOutput).text;
      if (bt !== h.text) {
        changes.text = diffText(bt, h.text, lineKey, o.outputWords);
        significant ||= changes.text.added + changes.text.removed > 0;
      }
      break;
    }
    case 'display_data':
    case 'execute_result': {
      const bd = b as typeof h;
      const data = diffMimeBundles(bd.data ?? {}, h.data ?? {}, o);
      if (data.length) {
        changes.data = data;
        significant ||= data.some((c) => c.status !== 'modified' || c.significant);
      }
      const meta = jsonDiff(bd.metadata, h.metadata);
      if (meta.length) { changes.metadata = meta; significant = true; }
      if (h.output_type === 'execute_result' && bd.execution_count !== h.execution_count) {
        changes.execution_count = { base: (bd.execution_count ?? null) as number | null, head: h.execution_count ?? null };
        significant = true;
      }
      break;
    }
    case 'error': {
      const be = b as ErrorOutput;
      if (be.ename !== h.ename) { changes.ename = { base: be.ename, head: h.ename }; significant = true; }
      if (be.evalue !== h.evalue) {
        changes.evalue = { base: be.evalue, head: h.evalue };
        // IPython colours the value in some versions and not in others.
        significant ||= stripAnsi(be.evalue) !== stripAnsi(h.evalue);
      }
      const bt = be.traceback ?? [];
      const ht = h.traceback ?? [];
      if (bt.length !== ht.length || bt.some((x, i) => x !== ht[i])) {
        const d = diffItems(bt, ht, (x) => stripAnsi(x), o.outputWords);
        if (d.added + d.removed > 0) { changes.traceback = d; significant = true; }
        else changes.tracebackValue = ht;
      }
      break;
    }
  }
  const other = jsonDiff(rest(b), rest(h));
  if (other.length) { changes.other = other; significant = true; }
  return { changes, significant };
}

function rest(o: Output): JsonObject {
  const known = OUTPUT_KEYS[o.output_type] ?? ['output_type'];
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) if (!known.includes(k)) out[k] = v as JsonObject[string];
  return out;
}
