/**
 * A kernel run as a child process and spoken to over zeromq. It lives in its own process group (so the
 * terminal's Ctrl-C reaches Cellwise, which decides, and one kill reaches anything the kernel started),
 * knows Cellwise's pid (JPY_PARENT_PID: ipykernel exits when its parent dies without cleaning up), and is
 * killed from an `exit` hook if it is still alive when Cellwise exits for any reason.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { KernelDied, KernelStopped, KernelTimeout, type ExecuteResult, type Kernel } from './kernel.js';
import { executeResult, OutputCollector, type CellOutputs } from './outputs.js';
import { Connection, type Channel, type ConnectionInfo, type Message } from './protocol.js';
import type { KernelSpec } from './spec.js';

export interface StartOptions {
  /** The kernel's working folder (the notebook's). */
  cwd: string;
  /** How long the kernel may take to answer its first kernel_info_request (default 60 s). */
  startTimeoutMs?: number;
  /** How long an interrupted cell may take to stop before the kernel counts as stuck (default 5 s). */
  interruptGraceMs?: number;
}

/** Kernel processes alive right now, killed on exit whatever the reason. */
const live = new Set<ChildProcess>();
let hooked = false;

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
}

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => { for (const child of live) killGroup(child); });
}

async function freePorts(n: number): Promise<number[]> {
  // All held open at once so that no two are the same; the kernel binds them a moment later.
  const servers = await Promise.all(Array.from({ length: n }, () => new Promise<import('node:net').Server>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve(s));
  })));
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

interface Run extends CellOutputs {
  msgId: string;
  idle: boolean;
  reply: Message | undefined;
  started: number;
  timedOut: boolean;
  settle: (error: Error | undefined) => void;
}

export async function startLocalKernel(spec: KernelSpec, options: StartOptions): Promise<Kernel> {
  const [shell, iopub, stdin, control, hb] = await freePorts(5);
  const dir = mkdtempSync(join(tmpdir(), 'cellwise-kernel-'));
  const connectionFile = join(dir, 'kernel.json');
  const info: ConnectionInfo = {
    ip: '127.0.0.1', transport: 'tcp', shell_port: shell!, iopub_port: iopub!, stdin_port: stdin!, control_port: control!,
    hb_port: hb!, key: randomBytes(32).toString('hex'), signature_scheme: 'hmac-sha256', kernel_name: spec.name,
  };
  writeFileSync(connectionFile, JSON.stringify(info), { mode: 0o600 });
  const argv = spec.argv.map((a) => a.replaceAll('{connection_file}', connectionFile).replaceAll('{resource_dir}', spec.resourceDir));
  const kernel = new LocalKernel(spec, info, dir, options);
  await kernel.launch(argv, options);
  return kernel;
}

class LocalKernel implements Kernel {
  readonly name: string;
  languageInfo: Record<string, unknown> | undefined;
  private child!: ChildProcess;
  private connection!: Connection;
  private exited: string | undefined;
  private stderrTail = '';
  private run: Run | undefined;
  private iopubSeen = false;
  private infoReplies = new Map<string, (m: Message) => void>();
  private controlReplies = new Map<string, () => void>();
  private readonly collector = new OutputCollector();
  private exitWaiters: (() => void)[] = [];
  private stopped = false;

  constructor(
    private readonly spec: KernelSpec,
    private readonly info: ConnectionInfo,
    private readonly dir: string,
    private readonly options: StartOptions,
  ) {
    this.name = spec.name;
  }

  async launch(argv: string[], options: StartOptions): Promise<void> {
    hookExit();
    const [command, ...args] = argv;
    const child = spawn(command!, args, {
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...this.spec.env, JPY_PARENT_PID: String(process.pid), PYDEVD_DISABLE_FILE_VALIDATION: '1' },
    });
    this.child = child;
    live.add(child);
    // Never keep Cellwise alive for the kernel's sake: the exit hook ends it.
    child.unref();
    child.stderr?.on('data', (chunk: Buffer) => { this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-4000); });
    (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
    const spawnFailed = new Promise<never>((_, reject) => {
      child.once('error', (e: NodeJS.ErrnoException) => {
        this.onExit(`could not start: ${e.code === 'ENOENT' ? `${command} not found` : e.message}`);
        reject(new UsageError(`cannot start the ${this.spec.name} kernel: ${e.code === 'ENOENT' ? `${command} not found` : e.message} (kernelspec in ${this.spec.resourceDir})`));
      });
    });
    spawnFailed.catch(() => {});
    child.once('exit', (code, signal) => this.onExit(signal ? `killed by ${signal}` : `exit code ${code}`));
    this.connection = new Connection(this.info, (channel, message) => this.onMessage(channel, message));
    await Promise.race([spawnFailed, this.handshake(options.startTimeoutMs ?? 60_000)]);
  }

  /**
   * kernel_info_request until the kernel answers on shell and something has come through iopub: a SUB socket
   * drops what is published before its subscription reaches the kernel, so executing earlier can lose output.
   */
  private async handshake(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let answered = false;
    while (!(answered && this.iopubSeen)) {
      if (this.exited) {
        const tail = this.stderrTail.trim().split('\n').slice(-5).join('\n');
        this.cleanup();
        throw new UsageError(`the ${this.spec.name} kernel exited while starting (${this.exited})${tail ? `:\n${tail}` : ''}`);
      }
      if (Date.now() > deadline) {
        this.kill();
        throw new UsageError(`the ${this.spec.name} kernel did not answer within ${timeoutMs / 1000} s of starting`);
      }
      const id = randomUUID();
      const reply = new Promise<Message | undefined>((resolve) => {
        const timer = setTimeout(() => { this.infoReplies.delete(id); resolve(undefined); }, answered ? 100 : 250);
        this.infoReplies.set(id, (m) => { clearTimeout(timer); resolve(m); });
      });
      await this.connection.send('shell', 'kernel_info_request', {}, id);
      const answer = await reply;
      if (answer) {
        answered = true;
        const li = answer.content.language_info;
        if (li && typeof li === 'object') this.languageInfo = li as Record<string, unknown>;
      }
    }
  }

  execute(code: string, { timeoutMs }: { timeoutMs?: number }): Promise<ExecuteResult> {
    if (this.stopped) return Promise.reject(new KernelStopped());
    if (this.exited) return Promise.reject(new KernelDied(this.exited));
    return new Promise<ExecuteResult>((resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      const run: Run = {
        msgId: randomUUID(), outputs: [], clearPending: false, idle: false, reply: undefined, started: performance.now(), timedOut: false,
        settle: (error) => {
          for (const t of timers) clearTimeout(t);
          this.run = undefined;
          if (error) return reject(error);
          if (run.timedOut) return reject(new KernelTimeout(timeoutMs!, run.outputs, true));
          resolve(executeResult(run.reply!, run.outputs, run.started));
        },
      };
      this.run = run;
      this.connection.send('shell', 'execute_request', {
        code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false,
      }, run.msgId).then(() => {
        if (timeoutMs !== undefined && timeoutMs > 0) {
          timers.push(setTimeout(() => {
            run.timedOut = true;
            this.interrupt();
            // An interrupt the kernel cannot honour (C code that never checks signals): give up on it.
            timers.push(setTimeout(() => {
              if (this.run === run) run.settle(new KernelTimeout(timeoutMs, run.outputs, false));
            }, this.options.interruptGraceMs ?? 5000));
          }, timeoutMs));
        }
      }, (e: Error) => run.settle(e));
    });
  }

  private interrupt(): void {
    if (this.spec.interruptMode === 'message') {
      void this.connection.send('control', 'interrupt_request', {}).catch(() => {});
    } else if (this.child.pid !== undefined && !this.exited) {
      try { process.kill(this.child.pid, 'SIGINT'); } catch { /* gone */ }
    }
  }

  /**
   * shutdown_request, then a short wait for the process to end by itself before its group is killed. After
   * replying, ipykernel takes about a second to exit once matplotlib is loaded (thread joins, atexit hooks):
   * time a throwaway kernel has no use for, so it gets 300 ms.
   */
  async shutdown(): Promise<void> {
    if (!this.exited && !this.stopped) {
      const id = randomUUID();
      const replied = new Promise<unknown>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        this.controlReplies.set(id, () => { clearTimeout(timer); resolve(undefined); });
        this.exitWaiters.push(() => { clearTimeout(timer); resolve(undefined); });
      });
      await this.connection.send('control', 'shutdown_request', { restart: false }, id).catch(() => {});
      await replied;
      await this.waitExit(300);
    }
    this.kill();
  }

  kill(): void {
    this.stopped = true;
    if (!this.exited) killGroup(this.child);
    // The group may hold processes the kernel started even when the kernel itself is gone.
    else if (this.child.pid !== undefined) { try { process.kill(-this.child.pid, 'SIGKILL'); } catch { /* none */ } }
    this.run?.settle(new KernelStopped());
    this.cleanup();
  }

  private waitExit(ms: number): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.exitWaiters.push(() => { clearTimeout(timer); resolve(); });
    });
  }

  private onExit(detail: string): void {
    if (this.exited) return;
    this.exited = detail;
    live.delete(this.child);
    for (const w of this.exitWaiters.splice(0)) w();
    if (this.run) {
      const tail = this.stderrTail.trim().split('\n').filter((l) => l.trim()).slice(-1)[0];
      this.run.settle(this.stopped ? new KernelStopped() : new KernelDied(detail + (tail ? `; last words: ${tail}` : ''), this.run.outputs));
    }
  }

  private cleanup(): void {
    this.connection?.close();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private onMessage(channel: Channel, m: Message): void {
    if (channel === 'iopub') this.iopubSeen = true;
    const parent = m.parent_header.msg_id;
    if (m.header.msg_type === 'kernel_info_reply' && parent !== undefined) {
      this.infoReplies.get(parent)?.(m);
      this.infoReplies.delete(parent);
      return;
    }
    if (channel === 'control' && parent !== undefined) {
      this.controlReplies.get(parent)?.();
      this.controlReplies.delete(parent);
      return;
    }
    const run = this.run;
    if (!run || parent !== run.msgId) {
      // Outputs for an earlier cell can still update displays (a display shown in cell 2, updated in cell 5).
      if (m.header.msg_type === 'update_display_data') this.collector.updateDisplay(m.content);
      return;
    }
    if (channel === 'shell' && m.header.msg_type === 'execute_reply') {
      run.reply = m;
    } else if (channel === 'iopub') {
      if (m.header.msg_type === 'status') run.idle ||= m.content.execution_state === 'idle';
      else this.collector.collect(run, m.header.msg_type, m.content);
    }
    if (run.reply && run.idle) run.settle(undefined);
  }
}
