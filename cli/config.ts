import { existsSync, readFileSync } from 'node:fs';
import { ConfigError, optionsFromConfig } from '../lib/config.js';
import type { DiffOptions } from '../lib/diff/options.js';
import { UsageError } from './errors.js';

export const DEFAULT_CONFIG = '.cellwise.yml';

/** Settings from `--config FILE`, or from `.cellwise.yml` in the current folder when there is one. */
export async function loadConfig(path: string | undefined): Promise<DiffOptions> {
  const file = path ?? (existsSync(DEFAULT_CONFIG) ? DEFAULT_CONFIG : undefined);
  if (!file) return {};
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`cannot read config file ${file}`);
  }
  // Loaded only when there is a file to read: the YAML parser is a third of the command's start-up time.
  const { parse: parseYaml } = await import('yaml');
  let data: unknown;
  try {
    data = parseYaml(text); // YAML is a superset of JSON: one parser reads both
  } catch (e) {
    throw new UsageError(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  try {
    return optionsFromConfig(data, file);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
}
