import { useMemo, type ReactNode } from 'react';
import type { Cell, CellEntry, Json, MimeBundle, MimeChange, Output, OutputEntry } from '../../../lib/model.js';
import { hasMath, renderLatexOutput, renderMarkdown } from '../render/markdown.js';
import { sanitizeHtml, svgImageUrl } from '../render/sanitize.js';
import { mergeStreams, outputSlice, type ViewMode } from '../view.js';
import { AnsiText } from './Ansi.js';
import { ImageCompare, imageUrl } from './ImageCompare.js';
import { SourceDiff } from './Source.js';
import { useSettings } from './settings.js';
import { useMathReady } from './useMath.js';

const IMAGE_MIMES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
/** What Jupyter shows for a bundle: the richest type it can render, in this order. */
const MIME_ORDER = ['application/vnd.jupyter.widget-view+json', 'text/html', 'image/svg+xml', ...IMAGE_MIMES, 'text/markdown', 'text/latex',
  'application/json', 'application/javascript', 'text/plain'];

function text(value: Json | undefined): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.join('');
  return value === undefined || value === null ? '' : JSON.stringify(value, null, 2);
}

export function pickMime(data: MimeBundle): string | undefined {
  const keys = Object.keys(data);
  return MIME_ORDER.find((m) => keys.includes(m)) ?? keys.find((k) => k.endsWith('+json')) ?? keys[0];
}

/** One MIME type's value, rendered inert. */
export function MimeView({ mime, value }: { mime: string; value: Json | undefined }): ReactNode {
  const { remoteImages } = useSettings();
  const math = useMathReady(mime === 'text/latex' || (mime === 'text/markdown' && hasMath(text(value))));
  const html = useMemo(() => {
    if (mime === 'text/html') return sanitizeHtml(text(value), { remoteImages });
    if (mime === 'text/markdown') return renderMarkdown(text(value), { remoteImages });
    if (mime === 'text/latex') return renderLatexOutput(text(value));
    return null;
  }, [mime, value, remoteImages, math]);
  if (html !== null) return <div className={`cw-rendered cw-mime-${mime.split('/')[1]}`} dangerouslySetInnerHTML={{ __html: html }} />;
  if (mime === 'image/svg+xml') return <img className="cw-output-image" src={svgImageUrl(text(value))} alt="SVG output" />;
  if (IMAGE_MIMES.includes(mime)) {
    const src = imageUrl(mime, value);
    return src ? <img className="cw-output-image" src={src} alt={`${mime} output`} /> : null;
  }
  if (mime === 'application/vnd.jupyter.widget-view+json') {
    return <div className="cw-note">Interactive widget (not rendered: widgets need a live kernel)</div>;
  }
  if (mime === 'application/javascript') {
    return <div><div className="cw-note">JavaScript output, shown as text (never run)</div><pre className="cw-text">{text(value)}</pre></div>;
  }
  if (mime === 'application/json' || mime.endsWith('+json')) {
    return <pre className="cw-text cw-json">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>;
  }
  return <pre className="cw-text"><AnsiText text={text(value)} /></pre>;
}

/** One output as Jupyter would show it. */
export function OutputView({ output }: { output: Output }): ReactNode {
  switch (output.output_type) {
    case 'stream':
      return <pre className={`cw-text cw-stream cw-${output.name === 'stderr' ? 'stderr' : 'stdout'}`}><AnsiText text={output.text} /></pre>;
    case 'error':
      return (
        <pre className="cw-text cw-error">
          {output.traceback.length ? <AnsiText text={output.traceback.join('\n')} /> : `${output.ename}: ${output.evalue}`}
        </pre>
      );
    case 'display_data':
    case 'execute_result': {
      const mime = pickMime(output.data);
      return (
        <div className="cw-output-data">
          {output.output_type === 'execute_result' && <span className="cw-out-prompt">Out[{output.execution_count ?? ' '}]</span>}
          {mime ? <MimeView mime={mime} value={output.data[mime]} /> : <span className="cw-muted">(empty output)</span>}
        </div>
      );
    }
    default: {
      const other = output as { output_type?: unknown };
      return <div className="cw-muted">unknown output type {String(other.output_type)}</div>;
    }
  }
}

function OutputList({ outputs }: { outputs: Output[] }): ReactNode {
  return <>{outputs.map((o, i) => <div key={i} className="cw-output"><OutputView output={o} /></div>)}</>;
}

/** A pair of output columns (side by side) or the two in sequence (unified), marked by side. */
function Pair({ base, head, mode, status }: { base: ReactNode; head: ReactNode; mode: ViewMode; status: OutputEntry['status'] }): ReactNode {
  if (mode === 'split') {
    return (
      <div className="cw-pair" data-output-status={status}>
        <div className={`cw-pane cw-pane-base${status === 'removed' || status === 'modified' ? ' cw-side-removed' : ''}`}>{base}</div>
        <div className={`cw-pane cw-pane-head${status === 'added' || status === 'modified' ? ' cw-side-added' : ''}`}>{head}</div>
      </div>
    );
  }
  return (
    <div className="cw-stackpair" data-output-status={status}>
      {base && <div className="cw-side-removed">{base}</div>}
      {head && <div className="cw-side-added">{head}</div>}
    </div>
  );
}

/** A modified display output: images compared, text types diffed, anything else shown both ways. */
function ModifiedData({ base, head, data, mode }: { base: Output | undefined; head: Output | undefined; data: MimeChange[]; mode: ViewMode }): ReactNode {
  const image = data.find((d) => d.status === 'modified' && d.image && d.image.error === undefined);
  const bundle = (o: Output | undefined): MimeBundle | undefined =>
    o && (o.output_type === 'display_data' || o.output_type === 'execute_result') ? o.data : undefined;
  if (image && image.status === 'modified' && bundle(base) && bundle(head)) {
    const b = imageUrl(image.mime, bundle(base)![image.mime]);
    const h = imageUrl(image.mime, bundle(head)![image.mime]);
    if (b && h) {
      const others = data.filter((d) => d !== image && d.mime !== 'text/plain');
      return (
        <div className="cw-output-modified">
          <ImageCompare base={b} head={h} comparison={image.image} mime={image.mime} />
          {others.length > 0 && base && head && <Pair status="modified" mode={mode} base={<OutputView output={base} />} head={<OutputView output={head} />} />}
        </div>
      );
    }
  }
  const headData = bundle(head);
  const mime = headData ? pickMime(headData) : undefined;
  const change = data.find((d) => d.mime === mime);
  const textDiff = change?.status === 'modified' ? change.text : undefined;
  return (
    <div className="cw-output-modified">
      <Pair status="modified" mode={mode} base={base ? <OutputView output={base} /> : null} head={head ? <OutputView output={head} /> : null} />
      {textDiff && mime !== 'text/plain' && mime !== undefined && (
        <details className="cw-details"><summary>{mime} source diff</summary><SourceDiff diff={textDiff} mode={mode} highlight={false} /></details>
      )}
    </div>
  );
}

/** The outputs of one diff entry, aligned by the diff's output entries. */
export function CellOutputs({ entry, base, head, mode }: { entry: CellEntry; base: Cell | null; head: Cell | null; mode: ViewMode }): ReactNode {
  if (entry.status === 'added' || entry.status === 'removed') {
    const outputs = entry.cell.outputs ?? [];
    if (!outputs.length) return null;
    const list = <OutputList outputs={outputs} />;
    return <div className="cw-outputs"><Pair status={entry.status} mode={mode} base={entry.status === 'removed' ? list : null} head={entry.status === 'added' ? list : null} /></div>;
  }
  const diffEntries = entry.changes?.outputs?.entries;
  if (!diffEntries) {
    const outputs = head?.outputs ?? [];
    if (!outputs.length) return null;
    const list = <OutputList outputs={outputs} />;
    return <div className="cw-outputs">{mode === 'split' ? <Pair status="unchanged" mode={mode} base={<OutputList outputs={base?.outputs ?? []} />} head={list} /> : list}</div>;
  }
  return (
    <div className="cw-outputs">
      {diffEntries.map((oe, i) => {
        const b = mergeStreams(outputSlice(base, oe.base, 'baseCount' in oe ? oe.baseCount : undefined));
        const h = mergeStreams(outputSlice(head, oe.head, 'headCount' in oe ? oe.headCount : undefined));
        switch (oe.status) {
          case 'added':
            return <Pair key={i} status="added" mode={mode} base={null} head={<OutputList outputs={oe.outputs} />} />;
          case 'removed':
            return <Pair key={i} status="removed" mode={mode} base={<OutputList outputs={oe.outputs} />} head={null} />;
          case 'unchanged':
            return mode === 'split'
              ? <Pair key={i} status="unchanged" mode={mode} base={<OutputList outputs={b} />} head={<OutputList outputs={h} />} />
              : <OutputList key={i} outputs={h} />;
          case 'modified': {
            const c = oe.changes;
            if (c.text) {
              return <div key={i} className="cw-output cw-output-modified cw-stream-diff"><SourceDiff diff={c.text} mode={mode} highlight={false} /></div>;
            }
            if (c.data) return <ModifiedData key={i} base={b[0]} head={h[0]} data={c.data} mode={mode} />;
            return <Pair key={i} status="modified" mode={mode} base={<OutputList outputs={b} />} head={<OutputList outputs={h} />} />;
          }
          default:
            return null;
        }
      })}
    </div>
  );
}
