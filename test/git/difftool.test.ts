import { readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { shellQuote } from '../../cli/git/command.js';
import { BIN, ESC, FIXTURES, Repo, withConflictMarkers } from './repo.js';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const NOTE = 'No browser can be opened here (no $BROWSER or display): this is the terminal diff.';
const SUMMARY = '1 added, 1 removed, 6 modified (1 re-run only, 1 with stale outputs), 2 moved;';

describe('git difftool -t cellwise', () => {
  let repo: Repo;
  beforeAll(() => {
    repo = new Repo();
    repo.cellwise(['config-git']);
    repo.put('analysis.ipynb', { fixture: FIXTURES.base });
    repo.put('gone.ipynb', { fixture: FIXTURES.v3 });
    repo.put('README.md', { text: 'one\n' });
    repo.commit('one');
    repo.put('analysis.ipynb', { fixture: FIXTURES.head });
    repo.ok(['rm', '-q', 'gone.ipynb']);
    repo.put('new.ipynb', { fixture: FIXTURES.idsA });
    repo.put('README.md', { text: 'two\n' });
    repo.commit('two');
  });

  it('with a browser, opens one self-contained review page per run (-d: every notebook in one page)', () => {
    // $BROWSER stands in for the user's browser: it records the URL it was asked to open.
    const log = join(repo.root, 'opened.log');
    const browser = join(repo.root, 'browser.sh');
    writeFileSync(browser, `#!/bin/sh\necho "$1" >> ${JSON.stringify(log)}\n`);
    chmodSync(browser, 0o755);
    const r = repo.git(['difftool', '-d', '-y', '-t', 'cellwise', 'HEAD~1', 'HEAD'], { env: { BROWSER: browser } });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/opened the review of 3 notebooks in the browser/);
    expect(r.stderr).toMatch(/not notebooks, not shown: README\.md/);
    // The browser is started detached; give it a moment to write.
    const deadline = Date.now() + 5000;
    let opened = '';
    while (Date.now() < deadline && !opened) { try { opened = readFileSync(log, 'utf8').trim(); } catch { /* not yet */ } }
    expect(opened).toMatch(/^file:\/\/.*review\.html$/);
    const html = readFileSync(fileURLToPath(opened), 'utf8');
    expect(html).toContain('cellwise-review');
    for (const path of ['analysis.ipynb', 'gone.ipynb', 'new.ipynb']) expect(html).toContain(path);
  });

  it('without a browser, shows each changed notebook in the terminal, saying why once', () => {
    const r = repo.git(['difftool', '-y', '-t', 'cellwise', 'HEAD~1', '--', '*.ipynb']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split(NOTE).length - 1).toBe(1);
    expect(r.stdout.startsWith(NOTE)).toBe(true);
    expect(r.stdout).toContain('diff --cellwise a/analysis.ipynb b/analysis.ipynb\nanalysis.ipynb (cells and outputs numbered from 1)');
    expect(r.stdout).toContain(SUMMARY);
    expect(r.stdout).toContain('diff --cellwise a/gone.ipynb b/gone.ipynb\ndeleted file mode 100644\ngone.ipynb → /dev/null');
    expect(r.stdout).toContain('diff --cellwise a/new.ipynb b/new.ipynb\nnew file mode 100644\n/dev/null → new.ipynb');
    expect(r.stdout).not.toContain(ESC);
  });

  it('prints only the terminal diff when asked for the terminal (CELLWISE_DIFFTOOL=terminal or --terminal)', () => {
    const r = repo.git(['difftool', '-y', '-t', 'cellwise', 'HEAD~1', '--', 'analysis.ipynb'], { env: { CELLWISE_DIFFTOOL: 'terminal' } });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain(NOTE);
    expect(r.stdout.startsWith('diff --cellwise a/analysis.ipynb b/analysis.ipynb\n')).toBe(true);
    // The same through git's -x, with the flag.
    const x = repo.git(['difftool', '-y', '-x', `${shellQuote(process.execPath)} ${shellQuote(BIN)} difftool --terminal`, 'HEAD~1', '--', 'analysis.ipynb']);
    expect(x.status).toBe(0);
    expect(x.stdout).not.toContain(NOTE);
    expect(x.stdout).toContain(SUMMARY);
  });

  it('-d: one view listing every changed notebook, other files named and skipped', () => {
    const r = repo.git(['difftool', '-d', '-y', '-t', 'cellwise', 'HEAD~1', 'HEAD']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.split(NOTE).length - 1).toBe(1);
    const headers = r.stdout.split('\n').filter((line) => line.startsWith('diff --cellwise '));
    expect(headers).toEqual([
      'diff --cellwise a/analysis.ipynb b/analysis.ipynb',
      'diff --cellwise a/gone.ipynb b/gone.ipynb',
      'diff --cellwise a/new.ipynb b/new.ipynb',
    ]);
    expect(r.stdout).toContain(SUMMARY);
    expect(r.stdout).toContain('not notebooks, not shown: README.md');
  });

  it('-d against the working tree (git links the working files into the right side), renames by content', () => {
    repo.ok(['mv', 'new.ipynb', 'renamed.ipynb']);
    repo.put('analysis.ipynb', { fixture: FIXTURES.base });
    try {
      const r = repo.git(['difftool', '-d', '-y', '-t', 'cellwise', 'HEAD']);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('diff --cellwise a/analysis.ipynb b/analysis.ipynb');
      expect(r.stdout).toMatch(/^1 added, 1 removed, \d+ modified/m);
      expect(r.stdout).toContain('diff --cellwise a/new.ipynb b/renamed.ipynb\nsimilarity index 100%\nrename from new.ipynb\nrename to renamed.ipynb\n');
    } finally {
      repo.ok(['reset', '-q', '--hard']);
    }
  });

  it('a notebook that cannot be read: the reason, then a plain diff', () => {
    const { text, markerLine } = withConflictMarkers(FIXTURES.head);
    repo.put('analysis.ipynb', { text });
    try {
      const r = repo.git(['difftool', '-y', '-t', 'cellwise', '--', 'analysis.ipynb']);
      expect(r.stdout).toContain(`cellwise: analysis.ipynb: line ${markerLine}: merge conflict markers (<<<<<<< HEAD)`);
      expect(r.stdout).toContain('+<<<<<<< HEAD');
    } finally {
      repo.ok(['checkout', '--', 'analysis.ipynb']);
    }
  });

  it('runs by hand on two notebooks, and colours on request', () => {
    const r = repo.cellwise(['difftool', '--terminal', '--color=always', FIXTURES.base, FIXTURES.head]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(ESC);
    const plain = repo.cellwise(['difftool', '--terminal', FIXTURES.base, FIXTURES.head]);
    // The header names both files in full, on one line or, when they are long, on two.
    expect(plain.stdout).toMatch(new RegExp(`${escapeRegExp(FIXTURES.base)}(\\n| )→ ${escapeRegExp(FIXTURES.head)}(\\n| \\()`));
    expect(plain.stdout).toContain(SUMMARY);
  });
});
