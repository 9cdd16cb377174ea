/**
 * The GitHub-flavoured markdown rendering of notebook diffs: the pull-request comment of the GitHub App and
 * the summary of its check run. Pure: NotebookDiffs in, one string out.
 *
 * - A summary table per notebook, then per notebook a collapsible section with each changed cell: source as
 *   a ```diff fence (unified hunks from hunks.ts), outputs in words (summarize.ts), never a payload.
 * - GitHub rejects a comment over 65,536 characters. The renderer tries ever shorter forms (less context,
 *   fewer lines and cells per notebook, then the table alone, then fewer table rows) until one fits, so it
 *   never returns more than `maxLength`.
 * - Every string from a notebook is someone else's text: it is escaped for the context it lands in (inline
 *   markdown, HTML, table cell, code fence) so it cannot break the layout, inject HTML or links, or notify
 *   people with an @mention or cross-reference an issue.
 */
import type { CellEntry, JsonOp, NotebookDiff, OutputEntry } from '../model.js';
import type { ReviewFile } from '../review.js';
import { splitLines } from '../util/text.js';
import { hunkHeader, toHunks, unifiedLines } from './hunks.js';
import {
  formatCountChange,
  plural,
  summarizeBundle,
  summarizeOutputChanges,
  summarizeOutputs,
  summaryGroups,
} from './summarize.js';
import { stripLineEnding, truncate, visible } from './visible.js';

/** GitHub's limit on an issue comment's body, in characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** GitHub's limit on a check run's `output.summary` and `output.text`. */
export const GITHUB_CHECK_TEXT_LIMIT = 65_535;

/** One notebook of a pull request, as the renderer needs it (a ReviewFile fits). */
export type MarkdownFile = Pick<ReviewFile, 'path' | 'oldPath' | 'status' | 'diff' | 'error'> & {
  /** A link to the full review of this notebook (the hosted viewer), when there is one. */
  viewerUrl?: string;
};

export interface MarkdownOptions {
  /** First line of the output, verbatim (the app's hidden `<!-- cellwise -->` marker). */
  marker?: string;
  /** Heading text (trusted: not escaped). Default `Cellwise: notebook changes`. */
  title?: string;
  /** Lines shown under the heading, already markdown (trusted): a config problem, a note on the revisions. */
  notes?: string[];
  /** Trusted markdown after everything else (e.g. `Updated for abc1234`). */
  footer?: string;
  /** Upper bound on the length of the result (default: GitHub's comment limit). */
  maxLength?: number;
  /** Lines of context around source changes at full detail (default 3). */
  context?: number;
}

/** How much detail one rendering attempt gives; the renderer walks down this list until the result fits. */
interface Detail {
  /** false: the table only. */
  cells: boolean;
  context: number;
  /** Most lines in one cell's ```diff fence. */
  linesPerCell: number;
  /** Most cells shown per notebook. */
  cellsPerNotebook: number;
  /** Most output lines per cell. */
  outputsPerCell: number;
}

function detailLevels(context: number): Detail[] {
  return [
    { cells: true, context, linesPerCell: Infinity, cellsPerNotebook: Infinity, outputsPerCell: Infinity },
    { cells: true, context: Math.min(context, 1), linesPerCell: 60, cellsPerNotebook: 60, outputsPerCell: 10 },
    { cells: true, context: 0, linesPerCell: 20, cellsPerNotebook: 20, outputsPerCell: 5 },
    { cells: true, context: 0, linesPerCell: 6, cellsPerNotebook: 8, outputsPerCell: 2 },
    { cells: false, context: 0, linesPerCell: 0, cellsPerNotebook: 0, outputsPerCell: 0 },
  ];
}

/** The pull-request comment: table, then a collapsible section per notebook, at the richest detail that fits. */
export function renderMarkdownComment(files: MarkdownFile[], options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? GITHUB_COMMENT_LIMIT;
  for (const detail of detailLevels(Math.max(0, Math.floor(options.context ?? 3)))) {
    const text = assemble(files, options, detail, files.length);
    if (text.length <= maxLength) return text;
  }
  return tableOnly(files, options, maxLength);
}

/** The table and the notes alone (a check run's summary), shortened to `maxLength` the same way. */
export function renderMarkdownSummary(files: MarkdownFile[], options: MarkdownOptions = {}): string {
  return tableOnly(files, options, options.maxLength ?? GITHUB_CHECK_TEXT_LIMIT);
}

const SUMMARY_ONLY: Detail = { cells: false, context: 0, linesPerCell: 0, cellsPerNotebook: 0, outputsPerCell: 0 };

/** The table with as many rows as fit (binary search on the row count); a last resort cuts the text. */
function tableOnly(files: MarkdownFile[], options: MarkdownOptions, maxLength: number): string {
  const full = assemble(files, options, SUMMARY_ONLY, files.length);
  if (full.length <= maxLength) return full;
  let low = 0;
  let high = files.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (assemble(files, options, SUMMARY_ONLY, mid).length <= maxLength) low = mid;
    else high = mid - 1;
  }
  const text = assemble(files, options, SUMMARY_ONLY, low);
  // Only trusted notes or a marker longer than the limit get here: cut, but never past the limit.
  return text.length <= maxLength ? text : `${text.slice(0, Math.max(0, maxLength - 2))}\n…`.slice(0, maxLength);
}

function assemble(files: MarkdownFile[], options: MarkdownOptions, detail: Detail, rows: number): string {
  const out: string[] = [];
  if (options.marker) out.push(options.marker);
  out.push(`### ${options.title ?? 'Cellwise: notebook changes'}`, '');
  for (const note of options.notes ?? []) out.push(note, '');
  if (files.length === 0) {
    out.push('No notebook changes in this pull request.', '');
  } else {
    out.push(...table(files.slice(0, rows)));
    if (rows < files.length) {
      out.push('', `…and ${plural(files.length - rows, 'more notebook')}: the comment is limited to ${GITHUB_COMMENT_LIMIT.toLocaleString('en-US')} characters.`);
    }
    out.push('');
    const problems = files.slice(0, rows).filter((f) => f.error !== undefined);
    for (const f of problems) out.push(`- ${inline(f.path)}: ${inline(f.error ?? '')}`);
    if (problems.length) out.push('');
    if (detail.cells) {
      for (const f of files) if (f.diff && f.diff.changed) out.push(...notebookSection(f, f.diff, detail), '');
    } else if (files.some((f) => f.diff?.changed)) {
      out.push('_Cell-by-cell details left out to stay within GitHub\'s size limit: open the notebooks\' diffs for the full picture._', '');
    }
  }
  if (options.footer) out.push(options.footer);
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

// ─── The table ──────────────────────────────────────────────────────────────────────────────────────────

function table(files: MarkdownFile[]): string[] {
  const rows = [
    '| Notebook | Cells added | removed | modified | moved | Outputs changed | Images changed | Stale outputs |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const f of files) {
    const name = fileLabel(f);
    if (!f.diff) {
      rows.push(`| ${name} | ${cell(f.error !== undefined ? 'not diffed (see below)' : '—')} |  |  |  |  |  |  |`);
      continue;
    }
    const s = f.diff.summary;
    const modified = s.rerunOnly ? `${s.modified} (${s.rerunOnly} re-run only)` : `${s.modified}`;
    const stale = s.staleOutputs ? `⚠️ ${s.staleOutputs}` : '0';
    rows.push(`| ${name} | ${s.added} | ${s.removed} | ${modified} | ${s.moved} | ${s.outputsChanged} | ${s.imagesChanged} | ${stale} |`);
  }
  return rows;
}

function fileLabel(f: MarkdownFile): string {
  const path = cell(f.path);
  const name = f.viewerUrl ? `[${path}](${url(f.viewerUrl)})` : path;
  const notes: string[] = [];
  if (f.status === 'added') notes.push('new');
  else if (f.status === 'deleted') notes.push('deleted');
  else if (f.status === 'renamed' && f.oldPath !== undefined) notes.push(`renamed from ${cell(f.oldPath)}`);
  if (f.diff && !f.diff.changed && f.error === undefined) notes.push('no visible change');
  return notes.length ? `${name} (${notes.join(', ')})` : name;
}

// ─── One notebook ───────────────────────────────────────────────────────────────────────────────────────

type Modified = Extract<CellEntry, { status: 'modified' }>;

function notebookSection(f: MarkdownFile, diff: NotebookDiff, detail: Detail): string[] {
  const out: string[] = [
    '<details>',
    `<summary><b>${html(f.path)}</b>: ${html(summaryGroups(diff).join('; '))}</summary>`,
    '',
  ];
  if (f.viewerUrl) out.push(`[Open the full review](${url(f.viewerUrl)})`, '');
  if (diff.base.nbformat.join('.') !== diff.head.nbformat.join('.')) {
    out.push(`nbformat ${diff.base.nbformat.join('.')} → ${diff.head.nbformat.join('.')}`, '');
  }
  if (diff.ignored.length) out.push(`_Ignored: ${inline(diff.ignored.join(', '))}_`, '');
  for (const w of diff.warnings) out.push(`> ⚠️ ${inline(`${w.file}${w.path ? `: ${w.path}` : ''}: ${w.message}`)}`, '');
  const nbOps = [...(diff.notebook.metadata ?? []), ...(diff.notebook.other ?? [])];
  if (nbOps.length) out.push(`**Notebook metadata**: ${inline(describeOps(nbOps))}`, '');

  const rerun: number[] = [];
  let shown = 0;
  let hidden = 0;
  for (const entry of diff.cells) {
    if (entry.status === 'unchanged' && !entry.moved) continue;
    if (entry.status === 'modified' && entry.rerunOnly && !entry.moved) {
      rerun.push(entry.head);
      continue;
    }
    if (shown >= detail.cellsPerNotebook) {
      hidden++;
      continue;
    }
    shown++;
    out.push(...cellSection(entry, detail), '');
  }
  if (hidden) out.push(`_…and ${plural(hidden, 'more changed cell')}, left out to keep this comment within GitHub's size limit._`, '');
  if (rerun.length) {
    out.push(`${rerun.length === 1 ? '1 cell' : `${rerun.length} cells`} only re-run (execution count changed): ${indexList(rerun, 30)}`, '');
  }
  out.push('</details>');
  return out;
}

function cellTitle(entry: CellEntry): string {
  let position: string;
  if (entry.status === 'removed') position = `cell ${entry.base + 1} (base)`;
  else if (entry.status === 'added' || entry.moved || entry.base === entry.head) position = `cell ${entry.head + 1}`;
  else position = `cell ${entry.head + 1} (base ${entry.base + 1})`;
  const notes: string[] = [entry.cell_type];
  if (entry.status === 'modified') notes.push(entry.rerunOnly ? 're-run' : 'modified');
  else if (entry.status !== 'unchanged') notes.push(entry.status);
  if (entry.moved) notes.push(`moved from ${entry.base + 1}`);
  return `**${position}** · ${notes.join(' · ')}`;
}

function cellSection(entry: CellEntry, detail: Detail): string[] {
  const out = [cellTitle(entry)];
  switch (entry.status) {
    case 'added':
    case 'removed': {
      const sign = entry.status === 'added' ? '+' : '-';
      const source = splitLines(entry.cell.source).map((line) => `${sign}${stripLineEnding(line)}`);
      out.push(...(source.length ? fence(source, detail.linesPerCell) : ['_(empty source)_']));
      const items = summarizeOutputs(entry.cell.outputs ?? []).map((g) => `${sign} ${outputLabel(g.index, g.count)}: ${g.text}`);
      for (const name of Object.keys(entry.cell.attachments ?? {})) {
        items.push(`${sign} attachment ${name}: ${summarizeBundle(entry.cell.attachments?.[name] ?? {})}`);
      }
      out.push(...bullets(items, detail.outputsPerCell));
      return out;
    }
    case 'unchanged':
      if (entry.preview) out.push(`${codeSpan(entry.preview)}`);
      return out;
    case 'modified':
      out.push(...modifiedCell(entry, detail));
      return out;
    default:
      return assertNever(entry);
  }
}

function modifiedCell(entry: Modified, detail: Detail): string[] {
  const c = entry.changes;
  const out: string[] = [];
  const items: string[] = [];
  if (c.cell_type) items.push(`~ cell type: ${c.cell_type.base} → ${c.cell_type.head}`);
  if (c.id) items.push(`~ id: ${c.id.base ?? '(none)'} → ${c.id.head ?? '(none)'}`);
  if (c.source) {
    const lines: string[] = [];
    for (const hunk of toHunks(c.source, detail.context)) {
      lines.push(hunkHeader(hunk));
      for (const block of hunk.blocks) {
        for (const line of unifiedLines(block)) lines.push(`${line.sign}${stripLineEnding(line.text)}`);
      }
    }
    if (lines.length) out.push(...fence(lines, detail.linesPerCell));
  } else if (entry.preview) {
    out.push(codeSpan(entry.preview));
  }
  if (entry.staleOutputs) items.push('⚠️ source changed but outputs were not re-run (stale outputs?)');
  if (c.execution_count) items.push(`~ execution count: ${formatCountChange(c.execution_count)}`);
  for (const o of c.outputs?.entries ?? []) items.push(...outputItems(o, entry));
  if (c.metadata?.length) items.push(`~ metadata: ${describeOps(c.metadata)}`);
  if (c.attachments?.length) items.push(`~ attachments: ${describeOps(c.attachments)}`);
  if (c.other?.length) items.push(`~ other fields: ${describeOps(c.other)}`);
  out.push(...bullets(items, detail.outputsPerCell));
  return out;
}

function outputItems(entry: OutputEntry, cellEntry: Modified): string[] {
  switch (entry.status) {
    case 'unchanged':
      return [];
    case 'added':
    case 'removed': {
      const sign = entry.status === 'added' ? '+' : '-';
      const first = entry.status === 'added' ? entry.head : entry.base;
      return summarizeOutputs(entry.outputs, first).map((g) => `${sign} ${outputLabel(g.index, g.count)}: ${g.text}`);
    }
    case 'modified': {
      const parts = summarizeOutputChanges(entry.changes, { cellExecutionCount: cellEntry.changes.execution_count });
      return parts.length ? [`~ ${outputLabel(entry.head, entry.headCount)} ${entry.name ?? entry.output_type}: ${parts.join('; ')}`] : [];
    }
    default:
      return assertNever(entry);
  }
}

function outputLabel(index: number, count = 1): string {
  return count > 1 ? `outputs ${index + 1}–${index + count}` : `output ${index + 1}`;
}

/** `kernelspec.name, language_info.version (+2 more)`: which keys changed, never the values. */
function describeOps(ops: JsonOp[]): string {
  const paths = ops.map((op) => (op.path.length ? op.path.join('.') : '(whole value)'));
  const shown = paths.slice(0, 4).join(', ');
  return paths.length > 4 ? `${shown} (+${paths.length - 4} more)` : shown;
}

function indexList(heads: number[], max: number): string {
  const shown = heads.slice(0, max).map((h) => `${h + 1}`).join(', ');
  return heads.length > max ? `${shown}, …` : shown;
}

function bullets(items: string[], max: number): string[] {
  const out = items.slice(0, max).map((item) => `- ${inline(item)}`);
  if (items.length > max) out.push(`- …${plural(items.length - max, 'more change')}`);
  return out;
}

// ─── Escaping ───────────────────────────────────────────────────────────────────────────────────────────

// An @mention or #123 reference in a comment notifies people and links issues. A zero-width space after the
// sigil (as Dependabot writes release notes) keeps the text readable and inert.
const ZWSP = '&#8203;';

/**
 * Notebook text in running markdown (never at the start of a line): the marks that open emphasis, code,
 * links, HTML, entities, table cells, strikethrough, math and headings are escaped; the others are only
 * markup at a line's start.
 */
export function inline(text: string): string {
  return visible(text)
    .replace(/[\\`*_[\]<>#|~&$]/g, (ch) => `\\${ch}`)
    .replace(/@/g, `@${ZWSP}`)
    .replace(/\\#/g, `\\#${ZWSP}`);
}

/**
 * Notebook text inside HTML (`<summary>`), where backslash escapes are not read: entities instead, also for
 * the marks markdown would act on should a renderer read the line as markdown after all.
 */
export function html(text: string): string {
  return visible(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/[[\]*_`~|$\\]/g, (ch) => `&#${ch.charCodeAt(0)};`)
    .replace(/[@#]/g, (ch) => `${ch}${ZWSP}`);
}

/** Text in a table cell: inline escaping already turns `|` into `\|`, which GFM tables honour. */
function cell(text: string): string {
  return inline(text);
}

/** Only http(s) links, with the characters that would end a markdown link target percent-encoded. */
function url(link: string): string {
  if (!/^https?:\/\//i.test(link)) return '#';
  return link.replace(/[\s()<>[\]"']/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** A code span that no backtick in the text can end: delimiters one longer than its longest run. */
function codeSpan(text: string): string {
  const shown = truncate(visible(text), 100);
  const run = longestRun(shown, '`');
  const ticks = '`'.repeat(run + 1);
  return `${ticks} ${shown} ${ticks}`;
}

/**
 * A ```diff fence around lines that no line inside can close: the fence is longer than the longest run of
 * backticks in them. Lines after `max` are replaced by a count.
 */
function fence(lines: string[], max: number): string[] {
  const shown = lines.slice(0, max).map((line) => visible(line));
  if (lines.length > max) shown.push(`… ${plural(lines.length - max, 'more line')}`);
  const ticks = '`'.repeat(Math.max(3, longestRun(shown.join('\n'), '`') + 1));
  return [`${ticks}diff`, ...shown, ticks];
}

function longestRun(text: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > best) best = run;
  }
  return best;
}

function assertNever(value: never): never {
  throw new Error(`unexpected diff entry: ${JSON.stringify(value)}`);
}
