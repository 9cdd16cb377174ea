import type { ReactNode } from 'react';
import { parseAnsi } from '../render/ansi.js';

/** Text with ANSI colors, rendered as styled spans (text only: nothing in it is markup). */
export function AnsiText({ text }: { text: string }): ReactNode {
  return (
    <>
      {parseAnsi(text).map((seg, i) => {
        if (!seg.classes.length && !seg.fg && !seg.bg) return seg.text;
        const style = seg.fg || seg.bg ? { ...(seg.fg ? { color: seg.fg } : {}), ...(seg.bg ? { backgroundColor: seg.bg } : {}) } : undefined;
        return <span key={i} className={seg.classes.join(' ') || undefined} style={style}>{seg.text}</span>;
      })}
    </>
  );
}
