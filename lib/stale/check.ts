/**
 * Static checks of a saved notebook: what its execution counts and saved errors say about hidden state,
 * without running anything. A notebook run top to bottom in a fresh kernel has counts 1, 2, 3, … on its
 * code cells in order and no errors; every departure from that is a finding.
 */
import type { Notebook } from '../model.js';
import { stripAnsi } from '../util/text.js';
import type { Finding } from './types.js';

export function checkNotebook(nb: Notebook): Finding[] {
  const findings: Finding[] = [];
  const code = nb.cells.map((cell, index) => ({ cell, index })).filter(({ cell }) => cell.cell_type === 'code');
  const executed = code.filter(({ cell }) => typeof cell.execution_count === 'number');

  // Counts in notebook order: each should be exactly one more than the highest before it. A count missing
  // from the sequence that some cell below holds is an out-of-order run (reported there), not a lost one.
  const present = new Set(executed.map(({ cell }) => cell.execution_count as number));
  let highest = 0;
  let highestAt = -1;
  for (const { cell, index } of executed) {
    const count = cell.execution_count as number;
    if (count <= highest) {
      findings.push({
        rule: 'out-of-order', index,
        message: `ran as [${count}] but cell ${highestAt + 1} above it ran later as [${highest}] (hidden state risk)`,
      });
      continue;
    }
    let missing = 0;
    for (let n = highest + 1; n < count; n++) if (!present.has(n)) missing++;
    if (missing > 0) {
      const what = `${missing} ${missing === 1 ? 'execution' : 'executions'} not in the notebook`;
      findings.push({
        rule: 'stale-counts', index,
        message: highestAt === -1
          ? `first execution count is [${count}], not [1]: ${what} ran before it (re-runs or deleted cells)`
          : `execution count jumps from [${highest}] (cell ${highestAt + 1}) to [${count}]: ${what} ran in between (re-runs or deleted cells)`,
      });
    }
    highest = count;
    highestAt = index;
  }

  if (executed.length > 0) {
    for (const { cell, index } of code) {
      if (cell.execution_count == null && cell.source.trim() !== '') {
        findings.push({ rule: 'not-executed', index, message: 'never executed, although other cells were: the outputs below it did not see this code' });
      }
    }
  }

  for (const { cell, index } of code) {
    for (const output of cell.outputs ?? []) {
      if (output.output_type === 'error') {
        findings.push({ rule: 'error-output', index, message: `saved error output: ${errorLine(output.ename, output.evalue)}` });
      }
    }
  }
  return findings.sort((a, b) => a.index - b.index || RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule));
}

const RULE_ORDER: Finding['rule'][] = ['out-of-order', 'stale-counts', 'not-executed', 'error-output'];

/** `KeyError: 'West'` on one line, ANSI colours removed, cut to a readable length. */
export function errorLine(ename: string, evalue: string): string {
  const value = stripAnsi(evalue).split('\n')[0] ?? '';
  const line = value ? `${stripAnsi(ename)}: ${value}` : stripAnsi(ename);
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}
