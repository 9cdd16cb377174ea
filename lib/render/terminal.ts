/**
 * The terminal rendering of a NotebookDiff: cell by cell, like `git diff` for source, with one line per
 * changed output (never the payload), re-run-only cells collapsed into one line, and a closing summary.
 *
 * Cells and outputs are numbered from 1, as a person counts them in Jupyter; the first line says so.
 * Every string from the notebooks goes through `visible` (directly or via summarize/json), so the only
 * escape sequences in the result are this renderer's own colours, and none when `color` is false.
 */
import type {
  CellChanges,
  CellEntry,
  Json,
  JsonObject,
  JsonOp,
  NotebookDiff,
  OutputEntry,
  OutputsDiff,
  WordSpan,
} from '../model.js';
import type { DiffOptions } from '../diff/options.js';
import { splitLines } from '../util/text.js';
import { type ChangeBlock, hunkHeader, toHunks, unifiedLines } from './hunks.js';
import { formatJsonOp, formatPath } from './json.js';
import { createStyle, type Style } from './style.js';
import {
  formatCountChange,
  summarizeBundle,
  summarizeMimeValue,
  summaryGroups,
  summarizeOutputChanges,
  summarizeOutputs,
} from './summarize.js';
import { displayWidth, stripLineEnding, truncate, visible, wrap } from './visible.js';

export interface TerminalOptions {
  color: boolean;
  /** Lines of context around source changes (default 3). */
  context?: number;
  /** Terminal width for rules and truncated summaries (default 100). Source lines are never cut. */
  width?: number;
  /** Show re-run-only cells one by one instead of one collapsed line (default false). */
  expandRerun?: boolean;
  /** List unchanged cells as one-liners (default false). */
  showUnchanged?: boolean;
}

const MIN_WIDTH = 40;
const RULE = '─';

type Sign = '+' | '-' | '~' | '!';

class Printer {
  readonly lines: string[] = [];
  constructor(
    readonly style: Style,
    readonly width: number,
  ) {}

  line(...lines: string[]): void {
    this.lines.push(...(lines.length > 0 ? lines : ['']));
  }

  /** `── title · note ─────` across the width; the note dimmed. */
  rule(title: string, note = ''): void {
    const { style, width } = this;
    const room = width - 3;
    const main = truncate(title, room);
    const extra = note === '' ? '' : truncate(` · ${note}`, room - displayWidth(main));
    const rest = room - displayWidth(main) - displayWidth(extra);
    const fill = rest >= 2 ? ` ${style.dim(RULE.repeat(rest - 1))}` : '';
    this.line(`${style.dim(`${RULE}${RULE} `)}${style.strong(main)}${style.dim(extra)}${fill}`);
  }

  /** An indented line about a part of a cell: `  + output 2: image/png 640×480`. */
  info(sign: Sign, text: string, indent = 2): void {
    const { style } = this;
    const body = `${sign} ${truncate(text, this.width - indent - 2)}`;
    const painted =
      sign === '+' ? style.added(body)
      : sign === '-' ? style.removed(body)
      : sign === '!' ? style.warning(body)
      : `${style.changed(sign)}${body.slice(1)}`;
    this.line(`${' '.repeat(indent)}${painted}`);
  }

  /**
   * `~ label: part; part` on as few lines as fit the width: parts that do not fit go on continuation
   * lines below, so a long first part never hides the next ones behind a "…".
   */
  parts(sign: Sign, label: string, parts: string[], indent = 2): void {
    const room = this.width - indent - 2;
    let current = `${label}: ${parts[0] ?? ''}`;
    const rest: string[] = [];
    if (displayWidth(current) > room && parts.length > 0) {
      current = `${label}:`;
      rest.push(parts[0] ?? '');
    }
    for (const part of parts.slice(1)) {
      if (rest.length === 0 && displayWidth(`${current}; ${part}`) <= room) current += `; ${part}`;
      else rest.push(part);
    }
    this.info(sign, current, indent);
    for (const part of rest) this.line(`${' '.repeat(indent + 2)}${truncate(part, room)}`);
  }

  jsonOps(ops: JsonOp[] | undefined, prefix: string, indent = 2): void {
    for (const op of ops ?? []) {
      const formatted = formatJsonOp(op, this.width - indent - 2, prefix);
      this.info(formatted.sign, formatted.text, indent);
    }
  }
}

/**
 * What a diff made only to be rendered here can do without: a resized image is shown by its two sizes, not by
 * a count of changed pixels, and a changed output by its counts of lines, not its word changes
 * (summarize.ts). The output is the same (tested on every corpus pair).
 */
export const terminalDiffOptions = { countResizedPixels: false, outputWordDiffs: false } as const satisfies DiffOptions;

export function renderTerminal(diff: NotebookDiff, options: TerminalOptions): string {
  const width = Math.max(MIN_WIDTH, Math.floor(options.width ?? 100));
  const context = Math.max(0, Math.floor(options.context ?? 3));
  const out = new Printer(createStyle(options.color), width);

  renderHeader(out, diff);
  renderNotebook(out, diff);

  const metadataGroups = sameMetadataChanges(diff);
  const rerun: number[] = [];
  for (const entry of diff.cells) {
    if (entry.status === 'modified' && metadataGroups.collapsed.has(entry)) continue;
    switch (entry.status) {
      case 'added':
      case 'removed':
        renderWholeCell(out, entry);
        break;
      case 'modified':
        // A moved cell is more than re-run: it keeps its own header.
        if (entry.rerunOnly && !entry.moved && !options.expandRerun) rerun.push(entry.head);
        else renderModified(out, entry, context);
        break;
      case 'unchanged':
        if (entry.moved) {
          out.rule(cellTitle(entry, `moved from ${entry.base + 1}`));
          if (entry.preview) out.line(`    ${out.style.dim(truncate(visible(entry.preview), out.width - 4))}`);
        }
        else if (options.showUnchanged) renderUnchanged(out, entry);
        break;
      default:
        assertNever(entry);
    }
  }
  if (metadataGroups.gainedIds.length) {
    renderIndexList(out, `${metadataGroups.gainedIds.length} ${metadataGroups.gainedIds.length === 1 ? 'cell' : 'cells'} only gained an id (nbformat 4.5): `, metadataGroups.gainedIds);
  }
  for (const group of metadataGroups.groups) {
    renderIndexList(out, `${group.heads.length} cells only changed metadata, all alike: `, group.heads);
    out.jsonOps(group.ops, 'metadata');
  }
  if (rerun.length > 0) {
    renderIndexList(out, `${rerun.length} ${rerun.length === 1 ? 'cell' : 'cells'} only re-run (execution count changed): `, rerun);
  }

  out.line();
  renderSummary(out, summaryGroups(diff));
  return `${out.lines.join('\n')}\n`;
}

function renderHeader(out: Printer, diff: NotebookDiff): void {
  const { style } = out;
  const base = visible(diff.base.name ?? 'base');
  const head = visible(diff.head.name ?? 'head');
  // File names are never cut: which files these are matters more than the width. Too long for one line,
  // base and head take a line each.
  const names = base === head ? base : `${base} → ${head}`;
  const numbering = '(cells and outputs numbered from 1)';
  if (displayWidth(`${names} ${numbering}`) <= out.width) out.line(`${style.strong(names)} ${style.dim(numbering)}`);
  else if (displayWidth(names) <= out.width) out.line(style.strong(names), style.dim(numbering));
  else out.line(style.strong(base), style.strong(`→ ${head}`), style.dim(numbering));
  // The versions as written in the files: a v3 notebook is compared as 4.0, but the reader knows it as 3.
  if (diff.notebook.nbformat || diff.base.nbformat.join('.') !== diff.head.nbformat.join('.')) {
    out.line(`nbformat ${diff.base.nbformat.join('.')} → ${diff.head.nbformat.join('.')}`);
  }
  if (diff.ignored.length > 0) {
    out.line(style.dim(truncate(`ignored: ${diff.ignored.map((part) => visible(part)).join(', ')}`, out.width)));
  }
  for (const warning of diff.warnings) {
    // Warnings are read once and acted on: never cut them to the width.
    const where = warning.path ? `${visible(warning.file)}: ${visible(warning.path)}` : visible(warning.file);
    const [first, ...rest] = wrap(`warning: ${where}: ${visible(warning.message)}`, out.width);
    out.line(style.warning(first!));
    for (const line of wrap(rest.join(' '), out.width - 2)) if (line) out.line(style.warning(`  ${line}`));
  }
}

function renderNotebook(out: Printer, diff: NotebookDiff): void {
  const { metadata, other } = diff.notebook;
  if (metadata?.length) {
    out.rule('notebook metadata');
    out.jsonOps(metadata, '');
  }
  if (other?.length) {
    out.rule('notebook fields outside nbformat');
    out.jsonOps(other, '');
  }
}

/** `cell 5 · code · modified`, with `(base 3)` when the cell sat elsewhere in base. */
function cellTitle(entry: CellEntry, status: string): string {
  let position: string;
  if (entry.status === 'removed') position = `cell ${entry.base + 1} (base)`;
  else if (entry.status === 'added' || entry.moved || entry.base === entry.head) position = `cell ${entry.head + 1}`;
  else position = `cell ${entry.head + 1} (base ${entry.base + 1})`;
  return `${position} · ${entry.cell_type} · ${status}`;
}

function renderWholeCell(out: Printer, entry: Extract<CellEntry, { status: 'added' | 'removed' }>): void {
  const { style } = out;
  const added = entry.status === 'added';
  const sign = added ? '+' : '-';
  const paint = added ? style.added : style.removed;
  out.rule(cellTitle(entry, entry.status));
  const source = splitLines(entry.cell.source);
  if (source.length === 0) out.line(style.dim('  (empty source)'));
  for (const line of source) out.line(paint(`${sign}${visible(stripLineEnding(line))}`));
  for (const group of summarizeOutputs(entry.cell.outputs ?? [])) {
    out.info(sign, `${outputLabel(group.index, group.count)}: ${group.text}`);
  }
  const attachments = entry.cell.attachments ?? {};
  for (const name of Object.keys(attachments)) {
    out.info(sign, `attachment ${visible(name)}: ${summarizeBundle(attachments[name] ?? {})}`);
  }
}

function renderUnchanged(out: Printer, entry: Extract<CellEntry, { status: 'unchanged' }>): void {
  const note = entry.changes ? ' (invisible differences only)' : '';
  out.line(out.style.dim(truncate(`   ${cellTitle(entry, 'unchanged')}${note}`, out.width)));
}

function renderModified(out: Printer, entry: Extract<CellEntry, { status: 'modified' }>, context: number): void {
  const { changes } = entry;
  const status = entry.rerunOnly ? 're-run' : 'modified';
  const notes: string[] = [];
  if (entry.moved) notes.push(`moved from ${entry.base + 1}`);
  const title = cellTitle(entry, [status, ...notes].join(' · '));
  const similarity =
    entry.match === 'similar' && entry.similarity !== undefined ? `similar ${Math.round(entry.similarity * 100)}%` : '';
  out.rule(title, similarity);

  if (changes.cell_type) out.info('~', `cell type: ${changes.cell_type.base} → ${changes.cell_type.head}`);
  if (changes.id) out.info('~', `id: ${formatId(changes.id.base)} → ${formatId(changes.id.head)}`);
  if (changes.source) renderSourceDiff(out, changes, context);
  else if (entry.preview) out.line(`    ${out.style.dim(truncate(visible(entry.preview), out.width - 4))}`);
  if (entry.staleOutputs) out.info('!', 'source changed but outputs were not re-run (stale outputs?)');
  if (changes.execution_count) out.info('~', `execution count: ${formatCountChange(changes.execution_count)}`);
  if (changes.outputs) renderOutputs(out, changes.outputs, changes);
  out.jsonOps(changes.metadata, 'metadata');
  renderAttachmentOps(out, changes.attachments);
  out.jsonOps(changes.other, '');
}

function formatId(id: string | null): string {
  return id === null ? '(none)' : JSON.stringify(visible(id));
}

function renderSourceDiff(out: Printer, changes: CellChanges, context: number): void {
  const { style } = out;
  for (const hunk of toHunks(changes.source ?? { ops: [], added: 0, removed: 0 }, context)) {
    out.line(style.hunk(hunkHeader(hunk)));
    for (const block of hunk.blocks) {
      if (block.kind === 'context') {
        for (const line of block.lines) out.line(` ${visible(stripLineEnding(line))}`);
      } else if (style.color) {
        renderColoredChange(out, block);
      } else {
        renderPlainChange(out, block);
      }
    }
  }
}

/**
 * The line ending is part of the last span of a line; it is not shown (cells rarely end with a newline,
 * so its presence or absence is noise), and a span left empty is dropped.
 */
function trimSpans(spans: WordSpan[]): WordSpan[] {
  return spans
    .map((span) => (span.s.includes('\n') ? { t: span.t, s: span.s.replace(/\r?\n/g, '') } : span))
    .filter((span) => span.s !== '');
}

/** Deleted lines then inserted lines, in red and green; changed words in reverse video. */
function renderColoredChange(out: Printer, block: ChangeBlock): void {
  const { style } = out;
  for (const line of unifiedLines(block)) {
    const added = line.sign === '+';
    const paint = added ? style.added : style.removed;
    if (!line.words) {
      out.line(paint(`${line.sign}${visible(stripLineEnding(line.text))}`));
      continue;
    }
    const word = added ? style.addedWord : style.removedWord;
    const own = added ? '+' : '-';
    const parts = trimSpans(line.words)
      .filter((span) => span.t === '=' || span.t === own)
      .map((span) => (span.t === '=' ? paint(visible(span.s)) : word(visible(span.s))));
    out.line(`${paint(line.sign)}${parts.join('')}`);
  }
}

/**
 * Without colour a changed line pair is one line marked as `git diff --word-diff` does:
 * `~x = [-zeros-]{+ones+}(3)`. Lines without a word diff stay `-` / `+` lines, deleted before inserted.
 */
function renderPlainChange(out: Printer, block: ChangeBlock): void {
  const deleted: string[] = [];
  const inserted: string[] = [];
  const flush = (): void => {
    for (const line of deleted) out.line(`-${visible(stripLineEnding(line))}`);
    for (const line of inserted) out.line(`+${visible(stripLineEnding(line))}`);
    deleted.length = 0;
    inserted.length = 0;
  };
  const pairs = Math.max(block.deleted.length, block.inserted.length);
  for (let i = 0; i < pairs; i++) {
    const before = block.deleted[i];
    const after = block.inserted[i];
    const words = block.words[i];
    if (words && before !== undefined && after !== undefined) {
      flush();
      const marked = trimSpans(words).map((span) =>
        span.t === '=' ? visible(span.s) : span.t === '-' ? `[-${visible(span.s)}-]` : `{+${visible(span.s)}+}`,
      );
      out.line(`~${marked.join('')}`);
      continue;
    }
    if (before !== undefined) deleted.push(before);
    if (after !== undefined) inserted.push(after);
  }
  flush();
}

function outputLabel(index: number, count = 1): string {
  return count > 1 ? `outputs ${index + 1}–${index + count}` : `output ${index + 1}`;
}

function renderOutputs(out: Printer, outputs: OutputsDiff, changes: CellChanges): void {
  for (const entry of outputs.entries) renderOutputEntry(out, entry, changes);
}

function renderOutputEntry(out: Printer, entry: OutputEntry, cell: CellChanges): void {
  switch (entry.status) {
    case 'unchanged':
      // Only invisible differences (re-encoded image, ANSI codes): kept for patching, not for reading.
      return;
    case 'added':
    case 'removed': {
      const sign = entry.status === 'added' ? '+' : '-';
      const first = entry.status === 'added' ? entry.head : entry.base;
      for (const group of summarizeOutputs(entry.outputs, first)) {
        out.info(sign, `${outputLabel(group.index, group.count)}: ${group.text}`);
      }
      return;
    }
    case 'modified': {
      const parts = summarizeOutputChanges(entry.changes, { cellExecutionCount: cell.execution_count });
      if (parts.length === 0) return;
      out.parts('~', `${outputLabel(entry.head, entry.headCount)} ${entry.name ?? entry.output_type}`, parts);
      out.jsonOps(entry.changes.metadata, 'metadata', 6);
      out.jsonOps(entry.changes.other, '', 6);
      return;
    }
    default:
      assertNever(entry);
  }
}

/** Attachments are named MIME bundles of base64: show names, types and sizes, never the data. */
function renderAttachmentOps(out: Printer, ops: JsonOp[] | undefined): void {
  for (const op of ops ?? []) {
    const [name, mime, ...rest] = op.path;
    const describe = (value: Json): string => {
      if (name === undefined) {
        const all = isObject(value) ? Object.keys(value).map((key) => visible(key)) : [];
        return all.length ? all.join(', ') : '(none)';
      }
      if (mime === undefined) return isObject(value) ? summarizeBundle(value) : '(not a MIME bundle)';
      if (rest.length > 0) return formatPath(rest);
      return summarizeMimeValue(mime, value);
    };
    const label = name === undefined ? 'attachments' : `attachment ${visible(name)}`;
    switch (op.op) {
      case 'add':
        out.info('+', `${label}: ${describe(op.value)}`);
        break;
      case 'remove':
        out.info('-', `${label}: ${describe(op.old)}`);
        break;
      case 'replace':
        out.info('~', `${label}: ${describe(op.old)} → ${describe(op.value)}`);
        break;
      default:
        assertNever(op);
    }
  }
}

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

type ModifiedEntry = Extract<CellEntry, { status: 'modified' }>;

// Below this many cells, metadata-only changes are shown cell by cell.
const MIN_METADATA_GROUP = 3;

/**
 * Tools stamp the same metadata on every cell (`deletable`, `editable`, `ExecuteTime`): hundreds of
 * identical two-line cell diffs bury the real change, so cells whose only change is the same metadata edit
 * are listed once.
 */
function sameMetadataChanges(diff: NotebookDiff): { groups: { ops: JsonOp[]; heads: number[] }[]; gainedIds: number[]; collapsed: Set<CellEntry> } {
  const byOps = new Map<string, { ops: JsonOp[]; entries: ModifiedEntry[] }>();
  const gained: ModifiedEntry[] = [];
  for (const entry of diff.cells) {
    if (entry.status !== 'modified' || entry.moved) continue;
    const keys = Object.keys(entry.changes);
    // Saving a notebook as nbformat 4.5 gives every cell a random id: one line says it for all of them.
    if (keys.length === 1 && keys[0] === 'id' && entry.changes.id!.base === null) {
      gained.push(entry);
      continue;
    }
    if (keys.length !== 1 || keys[0] !== 'metadata') continue;
    const key = JSON.stringify(entry.changes.metadata);
    const group = byOps.get(key);
    if (group) group.entries.push(entry);
    else byOps.set(key, { ops: entry.changes.metadata!, entries: [entry] });
  }
  const groups: { ops: JsonOp[]; heads: number[] }[] = [];
  const collapsed = new Set<CellEntry>();
  for (const { ops, entries } of byOps.values()) {
    if (entries.length < MIN_METADATA_GROUP) continue;
    groups.push({ ops, heads: entries.map((e) => e.head) });
    for (const e of entries) collapsed.add(e);
  }
  const gainedIds: number[] = [];
  if (gained.length >= MIN_METADATA_GROUP) {
    for (const e of gained) {
      gainedIds.push(e.head);
      collapsed.add(e);
    }
  }
  return { groups, gainedIds, collapsed };
}

/** `3 cells only re-run (execution count changed): 4, 7, 9, …`, the indices cut to the width. */
function renderIndexList(out: Printer, lead: string, heads: number[]): void {
  const room = out.width - 3 - displayWidth(lead);
  let list = '';
  for (const [i, head] of heads.entries()) {
    const item = `${i > 0 ? ', ' : ''}${head + 1}`;
    const last = i === heads.length - 1;
    // Keep room for ", …" unless this is the last index.
    if (displayWidth(list + item) + (last ? 0 : 3) > room) {
      list += i > 0 ? ', …' : '…';
      break;
    }
    list += item;
  }
  out.rule(lead + list);
}

/** The summary on one line, or wrapped between its groups when the width asks for it (never cut). */
function renderSummary(out: Printer, groups: string[]): void {
  let current = '';
  for (const group of groups) {
    if (current === '') current = group;
    else if (displayWidth(`${current}; ${group}`) <= out.width) current += `; ${group}`;
    else {
      out.line(out.style.strong(`${current};`));
      current = group;
    }
  }
  out.line(out.style.strong(current));
}

function assertNever(value: never): never {
  throw new Error(`unexpected diff entry: ${JSON.stringify(value)}`);
}
