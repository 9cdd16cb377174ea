/**
 * What `cellwise check` and `cellwise stale` report, as plain JSON (the `--json` output of both commands is
 * exactly these objects). Cell indices are 0-based positions in the notebook's `cells`, as in the diff
 * format; the text output numbers cells from 1, as a person counts them in Jupyter.
 */
import type { OutputsDiff } from '../model.js';

// ─── check: what the saved notebook alone tells ─────────────────────────────────────────────────────────

/**
 * - `out-of-order`: the cell's execution count is not above every count before it: it ran before cells
 *   above it, so their saved outputs may depend on state this cell had not set up yet (or the other way round).
 * - `not-executed`: a code cell with source but no execution count in a notebook where other cells ran.
 * - `stale-counts`: a gap in the counts (or a first count above 1): cells were re-run or deleted after later
 *   cells ran, so the kernel's state came from code the notebook no longer shows in that order.
 * - `error-output`: a saved error output.
 */
export type CheckRule = 'out-of-order' | 'not-executed' | 'stale-counts' | 'error-output';

export interface Finding {
  rule: CheckRule;
  /** 0-based cell index. */
  index: number;
  /** One line for a person. */
  message: string;
}

export interface CheckReport {
  /** The notebook's path, as given. */
  file: string;
  findings: Finding[];
}

// ─── stale: re-execution on a kernel compared with the saved outputs ───────────────────────────────────

/**
 * - `fresh`: the new outputs equal the saved ones (after normalization).
 * - `stale`: they differ: `changes` says how.
 * - `error`: the cell failed now and did not before (raised an error the saved outputs do not show, timed
 *   out, or the kernel died while running it).
 * - `skipped`: not compared: tagged `cellwise: skip` (run, not compared), or not run because an earlier cell
 *   failed, the kernel died or the run was interrupted (`reason` says which).
 */
export type CellRunStatus = 'fresh' | 'stale' | 'error' | 'skipped';

export interface CellRun {
  /** 0-based cell index (code cells only appear). */
  index: number;
  status: CellRunStatus;
  /** `skipped` and `error`: why, in a few words (`tagged cellwise: skip`, `timed out after 30 s`, …). */
  reason?: string;
  /** Wall time from execute_request to the kernel's reply, in milliseconds (cells that ran). */
  durationMs?: number;
  /** The kernel's own execution time (its reply's date minus `started`), when the kernel reports it. */
  kernelMs?: number;
  /** `error`: the new error, when the kernel raised one. */
  error?: { ename: string; evalue: string };
  /**
   * `stale` and `error`: the diff of the saved outputs (base) against the fresh ones (head), in the diff
   * format (docs/diff-format.md), after normalization.
   */
  changes?: OutputsDiff;
}

export const STALE_FORMAT = 'cellwise-stale';
export const STALE_FORMAT_VERSION = 1;

export interface StaleReport {
  format: typeof STALE_FORMAT;
  version: typeof STALE_FORMAT_VERSION;
  /** The notebook's path, as given. */
  file: string;
  /** The kernelspec that ran it (its name). */
  kernel: string;
  /** Every code cell, in notebook order. */
  cells: CellRun[];
  /** Indices of `stale` cells. */
  stale: number[];
  /** Indices of `error` cells. */
  errors: number[];
  /** False when the run stopped before the last code cell (failure, dead kernel, interruption). */
  complete: boolean;
  /** Whole run, kernel start to shutdown, in milliseconds. */
  elapsedMs: number;
}

