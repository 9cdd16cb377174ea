/**
 * `cellwise stale --server` against a real Jupyter Server (Debian's jupyter-server, installed with the kernel by
 * scripts/setup-kernel.sh) started by this file on a free port, with a random token and a temporary root
 * folder. A missing server fails these tests with the install hint; it never skips them. After every run the
 * server must list no kernel, and no kernel process the server started may be left.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeNotebook } from '../../lib/notebook/index.js';
import { code, nb, stream } from '../core/helpers.js';
import { cellwise, ROOT, type RunResult } from '../cli/run.js';
import { sleepingInCell, until } from './processes.js';
import { freePort } from '../ports.js';

const BIN = join(ROOT, 'bin/cellwise.js');
const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'cellwise-server-test-')));
/** The server's root folder: notebooks copied here run in their own folder on the server. */
const root = join(tmp, 'root');
/** The server's runtime folder: every kernel it starts has its connection file here (and in its argv). */
const runtime = join(tmp, 'runtime');
const token = randomBytes(16).toString('hex');
let server: ChildProcess | undefined;
let serverLog = '';
let url = '';

/**
 * The server's own list of running kernels. Jupyter Server 1.x answers 500 while a kernel is half started
 * (`no attribute 'last_activity'`): asked again a moment later.
 */
async function kernelsOnServer(): Promise<{ id: string }[]> {
  for (let attempt = 0; ; attempt++) {
    const r = await fetch(`${url}api/kernels`, { headers: { Authorization: `token ${token}` } });
    if (r.ok) return (await r.json()) as { id: string }[];
    if (r.status !== 500 || attempt === 20) throw new Error(`GET api/kernels: ${r.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Kernel processes the server started (their connection files are in its runtime folder). */
function kernelProcesses(): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes('ipykernel') && l.includes(runtime)).map((l) => Number.parseInt(l, 10));
}

/** Runs `cellwise stale --server … fixtures/stale/many.ipynb` (ten one-second cells) in the background. */
function startMany(stdio: 'pipe' | 'ignore') {
  return spawn(process.execPath, [BIN, 'stale', '--server', url, 'fixtures/stale/many.ipynb'], {
    cwd: ROOT, stdio: ['ignore', stdio, stdio], env: { ...process.env, JUPYTER_TOKEN: token },
  });
}

async function expectNoKernelLeft(): Promise<void> {
  expect(await kernelsOnServer(), `kernels left on the server, whose log ends with\n${serverLog.slice(-4000)}`).toEqual([]);
  await until('the server\'s kernel processes to exit', () => kernelProcesses().length === 0, 5000);
}

/** `cellwise stale --server` with the test server's token in the environment unless a test says otherwise. */
function stale(args: string[], env: Record<string, string | undefined> = { JUPYTER_TOKEN: token }): RunResult {
  return cellwise(['stale', ...args], { env: { JUPYTER_TOKEN: undefined, ...env } });
}

function staleJson(args: string[]) {
  const r = stale(['--json', ...args]);
  return { ...r, report: r.stdout ? JSON.parse(r.stdout) : undefined };
}

/** A notebook whose one cell prints the kernel's working folder, saved as if it had run in `savedCwd`. */
function whereNotebook(savedCwd: string): string {
  return serializeNotebook(nb([code('import os\nprint(os.getcwd())', { id: 'where', count: 1, outputs: [stream(`${savedCwd}\n`)] })], {
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)', language: 'python' } },
  }));
}

beforeAll(async () => {
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import jupyter_server, ipykernel, matplotlib, numpy; print(jupyter_server.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    throw new Error(
      'no Jupyter Server: these tests need a real one' + (process.env.CI === 'true' ? ' (CI=true: failing, not skipping)' : '') +
      '. Run `bash scripts/setup-kernel.sh` (as root: apt-get install -y --no-install-recommends jupyter-server python3-ipykernel jupyter-client python3-matplotlib python3-numpy)',
    );
  }
  // Jupyter Server 2 moved the token to the IdentityProvider; 1.x (Debian 12) only knows ServerApp.token.
  const major = Number(probe.stdout.trim().split('.')[0]);
  const tokenOption = major >= 2 ? '--IdentityProvider.token' : '--ServerApp.token';
  mkdirSync(root);
  mkdirSync(runtime);
  // Two kernelspecs that fail: one whose program does not exist (the server cannot start it), one that
  // exits at once (the server restarts it until it gives up).
  const kernelspec = (name: string, argv: string[]) => {
    mkdirSync(join(tmp, 'share/kernels', name), { recursive: true });
    writeFileSync(join(tmp, 'share/kernels', name, 'kernel.json'), JSON.stringify({ argv, display_name: name, language: 'python' }));
  };
  kernelspec('broken', ['/nonexistent/python3', '-f', '{connection_file}']);
  kernelspec('quits', ['/usr/bin/python3', '-c', 'import sys; sys.exit(3)', '{connection_file}']);
  const port = await freePort();
  url = `http://127.0.0.1:${port}/`;
  server = spawn('/usr/bin/python3', [
    '-m', 'jupyter_server', '--allow-root', '--no-browser', `--port=${port}`, '--port-retries=0', '--ip=127.0.0.1',
    `--ServerApp.root_dir=${root}`, `${tokenOption}=${token}`,
  ], {
    cwd: tmp,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own folders for runtime files and configuration, so that nothing of the machine's leaks in or out.
    env: {
      ...process.env, JUPYTER_TOKEN: undefined, JUPYTER_RUNTIME_DIR: runtime, JUPYTER_CONFIG_DIR: join(tmp, 'config'), JUPYTER_PATH: join(tmp, 'share'),
      PYDEVD_DISABLE_FILE_VALIDATION: '1',
    },
  });
  for (const s of [server.stdout!, server.stderr!]) s.on('data', (d) => { serverLog = (serverLog + d).slice(-20_000); });
  let exited: number | null | undefined;
  server.on('exit', (code) => { exited = code; });
  await until('the Jupyter Server to answer', async () => {
    if (exited !== undefined) throw new Error(`the Jupyter Server exited (${exited}) before answering:\n${serverLog}`);
    try {
      return (await fetch(`${url}api/status`, { headers: { Authorization: `token ${token}` } })).ok;
    } catch {
      return false;
    }
  }, 60_000);
});

afterEach(async () => {
  if (server && url) await expectNoKernelLeft();
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    const gone = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server!.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }
  rmSync(tmp, { recursive: true, force: true });
});

describe('cellwise stale --server on a real Jupyter Server', () => {
  it('passes a fresh notebook under the server\'s root, with nothing on standard error', () => {
    mkdirSync(join(root, 'fresh'));
    copyFileSync(join(ROOT, 'fixtures/stale/fresh.ipynb'), join(root, 'fresh/fresh.ipynb'));
    const r = stale(['--server', url, join(root, 'fresh/fresh.ipynb')]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/fresh\.ipynb: 6 code cells: 6 fresh, 0 stale, 0 error, 0 skipped in [\d.]+ s on kernel python3\n$/);
    expect(r.status).toBe(0);
  });

  it('runs the kernel in the notebook\'s folder under the server\'s root, and says where it runs otherwise', () => {
    const deep = join(root, 'deep/er');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'where.ipynb'), whereNotebook(deep));
    // The token from the URL, as `jupyter server list` prints it.
    const here = stale(['--server', `${url}?token=${token}`, join(deep, 'where.ipynb')], {});
    expect(here.stderr).toBe('');
    expect(here.status).toBe(0);

    const outside = join(tmp, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'where.ipynb'), whereNotebook(deep));
    const there = stale(['--server', url, '--token', token, join(outside, 'where.ipynb')], {});
    expect(there.stderr).toBe(`cellwise: ${join(outside, 'where.ipynb')}: not under the root folder of the Jupyter Server at ${url}: its kernel runs in the server's root folder, and relative paths in the notebook resolve there\n`);
    expect(there.status).toBe(1);
    expect(there.stdout).toContain(`+${root}\n`);
  });

  it('reports an edited stored output as stale (exit 1, the right cell)', () => {
    const r = stale(['--server', url, 'fixtures/stale/edited-output.ipynb']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('fixtures/stale/edited-output.ipynb: cell 3: stale\n');
    expect(r.stdout).toContain('~ output 1 execute_result: text/plain: +1 −1 lines');
    const { report, status, stdout } = staleJson(['--server', url, 'fixtures/stale/edited-output.ipynb']);
    expect(status).toBe(1);
    // Nothing but the report on standard output (@jupyterlab/services logs to the console).
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(report.kernel).toBe('python3');
    expect(report.stale).toEqual([2]);
    expect(report.cells.map((c: { index: number; status: string }) => `${c.index}:${c.status}`)).toEqual(['1:fresh', '2:stale', '3:fresh', '4:fresh', '5:fresh', '6:fresh']);
  });

  it('reports a cell that raises now as error and skips the cells after it', () => {
    const { report, status } = staleJson(['--server', url, 'fixtures/stale/exception.ipynb']);
    expect(status).toBe(1);
    expect(report.cells).toMatchObject([
      { index: 0, status: 'fresh' },
      { index: 1, status: 'error', error: { ename: 'KeyError', evalue: "'plum'" } },
      { index: 2, status: 'skipped', reason: 'not run: cell 2 failed' },
    ]);
    expect(report.errors).toEqual([1]);
  });

  it('interrupts a cell that runs past --timeout, and deletes the kernel', () => {
    const started = Date.now();
    const { report, status } = staleJson(['--server', url, '--timeout', '1', 'fixtures/stale/sleep.ipynb']);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(status).toBe(1);
    expect(report.cells).toMatchObject([
      { index: 0, status: 'fresh' },
      { index: 1, status: 'error', reason: 'timed out after 1 s' },
      { index: 2, status: 'skipped' },
    ]);
  });

  it('reports a kernel that dies mid-run, and deletes the kernel the server restarted', () => {
    const r = stale(['--server', url, 'fixtures/stale/dies.ipynb']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`fixtures/stale/dies.ipynb: cell 2: error (the kernel died (the Jupyter Server at ${url} restarted it))`);
    expect(r.stdout).toContain('cell 3: skipped (not run: the kernel died in cell 2)');
  });

  it('refuses a wrong or missing token with one line naming the server (exit 2)', () => {
    const wrong = stale(['--server', url, '--token', 'not-the-token', 'fixtures/stale/fresh.ipynb'], {});
    expect(wrong.status).toBe(2);
    expect(wrong.stdout).toBe('');
    expect(wrong.stderr).toBe(`cellwise: the Jupyter Server at ${url} refused the token (403 Forbidden): give the server's token with --token TOKEN or in JUPYTER_TOKEN (\`jupyter server list\` shows it)\n`);
    const none = stale(['--server', url, 'fixtures/stale/fresh.ipynb'], {});
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^cellwise: the Jupyter Server at \S+ wants a token \(403 Forbidden\): give it with --token TOKEN or in JUPYTER_TOKEN/);
    expect(none.stderr.split('\n')).toHaveLength(2);
  });

  it('names an unreachable server and a kernel the server does not have (exit 2)', async () => {
    const closed = `http://127.0.0.1:${await freePort()}/`;
    const away = stale(['--server', closed, 'fixtures/stale/fresh.ipynb']);
    expect(away.status).toBe(2);
    expect(away.stderr).toBe(`cellwise: cannot reach the Jupyter Server at ${closed} (connection refused): is it running? \`jupyter server list\` shows the URLs of the running servers\n`);
    const missing = stale(['--server', url, '--kernel', 'nosuchkernel', 'fixtures/stale/fresh.ipynb']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(new RegExp(`^cellwise: the Jupyter Server at ${url.replaceAll('.', '\\.')} has no kernel named "nosuchkernel" \\(it has: [^)]*python3[^)]*; choose one with --kernel NAME\\)\\n$`));
    const alone = stale(['--token', token, 'fixtures/stale/fresh.ipynb']);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toBe('cellwise: --token goes with --server URL\n');
  });

  it('names a kernel the server cannot start, and one that dies as it starts (exit 2)', () => {
    const broken = stale(['--server', url, '--kernel', 'broken', 'fixtures/stale/fresh.ipynb']);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(new RegExp(`\\ncellwise: the Jupyter Server at ${url.replaceAll('.', '\\.')} could not start the broken kernel \\(500 [^)]*\\); the server's log says why\\n$`));
    const quits = stale(['--server', url, '--kernel', 'quits', 'fixtures/stale/fresh.ipynb']);
    expect(quits.status).toBe(2);
    expect(quits.stderr).toMatch(/\ncellwise: the quits kernel on the Jupyter Server at \S+ died while starting \(the Jupyter Server gave up restarting it\); the server's log says why\n$/);
  }, 120_000);

  it('deletes the kernel on Ctrl-C in the middle of a cell (exit 130)', async () => {
    const child = startMany('pipe');
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => { stdout += d; });
    child.stderr!.on('data', (d) => { stderr += d; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until('a cell to run on the server\'s kernel', () => kernelProcesses().some(sleepingInCell), 30_000);
      child.kill('SIGINT');
      expect(await exited).toBe(130);
    } finally {
      child.kill('SIGKILL');
    }
    expect(stderr).toBe('cellwise: fixtures/stale/many.ipynb: not under the root folder of the Jupyter Server at ' +
      `${url}: its kernel runs in the server's root folder, and relative paths in the notebook resolve there\n\ncellwise: interrupted; stopping the kernel\n`);
    expect(stdout).toMatch(/cell \d+: skipped \(interrupted while running\)/);
    expect(stdout).toContain('(run stopped early)');
    // afterEach: the server lists no kernel right away (the command waited for its DELETE).
  });

  it('leaves no kernel on the server when Cellwise itself is killed (the watchdog deletes it)', async () => {
    const child = startMany('ignore');
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      await until('a cell to run on the server\'s kernel', () => kernelProcesses().some(sleepingInCell), 30_000);
    } finally {
      child.kill('SIGKILL');
    }
    await exited;
    await until('the watchdog to delete the kernel', async () => (await kernelsOnServer()).length === 0, 20_000);
  });
});
