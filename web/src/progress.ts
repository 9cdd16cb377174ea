/**
 * When the page is done: what the browser test and `npm run bench` (bench/viewer.ts) measure. Performance
 * marks, all from navigation start:
 *
 *   cellwise-start     the viewer's script starts running (the page is parsed, the script compiled)
 *   cellwise-data      the review is read and parsed
 *   cellwise-ready     first commit: every row in the page, changed cells' bodies with plain code
 *   cellwise-rendered  nothing left to do: code colored, math typeset, in the DOM
 *
 * `cellwise-ready` and `cellwise-rendered` also set `data-review-ready` and `data-review-rendered` on
 * <html>. Work done after the first commit (coloring code, loading KaTeX) is counted with `begin()`: the
 * page is rendered once the first commit is done and every piece of work begun has finished, that is,
 * its result has been committed to the DOM.
 */

let pending = 0;
let ready = false;
let rendered = false;

function mark(name: string): void {
  performance.mark?.(name);
}

export function markStart(): void {
  mark('cellwise-start');
}

export function markData(): void {
  mark('cellwise-data');
}

/** The first commit is done (called once, from the app's first effect). */
export function markReady(): void {
  if (ready) return;
  ready = true;
  document.documentElement.setAttribute('data-review-ready', '');
  mark('cellwise-ready');
  settle();
}

function settle(): void {
  if (!ready || rendered || pending > 0) return;
  rendered = true;
  document.documentElement.setAttribute('data-review-rendered', '');
  mark('cellwise-rendered');
}

/**
 * A piece of work the page waits for; call the returned function once its result is in the DOM (or it was
 * cancelled). Calling it again does nothing.
 */
export function begin(): () => void {
  pending++;
  let open = true;
  return () => {
    if (!open) return;
    open = false;
    pending--;
    // After the current commit's other effects: several pieces often finish in one commit.
    queueMicrotask(settle);
  };
}
