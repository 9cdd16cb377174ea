import { joinMultiline } from '../util/text.js';
import type { JsonObject, MimeBundle, Output } from '../model.js';
import type { Issues } from './issues.js';
import { checkOutputMetadata } from './metadata.js';
import { describeType, isNonNegativeInteger, isObject } from './json-types.js';
import type { ReadContext } from './context.js';

const OUTPUT_KEYS: Record<Output['output_type'], ReadonlySet<string>> = {
  stream: new Set(['output_type', 'name', 'text']),
  display_data: new Set(['output_type', 'data', 'metadata']),
  execute_result: new Set(['output_type', 'data', 'metadata', 'execution_count']),
  error: new Set(['output_type', 'ename', 'evalue', 'traceback']),
};

/** JSON MIME types hold any JSON value; a list there is data, not lines (nbformat's `_is_json_mime`). */
export function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || (mime.startsWith('application/') && mime.endsWith('+json'));
}

/**
 * Checks one output and normalizes it in place (multiline strings joined), returning the same object: outputs
 * hold the big payloads (base64 images, HTML tables), which must not be copied.
 */
export function readOutput(raw: unknown, path: string, ctx: ReadContext): Output {
  const issues: Issues = ctx.issues;
  if (!isObject(raw)) issues.fail(path, `output is ${describeType(raw)}, not an object`);
  if (!('output_type' in raw)) issues.fail(path, 'output has no output_type');
  const type = raw.output_type;
  if (typeof type !== 'string') issues.fail(`${path}/output_type`, `output_type is ${describeType(type)}, not a string`);

  switch (type) {
    case 'stream':
      readStream(raw, path, issues);
      break;
    case 'display_data':
    case 'execute_result':
      readRichOutput(raw, type, path, issues);
      break;
    case 'error':
      readError(raw, path, issues);
      break;
    default:
      // nbformat's schema keeps room for output types of a future 4.x; only then is an unknown one expected.
      if (!ctx.future) {
        issues.fail(`${path}/output_type`, `unknown output_type "${type}" (nbformat 4 has execute_result, display_data, stream and error)`);
      }
      issues.warn(path, `output_type "${type}" is newer than Cellwise knows; compared as plain JSON`);
      return raw as unknown as Output;
  }

  if (!ctx.future) {
    const allowed = OUTPUT_KEYS[type];
    for (const key in raw) {
      if (!allowed.has(key)) issues.warn(`${path}/${key}`, `unknown key "${key}" in a ${type} output (not in nbformat's schema; kept)`);
    }
  }
  return raw as unknown as Output;
}

function readStream(raw: JsonObject, path: string, issues: Issues): void {
  if (!('name' in raw)) {
    issues.warn(path, 'stream output has no name; read as stdout');
    raw.name = 'stdout';
  } else if (typeof raw.name !== 'string') {
    issues.fail(`${path}/name`, `stream name is ${describeType(raw.name)}, not a string`);
  }
  if (!('text' in raw)) {
    issues.warn(path, 'stream output has no text; read as empty');
    raw.text = '';
    return;
  }
  const text = joinMultiline(raw.text);
  if (text === undefined) issues.fail(`${path}/text`, `stream text is ${describeType(raw.text)}, not a string or a list of strings`);
  raw.text = text;
}

function readRichOutput(raw: JsonObject, type: 'display_data' | 'execute_result', path: string, issues: Issues): void {
  raw.data = readObject(raw, 'data', `${type} output`, path, issues);
  readMimeBundle(raw.data, `${path}/data`, issues);
  raw.metadata = readObject(raw, 'metadata', `${type} output`, path, issues);
  checkOutputMetadata(raw.metadata, `${path}/metadata`, issues);
  if (type === 'execute_result') readExecutionCount(raw, path, 'execute_result output', issues);
}

function readError(raw: JsonObject, path: string, issues: Issues): void {
  for (const key of ['ename', 'evalue'] as const) {
    if (!(key in raw)) {
      issues.warn(path, `error output has no ${key}; read as empty`);
      raw[key] = '';
    } else if (typeof raw[key] !== 'string') {
      issues.fail(`${path}/${key}`, `error ${key} is ${describeType(raw[key])}, not a string`);
    }
  }
  if (!('traceback' in raw)) {
    issues.warn(path, 'error output has no traceback; read as empty');
    raw.traceback = [];
  } else if (!Array.isArray(raw.traceback) || !raw.traceback.every((line) => typeof line === 'string')) {
    issues.fail(`${path}/traceback`, `error traceback is ${describeType(raw.traceback)}, not a list of strings`);
  }
}

/** An object-valued key the model requires: absent → `{}` with a warning, another type → error. */
export function readObject(raw: JsonObject, key: string, owner: string, path: string, issues: Issues): JsonObject {
  const value = raw[key];
  if (value === undefined) {
    issues.warn(path, `${owner} has no ${key}; read as {}`);
    return {};
  }
  if (!isObject(value)) issues.fail(`${path}/${key}`, `${owner} ${key} is ${describeType(value)}, not an object`);
  return value;
}

export function readExecutionCount(raw: JsonObject, path: string, owner: string, issues: Issues): void {
  if (!('execution_count' in raw)) {
    issues.warn(path, `${owner} has no execution_count; read as null`);
    raw.execution_count = null;
    return;
  }
  const count = raw.execution_count;
  if (count === null || isNonNegativeInteger(count)) return;
  if (typeof count !== 'number') issues.fail(`${path}/execution_count`, `execution_count is ${describeType(count)}, not a number or null`);
  issues.warn(`${path}/execution_count`, `execution_count should be a non-negative integer, not ${count}`);
}

/** Joins the multiline values of a MIME bundle in place; JSON MIME types keep their JSON. */
export function readMimeBundle(bundle: MimeBundle, path: string, issues: Issues): void {
  for (const mime in bundle) {
    const value = bundle[mime];
    if (typeof value === 'string' || isJsonMime(mime)) continue;
    const joined = joinMultiline(value);
    if (joined === undefined) {
      issues.warn(`${path}/${mime}`, `${mime} data is ${describeType(value)}, not a string or a list of strings (kept as is)`);
    } else {
      bundle[mime] = joined;
    }
  }
}
