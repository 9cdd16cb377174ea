import { describe, expect, it } from 'vitest';
import { diffNotebooks } from '../../lib/diff/notebook.js';
import { renderTerminal } from '../../lib/render/terminal.js';
import { code, md, nb } from './helpers.js';

const render = (a: ReturnType<typeof nb>, b: ReturnType<typeof nb>) => renderTerminal(diffNotebooks(a, b), { color: false, width: 100 });

describe('noise collapsed in the terminal', () => {
  it('cells that only gained ids (a save as nbformat 4.5) take one line', () => {
    const a = nb([md('# T'), code('x = 1'), code('y = 2'), code('z = 3')], { nbformat_minor: 4 });
    const b = nb([md('# T', 'i0'), code('x = 1', { id: 'i1' }), code('y = 2', { id: 'i2' }), code('z = 30', { id: 'i3' })], { nbformat_minor: 5 });
    const text = render(a, b);
    expect(text).toContain('3 cells only gained an id (nbformat 4.5): 1, 2, 3');
    expect(text).toContain('── cell 4 · code · modified');
    expect(text).toContain('nbformat 4.4 → 4.5');
  });

  it('the same metadata stamped on many cells is listed once; a different stamp is not folded in', () => {
    const stamp = { deletable: true, editable: true };
    const a = nb([code('a'), code('b'), code('c'), code('d')]);
    const b = nb([code('a', { metadata: stamp }), code('b', { metadata: stamp }), code('c', { metadata: stamp }), code('d', { metadata: { tags: ['x'] } })]);
    const text = render(a, b);
    expect(text).toContain('3 cells only changed metadata, all alike: 1, 2, 3');
    expect(text.match(/metadata\/deletable: true/g)).toHaveLength(1);
    expect(text).toContain('── cell 4 · code · modified');
  });
});

describe('the header', () => {
  it('never cuts file names: long ones take a line each', () => {
    const long = (s: string) => `/a/very/long/path/to/a/clone/somewhere/deep/${'x'.repeat(40)}/${s}.ipynb`;
    const d = diffNotebooks({ notebook: nb([code('x = 1')]), name: long('base') }, { notebook: nb([code('x = 2')]), name: long('head') });
    const lines = renderTerminal(d, { color: false, width: 80 }).split('\n');
    expect(lines.slice(0, 3)).toEqual([long('base'), `→ ${long('head')}`, '(cells and outputs numbered from 1)']);
  });
});
