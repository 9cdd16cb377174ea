/**
 * The one sticky comment per pull request: found again by the hidden marker on its first line and by being
 * written by a bot (a person quoting the marker must not have their comment overwritten), edited on every
 * push, never posted twice.
 */
import type { Octokit, Repo } from './files.js';

export const MARKER = '<!-- cellwise -->';

export interface StickyResult {
  action: 'created' | 'updated' | 'unchanged' | 'skipped';
  id?: number;
}

/** The app's earlier comment on this issue or pull request, if any (stops paging once found). */
export async function findStickyComment(octokit: Octokit, repo: Repo, issueNumber: number): Promise<{ id: number; body: string } | null> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { ...repo, issue_number: issueNumber, per_page: 100 });
  for await (const page of pages) {
    for (const comment of page.data) {
      if (comment.user?.type === 'Bot' && (comment.body ?? '').startsWith(MARKER)) return { id: comment.id, body: comment.body ?? '' };
    }
  }
  return null;
}

/**
 * Creates or updates the sticky comment. With `createIfMissing` false an existing comment is still updated
 * (a later push removed every notebook: the old comment must not keep describing them) but none is created.
 */
export async function upsertStickyComment(
  octokit: Octokit, repo: Repo, issueNumber: number, body: string, createIfMissing = true,
): Promise<StickyResult> {
  const existing = await findStickyComment(octokit, repo, issueNumber);
  if (existing) {
    if (existing.body === body) return { action: 'unchanged', id: existing.id };
    await octokit.rest.issues.updateComment({ ...repo, comment_id: existing.id, body });
    return { action: 'updated', id: existing.id };
  }
  if (!createIfMissing) return { action: 'skipped' };
  const { data } = await octokit.rest.issues.createComment({ ...repo, issue_number: issueNumber, body });
  return { action: 'created', id: data.id };
}
