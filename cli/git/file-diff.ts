/**
 * One changed notebook as git shows a changed file: a `diff --cellwise a/… b/…` header with git's extended
 * header lines (new/deleted file, mode, rename, index), then Cellwise's terminal diff. The diff driver, the
 * difftool and `cellwise diff REV` all print files through here, so they look alike.
 */
import { diffSides } from '../diff-sides.js';
import { diffNotebooks, type DiffSide } from '../../lib/diff/notebook.js';
import type { DiffOptions } from '../../lib/diff/options.js';
import type { NotebookDiff } from '../../lib/model.js';
import { emptyNotebook, parseNotebook, type ParsedNotebook } from '../../lib/notebook/index.js';
import { createStyle } from '../../lib/render/style.js';
import { renderTerminal } from '../../lib/render/terminal.js';

/** One version of a file: its bytes, or null where git says /dev/null (the file does not exist there). */
export interface FileSide {
  bytes: Uint8Array | null;
  /** How errors name this version: a path in the working tree, `a/x.ipynb`, `HEAD:x.ipynb`. */
  name: string;
}

export type FileStatus = 'added' | 'deleted' | 'modified' | 'renamed' | 'copied' | 'type-changed';

export interface FileHeader {
  status: FileStatus;
  /** Path in base (as in git: relative to the top of the working tree). */
  oldPath: string;
  newPath: string;
  oldMode?: string;
  newMode?: string;
  /** Blob ids, when known (not for /dev/null and unhashed working-tree files). */
  oldHex?: string;
  newHex?: string;
  /** `similarity index 92%` for renames and copies. */
  similarity?: number;
  /** Extended header lines git wrote itself (the diff driver's 9th argument), used as they are. */
  gitLines?: string[];
}

export interface RenderFlags {
  color: boolean;
  context: number;
  width: number;
  expandRerun?: boolean;
  showUnchanged?: boolean;
}

export const NULL_HEX = /^0+$/;

/** Parses both versions (a missing one becomes an empty notebook) and diffs them. Throws NotebookError. */
export function diffFiles(base: FileSide, head: FileSide, header: Pick<FileHeader, 'oldPath' | 'newPath'>, options: DiffOptions): NotebookDiff {
  return diffNotebooks(...parsedSides(base, head, header), options);
}

/** diffFiles with the image comparisons spread over all cores (see cli/diff-sides.ts). */
export async function diffFilesInParallel(base: FileSide, head: FileSide, header: Pick<FileHeader, 'oldPath' | 'newPath'>, options: DiffOptions): Promise<NotebookDiff> {
  return diffSides(...parsedSides(base, head, header), options);
}

function parsedSides(base: FileSide, head: FileSide, header: Pick<FileHeader, 'oldPath' | 'newPath'>): [DiffSide, DiffSide] {
  const b = base.bytes ? parseNotebook(base.bytes, base.name) : null;
  const h = head.bytes ? parseNotebook(head.bytes, head.name) : null;
  return diffSidesOf(b, h, header);
}

/**
 * The two sides of a file's diff from its parsed versions (null: the file does not exist on that side, and is
 * compared as an empty notebook of the other side's version, named /dev/null as git does).
 */
export function diffSidesOf(b: ParsedNotebook | null, h: ParsedNotebook | null, header: Pick<FileHeader, 'oldPath' | 'newPath'>): [DiffSide, DiffSide] {
  return [side(b, h, b ? header.oldPath : '/dev/null'), side(h, b, h ? header.newPath : '/dev/null')];
}

function side(parsed: ParsedNotebook | null, other: ParsedNotebook | null, name: string): DiffSide {
  if (parsed) return { notebook: parsed.notebook, name, nbformat: parsed.nbformat, warnings: parsed.warnings };
  return { notebook: emptyNotebook(other?.notebook), name, nbformat: other?.nbformat ?? [4, 5] };
}

/** `diff --cellwise a/x b/y` and the extended header lines git would print for the pair. */
export function headerLines(h: FileHeader): string[] {
  const lines = [`diff --cellwise a/${h.oldPath} b/${h.newPath}`];
  if (h.status === 'added') lines.push(`new file mode ${h.newMode ?? '100644'}`);
  else if (h.status === 'deleted') lines.push(`deleted file mode ${h.oldMode ?? '100644'}`);
  else if (h.oldMode && h.newMode && h.oldMode !== h.newMode) lines.push(`old mode ${h.oldMode}`, `new mode ${h.newMode}`);
  if (h.gitLines) {
    lines.push(...h.gitLines);
  } else if (h.status === 'renamed' || h.status === 'copied') {
    const verb = h.status === 'renamed' ? 'rename' : 'copy';
    if (h.similarity !== undefined) lines.push(`similarity index ${h.similarity}%`);
    lines.push(`${verb} from ${h.oldPath}`, `${verb} to ${h.newPath}`);
  }
  if (!lines.some((line) => line.startsWith('index '))) {
    const known = (hex: string | undefined): boolean => hex !== undefined && !NULL_HEX.test(hex);
    const oldHex = h.status === 'added' ? '0000000' : known(h.oldHex) ? h.oldHex!.slice(0, 7) : undefined;
    const newHex = h.status === 'deleted' ? '0000000' : known(h.newHex) ? h.newHex!.slice(0, 7) : undefined;
    if (oldHex && newHex && oldHex !== newHex) {
      const mode = h.status === 'modified' && h.oldMode === h.newMode && h.newMode ? ` ${h.newMode}` : '';
      lines.push(`index ${oldHex}..${newHex}${mode}`);
    }
  }
  return lines;
}

/** The header in git's `meta` colour (bold), then the rendered diff (or nothing, for a rename or mode change only). */
export function renderFile(header: FileHeader, diff: NotebookDiff | undefined, flags: RenderFlags, problems: string[] = []): string {
  const style = createStyle(flags.color);
  let text = headerLines(header).map((line) => style.strong(line)).join('\n') + '\n';
  for (const problem of problems) text += renderProblem(problem, flags.color);
  if (diff) {
    text += renderTerminal(diff, {
      color: flags.color,
      context: flags.context,
      width: flags.width,
      expandRerun: !!flags.expandRerun,
      showUnchanged: !!flags.showUnchanged,
    });
  }
  return text;
}

/** A notebook that could not be read: one line in the warning colour, so it stands out in a long diff. */
export function renderProblem(message: string, color: boolean): string {
  return `${createStyle(color).warning(`cellwise: ${message}`)}\n`;
}

/** The width to render for: the terminal's, or the one git's pager was started for (git sets COLUMNS). */
export function outputWidth(stream: { columns?: number } = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  const columns = stream.columns || Number.parseInt(env.COLUMNS ?? '', 10) || 100;
  return Math.max(60, Math.min(columns, 160));
}

export function isNotebookPath(path: string): boolean {
  return path.toLowerCase().endsWith('.ipynb');
}
