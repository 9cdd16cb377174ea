import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { NotebookDiff } from '../../lib/model.js';
import type { ReviewFile, ReviewPayload } from '../../lib/review.js';
import { EntryRow, MovedAway, type FileContext } from './components/Cell.js';
import { SettingsContext } from './components/settings.js';
import { markReady } from './progress.js';
import { setPrecolored } from './render/highlight.js';
import { notebookLanguage, rows, type Toggles, type ViewMode } from './view.js';

/** Notebooks up to this many cells have every changed cell in the page at once (tests and scripts count them). */
const EAGER_CELLS = 500;

export interface AppProps {
  review: ReviewPayload;
  /** The "load remote images" switch's state, from the page URL (it reloads the page under a looser policy). */
  remoteImages?: boolean;
  /** Turns remote images on or off (the page reloads under another Content-Security-Policy). */
  onRemoteImages?: (on: boolean) => void;
  initialMode?: ViewMode;
}

export function App({ review, remoteImages = false, onRemoteImages, initialMode = 'split' }: AppProps): ReactNode {
  // Before any cell renders (they render after this function, in the same pass): the code they color.
  setPrecolored(review.colors);
  const [mode, setMode] = useState<ViewMode>(initialMode);
  const [toggles, setToggles] = useState<Toggles>({ hideUnchanged: true, hideOutputs: false, hideMetaOnly: false });
  const current = useRef(-1);
  const toggle = (k: keyof Toggles): void => setToggles((t) => ({ ...t, [k]: !t[k] }));

  const step = useCallback((delta: number) => {
    const changes = Array.from(document.querySelectorAll<HTMLElement>('[data-change]'));
    if (!changes.length) return;
    changes.forEach((c) => c.classList.remove('cw-current'));
    current.current = Math.max(0, Math.min(changes.length - 1, current.current + delta));
    const el = changes[current.current]!;
    el.classList.add('cw-current');
    el.scrollIntoView?.({ block: 'start', behavior: 'instant' as ScrollBehavior });
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      // Keys typed into a text field are text; on a checkbox or a slider they are still shortcuts.
      const target = e.target as HTMLElement | null;
      if (target && (/^(TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable
        || (target.tagName === 'INPUT' && !/^(checkbox|radio|range|button)$/.test((target as HTMLInputElement).type)))) return;
      if (e.key === 'j') step(1);
      else if (e.key === 'k') step(-1);
      else if (e.key === 'u') setMode((m) => (m === 'split' ? 'unified' : 'split'));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [step]);

  // Children's effects ran first: the work they began (coloring code, loading KaTeX) is counted by now.
  useEffect(markReady, []);

  const totals = useMemo(() => review.files.reduce((t, f) => {
    const s = f.diff?.summary;
    if (s) { t.added += s.added; t.removed += s.removed; t.modified += s.modified; t.moved += s.moved; }
    return t;
  }, { added: 0, removed: 0, modified: 0, moved: 0 }), [review]);

  return (
    <SettingsContext.Provider value={{ remoteImages }}>
      <header className="cw-toolbar">
        <h1 className="cw-title">{review.title}</h1>
        <span className="cw-totals" data-testid="totals">
          <span className="cw-ins-text">{totals.added} added</span> · <span className="cw-del-text">{totals.removed} removed</span> · {totals.modified} modified · {totals.moved} moved
        </span>
        <span className="cw-controls">
          <span role="group" aria-label="view" className="cw-segmented">
            <button type="button" aria-pressed={mode === 'split'} className={mode === 'split' ? 'cw-on' : undefined} onClick={() => setMode('split')} data-testid="view-split">Side by side</button>
            <button type="button" aria-pressed={mode === 'unified'} className={mode === 'unified' ? 'cw-on' : undefined} onClick={() => setMode('unified')} data-testid="view-unified">Unified</button>
          </span>
          <label><input type="checkbox" checked={toggles.hideUnchanged} onChange={() => toggle('hideUnchanged')} data-testid="hide-unchanged" /> hide unchanged</label>
          <label><input type="checkbox" checked={toggles.hideOutputs} onChange={() => toggle('hideOutputs')} data-testid="hide-outputs" /> hide outputs</label>
          <label title="cells whose only change is metadata or the execution count"><input type="checkbox" checked={toggles.hideMetaOnly} onChange={() => toggle('hideMetaOnly')} data-testid="hide-meta-only" /> hide metadata-only</label>
          <label title="Remote images in notebooks are not loaded unless you ask: loading them tells their server you are reading this.">
            <input type="checkbox" checked={remoteImages} onChange={() => onRemoteImages?.(!remoteImages)} data-testid="remote-images" disabled={!onRemoteImages} /> load remote images
          </label>
          <span className="cw-muted cw-keys">j/k: next/previous change · u: unified</span>
        </span>
      </header>
      {review.files.length > 1 && <FileList files={review.files} />}
      <main className="cw-files">
        {review.files.length === 0 && <p className="cw-muted">No notebooks changed.</p>}
        {review.files.map((f, i) => <FileView key={i} file={f} index={i} mode={mode} toggles={toggles} />)}
      </main>
    </SettingsContext.Provider>
  );
}

function summaryText(diff: NotebookDiff): string {
  const s = diff.summary;
  const parts = [`${s.added} added`, `${s.removed} removed`, `${s.modified} modified`];
  if (s.moved) parts.push(`${s.moved} moved`);
  if (s.staleOutputs) parts.push(`${s.staleOutputs} with stale outputs`);
  return parts.join(', ');
}

function FileList({ files }: { files: ReviewFile[] }): ReactNode {
  return (
    <nav className="cw-file-list" aria-label="changed notebooks">
      <ul>
        {files.map((f, i) => (
          <li key={i}>
            <a href={`#file-${i}`}>{f.oldPath && f.oldPath !== f.path ? `${f.oldPath} → ${f.path}` : f.path}</a>{' '}
            <span className="cw-muted">{f.error ? 'error' : f.diff ? summaryText(f.diff) : f.status ?? ''}</span>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function FileView({ file, index, mode, toggles }: { file: ReviewFile; index: number; mode: ViewMode; toggles: Toggles }): ReactNode {
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const diff = file.diff;
  const list = useMemo(() => (diff ? rows(diff, toggles, expanded) : []), [diff, toggles, expanded]);
  const ctx: FileContext = {
    index, base: file.base, head: file.head, mode, hideOutputs: toggles.hideOutputs,
    language: notebookLanguage(diff, file.head ?? file.base),
    eager: (diff?.cells.length ?? 0) <= EAGER_CELLS,
  };
  return (
    <section className="cw-file" id={`file-${index}`} data-file={file.path}>
      <h2 className="cw-file-name">
        {file.oldPath && file.oldPath !== file.path ? `${file.oldPath} → ${file.path}` : file.path}
        {file.status && file.status !== 'modified' && <span className="cw-badge cw-badge-info">{file.status}</span>}
        {diff && <span className="cw-muted cw-file-summary">{summaryText(diff)}</span>}
      </h2>
      {file.error && <p className="cw-error-note">{file.error}</p>}
      {diff && diff.warnings.length > 0 && (
        <details className="cw-details"><summary>{diff.warnings.length} warning{diff.warnings.length === 1 ? '' : 's'}</summary>
          <ul>{diff.warnings.map((w, i) => <li key={i}><code>{w.file}{w.path}</code>: {w.message}</li>)}</ul></details>
      )}
      {diff && !diff.changed && <p className="cw-muted">No visible changes.</p>}
      {mode === 'split' && diff && (
        <div className="cw-split-head"><span>{diff.base.name ?? 'base'}</span><span>{diff.head.name ?? 'head'}</span></div>
      )}
      <div className={`cw-entries cw-mode-${mode}`}>
        {list.map((row) => {
          switch (row.kind) {
            case 'entry':
              return <EntryRow key={row.key} entry={row.entry} file={ctx} />;
            case 'moved-away':
              return <MovedAway key={row.key} entry={row.entry} file={ctx} />;
            case 'collapsed':
              return (
                <button key={row.key} type="button" className="cw-collapsed" data-testid="collapsed"
                  onClick={() => setExpanded((s) => new Set([...s, row.key]))}>
                  {row.entries.length} unchanged cell{row.entries.length === 1 ? '' : 's'}
                  {row.entries.some((e) => e.status === 'modified') ? ' (metadata or execution count only)' : ''} — show
                </button>
              );
            default:
              return null;
          }
        })}
      </div>
    </section>
  );
}
