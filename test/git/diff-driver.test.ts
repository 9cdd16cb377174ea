import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESC, FIXTURES, Repo, withConflictMarkers } from './repo.js';

/** The history most tests read: base → head of the example notebook, beside a plain file. */
function exampleRepo(): Repo {
  const repo = new Repo();
  repo.cellwise(['config-git']);
  repo.put('analysis.ipynb', { fixture: FIXTURES.base });
  repo.put('README.md', { text: 'notes\n' });
  repo.commit('base');
  repo.put('analysis.ipynb', { fixture: FIXTURES.head });
  repo.put('README.md', { text: 'notes\nmore notes\n' });
  return repo;
}

const RAW_JSON = '"cell_type":';
const SUMMARY = '1 added, 1 removed, 6 modified (1 re-run only, 1 with stale outputs), 2 moved;';

describe('git diff with the Cellwise driver', () => {
  let repo: Repo;
  beforeAll(() => {
    repo = exampleRepo();
  });

  it('prints the cell-by-cell diff for notebooks and git’s own diff for other files', () => {
    const r = repo.git(['diff']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('diff --git a/README.md b/README.md\n');
    expect(r.stdout).toContain('+more notes');
    expect(r.stdout).toContain('diff --cellwise a/analysis.ipynb b/analysis.ipynb\nanalysis.ipynb (cells and outputs numbered from 1)\n');
    expect(r.stdout).toMatch(/── cell 6 · code · modified ─+\n@@ -1,2 \+1,2 @@\n/);
    expect(r.stdout).toContain('── cell 7 · code · added');
    expect(r.stdout).toContain('~ output 1 display_data: image/png 284×227, 1.3% pixels changed');
    expect(r.stdout).toContain(SUMMARY);
    expect(r.stdout).not.toContain(RAW_JSON);
    expect(r.stdout).not.toContain(ESC); // not a terminal, no pager: git would not colour
  });

  it('respects --no-ext-diff (git diffs the text form) and --no-textconv (the raw JSON)', () => {
    const text = repo.ok(['diff', '--no-ext-diff']);
    expect(text).toContain('diff --git a/analysis.ipynb b/analysis.ipynb');
    expect(text).toMatch(/^@@ -\d+,\d+ \+\d+,\d+ @@ ━━ code \[\d\]$/m); // hunk headers name the cell (xfuncname)
    expect(text).toContain('-summary = df.groupby("store")["sales"].agg(["mean", "std", "min", "max"]).round(1)');
    expect(text).not.toContain('diff --cellwise');
    expect(text).not.toContain(RAW_JSON);
    const raw = repo.ok(['diff', '--no-ext-diff', '--no-textconv']);
    expect(raw).toContain(RAW_JSON);
  });

  it('colours exactly when git colours its own diff in the same run (color.diff, color.ui, the pager, TERM)', () => {
    const ours = (out: string): boolean => (out.split('\n').find((line) => line.includes('cell 6 · code · modified')) ?? '').includes(ESC);
    const gits = (out: string): boolean => (out.split('\n').find((line) => line.includes('more notes')) ?? '').includes(ESC);
    const xterm = { TERM: 'xterm-256color' };
    const pager = { TERM: 'xterm-256color', GIT_PAGER_IN_USE: 'true' };
    const cases: [string[], Record<string, string>, boolean][] = [
      [[], xterm, false], // not a terminal, no pager
      [['-c', 'color.diff=always'], xterm, true],
      [['-c', 'color.ui=always'], xterm, true],
      [['-c', 'color.ui=always', '-c', 'color.diff=false'], xterm, false],
      [[], pager, true], // auto, writing to git's pager
      [['-c', 'color.diff=auto'], pager, true],
      [['-c', 'color.ui=never'], pager, false],
      [['-c', 'color.pager=false'], pager, false],
      [[], { GIT_PAGER_IN_USE: 'true', TERM: 'dumb' }, false],
    ];
    for (const [config, env, expected] of cases) {
      const out = repo.ok([...config, 'diff'], { env });
      const what = `${config.join(' ')} ${JSON.stringify(env)}`;
      expect(gits(out), `git itself: ${what}`).toBe(expected);
      expect(ours(out), `cellwise: ${what}`).toBe(expected);
    }
    // NO_COLOR and FORCE_COLOR are Cellwise's own switches.
    expect(ours(repo.ok(['-c', 'color.diff=always', 'diff'], { env: { NO_COLOR: '1' } }))).toBe(false);
    expect(ours(repo.ok(['diff'], { env: { FORCE_COLOR: '1' } }))).toBe(true);
    // --no-ext-diff: git's own (coloured) diff of the text form; no Cellwise rendering at all.
    const plain = repo.ok(['-c', 'color.diff=always', 'diff', '--no-ext-diff', '--', 'analysis.ipynb']);
    expect(plain).toContain(ESC);
    expect(plain).not.toContain('cell 6 · code');
  });

  it('works with neither cellwise nor node on PATH (absolute paths, quoted)', () => {
    const bin = join(repo.root, 'only-git');
    mkdirSync(bin, { recursive: true });
    symlinkSync(repo.spawn('sh', ['-c', 'command -v git']).stdout.trim(), join(bin, 'git'));
    const r = repo.spawn(join(bin, 'git'), ['diff'], { env: { PATH: bin } });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(SUMMARY);
  });

  it('git diff between revisions and ranges, and git show, after committing', () => {
    const second = new Repo();
    second.cellwise(['config-git']);
    second.put('analysis.ipynb', { fixture: FIXTURES.base });
    const one = second.commit('one');
    second.put('analysis.ipynb', { fixture: FIXTURES.head });
    const two = second.commit('two');
    second.put('other.ipynb', { fixture: FIXTURES.idsA });
    second.commit('three');
    for (const args of [['diff', one, two], ['diff', `${one}..${two}`], ['diff', 'HEAD~2', 'HEAD~1']]) {
      const out = second.ok(args);
      expect(out, args.join(' ')).toContain(SUMMARY);
      expect(out, args.join(' ')).toMatch(/^diff --cellwise a\/analysis\.ipynb b\/analysis\.ipynb\nindex [0-9a-f]{7}\.\.[0-9a-f]{7} 100644\n/);
    }
    const range = second.ok(['diff', 'HEAD~2..HEAD']);
    expect(range).toContain('diff --cellwise a/analysis.ipynb b/analysis.ipynb');
    expect(range).toContain('diff --cellwise a/other.ipynb b/other.ipynb\nnew file mode 100644\n');
    expect(range).toContain('/dev/null → other.ipynb');
    // Consecutive notebooks are separated by one blank line.
    expect(range).toMatch(/changed \(1 image\)\n\ndiff --cellwise a\/other\.ipynb/);
    // `git show` and `git log -p` use the text form unless asked for the external diff.
    expect(second.ok(['show', '--ext-diff', 'HEAD~1'])).toContain(SUMMARY);
    const show = second.ok(['show', 'HEAD~1']);
    expect(show).toContain('━━ code [');
    expect(show).not.toContain(RAW_JSON);
  });
});

describe('added, deleted and renamed notebooks', () => {
  it('follow git’s external-diff contract: /dev/null for added and deleted, 9 arguments for renames', () => {
    const repo = new Repo();
    repo.cellwise(['config-git']);
    repo.put('gone.ipynb', { fixture: FIXTURES.idsA });
    repo.put('moved.ipynb', { fixture: FIXTURES.base });
    repo.put('edited-move.ipynb', { fixture: FIXTURES.v4 });
    repo.commit('one');
    repo.ok(['rm', '-q', 'gone.ipynb']);
    repo.ok(['mv', 'moved.ipynb', 'renamed.ipynb']);
    repo.ok(['mv', 'edited-move.ipynb', 'edited.ipynb']);
    repo.put('edited.ipynb', { text: repo.read('edited.ipynb').replace('computed {len(squares)} squares', 'computed {len(squares)} squares!') });
    repo.put('new.ipynb', { fixture: FIXTURES.idsB });
    repo.ok(['add', '-A']);
    // Without rename detection every path is added or deleted: /dev/null on one side.
    const plain = repo.git(['diff', '--cached', '--no-renames']);
    expect(plain.stderr).toBe('');
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain('diff --cellwise a/gone.ipynb b/gone.ipynb\ndeleted file mode 100644\n');
    expect(plain.stdout).toContain('gone.ipynb → /dev/null');
    expect(plain.stdout).toMatch(/── cell 1 \(base\) · markdown · removed/);
    expect(plain.stdout).toContain('6 removed');
    expect(plain.stdout).toContain('diff --cellwise a/new.ipynb b/new.ipynb\nnew file mode 100644\n');
    expect(plain.stdout).toContain('/dev/null → new.ipynb');
    expect(plain.stdout).toContain('6 added');
    const r = repo.git(['diff', '--cached', '-M']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = r.stdout;
    // A pure rename: git's header lines, nothing to diff.
    expect(out).toContain('diff --cellwise a/moved.ipynb b/renamed.ipynb\nsimilarity index 100%\nrename from moved.ipynb\nrename to renamed.ipynb\n');
    // A rename with an edit: git's header lines, then the diff under both names.
    expect(out).toMatch(/diff --cellwise a\/edited-move\.ipynb b\/edited\.ipynb\nsimilarity index \d+%\nrename from edited-move\.ipynb\nrename to edited\.ipynb\nindex \w+\.\.\w+( \d+)?\n/);
    expect(out).toContain('edited-move.ipynb → edited.ipynb (cells and outputs numbered from 1)');
    expect(out).toContain('{+!+}');
    // Cell ids let git's renamed-and-edited pair be diffed cell by cell too.
    expect(out).toContain('gone.ipynb → new.ipynb (cells and outputs numbered from 1)');
    expect(out).toContain('1 modified, 3 moved');
    expect(out).not.toContain(RAW_JSON);
  });

  it('a history that crosses nbformat 3 → 4 diffs cell by cell', () => {
    const repo = new Repo();
    repo.cellwise(['config-git']);
    repo.put('upgrade.ipynb', { fixture: FIXTURES.v3 });
    repo.commit('saved by IPython 2');
    repo.put('upgrade.ipynb', { fixture: FIXTURES.v4 });
    repo.commit('saved by Jupyter');
    const diff = repo.ok(['diff', 'HEAD~1', 'HEAD']);
    expect(diff).toContain('nbformat 3.0 → 4.5');
    expect(diff).toContain('── cell 3 · code · modified');
    expect(diff).toContain('~print({+f+}"computed');
    expect(diff).toContain('! source changed but outputs were not re-run');
    expect(diff).toContain('3 modified (1 with stale outputs); notebook metadata changed; nbformat 3.0 → 4.5');
    const log = repo.ok(['log', '-p', '-1', '--format=%s']);
    expect(log).toContain('-notebook · nbformat 3.0 · 3 cells\n');
    expect(log).toContain('+notebook · nbformat 4.5 · kernel python3 · 3 cells');
    expect(log).toContain('-print("computed", len(squares), "squares")');
    expect(log).toContain('+print(f"computed {len(squares)} squares")');
    // The heading cell became markdown with the same text: no change shown for it.
    expect(log).not.toMatch(/^[-+]# Upgrade demo$/m);
    expect(log).not.toContain(RAW_JSON);
  });
});

describe('notebooks the driver cannot read', () => {
  it('a notebook with conflict markers gets one line naming it and the line, then a plain diff; git goes on', () => {
    const repo = new Repo();
    repo.cellwise(['config-git']);
    repo.put('a-broken.ipynb', { fixture: FIXTURES.idsA });
    repo.put('b-fine.ipynb', { fixture: FIXTURES.base });
    repo.commit('one');
    const { text, markerLine } = withConflictMarkers(FIXTURES.idsA);
    repo.put('a-broken.ipynb', { text });
    repo.put('b-fine.ipynb', { fixture: FIXTURES.head });
    const r = repo.git(['diff']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`cellwise: a-broken.ipynb: line ${markerLine}: merge conflict markers (<<<<<<< HEAD): resolve the git conflict before diffing (showing a plain diff)\n`);
    expect(r.stdout).toContain('--- a/a-broken.ipynb\n+++ b/a-broken.ipynb\n@@ ');
    expect(r.stdout).toContain('+<<<<<<< HEAD');
    expect(r.stdout).toContain(SUMMARY); // the next notebook is still diffed
  });

  it('a real merge conflict does not stop git diff', () => {
    const repo = new Repo();
    repo.cellwise(['config-git']);
    repo.put('nb.ipynb', { fixture: FIXTURES.idsA });
    repo.commit('base');
    repo.ok(['checkout', '-q', '-b', 'side']);
    repo.put('nb.ipynb', { text: repo.read('nb.ipynb').replace('the start value', 'the first value') });
    repo.commit('side');
    repo.ok(['checkout', '-q', 'main']);
    repo.put('nb.ipynb', { text: repo.read('nb.ipynb').replace('the start value', 'the initial value') });
    repo.commit('main');
    expect(repo.git(['merge', 'side']).status).not.toBe(0);
    const r = repo.git(['diff']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/cellwise: nb\.ipynb: line \d+: merge conflict markers/);
    const stat = repo.git(['diff', '--ext-diff', 'HEAD']);
    expect(stat.status).toBe(0);
    expect(stat.stdout).toMatch(/cellwise: nb\.ipynb: line \d+: merge conflict markers/);
  });
});

describe('git log -p and git show', () => {
  it('show the readable text form: cell headers, sources, outputs as short text, images with size and hash', () => {
    const repo = exampleRepo();
    repo.commit('head');
    const r = repo.git(['log', '-p']);
    expect(r.stderr).toBe('');
    const log = r.stdout;
    expect(log).toContain('diff --git a/analysis.ipynb b/analysis.ipynb');
    expect(log).toMatch(/^\+notebook · nbformat 4\.5 · kernel python3 · 14 cells$/m);
    expect(log).toMatch(/^[-+ ]── image\/png 284×227 \(\d+(\.\d)? kB\) sha256:[0-9a-f]{12}$/m);
    expect(log).toMatch(/^-── image\/png 284×227 \(\d+(\.\d)? kB\) sha256:[0-9a-f]{12}$/m); // the plot changed
    expect(log).toMatch(/^\+── image\/png 284×227 \(\d+(\.\d)? kB\) sha256:[0-9a-f]{12}$/m);
    expect(log).toMatch(/^-── error KeyError: 'West' \(traceback \d+ entr(y|ies) sha256:[0-9a-f]{12}\)$/m);
    expect(log).toContain('+targets = {"North": 1250, "South": 1000, "East": 850, "West": 1100}');
    expect(log).not.toContain(RAW_JSON);
    expect(log).not.toMatch(/iVBORw0KGgo/);
    // With --ext-diff, git log -p runs the rich driver too.
    expect(repo.ok(['log', '-p', '--ext-diff', '-1'])).toContain(SUMMARY);
    // After --disable, git is back to the raw JSON.
    repo.cellwise(['config-git', '--disable']);
    expect(repo.ok(['log', '-p', '-1'])).toContain(RAW_JSON);
    expect(repo.ok(['show'])).toContain(RAW_JSON);
    repo.put('analysis.ipynb', { fixture: FIXTURES.base });
    expect(repo.ok(['diff'])).toContain(RAW_JSON);
  });
});

describe('other difftools', () => {
  it('still run for notebooks: the driver hands git difftool’s calls to git’s helper', () => {
    const repo = exampleRepo();
    repo.ok(['config', 'difftool.probe.cmd', 'echo "probe saw $MERGED"']);
    const r = repo.git(['difftool', '-y', '-t', 'probe', '--', 'analysis.ipynb']);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('probe saw analysis.ipynb\n');
  });
});
