/**
 * The grammars bundled with the viewer: the kernel languages most notebooks are written in (Julia is left
 * out: its grammar embeds C++, 1 MB). The build converts their regexes in this order (web/build/regexes.ts).
 */
import json from 'shiki/langs/json.mjs';
import python from 'shiki/langs/python.mjs';
import r from 'shiki/langs/r.mjs';
import shellscript from 'shiki/langs/shellscript.mjs';
import sql from 'shiki/langs/sql.mjs';
import type { Grammar } from './languages.js';

export { grammarFor } from './languages.js';

/** Each bundled language's grammars (a language's own first), by the name shiki knows it by. */
export const LANGUAGES: Record<Grammar, typeof python> = { python, r, json, shellscript, sql };

export const GRAMMARS = Object.values(LANGUAGES).flat();
