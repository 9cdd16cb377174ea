/**
 * `cellwise stale` against a real ipykernel (Debian's python3-ipykernel, installed by scripts/setup-kernel.sh
 * from the test command). A missing kernel fails these tests with the install hint; it never skips them.
 * All kernel tests live in this one file so that they run one after the other and the check that no kernel
 * outlives its command can look at every ipykernel process this suite started.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellwise, ROOT } from '../cli/run.js';
import { sleepingInCell, until } from './processes.js';

const BIN = join(ROOT, 'bin/cellwise.js');
const tmp = mkdtempSync(join(tmpdir(), 'cellwise-stale-test-'));

/** Kernels this suite started: their connection files live in cellwise-kernel-* temporary folders. */
function ourKernels(): { pid: number; ppid: number; cmd: string }[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return out.split('\n').map((l) => l.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/)).filter((m) => m !== null)
    .map((m) => ({ pid: Number(m![1]), ppid: Number(m![2]), cmd: m![3]! }))
    .filter((p) => p.cmd.includes('ipykernel_launcher') && p.cmd.includes('cellwise-kernel-'));
}

function json(args: string[]) {
  const r = cellwise(['stale', '--json', ...args]);
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined };
}

beforeAll(() => {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import ipykernel, matplotlib, numpy'], { encoding: 'utf8' });
  if (probe.status !== 0 || !existsSync('/usr/share/jupyter/kernels/python3/kernel.json')) {
    throw new Error(
      'no python3 Jupyter kernel: these tests need a real ipykernel' + (process.env.CI === 'true' ? ' (CI=true: failing, not skipping)' : '') +
      '. Run `bash scripts/setup-kernel.sh` (as root: apt-get install -y --no-install-recommends python3-ipykernel jupyter-client python3-matplotlib python3-numpy)',
    );
  }
});

afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  await until('every kernel to exit', () => ourKernels().length === 0, 10_000);
});

describe('cellwise stale on a real kernel', () => {
  it('passes a notebook whose saved outputs a fresh run reproduces (prints, reprs with addresses, displays, a plot)', () => {
    const r = cellwise(['stale', 'fixtures/stale/fresh.ipynb']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^fixtures\/stale\/fresh\.ipynb: 6 code cells: 6 fresh, 0 stale, 0 error, 0 skipped in [\d.]+ s on kernel python3\n$/);
    expect(r.status).toBe(0);
  });

  it('reports an edited stored output as stale, with the diff, and exits 1', () => {
    const r = cellwise(['stale', 'fixtures/stale/edited-output.ipynb']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('fixtures/stale/edited-output.ipynb: cell 3: stale\n');
    expect(r.stdout).toContain('── cell 3 · code · modified');
    expect(r.stdout).toContain('~ output 1 execute_result: text/plain: +1 −1 lines');
    const { report } = json(['fixtures/stale/edited-output.ipynb']);
    expect(report.stale).toEqual([2]);
    // Code cells only: the markdown cell 0 is not listed, so cell index 2 is the second entry.
    expect(report.cells.map((c: { index: number; status: string }) => `${c.index}:${c.status}`)).toEqual(['1:fresh', '2:stale', '3:fresh', '4:fresh', '5:fresh', '6:fresh']);
    const change = report.cells[1].changes.entries[0].changes.data[0].text.ops[0];
    expect(change).toEqual({ op: 'replace', base: ['4.125'], head: ['3.875'], words: [null] });
  });

  it('exposes an output saved from an out-of-order run', () => {
    const { report, status } = json(['fixtures/stale/out-of-order.ipynb']);
    expect(status).toBe(1);
    expect(report.stale).toEqual([1]);
    expect(report.cells[1].changes.entries[0].changes.text.ops).toEqual([{ op: 'replace', base: ['x is 2\n'], head: ['x is 1\n'], words: expect.anything() }]);
    expect(cellwise(['check', 'fixtures/stale/out-of-order.ipynb']).status).toBe(1);
  });

  it('compares a plot by pixels, and accepts it within --image-tolerance', () => {
    const r = cellwise(['stale', 'fixtures/stale/plot-changed.ipynb']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/~ output 1 display_data: image\/png 162×132, [\d.]+% pixels changed/);
    expect(cellwise(['stale', '--image-tolerance', '0.05', 'fixtures/stale/plot-changed.ipynb']).status).toBe(0);
  });

  it('reports a cell that raises now as error and skips the cells after it (unless --keep-going)', () => {
    const { report, status } = json(['fixtures/stale/exception.ipynb']);
    expect(status).toBe(1);
    expect(report.cells).toMatchObject([
      { index: 0, status: 'fresh' },
      { index: 1, status: 'error', error: { ename: 'KeyError', evalue: "'plum'" } },
      { index: 2, status: 'skipped', reason: 'not run: cell 2 failed' },
    ]);
    expect(report.errors).toEqual([1]);
    expect(report.complete).toBe(false);
    const going = json(['--keep-going', 'fixtures/stale/exception.ipynb']).report;
    expect(going.cells.map((c: { status: string }) => c.status)).toEqual(['fresh', 'error', 'fresh']);
  });

  it('interrupts a cell that runs past --timeout and reports it', () => {
    const started = Date.now();
    const { report, status } = json(['--timeout', '1', 'fixtures/stale/sleep.ipynb']);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(status).toBe(1);
    expect(report.cells).toMatchObject([
      { index: 0, status: 'fresh' },
      { index: 1, status: 'error', reason: 'timed out after 1 s' },
      { index: 2, status: 'skipped' },
    ]);
  });

  it('reports a kernel that dies mid-run', () => {
    const r = cellwise(['stale', 'fixtures/stale/dies.ipynb']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('fixtures/stale/dies.ipynb: cell 2: error (the kernel died (exit code 1))');
    expect(r.stdout).toContain('cell 3: skipped (not run: the kernel died in cell 2)');
  });

  it('runs a tagged nondeterministic cell without comparing it', () => {
    const { report, status } = json(['fixtures/stale/tagged.ipynb']);
    expect(status).toBe(0);
    expect(report.cells).toMatchObject([{ status: 'skipped', reason: 'tagged cellwise: skip' }, { status: 'fresh' }]);
  });

  it('writes the re-executed notebook to a new file, never over an existing one', () => {
    const out = join(tmp, 'out.ipynb');
    expect(cellwise(['stale', '--write', out, 'fixtures/stale/edited-output.ipynb']).status).toBe(1);
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written.cells[2].outputs[0].data['text/plain']).toEqual(['3.875']);
    expect(written.metadata.language_info.name).toBe('python');
    expect(cellwise(['stale', out]).status).toBe(0);
    const again = cellwise(['stale', '--write', out, 'fixtures/stale/fresh.ipynb']);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('exists; not overwriting it');
  });

  it('names what to install when there is no such kernel', () => {
    const r = cellwise(['stale', '--kernel', 'nosuchkernel', 'fixtures/stale/fresh.ipynb']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^cellwise: no Jupyter kernel named "nosuchkernel" is installed \(installed: .*python3.*\); install a Python kernel: `apt-get install python3-ipykernel`/);
  });

  it('stops the kernel on Ctrl-C and leaves no kernel process behind', async () => {
    const child = spawn(process.execPath, [BIN, 'stale', 'fixtures/stale/many.ipynb'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await until('the kernel to start', () => ourKernels().some((k) => k.ppid === child.pid));
    const kernels = ourKernels().filter((k) => k.ppid === child.pid).map((k) => k.pid);
    await until('a cell to run', () => kernels.some(sleepingInCell));
    child.kill('SIGINT');
    const code = await exited;
    expect(code).toBe(130);
    expect(stderr).toContain('cellwise: interrupted; stopping the kernel');
    expect(stdout).toMatch(/cell \d+: skipped \(interrupted while running\)/);
    expect(stdout).toContain('(run stopped early)');
    await until('the kernel to be gone', () => !ourKernels().some((k) => kernels.includes(k.pid)), 5000);
  });

  it('leaves no kernel behind when Cellwise itself is killed (JPY_PARENT_PID)', async () => {
    const child = spawn(process.execPath, [BIN, 'stale', 'fixtures/stale/many.ipynb'], { cwd: ROOT, stdio: 'ignore' });
    await until('the kernel to start', () => ourKernels().some((k) => k.ppid === child.pid));
    const kernels = ourKernels().filter((k) => k.ppid === child.pid).map((k) => k.pid);
    child.kill('SIGKILL');
    await until('the orphaned kernel to exit', () => !ourKernels().some((k) => kernels.includes(k.pid)), 10_000);
  });
});
