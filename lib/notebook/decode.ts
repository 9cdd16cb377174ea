import { NotebookError } from './errors.js';
import type { Issues } from './issues.js';

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * Turns a file's bytes into text. Jupyter writes UTF-8 without a byte-order mark and nbformat reads nothing
 * else; other encodings come from editors and Windows tools, and the diff should still work, so they are
 * decoded with a warning rather than refused.
 */
export function decodeNotebook(input: string | Uint8Array, issues: Issues): string {
  if (typeof input === 'string') {
    if (input.charCodeAt(0) !== 0xfeff) return input;
    issues.warn('', 'the text starts with a byte-order mark, which Jupyter cannot read');
    return input.slice(1);
  }

  const bytes = input;
  const { encoding, bom } = sniffEncoding(bytes, issues.file);
  if (bom) {
    issues.warn(
      '',
      encoding === 'utf-8'
        ? 'the file starts with a UTF-8 byte-order mark, which Jupyter cannot read'
        : `the file is ${label(encoding)} (with a byte-order mark); Jupyter reads only UTF-8`,
    );
  } else if (encoding !== 'utf-8') {
    issues.warn('', `the file looks like ${label(encoding)} without a byte-order mark; Jupyter reads only UTF-8`);
  }

  try {
    // ignoreBOM false: the decoder drops the mark itself.
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw encodingError(bytes, encoding, issues.file);
  }
}

/** Bytes that decodeNotebook reads as UTF-8 without a byte-order mark, so without a warning. */
export function isPlainUtf8(bytes: Uint8Array): boolean {
  const { encoding, bom } = detectEncoding(bytes);
  return encoding === 'utf-8' && !bom;
}

function label(encoding: Encoding): string {
  return encoding === 'utf-8' ? 'UTF-8' : encoding === 'utf-16le' ? 'UTF-16 little-endian' : 'UTF-16 big-endian';
}

function sniffEncoding(b: Uint8Array, file: string): { encoding: Encoding; bom: boolean } {
  const detected = detectEncoding(b);
  if (detected.encoding === 'utf-32') {
    throw new NotebookError(file, '', 'the file is UTF-32, which Cellwise does not read (notebooks are UTF-8)', 1);
  }
  return { encoding: detected.encoding, bom: detected.bom };
}

/** The encoding the first bytes show (RFC 4627's detection, byte-order marks included). */
function detectEncoding(b: Uint8Array): { encoding: Encoding | 'utf-32'; bom: boolean } {
  const [b0, b1, b2, b3] = [b[0], b[1], b[2], b[3]];
  if ((b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) || (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00)) {
    return { encoding: 'utf-32', bom: true };
  }
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'utf-8', bom: true };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'utf-16le', bom: true };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'utf-16be', bom: true };
  // A notebook starts with an ASCII character ('{' or whitespace), so in UTF-16 without a mark one of the first
  // two bytes is zero; in UTF-8 neither is (RFC 4627's detection).
  if (b.length >= 2 && b0 !== 0 && b1 === 0) return { encoding: 'utf-16le', bom: false };
  if (b.length >= 2 && b0 === 0 && b1 !== 0) return { encoding: 'utf-16be', bom: false };
  return { encoding: 'utf-8', bom: false };
}

function encodingError(bytes: Uint8Array, encoding: Encoding, file: string): NotebookError {
  if (encoding !== 'utf-8') {
    return new NotebookError(file, '', `not valid ${label(encoding)} text`);
  }
  const at = firstInvalidUtf8(bytes);
  let line = 1;
  for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
  const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
  return new NotebookError(
    file,
    '',
    `not valid UTF-8 (byte 0x${byte} at offset ${at}); notebooks are UTF-8, was this one saved as Latin-1 or Windows-1252?`,
    line,
  );
}

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (the Unicode definition). */
export function firstInvalidUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (need === 0 || i + need >= n) return i;
    for (let k = 1; k <= need; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    const c1 = b[i + 1]!;
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF.
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 >= 0xa0) || (c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 >= 0x90)) {
      return i;
    }
    i += need + 1;
  }
  return -1;
}
