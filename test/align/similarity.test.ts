import { describe, expect, it } from 'vitest';
import { bigramProfile, profileSimilarity, similarity } from '../../lib/align/similarity.js';

/** The profile by definition: every adjacent pair of UTF-16 units of the first 4,000, sorted as numbers. */
function expected(s: string): number[] {
  const x = s.slice(0, 4000);
  const out: number[] = [];
  for (let i = 0; i + 1 < x.length; i++) out.push(((x.charCodeAt(i) << 16) | x.charCodeAt(i + 1)) >>> 0);
  return out.sort((a, b) => a - b);
}

describe('bigramProfile', () => {
  const texts = [
    '', 'a', 'ab', 'import numpy as np\n',
    'x = 1\n'.repeat(30), // short enough for the built-in sort
    'def f(x):\n    return x * 2  # double\n'.repeat(40), // ASCII: two radix passes
    'naïve café — ≥ ≤ 😀 '.repeat(50), // every byte of the bigrams in play
    Array.from({ length: 5000 }, (_, i) => String.fromCharCode(32 + ((i * 7919) % 65000))).join(''), // past the cap
  ];
  for (const text of texts) {
    it(`is the sorted bigrams of ${JSON.stringify(text.slice(0, 20))}… (${text.length} chars)`, () => {
      expect(Array.from(bigramProfile(text))).toEqual(expected(text));
    });
  }

  it('gives Dice similarity: 1 for equal texts, 0 for nothing shared, in between for edits', () => {
    const a = 'df = pd.read_csv("data.csv")\ndf.head()\n'.repeat(5);
    expect(similarity(a, a)).toBe(1);
    expect(profileSimilarity(bigramProfile('abcabc'), bigramProfile('xyzxyz'))).toBe(0);
    const edited = similarity(a, a.replace('data.csv', 'other.csv'));
    expect(edited).toBeGreaterThan(0.8);
    expect(edited).toBeLessThan(1);
  });
});
