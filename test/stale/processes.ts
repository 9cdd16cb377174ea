/** Waiting on kernel processes, for the tests that interrupt or kill `cellwise stale` in the middle of a run. */
import { readFileSync } from 'node:fs';

export async function until(what: string, test: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Whether the kernel process is inside a cell's `time.sleep` (its main thread waits in the kernel's
 * nanosleep; an idle or starting ipykernel is in epoll or busy importing). Waiting for this instead of a fixed
 * delay keeps "interrupted while running" true on a loaded machine, where a kernel can take seconds to start.
 * Linux only, as the rest of these tests.
 */
export function sleepingInCell(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/wchan`, 'utf8').includes('nanosleep');
  } catch {
    return false;
  }
}
