/**
 * iopub messages as the nbformat outputs a front end would save, for every kind of kernel (local.ts over
 * zeromq, server.ts over a Jupyter Server's websocket): consecutive writes of one stream are one output,
 * `clear_output` (also with `wait`) empties the cell, and `update_display_data` changes every output showing
 * that display id, in any cell.
 */
import type { DisplayDataOutput, ExecuteResultOutput, JsonObject, MimeBundle, Output } from '../../lib/model.js';
import type { ExecuteResult } from './kernel.js';

/** One cell's outputs while it runs. */
export interface CellOutputs {
  outputs: Output[];
  /** A `clear_output(wait=True)` waiting for the next output. */
  clearPending: boolean;
}

export class OutputCollector {
  /** display_id → outputs showing it, in any cell (update_display_data changes them all). */
  private readonly displays = new Map<string, (DisplayDataOutput | ExecuteResultOutput)[]>();

  /** Adds one iopub message of the running cell to its outputs; messages that are not outputs are ignored. */
  collect(cell: CellOutputs, msgType: string, c: Record<string, unknown>): void {
    const add = (o: Output) => {
      if (cell.clearPending) { cell.outputs.length = 0; cell.clearPending = false; }
      const last = cell.outputs[cell.outputs.length - 1];
      if (o.output_type === 'stream' && last?.output_type === 'stream' && last.name === o.name) last.text += o.text;
      else cell.outputs.push(o);
    };
    switch (msgType) {
      case 'stream':
        add({ output_type: 'stream', name: String(c.name), text: String(c.text ?? '') });
        break;
      case 'display_data': {
        const o: DisplayDataOutput = { output_type: 'display_data', data: (c.data ?? {}) as MimeBundle, metadata: (c.metadata ?? {}) as JsonObject };
        this.remember(c, o);
        add(o);
        break;
      }
      case 'execute_result': {
        const o: ExecuteResultOutput = {
          output_type: 'execute_result', data: (c.data ?? {}) as MimeBundle, metadata: (c.metadata ?? {}) as JsonObject,
          execution_count: typeof c.execution_count === 'number' ? c.execution_count : null,
        };
        this.remember(c, o);
        add(o);
        break;
      }
      case 'error':
        add({ output_type: 'error', ename: String(c.ename), evalue: String(c.evalue), traceback: (c.traceback ?? []) as string[] });
        break;
      case 'clear_output':
        if (c.wait) cell.clearPending = true;
        else { cell.outputs.length = 0; cell.clearPending = false; }
        break;
      case 'update_display_data':
        this.updateDisplay(c);
        break;
    }
  }

  /** An `update_display_data` whose parent is not the running cell (a display shown in cell 2, updated in cell 5). */
  updateDisplay(c: Record<string, unknown>): void {
    const id = (c.transient as { display_id?: unknown } | undefined)?.display_id;
    if (typeof id !== 'string') return;
    for (const o of this.displays.get(id) ?? []) {
      o.data = (c.data ?? {}) as MimeBundle;
      o.metadata = (c.metadata ?? {}) as JsonObject;
    }
  }

  private remember(c: Record<string, unknown>, o: DisplayDataOutput | ExecuteResultOutput): void {
    const id = (c.transient as { display_id?: unknown } | undefined)?.display_id;
    if (typeof id !== 'string') return;
    const list = this.displays.get(id) ?? [];
    list.push(o);
    this.displays.set(id, list);
  }
}

/** ipykernel puts `started` in the reply's metadata; the reply's own date is when execution ended. */
/** An execute_reply as both kinds of kernel receive it: what executeResult reads of it. */
export interface ExecuteReply {
  header: { date: string };
  metadata: Record<string, unknown>;
  content: { status?: unknown; execution_count?: unknown };
}

/** The result of one cell's run from its execute_reply, the outputs collected and when the request went out. */
export function executeResult(reply: ExecuteReply, outputs: Output[], started: number): ExecuteResult {
  const { status, execution_count: count } = reply.content;
  const kernelMs = kernelDuration(reply);
  return {
    outputs, status: status === 'error' || status === 'aborted' ? status : 'ok',
    executionCount: typeof count === 'number' ? count : null,
    durationMs: performance.now() - started,
    ...(kernelMs !== undefined ? { kernelMs } : {}),
  };
}

export function kernelDuration(reply: { header: { date: string }; metadata: Record<string, unknown> }): number | undefined {
  const started = reply.metadata.started;
  if (typeof started !== 'string') return undefined;
  const a = Date.parse(started);
  const b = Date.parse(reply.header.date);
  return Number.isFinite(a) && Number.isFinite(b) && b >= a ? b - a : undefined;
}
