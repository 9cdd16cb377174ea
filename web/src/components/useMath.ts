import { useEffect, useRef, useState } from 'react';
import { begin } from '../progress.js';
import { loadMath, mathReady } from '../render/markdown.js';

/** True once KaTeX is loaded; starts loading it when `needed`, so the caller re-renders with math. */
export function useMathReady(needed: boolean): boolean {
  const [ready, setReady] = useState(mathReady());
  const finish = useRef<(() => void) | null>(null);
  useEffect(() => {
    if (!needed || ready) return;
    let live = true;
    const done = begin();
    finish.current = done;
    void loadMath().then(() => {
      if (live) setReady(true);
    });
    return () => {
      live = false;
      done();
    };
  }, [needed, ready]);
  // The math is in the DOM once this commit is done.
  useEffect(() => {
    if (ready) finish.current?.();
  }, [ready]);
  return ready;
}
