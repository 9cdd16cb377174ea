import type { CellType, JsonObject } from '../model.js';
import type { Issues } from './issues.js';
import { describeType, isObject } from './json-types.js';

/**
 * Type checks of the metadata keys nbformat's schema (and its documentation) define. A wrong type never stops a
 * diff (metadata is compared as plain JSON), and nbformat itself only logs it, so these are warnings.
 */

type Check = (value: unknown) => boolean;

const isString: Check = (v) => typeof v === 'string';
const isBoolean: Check = (v) => typeof v === 'boolean';

interface Rule {
  key: string;
  check: Check;
  expected: string;
}

function checkKeys(metadata: JsonObject, path: string, rules: readonly Rule[], issues: Issues, what: string): void {
  for (const { key, check, expected } of rules) {
    if (!(key in metadata)) continue;
    const value = metadata[key];
    if (!check(value)) issues.warn(`${path}/${key}`, `${what} metadata "${key}" should be ${expected}, not ${describeType(value)}`);
  }
}

const NOTEBOOK_RULES: readonly Rule[] = [
  { key: 'kernelspec', check: isObject, expected: 'an object' },
  { key: 'language_info', check: isObject, expected: 'an object' },
  { key: 'title', check: isString, expected: 'a string' },
  { key: 'authors', check: Array.isArray, expected: 'a list' },
];
const KERNELSPEC_RULES: readonly Rule[] = [
  { key: 'name', check: isString, expected: 'a string' },
  { key: 'display_name', check: isString, expected: 'a string' },
];
const LANGUAGE_INFO_RULES: readonly Rule[] = [
  { key: 'name', check: isString, expected: 'a string' },
  { key: 'codemirror_mode', check: (v) => isString(v) || isObject(v), expected: 'a string or an object' },
  { key: 'file_extension', check: isString, expected: 'a string' },
  { key: 'mimetype', check: isString, expected: 'a string' },
  { key: 'pygments_lexer', check: isString, expected: 'a string' },
];

export function checkNotebookMetadata(metadata: JsonObject, issues: Issues): void {
  checkKeys(metadata, '/metadata', NOTEBOOK_RULES, issues, 'notebook');
  const { kernelspec, language_info: languageInfo } = metadata;
  if (isObject(kernelspec)) {
    checkKeys(kernelspec, '/metadata/kernelspec', KERNELSPEC_RULES, issues, 'kernelspec');
    for (const key of ['name', 'display_name']) {
      if (!(key in kernelspec)) issues.warn('/metadata/kernelspec', `kernelspec has no "${key}"`);
    }
  }
  if (isObject(languageInfo)) {
    checkKeys(languageInfo, '/metadata/language_info', LANGUAGE_INFO_RULES, issues, 'language_info');
    if (!('name' in languageInfo)) issues.warn('/metadata/language_info', 'language_info has no "name"');
  }
}

const isTagList: Check = (v) =>
  Array.isArray(v) && v.every((t) => typeof t === 'string' && t !== '' && !t.includes(',')) && new Set(v).size === v.length;

const CELL_RULES: readonly Rule[] = [
  { key: 'name', check: (v) => typeof v === 'string' && v !== '', expected: 'a non-empty string' },
  { key: 'tags', check: isTagList, expected: 'a list of distinct strings without commas' },
  { key: 'jupyter', check: isObject, expected: 'an object' },
  { key: 'editable', check: isBoolean, expected: 'a boolean' },
  { key: 'deletable', check: isBoolean, expected: 'a boolean' },
];
const CODE_CELL_RULES: readonly Rule[] = [
  { key: 'collapsed', check: isBoolean, expected: 'a boolean' },
  { key: 'scrolled', check: (v) => v === true || v === false || v === 'auto', expected: 'true, false or "auto"' },
  {
    key: 'execution',
    check: (v) => isObject(v) && Object.values(v).every(isString),
    expected: 'an object of timestamp strings',
  },
];
const RAW_CELL_RULES: readonly Rule[] = [{ key: 'format', check: isString, expected: 'a string (a MIME type)' }];
const JUPYTER_RULES: readonly Rule[] = [
  { key: 'source_hidden', check: isBoolean, expected: 'a boolean' },
  { key: 'outputs_hidden', check: isBoolean, expected: 'a boolean' },
];

/** `path` is the metadata object's own path. */
export function checkCellMetadata(metadata: JsonObject, cellType: CellType, path: string, issues: Issues): void {
  checkKeys(metadata, path, CELL_RULES, issues, 'cell');
  if (cellType === 'code') checkKeys(metadata, path, CODE_CELL_RULES, issues, 'cell');
  if (cellType === 'raw') checkKeys(metadata, path, RAW_CELL_RULES, issues, 'cell');
  if (isObject(metadata.jupyter)) checkKeys(metadata.jupyter, `${path}/jupyter`, JUPYTER_RULES, issues, 'cell jupyter');
}

const OUTPUT_RULES: readonly Rule[] = [{ key: 'isolated', check: isBoolean, expected: 'a boolean' }];

export function checkOutputMetadata(metadata: JsonObject, path: string, issues: Issues): void {
  checkKeys(metadata, path, OUTPUT_RULES, issues, 'output');
}
