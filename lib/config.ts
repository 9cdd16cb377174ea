import type { DiffOptions } from './diff/options.js';
import { parseIgnorePath } from './diff/ignore.js';

/**
 * The settings file (`.cellwise.yml` for the CLI, `.github/cellwise.yml` for the GitHub App), already parsed
 * from YAML or JSON by the caller. Unknown keys are errors: a typo must not silently change nothing.
 *
 *   ignore: { outputs, metadata, execution_count, ids, whitespace: booleans; paths: [nbdime-style paths] }
 *   similarity: 0.5        # cells of one type this alike are one modified cell
 *   image: { threshold: 0.1, tolerance: 0.001 }
 */
export class ConfigError extends Error {}

const TOP = ['ignore', 'similarity', 'image'];
const IGNORE = ['outputs', 'metadata', 'execution_count', 'ids', 'whitespace', 'paths'];
const IMAGE = ['threshold', 'tolerance'];

export function optionsFromConfig(config: unknown, source = 'config'): DiffOptions {
  if (config === null || config === undefined) return {};
  const obj = record(config, source, '');
  const options: DiffOptions = {};
  for (const key of Object.keys(obj)) {
    if (!TOP.includes(key)) throw new ConfigError(`${source}: unknown setting "${key}" (known: ${TOP.join(', ')})`);
  }
  if (obj.ignore !== undefined) {
    const ig = record(obj.ignore, source, 'ignore');
    for (const key of Object.keys(ig)) {
      if (!IGNORE.includes(key)) throw new ConfigError(`${source}: unknown setting "ignore.${key}" (known: ${IGNORE.join(', ')})`);
    }
    const flag = (k: string) => {
      const v = ig[k];
      if (v === undefined) return undefined;
      if (typeof v !== 'boolean') throw new ConfigError(`${source}: ignore.${k} must be true or false`);
      return v;
    };
    options.ignoreOutputs = flag('outputs');
    options.ignoreMetadata = flag('metadata');
    options.ignoreExecutionCount = flag('execution_count');
    options.ignoreIds = flag('ids');
    options.ignoreWhitespace = flag('whitespace');
    if (ig.paths !== undefined) {
      if (!Array.isArray(ig.paths) || !ig.paths.every((p) => typeof p === 'string')) {
        throw new ConfigError(`${source}: ignore.paths must be a list of paths such as /cells/*/metadata/collapsed`);
      }
      for (const p of ig.paths) {
        try { parseIgnorePath(p); } catch (e) { throw new ConfigError(`${source}: ${(e as Error).message}`); }
      }
      options.ignorePaths = ig.paths as string[];
    }
  }
  if (obj.similarity !== undefined) options.similarity = fraction(obj.similarity, source, 'similarity');
  if (obj.image !== undefined) {
    const im = record(obj.image, source, 'image');
    for (const key of Object.keys(im)) {
      if (!IMAGE.includes(key)) throw new ConfigError(`${source}: unknown setting "image.${key}" (known: ${IMAGE.join(', ')})`);
    }
    if (im.threshold !== undefined) options.imageThreshold = fraction(im.threshold, source, 'image.threshold');
    if (im.tolerance !== undefined) options.imageTolerance = fraction(im.tolerance, source, 'image.tolerance');
  }
  return options;
}

function record(v: unknown, source: string, path: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw new ConfigError(`${source}: ${path || 'the file'} must be a mapping of settings`);
  }
  return v as Record<string, unknown>;
}

function fraction(v: unknown, source: string, path: string): number {
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new ConfigError(`${source}: ${path} must be a number from 0 to 1`);
  return v;
}
