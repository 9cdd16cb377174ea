/**
 * The `Cellwise` check run on the pull request's head commit: the notebooks' summary, and an annotation on
 * each changed notebook for every hidden-state finding (lib/stale: out-of-order runs, gaps, saved errors) and
 * every cell whose source changed while its outputs were not re-run. Neutral when there are findings unless
 * the repository asks for them to fail the check.
 */
import type { Finding } from '../lib/stale/index.js';
import { inline } from '../lib/render/markdown.js';
import type { Octokit, Repo } from './files.js';

export const CHECK_NAME = 'Cellwise';
// GitHub accepts at most 50 annotations per create or update request.
const ANNOTATIONS_PER_REQUEST = 50;
const TEXT_LIMIT = 65_535;

/** A finding on one notebook of the pull request (its head path). */
export interface NotebookFinding {
  path: string;
  /** 0-based cell index in head. */
  cell: number;
  rule: Finding['rule'] | 'stale-outputs';
  message: string;
}

export interface CheckInput {
  headSha: string;
  /** Markdown summary (the comment's table). */
  summary: string;
  findings: NotebookFinding[];
  failOnFindings: boolean;
  /** A problem with the run itself (a broken config): shown in the title. */
  problem?: string;
}

export type Conclusion = 'success' | 'neutral' | 'failure';

export function conclusionOf(input: Pick<CheckInput, 'findings' | 'failOnFindings'>): Conclusion {
  if (input.findings.length === 0) return 'success';
  return input.failOnFindings ? 'failure' : 'neutral';
}

export async function createCheckRun(octokit: Octokit, repo: Repo, input: CheckInput): Promise<{ id: number; conclusion: Conclusion }> {
  const conclusion = conclusionOf(input);
  const n = input.findings.length;
  const files = new Set(input.findings.map((f) => f.path)).size;
  const title = input.problem
    ?? (n === 0 ? 'No hidden-state findings in the changed notebooks' : `${n} ${n === 1 ? 'finding' : 'findings'} in ${files} ${files === 1 ? 'notebook' : 'notebooks'}`);
  const annotations = input.findings.map((f) => ({
    path: f.path,
    // The finding names its cell; a line inside the JSON file would need a locator the parser does not keep.
    start_line: 1,
    end_line: 1,
    annotation_level: (f.rule === 'error-output' || f.rule === 'out-of-order' ? 'warning' : 'notice') as 'warning' | 'notice',
    title: `cell ${f.cell + 1}: ${f.rule}`,
    message: f.message,
  }));
  const output = (batch: typeof annotations) => ({
    title: title.slice(0, 255),
    summary: input.summary.slice(0, TEXT_LIMIT),
    ...(n ? { text: findingsText(input.findings) } : {}),
    annotations: batch,
  });
  const { data } = await octokit.rest.checks.create({
    ...repo,
    name: CHECK_NAME,
    head_sha: input.headSha,
    status: 'completed',
    conclusion,
    completed_at: new Date().toISOString(),
    output: output(annotations.slice(0, ANNOTATIONS_PER_REQUEST)),
  });
  for (let i = ANNOTATIONS_PER_REQUEST; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    await octokit.rest.checks.update({ ...repo, check_run_id: data.id, output: output(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST)) });
  }
  return { id: data.id, conclusion };
}

function findingsText(findings: NotebookFinding[]): string {
  const lines: string[] = [];
  let path = '';
  for (const f of findings) {
    if (f.path !== path) {
      path = f.path;
      lines.push('', `**${inline(path)}**`, '');
    }
    lines.push(`- cell ${f.cell + 1} (${f.rule}): ${inline(f.message)}`);
  }
  let text = lines.join('\n').trim();
  if (text.length > TEXT_LIMIT) text = `${text.slice(0, TEXT_LIMIT - 40)}\n\n…(cut at GitHub's limit)`;
  return text;
}
