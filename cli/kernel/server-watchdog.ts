/**
 * Deletes the kernels a `cellwise stale --server` started when that command ends without deleting them itself
 * (killed outright, or gone through `process.exit` mid-request on a second Ctrl-C): a kernel on a server
 * is not our child, so nothing like JPY_PARENT_PID ends it. Started by server.ts as a detached process whose
 * standard input is a pipe from the command: it reads `+ID` (a kernel started) and `-ID` (deleted) lines, and
 * at end of input, which comes however the command ends, deletes every kernel still listed.
 *
 * The server's base URL and token come in the environment (CELLWISE_WATCHDOG_URL, CELLWISE_WATCHDOG_TOKEN),
 * not in argv, which `ps` shows to everyone.
 */
const base = process.env.CELLWISE_WATCHDOG_URL ?? '';
const token = process.env.CELLWISE_WATCHDOG_TOKEN ?? '';
const kernels = new Set<string>();
let pending = '';

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  pending += chunk;
  const lines = pending.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) {
    if (line.startsWith('+')) kernels.add(line.slice(1));
    else if (line.startsWith('-')) kernels.delete(line.slice(1));
  }
});
process.stdin.on('error', () => {});
process.stdin.on('end', () => {
  void Promise.all([...kernels].map((id) => fetch(new URL(`api/kernels/${encodeURIComponent(id)}`, base), {
    method: 'DELETE',
    headers: token ? { Authorization: `token ${token}` } : {},
    signal: AbortSignal.timeout(20_000),
  }).catch(() => undefined))).then(() => process.exit(0));
});
