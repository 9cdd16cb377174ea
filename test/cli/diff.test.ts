import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImageComparison, NotebookDiff } from '../../lib/model.js';
import { parseNotebook } from '../../lib/notebook/index.js';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { CORPUS, corpusExists } from '../corpus/corpus.js';
import { cellwise, ROOT } from './run.js';

const BASE = 'fixtures/examples/analysis-base.ipynb';
const HEAD = 'fixtures/examples/analysis-head.ipynb';
const tmp = () => mkdtempSync(join(tmpdir(), 'cellwise-cli-'));

describe('cellwise diff', () => {
  it('exits 1 and prints a per-cell diff with a summary when notebooks differ', () => {
    const r = cellwise(['diff', BASE, HEAD]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(BASE);
    expect(r.stdout).toMatch(/\d+ added, \d+ removed, \d+ modified/);
    expect(r.stdout).not.toMatch(/iVBORw0KGgo/); // never a base64 PNG
    expect(r.stdout).not.toContain('\x1b['); // not a terminal: no colour
  });

  it('exits 0 and says so when notebooks are the same', () => {
    const r = cellwise(['diff', BASE, BASE]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('no differences');
  });

  it('colours on request, and never with --color=never or NO_COLOR', () => {
    expect(cellwise(['diff', '--color=always', BASE, HEAD]).stdout).toContain('\x1b[');
    expect(cellwise(['diff', '--color=never', BASE, HEAD]).stdout).not.toContain('\x1b[');
    expect(cellwise(['diff', BASE, HEAD], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } }).stdout).not.toContain('\x1b[');
    expect(cellwise(['diff', BASE, HEAD], { env: { FORCE_COLOR: '1' } }).stdout).toContain('\x1b[');
  });

  it('prints the documented JSON, which `cellwise apply` turns back into head', () => {
    const r = cellwise(['diff', '--json', BASE, HEAD]);
    expect(r.status).toBe(1);
    const diff = JSON.parse(r.stdout) as NotebookDiff;
    expect(diff).toMatchObject({ format: 'cellwise-diff', version: 1, changed: true });
    for (const c of diff.cells) {
      expect(['unchanged', 'added', 'removed', 'modified']).toContain(c.status);
      expect(typeof c.moved).toBe('boolean');
      if (c.status === 'modified') expect(Object.keys(c.changes).length).toBeGreaterThan(0);
    }
    const dir = tmp();
    writeFileSync(join(dir, 'd.json'), r.stdout);
    const out = join(dir, 'out.ipynb');
    const a = cellwise(['apply', BASE, join(dir, 'd.json'), '-o', out]);
    expect(a.stderr).toBe('');
    expect(a.status).toBe(0);
    const head = parseNotebook(readFileSync(join(ROOT, HEAD)), HEAD).notebook;
    expect(parseNotebook(readFileSync(out), out).notebook).toEqual(head);
    // The written file is what Jupyter itself writes for the head notebook.
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(ROOT, HEAD), 'utf8'));
    // Standard output by default; never overwrites without --force.
    expect(cellwise(['apply', BASE, join(dir, 'd.json')]).stdout).toBe(readFileSync(out, 'utf8'));
    const again = cellwise(['apply', BASE, join(dir, 'd.json'), '-o', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/exists.*--force/);
    expect(cellwise(['apply', BASE, join(dir, 'd.json'), '-o', out, '--force']).status).toBe(0);
  });

  it('refuses to apply a diff to the wrong notebook', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'd.json'), cellwise(['diff', '--json', BASE, HEAD]).stdout);
    const r = cellwise(['apply', 'fixtures/unit/ids-moved-a.ipynb', join(dir, 'd.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/does not apply/);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"cells": 3');
    expect(cellwise(['apply', BASE, bad]).stderr).toMatch(/not valid JSON/);
  });

  it('honours ignore flags and a config file', () => {
    const dir = tmp();
    const a = join(ROOT, 'fixtures/unit/ids-moved-a.ipynb');
    expect(cellwise(['diff', a, a, '--ignore-path', '/cells/*/metadata']).status).toBe(0);
    writeFileSync(join(dir, '.cellwise.yml'), 'ignore:\n  outputs: true\n  execution_count: true\n');
    const withConfig = cellwise(['diff', '--json', join(ROOT, BASE), join(ROOT, HEAD)], { cwd: dir });
    const d = JSON.parse(withConfig.stdout) as NotebookDiff;
    expect(d.ignored).toEqual(['outputs', 'execution_count']);
    expect(d.cells.some((c) => c.status === 'modified' && c.changes.outputs)).toBe(false);
    writeFileSync(join(dir, 'typo.yml'), 'ignore:\n  output: true\n');
    const typo = cellwise(['diff', '--config', join(dir, 'typo.yml'), join(ROOT, BASE), join(ROOT, HEAD)], { cwd: dir });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toMatch(/unknown setting "ignore.output"/);
  });

  it('--html writes the review of the diff it prints: the same diff, with the image masks the viewer shows', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'cellwise-html-')), 'r.html');
    const withReport = cellwise(['diff', BASE, HEAD, '--html', out]);
    expect(withReport.status).toBe(1);
    expect(withReport.stdout).toBe(cellwise(['diff', BASE, HEAD]).stdout);
    const review = JSON.parse(/<script type="application\/json" id="cellwise-review">([\s\S]*?)<\/script>/.exec(readFileSync(out, 'utf8'))![1]!);
    const masked = JSON.parse(cellwise(['diff', BASE, HEAD, '--json', '--image-masks']).stdout) as NotebookDiff;
    expect(review.files[0].diff).toEqual(masked);
    expect(JSON.stringify(masked)).toContain('"mask"');
    // --json without --image-masks prints no masks, and the report still has them.
    const json = cellwise(['diff', BASE, HEAD, '--json', '--html', out]);
    expect(json.stdout).not.toContain('"mask"');
    expect(readFileSync(out, 'utf8')).toContain('"mask"');
  });

  it('rejects bad usage with exit 2 and a short message', () => {
    for (const args of [['diff', BASE], ['diff', '--similarity', '7', BASE, HEAD], ['diff', '--color=sometimes', BASE, HEAD], ['nonsense']]) {
      const r = cellwise(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.length).toBeGreaterThan(0);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const missing = cellwise(['diff', 'nope.ipynb', HEAD]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('cellwise: cannot read nope.ipynb: no such file\n');
    // A report that cannot be written: one line naming the file, exit 2, no stack.
    const unwritable = join(mkdtempSync(join(tmpdir(), 'cellwise-html-')), 'no-such-dir', 'r.html');
    const report = cellwise(['diff', BASE, HEAD, '--html', unwritable]);
    expect(report.status).toBe(2);
    expect(report.stderr).toMatch(new RegExp(`^cellwise: cannot write ${unwritable.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ENOENT[^\n]*\n$`));
  });
});

describe('start-up', () => {
  it("loads neither node:http nor node:crypto for a terminal diff: they are only the viewer's and textconv's", () => {
    // Each cost every run some 10-15 ms of start-up on the machines measured.
    const probe = join(tmp(), 'probe.mjs');
    writeFileSync(probe, "process.on('exit', () => process.stderr.write(JSON.stringify(process.moduleLoadList)));\n");
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(probe).href, join(ROOT, 'bin/cellwise.js'), 'diff', BASE, HEAD], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(1);
    const loaded = JSON.parse(r.stderr) as string[];
    // The probe sees what it claims to: the comparison threads' module was loaded.
    expect(loaded).toContain('NativeModule worker_threads');
    expect(loaded.filter((m) => /^NativeModule (http|https|crypto)$/.test(m))).toEqual([]);
  });
});

describe('progress on a terminal', () => {
  // A pseudo-terminal for standard error (util-linux's script, in every Debian); the diff itself goes to /dev/null.
  const onTerminal = (args: string[], env: Record<string, string> = {}) => {
    const command = ['node', join(ROOT, 'bin/cellwise.js'), ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const r = spawnSync('script', ['-qec', `${command} > /dev/null`, '/dev/null'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, COLUMNS: '200', ...env } });
    expect(r.error).toBeUndefined();
    return r.stdout;
  };

  it.skipIf(!corpusExists() && !process.env.CI)('a plot-heavy diff shows its image comparisons counting up, then clears the line', () => {
    const pair = join(CORPUS, 'pairs', 'hml2-09-unsupervised-large-155-png');
    // Drawn from the start, however fast this machine is (the default waits half a second).
    const out = onTerminal(['diff', join(pair, 'base.ipynb'), join(pair, 'head.ipynb')], { CELLWISE_PROGRESS_DELAY_MS: '0' });
    const drawn = out.split('\r\x1b[K').filter((l) => l !== '');
    expect(drawn.length, out).toBeGreaterThan(0);
    const counts = drawn.map((l) => Number(/ image (\d+)\/135 · /.exec(l)?.[1]));
    expect(counts.every((n) => n >= 1 && n <= 135), out).toBe(true);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(out.endsWith('\r\x1b[K'), 'the line is cleared at the end').toBe(true);
    // Not a terminal: nothing on standard error.
    expect(cellwise(['diff', join(pair, 'base.ipynb'), join(pair, 'head.ipynb')]).stderr).toBe('');
  }, 60_000);

  it('a quick diff draws nothing, even on a terminal', () => {
    expect(onTerminal(['diff', BASE, HEAD])).toBe('');
  });
});

describe('resized plots', () => {
  it.skipIf(!corpusExists() && !process.env.CI)('are compared pixel by pixel for --json, and shown by their sizes on the terminal', () => {
    const pair = join(CORPUS, 'pairs', 'pdsh-04.14-seaborn-2nd-edition');
    const files = [join(pair, 'base.ipynb'), join(pair, 'head.ipynb')];
    // The terminal skips comparing resized images (terminalDiffOptions); --json must not.
    const resized: ImageComparison[] = [];
    JSON.parse(cellwise(['diff', ...files, '--json']).stdout, (_, v: unknown) => {
      if (v && typeof v === 'object' && 'sizeChanged' in v && v.sizeChanged) resized.push(v as ImageComparison);
      return v;
    });
    expect(resized).toHaveLength(17);
    for (const image of resized) expect(image.changedPixels).toBeLessThan(image.totalPixels);
    expect(cellwise(['diff', ...files]).stdout.match(/image\/png size changed \d+×\d+ → \d+×\d+/g)).toHaveLength(17);
  }, 60_000);
});

describe('invalid notebooks', () => {
  const invalid = readdirSync(join(CORPUS, 'invalid')).sort();
  it.each(invalid)('%s: a clean error (exit 2, one or two lines, no stack trace) or a diff with a warning', (file) => {
    const path = join(CORPUS, 'invalid', file);
    const r = cellwise(['diff', '--color=never', path, path]);
    if (r.status === 2) {
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain(file);
      expect(r.stderr.trimEnd().split('\n').length).toBeLessThanOrEqual(2);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    } else {
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/warning/i);
      expect(r.stdout).toContain(file);
    }
  });
});
