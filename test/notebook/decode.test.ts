import { describe, expect, it } from 'vitest';
import { NotebookError, parseNotebook } from '../../lib/notebook/index.js';
import { firstInvalidUtf8 } from '../../lib/notebook/decode.js';

const NOTEBOOK = '{"cells": [{"cell_type": "markdown", "metadata": {}, "source": "héllo ✓ 😀"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}';

function utf16(text: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const units = (bom ? '\ufeff' : '') + text;
  const bytes = new Uint8Array(units.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < units.length; i++) view.setUint16(i * 2, units.charCodeAt(i), littleEndian);
  return bytes;
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

describe('decoding', () => {
  const expected = parseNotebook(NOTEBOOK, 'nb.ipynb').notebook;

  it('reads plain UTF-8 bytes and strings alike, without warnings', () => {
    const parsed = parseNotebook(utf8(NOTEBOOK), 'nb.ipynb');
    expect(parsed.notebook).toStrictEqual(expected);
    expect(parsed.notebook.cells[0]!.source).toBe('héllo ✓ 😀');
    expect(parsed.warnings).toEqual([]);
  });

  it.each([
    ['UTF-8 with a byte-order mark', concat(new Uint8Array([0xef, 0xbb, 0xbf]), utf8(NOTEBOOK)), /UTF-8 byte-order mark/],
    ['UTF-16 LE with a mark', utf16(NOTEBOOK, true, true), /UTF-16 little-endian \(with a byte-order mark\)/],
    ['UTF-16 BE with a mark', utf16(NOTEBOOK, false, true), /UTF-16 big-endian \(with a byte-order mark\)/],
    ['UTF-16 LE without a mark', utf16(NOTEBOOK, true, false), /looks like UTF-16 little-endian without a byte-order mark/],
    ['UTF-16 BE without a mark', utf16(NOTEBOOK, false, false), /looks like UTF-16 big-endian without a byte-order mark/],
  ])('reads %s with a warning', (_, bytes, warning) => {
    const parsed = parseNotebook(bytes, 'nb.ipynb');
    expect(parsed.notebook).toStrictEqual(expected);
    expect(parsed.warnings).toHaveLength(1);
    expect(parsed.warnings[0]).toMatchObject({ file: 'nb.ipynb', path: '' });
    expect(parsed.warnings[0]!.message).toMatch(warning);
  });

  it('drops a byte-order mark from a string, with a warning', () => {
    const parsed = parseNotebook('\ufeff' + NOTEBOOK, 'nb.ipynb');
    expect(parsed.notebook).toStrictEqual(expected);
    expect(parsed.warnings[0]!.message).toMatch(/byte-order mark/);
  });

  it('rejects invalid UTF-8 with the line and the byte', () => {
    // "é" as Latin-1 (0xE9) on line 3.
    const bytes = concat(utf8('{\n "cells": [],\n "x": "caf'), new Uint8Array([0xe9]), utf8('",\n "nbformat": 4}'));
    let error: unknown;
    try {
      parseNotebook(bytes, 'latin1.ipynb');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NotebookError);
    expect((error as NotebookError).line).toBe(3);
    expect((error as NotebookError).message).toBe(
      'latin1.ipynb: line 3: not valid UTF-8 (byte 0xE9 at offset 26); notebooks are UTF-8, was this one saved as Latin-1 or Windows-1252?',
    );
  });

  it('rejects UTF-32 and broken UTF-16', () => {
    expect(() => parseNotebook(new Uint8Array([0xff, 0xfe, 0, 0, 0x7b, 0, 0, 0]), 'a.ipynb')).toThrow(/UTF-32/);
    // An unpaired high surrogate.
    expect(() => parseNotebook(utf16('{"a": "\ud800"}', true, true), 'a.ipynb')).toThrow('a.ipynb: not valid UTF-16 little-endian text');
  });

  it('finds the first invalid UTF-8 sequence', () => {
    const at = (...bytes: number[]): number => firstInvalidUtf8(new Uint8Array(bytes));
    expect(at(0x61, 0xc3, 0xa9, 0xe2, 0x9c, 0x93, 0xf0, 0x9f, 0x98, 0x80)).toBe(-1);
    expect(at(0x61, 0x80)).toBe(1); // continuation byte first
    expect(at(0x61, 0xc0, 0xaf)).toBe(1); // overlong
    expect(at(0xe0, 0x80, 0xaf)).toBe(0); // overlong three-byte form
    expect(at(0xed, 0xa0, 0x80)).toBe(0); // UTF-16 surrogate
    expect(at(0xf4, 0x90, 0x80, 0x80)).toBe(0); // above U+10FFFF
    expect(at(0x61, 0xe2, 0x9c)).toBe(1); // cut short
    expect(at(0xc3, 0x41)).toBe(0); // missing continuation
  });
});
