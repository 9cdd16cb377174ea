/**
 * Finds where and why text is not JSON. Only called after JSON.parse failed: V8's messages give no position for
 * the most common mistakes ("Unexpected token '#', ... is not valid JSON") and change wording between Node
 * versions, so this small scanner of the JSON grammar (RFC 8259) says both, in words for a notebook's author.
 */
export interface JsonSyntaxProblem {
  /** Offset in the text (UTF-16 code units) of the character at fault. */
  offset: number;
  reason: string;
}

const enum State {
  Value,
  Key,
  AfterValue,
}

const TRUNCATED = 'the file ends in the middle of the JSON: it looks truncated';

export function locateJsonError(text: string): JsonSyntaxProblem | null {
  const n = text.length;
  const closers: string[] = [];
  let state = State.Value;
  let afterComma = false;
  let i = 0;
  // Just after the closing quote of the last string read: text glued to it suggests an unescaped quote.
  let stringEnd = -1;
  // Where trailing whitespace starts: an error there means the file was cut short.
  let end = n;
  while (end > 0 && isWhitespace(text.charCodeAt(end - 1))) end--;

  const skipWhitespace = (): void => {
    while (i < n && isWhitespace(text.charCodeAt(i))) i++;
  };

  for (;;) {
    skipWhitespace();
    if (i >= n) {
      return state === State.AfterValue && closers.length === 0 ? null : { offset: end, reason: TRUNCATED };
    }
    const c = text[i]!;
    switch (state) {
      case State.Value: {
        if (c === '{' || c === '[') {
          i++;
          skipWhitespace();
          if (text[i] === (c === '{' ? '}' : ']')) {
            i++;
            state = State.AfterValue;
          } else {
            closers.push(c === '{' ? '}' : ']');
            state = c === '{' ? State.Key : State.Value;
            afterComma = false;
          }
        } else if (c === '"') {
          const problem = scanString();
          if (problem) return problem;
          state = State.AfterValue;
        } else if (c === '-' || (c >= '0' && c <= '9')) {
          if (text.startsWith('-Infinity', i)) return { offset: i, reason: nonFinite('-Infinity') };
          const problem = scanNumber();
          if (problem) return problem;
          state = State.AfterValue;
        } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
          i += 4;
          state = State.AfterValue;
        } else if (text.startsWith('false', i)) {
          i += 5;
          state = State.AfterValue;
        } else if (text.startsWith('NaN', i) || text.startsWith('Infinity', i)) {
          return { offset: i, reason: nonFinite(text.startsWith('NaN', i) ? 'NaN' : 'Infinity') };
        } else if ((c === ']' || c === '}') && afterComma) {
          return { offset: i, reason: `trailing comma before '${c}'` };
        } else {
          return { offset: i, reason: `unexpected ${describeChar(text, i)} where a value should be` };
        }
        break;
      }
      case State.Key: {
        if (c === '"') {
          const problem = scanString();
          if (problem) return problem;
          skipWhitespace();
          if (i >= n) return { offset: end, reason: TRUNCATED };
          if (text[i] !== ':') return { offset: i, reason: `expected ':' after a property name, found ${describeChar(text, i)}` };
          i++;
          state = State.Value;
          afterComma = false;
        } else if (c === '}' && afterComma) {
          return { offset: i, reason: "trailing comma before '}'" };
        } else {
          return { offset: i, reason: `expected a property name in double quotes, found ${describeChar(text, i)}` };
        }
        break;
      }
      case State.AfterValue: {
        const closer = closers[closers.length - 1];
        if (closer === undefined) return { offset: i, reason: 'unexpected text after the end of the JSON' };
        if (c === ',') {
          i++;
          afterComma = true;
          state = closer === '}' ? State.Key : State.Value;
        } else if (c === closer) {
          i++;
          closers.pop();
        } else {
          const what = closer === '}' ? "',' or '}' after a property value" : "',' or ']' after a list item";
          return { offset: i, reason: `expected ${what}, found ${describeChar(text, i)}${hint(c, i === stringEnd)}` };
        }
        break;
      }
    }
  }

  function scanString(): JsonSyntaxProblem | null {
    let j = i + 1;
    for (;;) {
      if (j >= n) return { offset: end, reason: TRUNCATED };
      const code = text.charCodeAt(j);
      if (code === 0x22) break;
      if (code === 0x5c) {
        const e = text[j + 1];
        if (e === undefined) return { offset: end, reason: TRUNCATED };
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) return { offset: j, reason: 'invalid \\u escape in a string' };
          j += 6;
        } else if ('"\\/bfnrt'.includes(e)) {
          j += 2;
        } else {
          return { offset: j, reason: `invalid escape '\\${e}' in a string (a backslash must be written \\\\)` };
        }
        continue;
      }
      if (code < 0x20) {
        if (j >= end) return { offset: j, reason: TRUNCATED };
        if (code === 0x0a || code === 0x0d) {
          return { offset: j, reason: 'line break inside a string (a quote is missing or extra, or a newline is not written \\n)' };
        }
        return { offset: j, reason: `control character U+${code.toString(16).toUpperCase().padStart(4, '0')} inside a string` };
      }
      j++;
    }
    i = stringEnd = j + 1;
    return null;
  }

  function scanNumber(): JsonSyntaxProblem | null {
    const match = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i, i + 400));
    if (!match) return { offset: i, reason: 'invalid number' };
    i += match[0].length;
    return null;
  }
}

function hint(found: string, glued: boolean): string {
  if (found === '"') return '; is a comma missing?';
  if (glued) return '; is a quote inside a string not written as \\"?';
  return '';
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function nonFinite(token: string): string {
  return `${token} is not valid JSON (Python writes it for a float that is not a number; JSON has no such value)`;
}

function describeChar(text: string, i: number): string {
  const cp = text.codePointAt(i)!;
  if (cp < 0x20 || cp === 0x7f) return `control character U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${String.fromCodePoint(cp)}'`;
}
