/**
 * Grouping a line diff into unified hunks with N lines of context, as `diff -U N` does. Shared by the
 * renderers: the terminal prints the blocks with colours, a markdown renderer flattens them into a ```diff
 * fence. Lines are returned as the model holds them (with their line endings and unsanitized): printing
 * is the renderer's business.
 */
import type { TextDiff, WordSpan } from '../model.js';

/** Lines common to both sides. `base` and `head` are 1-based numbers of the first line. */
export interface ContextBlock {
  kind: 'context';
  lines: string[];
  base: number;
  head: number;
}

/**
 * Lines that differ: `deleted` from base (starting at line `base`), `inserted` in head (at line `head`).
 * `words[i]`, when present and not null, is the word diff of `deleted[i]` against `inserted[i]`.
 */
export interface ChangeBlock {
  kind: 'change';
  deleted: string[];
  inserted: string[];
  words: (WordSpan[] | null)[];
  base: number;
  head: number;
}

export type HunkBlock = ContextBlock | ChangeBlock;

export interface Hunk {
  /** 1-based first line on each side; for an empty side, the line after which the change goes (GNU diff). */
  baseStart: number;
  baseCount: number;
  headStart: number;
  headCount: number;
  blocks: HunkBlock[];
}

/** The whole diff as blocks, with line numbers. */
export function diffBlocks(diff: TextDiff): HunkBlock[] {
  const blocks: HunkBlock[] = [];
  let base = 1;
  let head = 1;
  for (const op of diff.ops) {
    switch (op.op) {
      case 'equal': {
        const last = blocks[blocks.length - 1];
        // Two equal ops in a row are one run of context.
        if (last?.kind === 'context') last.lines = [...last.lines, ...op.lines];
        else if (op.lines.length > 0) blocks.push({ kind: 'context', lines: op.lines, base, head });
        base += op.lines.length;
        head += op.lines.length;
        break;
      }
      case 'delete':
        blocks.push({ kind: 'change', deleted: op.lines, inserted: [], words: [], base, head });
        base += op.lines.length;
        break;
      case 'insert':
        blocks.push({ kind: 'change', deleted: [], inserted: op.lines, words: [], base, head });
        head += op.lines.length;
        break;
      case 'replace':
        blocks.push({ kind: 'change', deleted: op.base, inserted: op.head, words: op.words, base, head });
        base += op.base.length;
        head += op.head.length;
        break;
      default:
        return assertNever(op);
    }
  }
  return blocks;
}

function slice(block: ContextBlock, start: number, end: number): ContextBlock {
  return { kind: 'context', lines: block.lines.slice(start, end), base: block.base + start, head: block.head + start };
}

function finish(blocks: HunkBlock[]): Hunk {
  let baseCount = 0;
  let headCount = 0;
  for (const block of blocks) {
    if (block.kind === 'context') {
      baseCount += block.lines.length;
      headCount += block.lines.length;
    } else {
      baseCount += block.deleted.length;
      headCount += block.inserted.length;
    }
  }
  const first = blocks[0];
  const baseFirst = first?.base ?? 1;
  const headFirst = first?.head ?? 1;
  return {
    baseStart: baseCount === 0 ? baseFirst - 1 : baseFirst,
    baseCount,
    headStart: headCount === 0 ? headFirst - 1 : headFirst,
    headCount,
    blocks,
  };
}

/**
 * Unified hunks: each change with up to `context` common lines around it; changes closer than
 * 2 × `context` common lines share a hunk. A diff without changes has no hunks.
 */
export function toHunks(diff: TextDiff, context = 3): Hunk[] {
  const ctx = Math.max(0, Math.floor(context));
  const blocks = diffBlocks(diff);
  const hunks: Hunk[] = [];
  let current: HunkBlock[] | null = null;
  blocks.forEach((block, i) => {
    if (block.kind === 'change') {
      if (current === null) {
        current = [];
        const before = blocks[i - 1];
        if (before?.kind === 'context' && ctx > 0) {
          current.push(slice(before, Math.max(0, before.lines.length - ctx), before.lines.length));
        }
      }
      current.push(block);
      return;
    }
    if (current === null) return;
    const hasNextChange = blocks[i + 1]?.kind === 'change';
    if (hasNextChange && block.lines.length <= 2 * ctx) {
      current.push(block);
      return;
    }
    if (ctx > 0) current.push(slice(block, 0, ctx));
    hunks.push(finish(current));
    current = null;
  });
  if (current !== null) hunks.push(finish(current));
  return hunks;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** `@@ -a,b +c,d @@`, with `,1` left out as git does. */
export function hunkHeader(hunk: Hunk): string {
  return `@@ -${range(hunk.baseStart, hunk.baseCount)} +${range(hunk.headStart, hunk.headCount)} @@`;
}

/** One line of a unified diff: ' ' common, '-' base only, '+' head only; `words` for paired lines. */
export interface UnifiedLine {
  sign: ' ' | '-' | '+';
  text: string;
  words: WordSpan[] | null;
}

/** A block as unified-diff lines: common lines, or all deleted lines followed by all inserted ones. */
export function unifiedLines(block: HunkBlock): UnifiedLine[] {
  if (block.kind === 'context') return block.lines.map((text) => ({ sign: ' ', text, words: null }));
  return [
    ...block.deleted.map((text, i): UnifiedLine => ({ sign: '-', text, words: block.words[i] ?? null })),
    ...block.inserted.map((text, i): UnifiedLine => ({ sign: '+', text, words: block.words[i] ?? null })),
  ];
}

function assertNever(value: never): never {
  throw new Error(`unexpected text op: ${JSON.stringify(value)}`);
}
