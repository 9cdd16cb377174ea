import { NotebookError } from './errors.js';
import { locateJsonError } from './json-locate.js';

/**
 * The error for a file that JSON.parse rejected. The usual causes of a broken notebook get their own words
 * (an unresolved git merge, text pasted before the JSON, a pre-JSON XML notebook, an empty file); anything else
 * gets the line, the column, the reason and the text around it. Runs only on failure, so it may scan the whole
 * text.
 */
export function jsonSyntaxError(text: string, file: string, cause: unknown): NotebookError {
  const start = text.search(/\S/);
  if (start === -1) return new NotebookError(file, '', 'empty file: there is no notebook in it');

  if (text.startsWith('<?xml', start) || text.startsWith('<notebook', start)) {
    return new NotebookError(
      file,
      '',
      'an XML notebook (nbformat 2 XML, from IPython 0.12): Cellwise reads nbformat 3 and 4 JSON notebooks',
      lineAt(text, start).line,
    );
  }

  // A line that is exactly a marker, as git writes them (diff3 style adds |||||||). Such a line can never be
  // inside a JSON string, so finding one is proof enough.
  const marker = /^(?:<{7}|\|{7}|>{7})(?: .*)?\r?$|^={7}\r?$/m.exec(text);
  if (marker) {
    const { line } = lineAt(text, marker.index);
    return new NotebookError(
      file,
      '',
      `merge conflict markers (${marker[0].trim()}): resolve the git conflict before diffing`,
      line,
    );
  }

  if (text[start] !== '{' && text[start] !== '[') {
    const { line } = lineAt(text, start);
    const brace = /^[ \t]*\{/m.exec(text.slice(start));
    const where = brace ? `, which is on line ${lineAt(text, start + brace.index).line}` : '';
    return new NotebookError(
      file,
      '',
      `text before the JSON: ${quote(lineText(text, start))} (a notebook starts with '{'${where})`,
      line,
    );
  }

  const problem = locateJsonError(text) ?? fromV8Message(cause);
  const { line, column, lineStart } = lineAt(text, problem.offset);
  return new NotebookError(
    file,
    '',
    `not valid JSON: ${problem.reason} (${snippet(text, lineStart, problem.offset)})`,
    line,
    column,
  );
}

/** Only if the scanner and V8 disagree: use what V8 said. */
function fromV8Message(cause: unknown): { offset: number; reason: string } {
  const message = cause instanceof Error ? cause.message : String(cause);
  const position = /at position (\d+)/.exec(message);
  return {
    offset: position ? Number(position[1]) : 0,
    reason: message.replace(/ in JSON at position \d+.*$/, ''),
  };
}

function lineAt(text: string, offset: number): { line: number; column: number; lineStart: number } {
  let line = 1;
  let lineStart = 0;
  for (let nl = text.indexOf('\n'); nl !== -1 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
    line++;
    lineStart = nl + 1;
  }
  // Columns count characters as an editor does, not UTF-16 units.
  const column = [...text.slice(lineStart, offset)].length + 1;
  return { line, column, lineStart };
}

function lineText(text: string, offset: number): string {
  const nl = text.indexOf('\n', offset);
  return text.slice(offset, nl === -1 ? undefined : nl).trimEnd();
}

const SNIPPET_BEFORE = 30;
const SNIPPET_AFTER = 30;

/** The text around the fault on its line, cut to fit a message. */
function snippet(text: string, lineStart: number, offset: number): string {
  let lineEnd = text.indexOf('\n', offset);
  if (lineEnd === -1) lineEnd = text.length;
  const from = Math.max(lineStart, offset - SNIPPET_BEFORE);
  const to = Math.min(lineEnd, offset + SNIPPET_AFTER);
  let s = text.slice(from, to).replace(/[\x00-\x1f]/g, ' ');
  if (from > lineStart) s = '…' + s.trimStart();
  else s = s.trimStart();
  if (to < lineEnd) s = s.trimEnd() + '…';
  return s.trimEnd() === '' ? 'at the end of the file' : s.trimEnd();
}

function quote(s: string): string {
  const cut = s.length > 40 ? s.slice(0, 40) + '…' : s;
  return JSON.stringify(cut);
}
