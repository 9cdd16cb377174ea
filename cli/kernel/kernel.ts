/**
 * What `cellwise stale` needs from a kernel, whoever runs it: a local process spoken to over zeromq
 * (local.ts), or a kernel on a running Jupyter Server (server.ts) behind the same interface.
 */
import type { Notebook, Output } from '../../lib/model.js';

export interface ExecuteResult {
  /** nbformat outputs, as a front end would save them (streams merged, clear_output and display updates applied). */
  outputs: Output[];
  /** The execute_reply's status: `error` when the cell raised. */
  status: 'ok' | 'error' | 'aborted';
  executionCount: number | null;
  /** Wall time from the request to the reply and the final idle status. */
  durationMs: number;
  /** The kernel's own time (reply date minus `started`), when it says. */
  kernelMs?: number;
}

export interface Kernel {
  /** The kernelspec's name. */
  readonly name: string;
  /** What the kernel said about its language (for the notebook's `language_info`). */
  readonly languageInfo: Record<string, unknown> | undefined;
  /**
   * Runs one cell. Rejects with KernelTimeout (after interrupting the kernel; its partial outputs attached)
   * when `timeoutMs` passes, with KernelDied when the kernel exits, with KernelStopped after `kill`.
   */
  execute(code: string, options: { timeoutMs?: number }): Promise<ExecuteResult>;
  /**
   * Asks the kernel to shut down and makes sure it is gone (a local kernel's process group; a server's kernel
   * deleted on the server). Safe to call twice, and after `kill`, whose work it waits for.
   */
  shutdown(): Promise<void>;
  /**
   * Ends the kernel now, for Ctrl-C and fatal errors: SIGKILL to a local kernel's process group; a server's
   * kernel is deleted on the server (which takes a request: `shutdown` waits for it).
   */
  kill(): void;
}

/** Where kernels come from: the kernelspecs installed here (spec.ts) or a Jupyter Server (server.ts). */
export interface KernelProvider {
  /**
   * The kernel a notebook will run on, decided before anything starts. Throws UsageError when there is none.
   * `notebookPath` is the notebook's file (the kernel runs in its folder where it can).
   */
  choose(nb: Notebook, requested: string | undefined, notebookPath: string): Promise<KernelChoice>;
}

export interface KernelChoice {
  /** The kernelspec's name, as the report shows it. */
  name: string;
  /** One-line notes for standard error: where the choice, or the kernel's folder, is not what the notebook expects. */
  notes: string[];
  start(): Promise<Kernel>;
}

export class KernelError extends Error {}

export class KernelDied extends KernelError {
  constructor(readonly detail: string, readonly outputs: Output[] = []) {
    super(`the kernel died (${detail})`);
  }
}

export class KernelTimeout extends KernelError {
  constructor(readonly timeoutMs: number, readonly outputs: Output[], readonly recovered: boolean) {
    super(`timed out after ${formatSeconds(timeoutMs)}`);
  }
}

export class KernelStopped extends KernelError {
  constructor() {
    super('the kernel was stopped');
  }
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
