import { useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { Cell, CellEntry, JsonOp, MimeBundle, Notebook } from '../../../lib/model.js';
import { hasMath, renderMarkdown } from '../render/markdown.js';
import { anchorId, cellsOf, isChange, isMetaOnly, type ViewMode } from '../view.js';
import { CellOutputs } from './Outputs.js';
import { useSettings } from './settings.js';
import { SourceDiff } from './Source.js';
import { useMathReady } from './useMath.js';

export interface FileContext {
  index: number;
  base: Notebook | null;
  head: Notebook | null;
  language: string | undefined;
  mode: ViewMode;
  hideOutputs: boolean;
  /** Render content at once (changed cells of notebooks up to 500 cells) rather than when scrolled near. */
  eager: boolean;
}

/** True once the element is near the viewport (or at once where IntersectionObserver is missing). */
function useNearViewport(ref: RefObject<HTMLElement | null>, eager: boolean): boolean {
  const [near, setNear] = useState(eager || typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    if (near || !ref.current) return;
    const observer = new IntersectionObserver((items) => {
      if (items.some((i) => i.isIntersecting)) {
        setNear(true);
        observer.disconnect();
      }
    }, { rootMargin: '1200px 0px' });
    observer.observe(ref.current);
    return () => observer.disconnect();
  }, [near, ref]);
  return near;
}

function estimateHeight(entry: CellEntry, cells: { base: Cell | null; head: Cell | null }): number {
  const cell = cells.head ?? cells.base;
  const lines = cell ? cell.source.split('\n').length : 1;
  const outputs = cell?.outputs?.length ?? 0;
  return 40 + lines * 19 + outputs * 60 + (entry.status === 'modified' ? 20 : 0);
}

/**
 * One diff entry: the element that carries `data-cell-status` (and `data-moved` for moves). In side by
 * side it is a row with a base and a head pane; in unified, one cell.
 */
export function EntryRow({ entry, file }: { entry: CellEntry; file: FileContext }): ReactNode {
  const cells = cellsOf(entry, file.base, file.head);
  const ref = useRef<HTMLDivElement>(null);
  const near = useNearViewport(ref, file.eager && isChange(entry));
  const id = entry.head !== null ? anchorId(file.index, 'head', entry.head) : anchorId(file.index, 'base', entry.base!);
  const attrs: Record<string, string> = { 'data-cell-status': entry.status };
  if (entry.moved) attrs['data-moved'] = '';
  if (isChange(entry)) attrs['data-change'] = '';
  if (isMetaOnly(entry)) attrs['data-meta-only'] = '';
  return (
    <div ref={ref} id={id} className={`cw-entry cw-${file.mode === 'split' ? 'row' : 'cell'} cw-status-${entry.status}${entry.moved ? ' cw-moved' : ''}`} {...attrs}>
      <EntryHeader entry={entry} file={file} cells={cells} />
      {near ? <EntryBody entry={entry} file={file} cells={cells} /> : <div className="cw-lazy" style={{ height: estimateHeight(entry, cells) }} />}
    </div>
  );
}

function EntryHeader({ entry, file, cells }: { entry: CellEntry; file: FileContext; cells: { base: Cell | null; head: Cell | null } }): ReactNode {
  const label = entry.head !== null ? `cell ${entry.head + 1}` : `cell ${entry.base! + 1} (base)`;
  const exec = entry.status === 'modified' ? entry.changes.execution_count : undefined;
  const count = (c: Cell | null): string => (c && c.cell_type === 'code' ? `[${c.execution_count ?? ' '}]` : '');
  return (
    <div className="cw-entry-head">
      <span className="cw-cell-label">{label}</span>
      <span className="cw-cell-type">{entry.cell_type}</span>
      <span className={`cw-badge cw-badge-${entry.status}`}>{entry.status}</span>
      {entry.moved && entry.base !== null && entry.head !== null && (
        <span className="cw-badge cw-badge-moved" data-testid="moved">
          moved <a href={`#${anchorId(file.index, 'base', entry.base)}-away`}>from {entry.base + 1}</a> → {entry.head + 1}
        </span>
      )}
      {exec ? <span className="cw-exec">{`[${exec.base ?? ' '}] → [${exec.head ?? ' '}]`}</span>
        : entry.cell_type === 'code' && <span className="cw-exec cw-muted">{count(cells.head ?? cells.base)}</span>}
      {entry.status === 'modified' && entry.rerunOnly && <span className="cw-badge cw-badge-info">re-run only</span>}
      {entry.status === 'modified' && entry.staleOutputs && (
        <span className="cw-badge cw-badge-stale" data-testid="stale" title="The source changed but the outputs and execution count did not: the saved outputs were probably not re-run.">
          stale outputs?
        </span>
      )}
      {entry.status === 'modified' && entry.changes.id && <span className="cw-badge cw-badge-info">id changed</span>}
    </div>
  );
}

function EntryBody({ entry, file, cells }: { entry: CellEntry; file: FileContext; cells: { base: Cell | null; head: Cell | null } }): ReactNode {
  const changes = entry.status === 'modified' || entry.status === 'unchanged' ? entry.changes : undefined;
  const side = entry.status === 'added' ? 'head' : entry.status === 'removed' ? 'base' : 'both';
  const text = (cells.head ?? cells.base)?.source ?? '';
  return (
    <div className="cw-entry-body">
      {entry.cell_type === 'markdown'
        ? <MarkdownCell entry={entry} cells={cells} file={file} />
        : entry.cell_type === 'code'
          ? <SourceDiff diff={changes?.source} text={text} side={side} language={file.language} mode={file.mode} />
          : <SourceDiff diff={changes?.source} text={text} side={side} highlight={false} mode={file.mode} />}
      {!file.hideOutputs && <CellOutputs entry={entry} base={cells.base} head={cells.head} mode={file.mode} />}
      {changes && (changes.metadata || changes.attachments || changes.other || changes.cell_type) && entry.status === 'modified' && (
        <MetadataChanges ops={[...(changes.metadata ?? []).map((o) => ['metadata', o] as const), ...(changes.attachments ?? []).map((o) => ['attachments', o] as const),
          ...(changes.other ?? []).map((o) => ['', o] as const)]} typeChange={changes.cell_type} />
      )}
    </div>
  );
}

function MetadataChanges({ ops, typeChange }: { ops: (readonly [string, JsonOp])[]; typeChange: { base: string; head: string } | undefined }): ReactNode {
  const short = (v: unknown): string => {
    const s = JSON.stringify(v);
    return s.length > 80 ? `${s.slice(0, 77)}…` : s;
  };
  return (
    <details className="cw-details cw-metadata">
      <summary>{typeChange ? `cell type ${typeChange.base} → ${typeChange.head}; ` : ''}{ops.length} metadata change{ops.length === 1 ? '' : 's'}</summary>
      <ul>
        {ops.map(([where, op], i) => (
          <li key={i}>
            <code>{[where, ...op.path].filter(Boolean).join('.')}</code>{' '}
            {op.op === 'add' ? <span className="cw-ins-text">+ {short(op.value)}</span>
              : op.op === 'remove' ? <span className="cw-del-text">− {short(op.old)}</span>
                : <><span className="cw-del-text">{short(op.old)}</span> → <span className="cw-ins-text">{short(op.value)}</span></>}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** `attachment:NAME` references of a markdown cell, resolved to data URLs (never fetched). */
function attachmentUrls(cell: Cell | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, bundle] of Object.entries((cell?.attachments ?? {}) as Record<string, MimeBundle>)) {
    for (const [mime, data] of Object.entries(bundle)) {
      if (/^image\/(png|jpeg|gif|webp)$/.test(mime) && typeof data === 'string') out[name] = `data:${mime};base64,${data.replace(/\s+/g, '')}`;
    }
  }
  return out;
}

function RenderedMarkdown({ cell }: { cell: Cell }): ReactNode {
  const { remoteImages } = useSettings();
  const math = useMathReady(hasMath(cell.source));
  const html = useMemo(() => renderMarkdown(cell.source, { attachments: attachmentUrls(cell), remoteImages }), [cell, remoteImages, math]);
  return <div className="cw-rendered cw-markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}

/** Rendered markdown; the source diff one click away. */
function MarkdownCell({ entry, cells, file }: { entry: CellEntry; cells: { base: Cell | null; head: Cell | null }; file: FileContext }): ReactNode {
  const [source, setSource] = useState(false);
  const changes = entry.status === 'modified' ? entry.changes : undefined;
  const side = entry.status === 'added' ? 'head' : entry.status === 'removed' ? 'base' : 'both';
  const showBase = file.mode === 'split' || entry.status === 'removed';
  return (
    <div className="cw-markdown-cell">
      <button type="button" className="cw-link-button" onClick={() => setSource(!source)} aria-pressed={source}>
        {source ? 'rendered' : changes?.source ? 'source diff' : 'source'}
      </button>
      {source
        ? <SourceDiff diff={changes?.source} text={(cells.head ?? cells.base)?.source ?? ''} side={side} highlight={false} mode={file.mode} />
        : file.mode === 'split'
          ? (
            <div className="cw-pair">
              <div className={`cw-pane cw-pane-base${entry.status !== 'unchanged' && cells.base ? ' cw-side-removed' : ''}`}>{cells.base && showBase && <RenderedMarkdown cell={cells.base} />}</div>
              <div className={`cw-pane cw-pane-head${entry.status !== 'unchanged' && cells.head ? ' cw-side-added' : ''}`}>{cells.head && <RenderedMarkdown cell={cells.head} />}</div>
            </div>
          )
          : <div className={entry.status === 'removed' ? 'cw-side-removed' : entry.status === 'unchanged' ? '' : 'cw-side-added'}>
            {(cells.head ?? cells.base) && <RenderedMarkdown cell={(cells.head ?? cells.base)!} />}
          </div>}
    </div>
  );
}

/** The place a moved cell left, linking to where it went. */
export function MovedAway({ entry, file }: { entry: CellEntry; file: FileContext }): ReactNode {
  if (entry.base === null || entry.head === null) return null;
  return (
    <div className="cw-moved-away" id={`${anchorId(file.index, 'base', entry.base)}-away`}>
      cell {entry.base + 1} of base moved from here <a href={`#${anchorId(file.index, 'head', entry.head)}`}>to cell {entry.head + 1} →</a>
    </div>
  );
}
