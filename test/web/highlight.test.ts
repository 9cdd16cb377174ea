import { describe, expect, it } from 'vitest';
import { highlightLines } from '../../web/src/render/highlight.js';

describe('highlightLines', () => {
  it('colors for the reader\'s scheme, keeping the text', () => {
    const code = 'def f(x):\n    return "s"  # c\n';
    const light = highlightLines(code, 'python', 'light');
    const dark = highlightLines(code, 'python', 'dark');
    for (const lines of [light, dark]) expect(lines.map((l) => l.map((t) => t.text).join(''))).toEqual(['def f(x):', '    return "s"  # c']);
    expect(light.flat().find((t) => t.text === 'def')!.color).not.toBe(dark.flat().find((t) => t.text === 'def')!.color);
    expect(highlightLines('x = 1', 'cobol').flat()).toEqual([{ text: 'x = 1' }]);
  });
});
