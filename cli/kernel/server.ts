/**
 * Kernels on a running Jupyter Server (`cellwise stale --server URL`), spoken to with @jupyterlab/services
 * over the server's REST API and kernel websocket, so that a notebook can run where its data is. Only loaded
 * with `--server`: @jupyterlab/services and ws cost a quarter of a second to import.
 *
 * The kernel is the server's process, not ours, so "kernels never outlive the command" takes two things: a
 * DELETE when the run ends (normally, on an error, a timeout, or Ctrl-C), and a watchdog process
 * (server-watchdog.ts) that deletes whatever is left when Cellwise ends without doing so (killed outright).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KernelAPI, KernelConnection, KernelSpecAPI, ServerConnection, type Kernel as JupyterKernel, type KernelMessage } from '@jupyterlab/services';
import WebSocket from 'ws';
import type { Notebook } from '../../lib/model.js';
import { UsageError } from '../errors.js';
import { formatSeconds, KernelDied, KernelStopped, KernelTimeout, type ExecuteResult, type Kernel, type KernelChoice, type KernelProvider } from './kernel.js';
import { executeResult, OutputCollector, type CellOutputs, type ExecuteReply } from './outputs.js';
import { describeWanted, pickKernelSpec, type SpecSummary } from './spec.js';

export interface ServerOptions {
  /** The server's URL, as `jupyter server list` prints it (a `?token=` in it is used and not shown). */
  url: string;
  /** `--token`; else the URL's token; else JUPYTER_TOKEN. */
  token?: string | undefined;
  /** How long a kernel may take from the start request to its first kernel_info_reply (default 60 s). */
  startTimeoutMs?: number;
  /** How long an interrupted cell may take to stop before the kernel counts as stuck (default 5 s). */
  interruptGraceMs?: number;
  /** How long the websocket may be down (the server gone) before the kernel counts as lost (default 10 s). */
  reconnectGraceMs?: number;
}

/** The server's kernelspecs, checked once: a wrong URL or token fails here, before any kernel starts. */
export async function connectServer(options: ServerOptions): Promise<KernelProvider> {
  quietLibrary();
  const { baseUrl, token, display } = parseServerUrl(options.url, options.token);
  const settings = ServerConnection.makeSettings({
    baseUrl,
    token,
    appendToken: true,
    fetch: withTimeout as unknown as ServerConnection.ISettings['fetch'],
    WebSocket: WebSocket as unknown as ServerConnection.ISettings['WebSocket'],
  });
  const server = new JupyterServer(display, baseUrl, token, settings, options);
  await server.loadSpecs();
  return server;
}

/** A one-line account of a failed request, naming the server and what to do. */
function serverError(e: unknown, server: { display: string; token: string }, what: string): UsageError {
  const at = `the Jupyter Server at ${server.display}`;
  if (e instanceof ServerConnection.NetworkError) {
    return new UsageError(`cannot reach ${at} (${e.message}): is it running? \`jupyter server list\` shows the URLs of the running servers`);
  }
  if (e instanceof ServerConnection.ResponseError) {
    const status = `${e.response.status}${e.response.statusText ? ` ${e.response.statusText}` : ''}`;
    if (e.response.status === 403 || e.response.status === 401) {
      return new UsageError(server.token
        ? `${at} refused the token (${status}): give the server's token with --token TOKEN or in JUPYTER_TOKEN (\`jupyter server list\` shows it)`
        : `${at} wants a token (${status}): give it with --token TOKEN or in JUPYTER_TOKEN (\`jupyter server list\` shows it)`);
    }
    if (e.response.status === 404 && what === 'list its kernels') {
      return new UsageError(`${server.display} does not look like a Jupyter Server (GET api/kernelspecs: ${status}): give the server's base URL, as \`jupyter server list\` prints it`);
    }
    return new UsageError(`${at} could not ${what} (${failure(e)})${e.response.status >= 500 ? '; the server\'s log says why' : ''}`);
  }
  if (e instanceof SyntaxError && what === 'list its kernels') {
    return new UsageError(`${server.display} does not look like a Jupyter Server (api/kernelspecs is not JSON): give the server's base URL, as \`jupyter server list\` prints it`);
  }
  if (e instanceof UsageError) return e;
  return new UsageError(`${at} could not ${what}: ${e instanceof Error ? firstLine(e.message) : String(e)}`);
}

/** Why a request failed, in a few words: `connection refused`, `500 Internal Server Error: …`. */
function failure(e: unknown): string {
  if (e instanceof ServerConnection.ResponseError) {
    const said = e.message && !e.message.startsWith('Invalid response:') ? `: ${firstLine(e.message)}` : '';
    return `${e.response.status}${e.response.statusText ? ` ${e.response.statusText}` : ''}${said}`;
  }
  return e instanceof Error ? firstLine(e.message) : String(e);
}

function firstLine(s: string): string {
  return s.trim().split('\n')[0]!.slice(0, 300);
}

/** The base URL (ending in `/`), the token, and the URL as messages show it: without its token. */
export function parseServerUrl(raw: string, tokenFlag: string | undefined): { baseUrl: string; token: string; display: string } {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--server must be the Jupyter Server's URL, such as http://127.0.0.1:8888/, not "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--server must be an http:// or https:// URL, such as http://127.0.0.1:8888/, not "${raw}"`);
  }
  const urlToken = url.searchParams.get('token') ?? undefined;
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  const token = tokenFlag ?? urlToken ?? process.env.JUPYTER_TOKEN ?? '';
  return { baseUrl: url.href, token, display: url.href };
}

/**
 * Node's fetch with a time limit, and with the reason of a network failure in the message: @jupyterlab/services
 * keeps only the message of what fetch threw, which is "fetch failed" whatever happened.
 */
async function withTimeout(input: Request | string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(input, { signal: AbortSignal.timeout(60_000), ...init });
  } catch (e) {
    throw new TypeError(networkReason(e));
  }
}

function networkReason(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'no answer within 60 s';
  switch (err.cause?.code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'no such host';
    case 'ECONNRESET': return 'connection reset';
    case 'ETIMEDOUT': case 'UND_ERR_CONNECT_TIMEOUT': return 'connection timed out';
  }
  return err.cause?.message ?? err.message ?? String(e);
}

/**
 * @jupyterlab/services logs for a browser's developer tools ("Starting WebSocket", reconnections, server
 * tracebacks). In a command, console.log and console.debug would land in standard output, inside `--json`.
 * Cellwise says what matters itself, in one line; this module is loaded only for `--server`.
 */
function quietLibrary(): void {
  for (const level of ['debug', 'log', 'info', 'warn', 'error'] as const) console[level] = () => {};
  // It also rejects promises nobody can handle: after a kernel restart it reconnects in the background, and
  // disposing the connection meanwhile (the run ends because the kernel died) rejects that reconnection. Node
  // would end the command with a stack trace; anything else unhandled still does.
  process.on('unhandledRejection', (reason) => {
    const text = reason instanceof Error ? `${reason.message}\n${reason.stack ?? ''}` : String(reason);
    if (/@jupyterlab[\\/]services|^Kernel (connection|info|is dead)|^Canceled future/.test(text)) return;
    throw reason;
  });
}

class JupyterServer implements KernelProvider {
  private specs = new Map<string, SpecSummary>();
  private watchdog: Watchdog | undefined;

  constructor(
    readonly display: string,
    private readonly baseUrl: string,
    readonly token: string,
    readonly settings: ServerConnection.ISettings,
    readonly options: ServerOptions,
  ) {}

  async loadSpecs(): Promise<void> {
    try {
      const models = await KernelSpecAPI.getSpecs(this.settings);
      for (const [name, spec] of Object.entries(models.kernelspecs)) {
        if (spec) this.specs.set(name.toLowerCase(), { name, language: spec.language ?? '' });
      }
    } catch (e) {
      throw serverError(e, this, 'list its kernels');
    }
  }

  async choose(nb: Notebook, requested: string | undefined, notebookPath: string): Promise<KernelChoice> {
    const found = pickKernelSpec(nb, requested, this.specs, `is not on the Jupyter Server at ${this.display}`);
    if (!found.spec) {
      const has = [...this.specs.values()].map((s) => s.name);
      throw new UsageError(`the Jupyter Server at ${this.display} has no kernel ${describeWanted(found.wanted)} (it has: ${has.join(', ') || 'none'}; choose one with --kernel NAME)`);
    }
    const name = found.spec.name;
    const folder = await this.kernelFolder(notebookPath);
    return {
      name,
      notes: [...(found.note ? [found.note] : []), ...(folder.note ? [folder.note] : [])],
      start: () => this.start(name, folder.path),
    };
  }

  /**
   * Where on the server the notebook's folder is, as a path relative to the server's root (what the server
   * starts a kernel in): the server does not say where its root is, so the notebook's path is tried against
   * its contents API from the notebook's own folder upwards, until a file of the same size and time is found.
   */
  private async kernelFolder(notebookPath: string): Promise<{ path: string; note?: string }> {
    const elsewhere = `not under the root folder of the Jupyter Server at ${this.display}: its kernel runs in the server's root folder, and relative paths in the notebook resolve there`;
    const absolute = resolve(notebookPath);
    let stat: { size: number; mtimeMs: number };
    try {
      stat = statSync(absolute);
    } catch {
      return { path: '', note: elsewhere };
    }
    const parts = absolute.split(sep).filter((p) => p !== '');
    for (let from = parts.length - 1; from >= Math.max(0, parts.length - 40); from--) {
      const rel = parts.slice(from);
      const url = `${this.baseUrl}api/contents/${rel.map(encodeURIComponent).join('/')}?content=0`;
      let response: Response;
      try {
        response = await ServerConnection.makeRequest(url, {}, this.settings);
      } catch (e) {
        throw serverError(e, this, 'look the notebook up');
      }
      if (response.status === 404) continue;
      if (response.status !== 200) {
        return { path: '', note: `the Jupyter Server at ${this.display} would not say where the notebook is (contents API: ${response.status}): its kernel runs in the server's root folder` };
      }
      const model = (await response.json().catch(() => ({}))) as { type?: string; size?: unknown; last_modified?: unknown };
      const sameSize = typeof model.size === 'number' ? model.size === stat.size : undefined;
      const modified = typeof model.last_modified === 'string' ? Date.parse(model.last_modified) : NaN;
      const sameTime = Number.isFinite(modified) ? Math.abs(modified - stat.mtimeMs) <= 2000 : undefined;
      if (model.type !== 'directory' && sameSize !== false && sameTime !== false && (sameSize || sameTime)) {
        return { path: rel.slice(0, -1).join('/') };
      }
    }
    return { path: '', note: elsewhere };
  }

  private async start(name: string, path: string): Promise<Kernel> {
    this.watchdog ??= new Watchdog(this.baseUrl, this.token);
    // `path` is the kernel's folder relative to the server's root; IKernelOptions does not list it, the server reads it.
    const request = { name, path };
    let model: JupyterKernel.IModel;
    try {
      model = await KernelAPI.startNew(request, this.settings);
    } catch (e) {
      throw serverError(e, this, `start the ${name} kernel`);
    }
    this.watchdog.started(model.id);
    let kernel: ServerKernel | undefined;
    const kernelAPIClient = new ServerGoneClient(this.settings, () => kernel?.lost());
    const connection = new KernelConnection({ model, serverSettings: this.settings, handleComms: false, kernelAPIClient });
    kernel = new ServerKernel(this, model.id, name, connection);
    try {
      await kernel.ready(this.options.startTimeoutMs ?? 60_000);
    } catch (e) {
      await kernel.shutdown();
      throw e;
    }
    return kernel;
  }

  /** DELETE: the server shuts the kernel down (shutdown_request, then kills what is left). */
  async deleteKernel(id: string): Promise<void> {
    // A kernel that just died is being restarted by the server, and Jupyter Server 1.x answers a DELETE in
    // that moment with a 500 (jupyter_client's `ready` future is not done yet): try again once it is.
    for (const wait of [250, 500, 1000, 2000, 2000, 0]) {
      try {
        // A 404 is fine: the kernel is already gone.
        await KernelAPI.shutdownKernel(id, this.settings);
        this.watchdog?.deleted(id);
        return;
      } catch (e) {
        if (wait === 0 || !(e instanceof ServerConnection.ResponseError && e.response.status >= 500)) {
          process.stderr.write(`cellwise: could not shut down kernel ${id} on the Jupyter Server at ${this.display} (${failure(e)}); if the server is still running, shut it down there\n`);
          return;
        }
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }
}

/**
 * When its websocket will not reopen, services asks the server for the kernel's model, and on a network error
 * asks again every 10 to 30 s, forever, from a timer that would keep the finished command alive that long. A
 * server that cannot be reached at that point is gone: say so at once, and let services give up.
 */
class ServerGoneClient extends KernelAPI.KernelAPIClient {
  constructor(settings: ServerConnection.ISettings, private readonly onGone: () => void) {
    super({ serverSettings: settings });
  }

  override async getModel(id: string): Promise<JupyterKernel.IModel | undefined> {
    try {
      return await super.getModel(id);
    } catch (e) {
      if (!(e instanceof ServerConnection.NetworkError)) throw e;
      this.onGone();
      throw new Error(`the server is gone (${e.message})`);
    }
  }
}

interface Run extends CellOutputs {
  msgId: string;
  started: number;
  timedOut: boolean;
  settle: (error: Error | undefined, reply?: KernelMessage.IExecuteReplyMsg) => void;
}

class ServerKernel implements Kernel {
  languageInfo: Record<string, unknown> | undefined;
  private run: Run | undefined;
  private stopped = false;
  private died: string | undefined;
  private deleting: Promise<void> | undefined;
  private readonly collector = new OutputCollector();
  private lostTimer: NodeJS.Timeout | undefined;
  private onDeath: ((detail: string) => void) | undefined;

  constructor(
    private readonly server: JupyterServer,
    private readonly id: string,
    readonly name: string,
    private readonly connection: KernelConnection,
  ) {
    connection.statusChanged.connect((_, status) => {
      // The server restarts a kernel whose process ended ("restarting", then services' "autorestarting"),
      // and says "dead" when it cannot.
      if (status === 'restarting' || status === 'autorestarting') this.die(`the Jupyter Server at ${server.display} restarted it`);
      else if (status === 'dead') this.die(`the Jupyter Server at ${server.display} reports it dead`);
    });
    connection.connectionStatusChanged.connect((_, status) => {
      if (status === 'connected') {
        clearTimeout(this.lostTimer);
        this.lostTimer = undefined;
      } else if (!this.lostTimer && !this.stopped) {
        // services reconnects for minutes; a server that is gone should end the run sooner.
        this.lostTimer = setTimeout(() => this.lost(), server.options.reconnectGraceMs ?? 10_000);
        this.lostTimer.unref();
      }
    });
    connection.iopubMessage.connect((_, m) => {
      const run = this.run;
      const content = m.content as Record<string, unknown>;
      if (run && m.parent_header && (m.parent_header as { msg_id?: string }).msg_id === run.msgId) {
        if (m.header.msg_type !== 'status') this.collector.collect(run, m.header.msg_type, content);
      } else if (m.header.msg_type === 'update_display_data') {
        // Outputs for an earlier cell can still update displays (a display shown in cell 2, updated in cell 5).
        this.collector.updateDisplay(content);
      }
    });
  }

  /**
   * Waits for the kernel's first kernel_info_reply. A kernel that exits as soon as it starts never gets its
   * websocket opened (the server holds it until the kernel answers), so its death shows only in the REST API,
   * once the server has given up restarting it: asked every second.
   */
  async ready(timeoutMs: number): Promise<void> {
    const at = `on the Jupyter Server at ${this.server.display}`;
    let timer: NodeJS.Timeout | undefined;
    let poll: NodeJS.Timeout | undefined;
    const info = this.connection.info;
    info.catch(() => {});
    try {
      const reply = await Promise.race([
        info,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new UsageError(`the ${this.name} kernel ${at} did not answer within ${formatSeconds(timeoutMs)} of starting; the server's log may say why`)), timeoutMs);
          this.onDeath = (detail) => reject(new UsageError(`the ${this.name} kernel ${at} died while starting (${detail.replace(` at ${this.server.display}`, '')}); the server's log says why`));
          poll = setInterval(() => {
            KernelAPI.getKernelModel(this.id, this.server.settings).then((model) => {
              if (!model || model.execution_state === 'dead') this.die('the Jupyter Server gave up restarting it');
            }, () => {});
          }, 1000);
        }),
      ]);
      const li = (reply as { language_info?: unknown }).language_info;
      if (li && typeof li === 'object') this.languageInfo = li as Record<string, unknown>;
    } finally {
      clearTimeout(timer);
      clearInterval(poll);
      this.onDeath = undefined;
    }
  }

  execute(code: string, { timeoutMs }: { timeoutMs?: number }): Promise<ExecuteResult> {
    if (this.stopped) return Promise.reject(new KernelStopped());
    if (this.died) return Promise.reject(new KernelDied(this.died));
    return new Promise<ExecuteResult>((resolve, reject) => {
      const timers: NodeJS.Timeout[] = [];
      let settled = false;
      const future = this.connection.requestExecute({
        code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false,
      });
      const run: Run = {
        msgId: future.msg.header.msg_id, outputs: [], clearPending: false, started: performance.now(), timedOut: false,
        settle: (error, reply) => {
          if (settled) return;
          settled = true;
          for (const t of timers) clearTimeout(t);
          if (this.run === run) this.run = undefined;
          if (error) return reject(error);
          if (run.timedOut) return reject(new KernelTimeout(timeoutMs!, run.outputs, true));
          resolve(executeResult(reply as unknown as ExecuteReply, run.outputs, run.started));
        },
      };
      this.run = run;
      future.done.then(
        (reply) => run.settle(undefined, reply),
        // A future is cancelled when the kernel restarts or the connection is disposed: die() or kill() has
        // already settled the run with the reason, so this only speaks when nothing else did.
        (e: unknown) => run.settle(this.stopped ? new KernelStopped() : new KernelDied(this.died ?? (e instanceof Error ? e.message : String(e)), run.outputs)),
      );
      if (timeoutMs !== undefined && timeoutMs > 0) {
        timers.push(setTimeout(() => {
          run.timedOut = true;
          // The server interrupts the kernel as its kernelspec says (a signal, or an interrupt_request).
          this.connection.interrupt().catch(() => {});
          // An interrupt the kernel cannot honour (C code that never checks signals): give up on it.
          timers.push(setTimeout(() => run.settle(new KernelTimeout(timeoutMs, run.outputs, false)), this.server.options.interruptGraceMs ?? 5000));
        }, timeoutMs));
      }
    });
  }

  /** The websocket is down and the server cannot be reached (or not for long). */
  lost(): void {
    this.die(`lost the connection to the Jupyter Server at ${this.server.display}`);
  }

  private die(detail: string): void {
    if (this.stopped || this.died) return;
    this.died = detail;
    this.onDeath?.(detail);
    this.run?.settle(new KernelDied(detail, this.run.outputs));
  }

  async shutdown(): Promise<void> {
    this.kill();
    await this.deleting;
  }

  kill(): void {
    if (!this.stopped) {
      this.stopped = true;
      clearTimeout(this.lostTimer);
      this.run?.settle(new KernelStopped());
      this.connection.dispose();
    }
    this.deleting ??= this.server.deleteKernel(this.id);
  }
}

/** The process that deletes our kernels if Cellwise ends without doing so (server-watchdog.ts). */
class Watchdog {
  private readonly child: ChildProcess;

  constructor(baseUrl: string, token: string) {
    this.child = spawn(process.execPath, [fileURLToPath(new URL('./server-watchdog.js', import.meta.url))], {
      // Its own process group: the terminal's Ctrl-C, meant for Cellwise, must not end it too.
      detached: true,
      stdio: ['pipe', 'ignore', 'ignore'],
      env: { ...process.env, CELLWISE_WATCHDOG_URL: baseUrl, CELLWISE_WATCHDOG_TOKEN: token },
    });
    this.child.on('error', () => {});
    this.child.stdin?.on('error', () => {});
    // Never keep Cellwise alive for the watchdog's sake: it ends when its input does.
    this.child.unref();
    (this.child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  }

  started(id: string): void {
    this.child.stdin?.write(`+${id}\n`);
  }

  deleted(id: string): void {
    this.child.stdin?.write(`-${id}\n`);
  }
}
