import type { JsonObject, Notebook, Warning } from '../model.js';
import { decodeNotebook, isPlainUtf8 } from './decode.js';
import { Issues } from './issues.js';
import { parseJsonBytes } from './json-bytes.js';
import { jsonSyntaxError } from './json-errors.js';
import { describeType, isNonNegativeInteger, isObject } from './json-types.js';
import { upconvertV3 } from './upconvert-v3.js';
import { validateNotebook } from './validate.js';

export interface ParsedNotebook {
  /** nbformat 4, normalized: multiline strings joined, nbformat 3 converted. */
  notebook: Notebook;
  /** What nbformat would accept but the user should know (schema violations, odd encodings). */
  warnings: Warning[];
  /** [major, minor] as written in the file, before any conversion (minor 0 when the file has none). */
  nbformat: [number, number];
}

/** The newest nbformat 4 minor version Cellwise knows the schema of. */
export const NBFORMAT_MINOR = 5;

/**
 * Reads a notebook file (its bytes, or text already decoded). `file` names it in errors and warnings.
 * Throws NotebookError for what nbformat cannot read either (bad encoding or JSON, unsupported versions,
 * structural errors) and for what the diff cannot work with (duplicate or malformed cell ids).
 */
export function parseNotebook(input: string | Uint8Array, file: string): ParsedNotebook {
  // Annotated so that `issues.fail` (never returns) narrows types.
  const issues: Issues = new Issues(file);
  let raw = typeof input === 'string' || !isPlainUtf8(input) ? undefined : parseJsonBytes(input);
  if (raw === undefined) {
    const text = decodeNotebook(input, issues);
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw jsonSyntaxError(text, file, error);
    }
  }
  if (!isObject(raw)) issues.fail('', `the top level is ${describeType(raw)}, not an object: not a notebook`);

  const [major, minor] = readVersion(raw, issues);
  let v4: JsonObject = raw;
  let cellPaths: string[] | undefined;
  let v4Minor = minor;
  if (major === 3) {
    ({ notebook: v4, cellPaths } = upconvertV3(raw, issues));
    v4Minor = 0;
  } else {
    raw.nbformat_minor = minor;
    if (minor > NBFORMAT_MINOR) {
      issues.warn('/nbformat_minor', `nbformat 4.${minor} is newer than 4.${NBFORMAT_MINOR}, the latest Cellwise knows; read as 4.${NBFORMAT_MINOR} plus extras`);
    }
  }

  const notebook = validateNotebook(v4, { issues, minor: v4Minor, future: v4Minor > NBFORMAT_MINOR }, cellPaths);
  return { notebook, warnings: issues.warnings(), nbformat: [major, minor] };
}

function readVersion(raw: JsonObject, issues: Issues): [number, number] {
  if (!('nbformat' in raw)) issues.fail('', 'no "nbformat" version: not a Jupyter notebook');
  const major = raw.nbformat;
  if (!isNonNegativeInteger(major)) {
    issues.fail('/nbformat', `nbformat is ${JSON.stringify(major)}, not a version number`);
  }
  if (major !== 3 && major !== 4) {
    // nbformat 1 and 2 predate the JSON format Cellwise reads; Jupyter still upgrades them on open and save.
    const hint = major < 3 ? '; open and save it in Jupyter to upgrade it' : '';
    issues.fail('/nbformat', `unsupported nbformat ${major} (Cellwise reads nbformat 3 and 4)${hint}`);
  }
  if (!('nbformat_minor' in raw)) {
    issues.warn('', `no "nbformat_minor" (nbformat requires it); read as ${major}.0`);
    return [major, 0];
  }
  const minor = raw.nbformat_minor;
  if (!isNonNegativeInteger(minor)) {
    issues.fail('/nbformat_minor', `nbformat_minor is ${JSON.stringify(minor)}, not a version number`);
  }
  return [major, minor];
}
