/**
 * The grammars bundled with the viewer: the kernel languages most notebooks are written in (Julia is left
 * out: its grammar embeds C++, 1 MB). The build converts their regexes in this order (web/build/regexes.ts).
 */
import json from 'shiki/langs/json.mjs';
import python from 'shiki/langs/python.mjs';
import r from 'shiki/langs/r.mjs';
import shellscript from 'shiki/langs/shellscript.mjs';
import sql from 'shiki/langs/sql.mjs';

/** Each bundled language's grammars (a language's own first), by the name shiki knows it by. */
export const LANGUAGES = { python, r, json, shellscript, sql } as const;

export const GRAMMARS = Object.values(LANGUAGES).flat();

const ALIASES: Record<string, keyof typeof LANGUAGES> = {
  python: 'python', python3: 'python', ipython: 'python', ipython3: 'python', py: 'python',
  r: 'r', json: 'json', bash: 'shellscript', sh: 'shellscript', shell: 'shellscript', shellscript: 'shellscript',
  sql: 'sql',
};

/** The bundled grammar for a notebook's language (metadata.language_info.name or kernelspec.language). */
export function grammarFor(language: string | undefined): keyof typeof LANGUAGES | null {
  return language ? ALIASES[language.toLowerCase()] ?? null : null;
}
