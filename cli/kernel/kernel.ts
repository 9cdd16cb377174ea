/**
 * What `cellwise stale` needs from a kernel, whoever runs it: a local process spoken to over zeromq
 * (local.ts), or, later, a Jupyter Server's kernel behind the same interface.
 */
import type { Output } from '../../lib/model.js';

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
  /** Asks the kernel to shut down, then makes sure its process group is gone. Safe to call twice. */
  shutdown(): Promise<void>;
  /** Ends the kernel now (SIGKILL to its process group): for Ctrl-C and fatal errors. */
  kill(): void;
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
