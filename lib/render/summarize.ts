/**
 * One-line descriptions of outputs, output changes and whole diffs, in plain text. Renderers never print an
 * output's payload: a reviewer reads "image/png 640×480, 1.3% pixels changed" and opens the viewer for the
 * picture. Everything returned here is already safe to print (see `visible`); styling is the caller's.
 */
import type {
  ImageComparison,
  Json,
  MimeBundle,
  MimeChange,
  NotebookDiff,
  Output,
  OutputChanges,
  TextDiff,
  ValueChange,
} from '../model.js';
import { joinMultiline, splitLines, stripAnsi } from '../util/text.js';
import { base64ByteLength as base64Bytes } from '../image/base64.js';
import { imageSize } from '../image/info.js';
import { formatBytes, looksLikeBase64 } from './json.js';
import { truncate, visible } from './visible.js';

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function countLines(text: string): number {
  return splitLines(text).length;
}

/** `+3 −1 lines`, `+1 line`, `−2 lines`; `changed` when no line was added or removed (line endings only). */
export function formatLineChange(diff: TextDiff): string {
  const { added, removed } = diff;
  if (added > 0 && removed > 0) return `+${added} −${removed} lines`;
  if (added > 0) return `+${plural(added, 'line')}`;
  if (removed > 0) return `−${plural(removed, 'line')}`;
  return 'changed';
}

/** `[3]`, and `[ ]` for a cell never run, as Jupyter shows it. */
export function formatExecutionCount(count: number | null | undefined): string {
  return count === null || count === undefined ? '[ ]' : `[${count}]`;
}

export function formatCountChange(change: ValueChange<number | null>): string {
  return `${formatExecutionCount(change.base)} → ${formatExecutionCount(change.head)}`;
}

/** A share of pixels with precision where it matters: `<0.1%`, `1.3%`, `42%`, `>99%`, `100%`. */
export function formatPercent(part: number, total: number): string {
  if (total <= 0) return '?%';
  if (part <= 0) return '0%';
  const percent = (part / total) * 100;
  if (percent < 0.1) return '<0.1%';
  if (percent < 9.95) return `${percent.toFixed(1)}%`;
  if (part < total && percent >= 99.5) return '>99%';
  return `${Math.round(percent)}%`;
}

const RASTER = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'image/bmp']);

// Jupyter's display priority, richest first: the order a reader expects to see a bundle's types in.
const DISPLAY_ORDER = [
  'application/vnd.jupyter.widget-view+json',
  'application/javascript',
  'text/html',
  'text/markdown',
  'text/latex',
  'image/svg+xml',
  'image/gif',
  'image/png',
  'image/jpeg',
  'application/pdf',
  'text/plain',
];

function mimeRank(mime: string): number {
  const rank = DISPLAY_ORDER.indexOf(mime);
  return rank === -1 ? DISPLAY_ORDER.length - 1 : rank;
}

/** `image/png 640×480 (12.3 kB)`, `text/html 12 lines`, `application/pdf 40.1 kB`, `application/json`. */
export function summarizeMimeValue(mime: string, value: Json | undefined): string {
  const name = visible(mime);
  const text = joinMultiline(value);
  if (text === undefined) return name;
  if (RASTER.has(mime)) {
    const size = imageSize(text);
    const bytes = formatBytes(base64Bytes(text));
    return size ? `${name} ${size.width}×${size.height} (${bytes})` : `${name} ${bytes}`;
  }
  if (looksLikeBase64(text) && !mime.startsWith('text/')) return `${name} ${formatBytes(base64Bytes(text))}`;
  return `${name} ${plural(countLines(text), 'line')}`;
}

/** The types of a MIME bundle, richest first: `image/png 640×480 (12.3 kB), text/plain 1 line`. */
export function summarizeBundle(bundle: MimeBundle): string {
  const mimes = Object.keys(bundle).sort((a, b) => mimeRank(a) - mimeRank(b));
  if (mimes.length === 0) return 'empty';
  return mimes.map((mime) => summarizeMimeValue(mime, bundle[mime])).join(', ');
}

function firstLine(text: string): string {
  const clean = stripAnsi(text);
  const lines = splitLines(clean);
  const first = (lines[0] ?? '').replace(/\r?\n$/, '');
  return lines.length > 1 ? `${first} …` : first;
}

/** `ZeroDivisionError: division by zero` (ANSI stripped, first line, each part at most `maxWidth`). */
export function summarizeError(ename: string, evalue: string, maxWidth = 60): string {
  const name = truncate(visible(firstLine(ename)), maxWidth);
  const value = truncate(visible(firstLine(evalue)), maxWidth);
  return value === '' ? name : `${name}: ${value}`;
}

/** `stdout 12 lines`, `error KeyError: 'x'`, `[7] text/plain 1 line`, `image/png 640×480 (12.3 kB)`. */
export function summarizeOutput(output: Output): string {
  switch (output.output_type) {
    case 'stream':
      return `${visible(String(output.name))} ${plural(countLines(joinMultiline(output.text) ?? ''), 'line')}`;
    case 'error':
      return `error ${summarizeError(String(output.ename), String(output.evalue))}`;
    case 'execute_result':
      return `${formatExecutionCount(output.execution_count)} ${summarizeBundle(output.data ?? {})}`;
    case 'display_data':
      return summarizeBundle(output.data ?? {});
    default: {
      // The parser may keep an output type nbformat does not define; name it rather than fail.
      const unknown = output as { output_type?: unknown };
      return visible(String(unknown.output_type));
    }
  }
}

/** Outputs summarized in order; consecutive streams of one name are one entry, as the differ merges them. */
export interface OutputGroup {
  /** 0-based index of the first output of the group. */
  index: number;
  count: number;
  text: string;
}

export function summarizeOutputs(outputs: Output[], firstIndex = 0): OutputGroup[] {
  const groups: OutputGroup[] = [];
  for (let i = 0; i < outputs.length; ) {
    const output = outputs[i];
    if (!output) break;
    if (output.output_type !== 'stream') {
      groups.push({ index: firstIndex + i, count: 1, text: summarizeOutput(output) });
      i++;
      continue;
    }
    let text = '';
    let j = i;
    for (; j < outputs.length; j++) {
      const next = outputs[j];
      if (!next || next.output_type !== 'stream' || next.name !== output.name) break;
      text += joinMultiline(next.text) ?? '';
    }
    groups.push({
      index: firstIndex + i,
      count: j - i,
      text: `${visible(String(output.name))} ${plural(countLines(text), 'line')}`,
    });
    i = j;
  }
  return groups;
}

/** `image/png 640×480, 1.3% pixels changed`, `image/png size changed 640×480 → 800×600`, … */
export function summarizeImageComparison(mime: string, image: ImageComparison): string {
  const name = visible(mime);
  const size = (info: { width: number; height: number }): string => `${info.width}×${info.height}`;
  if (image.error !== undefined) {
    const bytes = `${formatBytes(image.base.bytes)} → ${formatBytes(image.head.bytes)}`;
    return `${name} bytes differ (${bytes}); not decoded: ${truncate(visible(firstLine(image.error)), 60)}`;
  }
  if (image.sizeChanged) return `${name} size changed ${size(image.base)} → ${size(image.head)}`;
  if (image.reencoded) return `${name} ${size(image.head)}, re-encoded, pixels identical`;
  if (image.changedPixels === 0) return `${name} ${size(image.head)}, changes within tolerance`;
  return `${name} ${size(image.head)}, ${formatPercent(image.changedPixels, image.totalPixels)} pixels changed`;
}

/** One MIME type of a modified output: `text/html: +5 −3 lines`, `added image/png 640×480 (2.1 kB)`, … */
export function summarizeMimeChange(change: MimeChange): string {
  switch (change.status) {
    case 'added':
      return `added ${summarizeMimeValue(change.mime, change.value)}`;
    case 'removed':
      return `removed ${summarizeMimeValue(change.mime, change.old)}`;
    case 'modified': {
      if (change.image) return summarizeImageComparison(change.mime, change.image);
      if (change.text) return `${visible(change.mime)}: ${formatLineChange(change.text)}`;
      const value = change.value;
      const bytes = typeof value === 'string' && looksLikeBase64(value) ? ` (now ${formatBytes(base64Bytes(value))})` : '';
      return `${visible(change.mime)} changed${bytes}`;
    }
    default:
      return assertNever(change);
  }
}

export interface OutputChangeOptions {
  /**
   * The cell's own execution count change. An execute_result repeats the cell's count; saying it twice
   * is noise, so a matching output count change is left out.
   */
  cellExecutionCount?: ValueChange<number | null>;
}

/** The parts of a modified output worth a reviewer's eye, each a short phrase, in a stable order. */
export function summarizeOutputChanges(changes: OutputChanges, options: OutputChangeOptions = {}): string[] {
  const parts: string[] = [];
  if (changes.text) parts.push(formatLineChange(changes.text));
  const count = changes.execution_count;
  const cellCount = options.cellExecutionCount;
  if (count && !(cellCount && cellCount.base === count.base && cellCount.head === count.head)) {
    parts.push(formatCountChange(count));
  }
  for (const mime of changes.data ?? []) parts.push(summarizeMimeChange(mime));
  if (changes.ename || changes.evalue) {
    const side = (name: ValueChange<string> | undefined, value: ValueChange<string> | undefined, key: 'base' | 'head'): string => {
      if (name && value) return summarizeError(name[key], value[key], 40);
      if (name) return truncate(visible(firstLine(name[key])), 40);
      return value ? truncate(visible(firstLine(value[key])), 40) : '';
    };
    parts.push(`${side(changes.ename, changes.evalue, 'base')} → ${side(changes.ename, changes.evalue, 'head')}`);
  } else if (changes.traceback) {
    parts.push(`traceback ${formatLineChange(changes.traceback)}`);
  }
  if (changes.metadata?.length) parts.push(`metadata: ${plural(changes.metadata.length, 'change')}`);
  if (changes.other?.length) parts.push(`other fields: ${plural(changes.other.length, 'change')}`);
  return parts;
}

/**
 * The closing line: `2 added, 1 removed, 5 modified (3 re-run only), 1 moved; 4 outputs changed (1 image)`,
 * or `no differences`.
 */
export function summarizeNotebookDiff(diff: NotebookDiff): string {
  return summaryGroups(diff).join('; ');
}

/** The closing line's groups (cells; outputs; notebook), for renderers that wrap it. */
export function summaryGroups(diff: NotebookDiff): string[] {
  if (!diff.changed) return ['no differences'];
  const s = diff.summary;
  const cells: string[] = [];
  if (s.added) cells.push(`${s.added} added`);
  if (s.removed) cells.push(`${s.removed} removed`);
  if (s.modified) {
    const notes: string[] = [];
    if (s.rerunOnly) notes.push(`${s.rerunOnly} re-run only`);
    if (s.staleOutputs) notes.push(`${s.staleOutputs} with stale outputs`);
    cells.push(`${s.modified} modified${notes.length ? ` (${notes.join(', ')})` : ''}`);
  }
  if (s.moved) cells.push(`${s.moved} moved`);
  const groups: string[] = [];
  if (cells.length) groups.push(cells.join(', '));
  if (s.outputsChanged) {
    const images = s.imagesChanged ? ` (${plural(s.imagesChanged, 'image')})` : '';
    groups.push(`${s.outputsChanged} ${s.outputsChanged === 1 ? 'output' : 'outputs'} changed${images}`);
  }
  const nb = diff.notebook;
  const notebook: string[] = [];
  if (nb.metadata?.length) notebook.push('metadata');
  if (nb.other?.length) notebook.push('other fields');
  if (notebook.length) groups.push(`notebook ${listing(notebook)} changed`);
  if (nb.nbformat || diff.base.nbformat.join('.') !== diff.head.nbformat.join('.')) {
    groups.push(`nbformat ${diff.base.nbformat.join('.')} → ${diff.head.nbformat.join('.')}`);
  }
  return groups.length ? groups : ['changed'];
}

/** `a`, `a and b`, `a, b and c`. */
function listing(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
