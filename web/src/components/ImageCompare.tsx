import { useState, type ReactNode } from 'react';
import type { ImageComparison } from '../../../lib/model.js';

export type ImageMode = 'side' | 'swipe' | 'onion' | 'mask';

/** Base64 image data as a data URL (notebooks may wrap base64 over several lines). */
export function imageUrl(mime: string, data: unknown): string | null {
  if (typeof data !== 'string') return null;
  return `data:${mime};base64,${data.replace(/\s+/g, '')}`;
}

export function percentChanged(c: ImageComparison): string {
  if (c.totalPixels === 0) return '0%';
  const p = (100 * c.changedPixels) / c.totalPixels;
  return `${p < 0.1 && p > 0 ? p.toFixed(2) : p.toFixed(1)}%`;
}

/** Two versions of a plot: side by side, a swipe slider, onion skin, or pixelmatch's diff mask. */
export function ImageCompare({ base, head, comparison, mime }: { base: string; head: string; comparison?: ImageComparison | undefined; mime: string }): ReactNode {
  const [mode, setMode] = useState<ImageMode>('side');
  const [position, setPosition] = useState(50);
  const modes: [ImageMode, string][] = [['side', 'Side by side'], ['swipe', 'Swipe'], ['onion', 'Onion skin'], ['mask', 'Diff mask']];
  const mask = comparison?.mask ? imageUrl('image/png', comparison.mask) : null;
  return (
    <div className="cw-image-compare" data-testid="image-compare" data-mode={mode}>
      <div className="cw-image-bar">
        <span className="cw-image-modes" role="group" aria-label="compare images">
          {modes.map(([m, label]) => (
            <button key={m} type="button" className={m === mode ? 'cw-on' : undefined} aria-pressed={m === mode} onClick={() => setMode(m)}>{label}</button>
          ))}
        </span>
        {comparison && (
          <span className="cw-image-stats" data-testid="image-stats">
            {comparison.error ? `compared as bytes (${comparison.error})`
              : `${percentChanged(comparison)} pixels changed · ${comparison.base.width}×${comparison.base.height}`
                + (comparison.sizeChanged ? ` → ${comparison.head.width}×${comparison.head.height}` : '')}
          </span>
        )}
        <span className="cw-muted">{mime}</span>
      </div>
      {mode === 'side' && (
        <div className="cw-image-side">
          <figure><img src={base} alt="base version" /><figcaption>base</figcaption></figure>
          <figure><img src={head} alt="head version" /><figcaption>head</figcaption></figure>
        </div>
      )}
      {(mode === 'swipe' || mode === 'onion') && (
        <div className="cw-image-stack-wrap">
          <div className="cw-image-stack">
            <img src={head} alt="head version" />
            <img src={base} alt="base version" className="cw-image-top" data-testid="image-top"
              style={mode === 'swipe' ? { clipPath: `inset(0 ${100 - position}% 0 0)` } : { opacity: position / 100 }} />
            {mode === 'swipe' && <div className="cw-swipe-line" style={{ left: `${position}%` }} />}
          </div>
          <label className="cw-slider">
            {mode === 'swipe' ? 'base ◀ swipe ▶ head' : 'head ◀ opacity of base ▶ base'}
            <input type="range" min={0} max={100} value={position} data-testid="image-slider" aria-label={mode === 'swipe' ? 'swipe position' : 'base opacity'}
              onChange={(e) => setPosition(Number(e.currentTarget.value))} />
          </label>
        </div>
      )}
      {mode === 'mask' && (
        <div className="cw-image-stack-wrap">
          {mask ? (
            <div className="cw-image-stack cw-image-mask">
              <img src={head} alt="head version" />
              <img src={mask} alt="changed pixels in red" className="cw-image-top" />
            </div>
          ) : <p className="cw-muted">No diff mask in this review (images of different formats, or the diff was made without masks).</p>}
        </div>
      )}
    </div>
  );
}
