/**
 * A one-line progress bar on standard error, redrawn in place, for work that takes long enough to wonder
 * about: a kernel running a notebook (`cellwise stale`), the pixel comparisons of a plot-heavy diff. Only on
 * a terminal, and only once the command has been busy for `delayMs`, so that quick runs print nothing.
 */
import type { ImageProgress } from './diff-sides.js';
import { formatSeconds } from './kernel/kernel.js';

export interface ProgressOptions {
  /** What is counted, singular ("cell", "image"). */
  noun: string;
  /** Shown after the count (a file name). */
  what: string;
  total: number;
  enabled: boolean;
  /** Nothing is drawn before this many milliseconds since `since` (default: now). */
  delayMs?: number;
  since?: number;
  /** The count shown is the one being worked on (`cell 3/10` while the third runs), not the number done. */
  current?: boolean;
}

/** Redraws no more often than this, however often it is updated. */
const REDRAW_MS = 100;

export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private done = 0;
  private drawn = false;
  private lastDraw = -Infinity;
  private readonly started: number;

  constructor(private readonly options: ProgressOptions) {
    this.started = options.since ?? performance.now();
    if (options.enabled) {
      // Also while the thread waits (a kernel running a long cell): the elapsed time keeps moving.
      this.timer = setInterval(() => this.draw(true), 250);
      this.timer.unref();
    }
  }

  /** `done` items finished; drawn now unless it was drawn very recently. */
  update(done: number): void {
    this.done = done;
    this.draw(false);
  }

  private draw(tick: boolean): void {
    const { enabled, total, noun, what, delayMs = 0, current = false } = this.options;
    if (!enabled) return;
    const now = performance.now();
    if (now - this.started < delayMs || (!tick && now - this.lastDraw < REDRAW_MS)) return;
    this.lastDraw = now;
    this.drawn = true;
    const width = 20;
    const filled = total === 0 ? width : Math.round((Math.min(this.done, total) / total) * width);
    const shown = current ? Math.min(this.done + 1, total) : Math.min(this.done, total);
    const elapsed = formatSeconds(Math.round((now - this.started) / 100) * 100);
    const line = `[${'#'.repeat(filled)}${'·'.repeat(width - filled)}] ${noun} ${shown}/${total} · ${elapsed} · ${what}`;
    process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns || 100) - 1)}`);
  }

  /** Clears the line, if anything was drawn. */
  end(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.drawn) process.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}

/**
 * A progress bar for a plot-heavy diff on a terminal: shown once the command has run for half a second
 * (a quick diff prints nothing), and for more than a few images only.
 */
export function imageProgress(what: string): ImageProgress {
  return (total) => (total < PROGRESS_MIN_IMAGES || !process.stderr.isTTY
    ? undefined
    // Counted from the process's start (performance.now()'s origin): what the user has waited.
    : new Progress({ noun: 'image', what, total, enabled: true, delayMs: PROGRESS_DELAY_MS, since: 0 }));
}

/** Half a second, or CELLWISE_PROGRESS_DELAY_MS (the tests set 0: a fast machine may finish sooner). */
const PROGRESS_DELAY_MS = Number(process.env.CELLWISE_PROGRESS_DELAY_MS ?? 500);
const PROGRESS_MIN_IMAGES = 4;
