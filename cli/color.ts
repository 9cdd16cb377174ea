import { UsageError } from './errors.js';

/** Whether to colour, as git and most tools decide: a flag beats NO_COLOR/FORCE_COLOR, which beat isatty. */
export type ColorMode = 'auto' | 'always' | 'never';

export function parseColorMode(v: string): ColorMode {
  if (v === 'auto' || v === 'always' || v === 'never') return v;
  throw new UsageError(`--color must be auto, always or never, not "${v}"`);
}

export function useColor(mode: ColorMode, stream: { isTTY?: boolean } = process.stdout, env = process.env): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  if (env.TERM === 'dumb') return false;
  return !!stream.isTTY;
}
