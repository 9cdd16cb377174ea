import { useEffect, useState } from 'react';
import { loadMath, mathReady } from '../render/markdown.js';

/** True once KaTeX is loaded; starts loading it when `needed`, so the caller re-renders with math. */
export function useMathReady(needed: boolean): boolean {
  const [ready, setReady] = useState(mathReady());
  useEffect(() => {
    if (!needed || ready) return;
    let live = true;
    void loadMath().then(() => {
      if (live) setReady(true);
    });
    return () => {
      live = false;
    };
  }, [needed, ready]);
  return ready;
}
