/** What the benchmark's parent (run.ts) and its per-case children (case.ts) share. */
import { readFileSync } from 'node:fs';
import type { DiffSummary } from '../lib/model.js';

export const CASE_RESULT_TAG = 'cellwise-bench-case';

/** Milliseconds: the median over the repetitions, and every repetition for the record. */
export interface Timing {
  median: number;
  runs: number[];
}

export interface CaseResult {
  base: string;
  head: string;
  bytes: { base: number; head: number };
  cells: { base: number; head: number };
  reps: number;
  /** Repetitions run before the measured ones, not in the medians. */
  warmup: number;
  /** bytes → string → JSON.parse, both files: what any tool reading them pays. */
  jsonParse: Timing;
  /** parseNotebook on both files, given bytes as the CLI gives them. */
  parse: Timing;
  diff: Timing;
  /** renderTerminal without colour. */
  render: Timing;
  /** parse + diff per repetition. */
  library: Timing;
  /** parse + diff of the very first repetition, in a fresh process (ms). */
  coldLibrary: number;
  /** Peak resident set size of this process, MB. */
  peakRssMB: number;
  summary: DiffSummary;
  changed: boolean;
  renderedLines: number;
  error?: string;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}


/** Tag of the line `<tag> <peak RSS in MB>` that rss-probe.js writes to stderr when the process exits. */
export const RSS_PROBE_TAG = 'cellwise-bench-maxrss-kb';

/**
 * Peak resident set size of this process in MB. On Linux, VmHWM of /proc/self/status: getrusage's maxRSS
 * survives exec, so a child spawned by a parent of 400 MB reports at least 400 MB; VmHWM starts afresh.
 */
export function peakRssMB(): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    // Not Linux: fall through.
  }
  return process.resourceUsage().maxRSS / 1024;
}
