import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Whether a browser can be opened from here: `$BROWSER`, macOS and Windows always; elsewhere a display and
 * xdg-open. Over SSH or in CI there is none, and a tool that tries anyway leaves the user staring at nothing.
 */
export function canOpenBrowser(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.BROWSER) return true;
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  if (!env.DISPLAY && !env.WAYLAND_DISPLAY) return false;
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, 'xdg-open'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Opens a URL the system's way ($BROWSER first); a failure only means the user opens it by hand. */
export function openBrowser(url: string): void {
  const [command, args] = process.env.BROWSER
    ? [process.env.BROWSER, [url]]
    : process.platform === 'darwin' ? ['open', [url]]
      : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write(`cellwise: could not open a browser; open ${url}\n`));
    child.unref();
  } catch {
    process.stderr.write(`cellwise: could not open a browser; open ${url}\n`);
  }
}
