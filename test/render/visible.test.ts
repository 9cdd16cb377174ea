import { describe, expect, test } from 'vitest';
import { displayWidth, stripLineEnding, truncate, visible } from '../../lib/render/visible.js';

describe('visible', () => {
  test('shows C0 controls as control pictures, keeps tabs', () => {
    expect(visible('\x1b[2Jclear')).toBe('␛[2Jclear');
    expect(visible('a\rb\x07c\x00')).toBe('a␍b␇c␀');
    expect(visible('a\tb')).toBe('a\tb');
    expect(visible('a\nb')).toBe('a␊b');
  });

  test('shows DEL, C1 controls and bidi overrides', () => {
    expect(visible('x\x7f')).toBe('x␡');
    expect(visible('\x9b31m')).toBe('\\x9b31m');
    expect(visible('if (admin\u202e) {')).toBe('if (admin<U+202E>) {');
  });

  test('never leaves a control character behind', () => {
    let all = '';
    for (let c = 0; c < 0xa0; c++) all += String.fromCharCode(c);
    // eslint-disable-next-line no-control-regex
    expect(visible(all)).not.toMatch(/[\x00-\x08\x0a-\x1f\x7f-\x9f]/);
  });

  test('leaves ordinary text alone', () => {
    expect(visible('naïve 数据 → ✓')).toBe('naïve 数据 → ✓');
  });
});

describe('truncate and width', () => {
  test('cuts to the width with an ellipsis', () => {
    expect(truncate('abcdef', 6)).toBe('abcdef');
    expect(truncate('abcdefg', 6)).toBe('abcde…');
    expect(displayWidth(truncate('x'.repeat(200), 40))).toBe(40);
  });

  test('counts wide characters as two columns', () => {
    expect(displayWidth('数据')).toBe(4);
    expect(truncate('数据数据', 5)).toBe('数据…');
  });

  test('strips one line ending', () => {
    expect(stripLineEnding('a\r\n')).toBe('a');
    expect(stripLineEnding('a\n')).toBe('a');
    expect(stripLineEnding('a')).toBe('a');
    expect(stripLineEnding('a\n\n')).toBe('a\n');
  });
});
