import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FileEntry } from '../../cli/commands/diff-revisions.js';
import { ESC, FIXTURES, Repo, withConflictMarkers } from './repo.js';

const SUMMARY = '1 added, 1 removed, 6 modified (1 re-run only, 1 with stale outputs), 2 moved;';

interface JsonOutput {
  files: FileEntry[];
  skipped: { path: string; status: string }[];
}

/**
 * History: one (analysis base, upgrade v3, README) → two (analysis head, upgrade v4, README edited)
 * → three (upgrade renamed into a folder, ids notebook added, notes.txt added). No `config-git`: `cellwise
 * diff` reads git itself and needs no set-up.
 */
function historyRepo(): { repo: Repo; one: string; two: string; three: string } {
  const repo = new Repo();
  repo.put('analysis.ipynb', { fixture: FIXTURES.base });
  repo.put('upgrade.ipynb', { fixture: FIXTURES.v3 });
  repo.put('README.md', { text: 'one\n' });
  const one = repo.commit('one');
  repo.put('analysis.ipynb', { fixture: FIXTURES.head });
  repo.put('upgrade.ipynb', { fixture: FIXTURES.v4 });
  repo.put('README.md', { text: 'two\n' });
  const two = repo.commit('two');
  mkdirSync(join(repo.dir, 'nb'));
  repo.ok(['mv', 'upgrade.ipynb', 'nb/upgrade.ipynb']);
  repo.put('nb/ids.ipynb', { fixture: FIXTURES.idsA });
  repo.put('notes.txt', { text: 'x\n' });
  const three = repo.commit('three');
  return { repo, one, two, three };
}

describe('cellwise diff REV [REV] [-- PATH...]', () => {
  let h: ReturnType<typeof historyRepo>;
  beforeAll(() => {
    h = historyRepo();
  });

  it('two revisions: every changed notebook with a git-style header, other files listed and skipped; exit 1', () => {
    const r = h.repo.cellwise(['diff', h.one, h.two]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^diff --cellwise a\/analysis\.ipynb b\/analysis\.ipynb\nindex [0-9a-f]{7}\.\.[0-9a-f]{7} 100644\nanalysis\.ipynb \(cells and outputs numbered from 1\)\n/);
    expect(r.stdout).toContain(SUMMARY);
    expect(r.stdout).toContain('diff --cellwise a/upgrade.ipynb b/upgrade.ipynb');
    expect(r.stdout).toContain('nbformat 3.0 → 4.5');
    expect(r.stdout).toContain('not notebooks, not shown: README.md\n');
    expect(r.stdout).not.toContain('"cell_type":');
  });

  it('ranges A..B and a single revision (against the working tree), with renames', () => {
    const range = h.repo.cellwise(['diff', 'HEAD~1..HEAD']);
    expect(range.status).toBe(1);
    expect(range.stdout).toContain('diff --cellwise a/upgrade.ipynb b/nb/upgrade.ipynb\nsimilarity index 100%\nrename from upgrade.ipynb\nrename to nb/upgrade.ipynb\n');
    expect(range.stdout).toContain('diff --cellwise a/nb/ids.ipynb b/nb/ids.ipynb\nnew file mode 100644\n');
    expect(range.stdout).toContain('/dev/null → nb/ids.ipynb');
    expect(range.stdout).toContain('not notebooks, not shown: notes.txt');
    const single = h.repo.cellwise(['diff', 'HEAD~2']);
    expect(single.status).toBe(1);
    expect(single.stdout).toContain(SUMMARY);
    const same = h.repo.cellwise(['diff', 'HEAD']);
    expect(same.status).toBe(0);
    expect(same.stdout).toBe('no notebooks changed\n');
  });

  it('paths after -- limit the diff (relative to the current folder, as in git)', () => {
    const r = h.repo.cellwise(['diff', h.one, h.three, '--', 'analysis.ipynb']);
    expect(r.status).toBe(1);
    expect(r.stdout.match(/^diff --cellwise /gm)).toHaveLength(1);
    const sub = h.repo.cellwise(['diff', h.two, h.three, '--', 'ids.ipynb'], { cwd: join(h.repo.dir, 'nb') });
    expect(sub.stdout).toContain('diff --cellwise a/nb/ids.ipynb b/nb/ids.ipynb');
    expect(sub.stdout.match(/^diff --cellwise /gm)).toHaveLength(1);
    // Without --, a revision followed by existing paths, as git takes them.
    const noDash = h.repo.cellwise(['diff', 'HEAD~2', 'analysis.ipynb']);
    expect(noDash.status).toBe(1);
    expect(noDash.stdout.match(/^diff --cellwise /gm)).toHaveLength(1);
  });

  it('--json: {files: [{path, oldPath, status, diff}], skipped}', () => {
    const r = h.repo.cellwise(['diff', '--json', h.one, h.three]);
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as JsonOutput;
    const byPath = Object.fromEntries(out.files.map((f) => [f.path, f]));
    // v3 → v4 JSON is too different for git's rename detection: one deleted, one added notebook.
    expect(Object.keys(byPath).sort()).toEqual(['analysis.ipynb', 'nb/ids.ipynb', 'nb/upgrade.ipynb', 'upgrade.ipynb']);
    expect(byPath['analysis.ipynb']).toMatchObject({ oldPath: 'analysis.ipynb', status: 'modified' });
    expect(byPath['analysis.ipynb']!.diff).toMatchObject({ format: 'cellwise-diff', version: 1, changed: true });
    expect(byPath['upgrade.ipynb']).toMatchObject({ status: 'deleted' });
    expect(byPath['upgrade.ipynb']!.diff!.base.nbformat).toEqual([3, 0]);
    expect(byPath['nb/ids.ipynb']).toMatchObject({ status: 'added' });
    expect(byPath['nb/ids.ipynb']!.diff!.summary.added).toBe(6);
    const renamed = (JSON.parse(h.repo.cellwise(['diff', '--json', h.two, h.three]).stdout) as JsonOutput).files;
    expect(renamed.find((f) => f.path === 'nb/upgrade.ipynb')).toMatchObject({ path: 'nb/upgrade.ipynb', oldPath: 'upgrade.ipynb', status: 'renamed', diff: { changed: false } });
    expect(out.skipped).toEqual([{ path: 'README.md', status: 'modified' }, { path: 'notes.txt', status: 'added' }]);
  });

  it('keeps the diff options: ignore flags, context, colour', () => {
    const r = h.repo.cellwise(['diff', '--json', '--ignore-outputs', '--ignore-execution-count', h.one, h.two, '--', 'analysis.ipynb']);
    const out = JSON.parse(r.stdout) as JsonOutput;
    expect(out.files[0]!.diff!.ignored).toEqual(['outputs', 'execution_count']);
    expect(h.repo.cellwise(['diff', '--color=always', h.one, h.two]).stdout).toContain(ESC);
    expect(h.repo.cellwise(['diff', h.one, h.two]).stdout).not.toContain(ESC);
    expect(h.repo.cellwise(['diff', '-U', '0', h.one, h.two]).stdout).not.toContain(h.repo.cellwise(['diff', h.one, h.two]).stdout);
  });
});

describe('cellwise diff against the working tree and the index', () => {
  it('no arguments: working tree against the index; --cached: the index against HEAD', () => {
    const repo = new Repo();
    repo.put('a.ipynb', { fixture: FIXTURES.base });
    repo.put('b.ipynb', { fixture: FIXTURES.idsA });
    repo.commit('one');
    expect(repo.cellwise(['diff']).status).toBe(0);
    repo.put('a.ipynb', { fixture: FIXTURES.head });
    repo.put('b.ipynb', { fixture: FIXTURES.idsB });
    repo.ok(['add', 'b.ipynb']);
    const work = repo.cellwise(['diff']);
    expect(work.status).toBe(1);
    expect(work.stdout).toContain('diff --cellwise a/a.ipynb b/a.ipynb');
    expect(work.stdout).not.toContain('b.ipynb');
    const staged = repo.cellwise(['diff', '--cached']);
    expect(staged.stdout).toContain('diff --cellwise a/b.ipynb b/b.ipynb');
    expect(staged.stdout).not.toContain('a.ipynb');
    expect(repo.cellwise(['diff', '--staged']).stdout).toBe(staged.stdout);
    const both = repo.cellwise(['diff', 'HEAD']);
    expect(both.stdout.match(/^diff --cellwise /gm)).toHaveLength(2);
    // A notebook path alone, after --: its working-tree changes.
    const one = repo.cellwise(['diff', '--', 'a.ipynb']);
    expect(one.stdout.match(/^diff --cellwise /gm)).toHaveLength(1);
  });

  it('a working-tree notebook with conflict markers: a message naming the file and the marker line, exit 2', () => {
    const repo = new Repo();
    repo.put('nb.ipynb', { fixture: FIXTURES.idsA });
    repo.put('ok.ipynb', { fixture: FIXTURES.base });
    repo.commit('one');
    const { text, markerLine } = withConflictMarkers(FIXTURES.idsA);
    repo.put('nb.ipynb', { text });
    repo.put('ok.ipynb', { fixture: FIXTURES.head });
    const r = repo.cellwise(['diff']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`cellwise: nb.ipynb: line ${markerLine}: merge conflict markers (<<<<<<< HEAD): resolve the git conflict before diffing\n`);
    expect(r.stdout).toContain(SUMMARY); // the other notebook is still shown
    const json = JSON.parse(repo.cellwise(['diff', '--json']).stdout) as JsonOutput;
    expect(json.files.find((f) => f.path === 'nb.ipynb')!.error).toContain(`line ${markerLine}: merge conflict markers`);
  });

  it('during a real merge conflict', () => {
    const repo = new Repo();
    repo.put('nb.ipynb', { fixture: FIXTURES.idsA });
    repo.commit('base');
    repo.ok(['checkout', '-q', '-b', 'side']);
    repo.put('nb.ipynb', { text: repo.read('nb.ipynb').replace('the start value', 'the first value') });
    repo.commit('side');
    repo.ok(['checkout', '-q', 'main']);
    repo.put('nb.ipynb', { text: repo.read('nb.ipynb').replace('the start value', 'the initial value') });
    repo.commit('main');
    expect(repo.git(['merge', 'side']).status).not.toBe(0);
    const r = repo.cellwise(['diff']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^cellwise: nb\.ipynb: line \d+: merge conflict markers \(<<<<<<< HEAD\): resolve the git conflict before diffing\n$/);
    const cached = repo.cellwise(['diff', '--cached']);
    expect(cached.status).toBe(0);
    expect(cached.stdout).toContain('unmerged, not shown (resolve the conflict first): nb.ipynb');
    // Resolved in the file but not yet added: the diff against our side, marked unmerged.
    repo.put('nb.ipynb', { fixture: FIXTURES.idsB });
    const resolved = repo.cellwise(['diff']);
    expect(resolved.status).toBe(1);
    expect(resolved.stdout).toMatch(/^\* Unmerged path nb\.ipynb\ndiff --cellwise a\/nb\.ipynb b\/nb\.ipynb\n/);
  });
});

describe('choosing between two files and git revisions', () => {
  it('two existing files are two notebooks, inside a repository too', () => {
    const repo = new Repo();
    repo.put('x.ipynb', { fixture: FIXTURES.base });
    repo.put('y.ipynb', { fixture: FIXTURES.head });
    repo.commit('one');
    const r = repo.cellwise(['diff', 'x.ipynb', 'y.ipynb']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^x\.ipynb → y\.ipynb/);
    expect(r.stdout).not.toContain('diff --cellwise');
  });

  it('usage errors say what to do', () => {
    const repo = new Repo();
    repo.put('x.ipynb', { fixture: FIXTURES.base });
    repo.commit('one');
    const lone = repo.cellwise(['diff', 'x.ipynb']);
    expect(lone.status).toBe(2);
    expect(lone.stderr).toBe('cellwise: give a second notebook to compare x.ipynb with, or use `cellwise diff -- x.ipynb` for its changes in the working tree\n');
    const unknown = repo.cellwise(['diff', 'nonsense']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^cellwise: ambiguous argument 'nonsense': unknown revision or path not in the working tree/);
    const bad = repo.cellwise(['diff', 'no-such-rev', '--', 'x.ipynb']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^cellwise: .*no-such-rev/);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    const outside = repo.cellwise(['diff'], { cwd: repo.home });
    expect(outside.status).toBe(2);
    expect(outside.stderr).toBe('cellwise: give two notebooks to compare (or run this inside a git repository to see the notebooks changed there)\n');
  });
});
