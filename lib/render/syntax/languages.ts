/**
 * Which bundled grammar and theme color a notebook's code. Apart from the grammars and themes themselves
 * (./grammars.ts, ./tokens.ts), so that the viewer can decide whether and how to color, and look up colors
 * a review brought (./colors.ts), without loading them.
 */
import type { Notebook, NotebookDiff } from '../../model.js';

/** The bundled grammars, by the name shiki knows each by. */
export type Grammar = 'python' | 'r' | 'json' | 'shellscript' | 'sql';

const ALIASES: Record<string, Grammar> = {
  python: 'python', python3: 'python', ipython: 'python', ipython3: 'python', py: 'python',
  r: 'r', json: 'json', bash: 'shellscript', sh: 'shellscript', shell: 'shellscript', shellscript: 'shellscript',
  sql: 'sql',
};

/** The bundled grammar for a notebook's language (metadata.language_info.name or kernelspec.language). */
export function grammarFor(language: string | undefined): Grammar | null {
  return language && Object.hasOwn(ALIASES, language.toLowerCase()) ? ALIASES[language.toLowerCase()]! : null;
}

export type ColorScheme = 'light' | 'dark';

/** The theme each scheme is colored with (shiki's names; ./tokens.ts checks them against the themes). */
export const THEME_NAMES: Record<ColorScheme, string> = { light: 'github-light', dark: 'github-dark' };

/** The language a notebook's code is in, as the viewer colors it: the diff's, else the notebook's metadata. */
export function notebookLanguage(diff: NotebookDiff | null, nb: Notebook | null): string | undefined {
  const meta = nb?.metadata as { language_info?: { name?: unknown }; kernelspec?: { language?: unknown } } | undefined;
  const fromMeta = meta?.language_info?.name ?? meta?.kernelspec?.language;
  return diff?.head.language ?? diff?.base.language ?? (typeof fromMeta === 'string' ? fromMeta : undefined);
}
