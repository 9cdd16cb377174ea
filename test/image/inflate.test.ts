import { deflateSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflateInto } from '../../lib/image/inflate.js';

const text = Buffer.from(Array.from({ length: 5000 }, (_, i) => `row ${i} ${(i * 7919) % 1000}\n`).join(''));
const compressed = deflateSync(text);

/** What inflateSync throws for `input`, as [code, message]. */
function syncError(input: Uint8Array): [string, string] {
  try {
    inflateSync(input);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return [String(err.code), err.message];
  }
  throw new Error('inflateSync did not throw');
}

describe('inflateInto', () => {
  it('inflates into the memory it is given, as inflateSync would', () => {
    const output = new Uint8Array(text.length + 1);
    const result = inflateInto(compressed, output);
    expect(Buffer.from(result).equals(text)).toBe(true);
    // The start of the given memory, not a copy (Node's engine took the buffer: the point of this function).
    expect(result.buffer).toBe(output.buffer);
    expect(result.byteOffset).toBe(0);
    // Used again for other data: the first result's memory is simply overwritten.
    const other = deflateSync(Buffer.alloc(300, 42));
    expect([...inflateInto(other, output)]).toEqual(Array(300).fill(42));
  });

  it('gives the whole result in memory of its own when the output is too small', () => {
    const small = new Uint8Array(1000);
    const result = inflateInto(compressed, small);
    expect(Buffer.from(result).equals(text)).toBe(true);
    expect(result.buffer).not.toBe(small.buffer);
  });

  it('throws what inflateSync throws for a cut stream and for a wrong checksum', () => {
    const cut = compressed.subarray(0, compressed.length - 20);
    const wrongCheck = Buffer.from(compressed);
    wrongCheck[wrongCheck.length - 1]! ^= 1;
    for (const bad of [cut, wrongCheck]) {
      const [code, message] = syncError(bad);
      expect(() => inflateInto(bad, new Uint8Array(text.length + 1))).toThrow(expect.objectContaining({ code, message }));
    }
  });
});
