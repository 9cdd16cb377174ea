/**
 * Text for `cellwise check` and `cellwise stale`: one line per finding or per cell that is not fresh, as
 * linters print them (`file: cell N: rule: message`, cells numbered from 1), then the diff of stale cells
 * rendered by the terminal diff renderer, so a stale output reads exactly like `cellwise diff`.
 */
import type { NotebookDiff, Output, TextDiff } from '../model.js';
import { createStyle, type Style } from '../render/style.js';
import { renderTerminal } from '../render/terminal.js';
import { visible } from '../render/visible.js';
import type { CellRun, CheckReport, StaleReport } from './types.js';

export function renderCheck(reports: CheckReport[], options: { color: boolean }): string {
  const style = createStyle(options.color);
  const lines: string[] = [];
  let total = 0;
  for (const report of reports) {
    for (const f of report.findings) {
      total++;
      const paint = f.rule === 'error-output' ? style.removed : style.warning;
      lines.push(`${visible(report.file)}: cell ${f.index + 1}: ${paint(f.rule)}: ${visible(f.message)}`);
    }
  }
  const files = reports.length === 1 ? '1 notebook' : `${reports.length} notebooks`;
  lines.push(style.strong(total === 0 ? `no findings in ${files}` : `${total} ${total === 1 ? 'finding' : 'findings'} in ${files}`));
  return lines.join('\n') + '\n';
}

export interface StaleTextOptions {
  color: boolean;
  /** Terminal width for the diff (default 100). */
  width?: number;
  /** List fresh cells too (default: only the others). */
  all?: boolean;
}

/** The per-cell verdicts, then the saved-vs-fresh diff when anything is stale or failed, then a summary. */
export function renderStale(report: StaleReport, diff: NotebookDiff | undefined, options: StaleTextOptions): string {
  const style = createStyle(options.color);
  const lines: string[] = [];
  const paint: Record<CellRun['status'], (s: string) => string> = {
    fresh: style.added, stale: style.warning, error: style.removed, skipped: style.dim,
  };
  for (const cell of report.cells) {
    if (cell.status === 'fresh' && !options.all) continue;
    const reason = cell.reason ? ` (${visible(cell.reason)})` : '';
    const error = cell.error ? `: ${visible(cell.error.ename)}: ${visible(cell.error.evalue.split('\n')[0] ?? '')}` : '';
    lines.push(`${visible(report.file)}: cell ${cell.index + 1}: ${paint[cell.status](cell.status)}${error}${reason}`);
  }
  if (diff?.changed) {
    lines.push('');
    lines.push(renderTerminal(diff, { color: options.color, width: options.width ?? 100 }).trimEnd());
    lines.push('');
    const details = textDetails(report, style);
    if (details.length) lines.push(...details, '');
  }
  const count = (s: CellRun['status']) => report.cells.filter((c) => c.status === s).length;
  const parts = [`${count('fresh')} fresh`, `${count('stale')} stale`, `${count('error')} error`, `${count('skipped')} skipped`];
  const seconds = (report.elapsedMs / 1000).toFixed(1);
  lines.push(style.strong(`${visible(report.file)}: ${report.cells.length} code ${report.cells.length === 1 ? "cell" : "cells"}: ${parts.join(', ')}${report.complete ? '' : ' (run stopped early)'} in ${seconds} s on kernel ${visible(report.kernel)}`));
  return lines.join('\n') + '\n';
}

/** Changed lines shown in full per output, up to this many: a stale number is read, not counted. */
const DETAIL_LINES = 12;

/**
 * The terminal diff summarizes outputs (`stdout: +1 −1 lines`); for a stale run the changed text itself is
 * the point, so short text changes are printed below it, old and new line by line.
 */
function textDetails(report: StaleReport, style: Style): string[] {
  const out: string[] = [];
  for (const cell of report.cells) {
    for (const entry of cell.changes?.entries ?? []) {
      const label = `cell ${cell.index + 1}, output ${(entry.head ?? entry.base ?? 0) + 1}`;
      const pieces: { what: string; minus: string[]; plus: string[] }[] = [];
      if (entry.status === 'modified') {
        if (entry.changes.text) pieces.push({ what: entry.name ?? 'stream', ...changedLines(entry.changes.text) });
        for (const d of entry.changes.data ?? []) if (d.status === 'modified' && d.text) pieces.push({ what: d.mime, ...changedLines(d.text) });
        if (entry.changes.evalue) pieces.push({ what: 'error', minus: [entry.changes.evalue.base], plus: [entry.changes.evalue.head] });
      } else if (entry.status === 'added' || entry.status === 'removed') {
        for (const o of entry.outputs) {
          const text = outputText(o);
          if (text !== undefined) pieces.push({ what: o.output_type === 'stream' ? o.name : o.output_type, minus: entry.status === 'removed' ? text : [], plus: entry.status === 'added' ? text : [] });
        }
      }
      for (const p of pieces) {
        if (p.minus.length + p.plus.length === 0 || p.minus.length + p.plus.length > DETAIL_LINES) continue;
        out.push(style.dim(`${label} (${visible(p.what)}), saved → re-run:`));
        for (const l of p.minus) out.push(style.removed(`  -${visible(l.replace(/\r?\n$/, ''))}`));
        for (const l of p.plus) out.push(style.added(`  +${visible(l.replace(/\r?\n$/, ''))}`));
      }
    }
  }
  return out;
}

function changedLines(d: TextDiff): { minus: string[]; plus: string[] } {
  const minus: string[] = [];
  const plus: string[] = [];
  for (const op of d.ops) {
    if (op.op === 'delete') minus.push(...op.lines);
    else if (op.op === 'insert') plus.push(...op.lines);
    else if (op.op === 'replace') { minus.push(...op.base); plus.push(...op.head); }
  }
  return { minus, plus };
}

function outputText(o: Output): string[] | undefined {
  const text = o.output_type === 'stream' ? o.text
    : o.output_type === 'error' ? `${o.ename}: ${o.evalue}`
    : typeof o.data?.['text/plain'] === 'string' ? o.data['text/plain'] : undefined;
  return text === undefined ? undefined : text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
}
