/**
 * Finding a kernelspec as Jupyter does: `kernels/<name>/kernel.json` under the Jupyter data paths
 * (JUPYTER_DATA_DIR or ~/.local/share/jupyter, each of JUPYTER_PATH, then /usr/local/share/jupyter and
 * /usr/share/jupyter), with `jupyter kernelspec list --json` as a fallback for kernels installed elsewhere
 * (a venv's or conda env's own share/jupyter). Reading the folders costs nothing; starting `jupyter` costs
 * a Python start-up, so it only runs when the folders do not have the kernel.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import type { JsonObject, Notebook } from '../../lib/model.js';
import { UsageError } from '../errors.js';
import type { KernelProvider } from './kernel.js';

export interface KernelSpec {
  name: string;
  /** The folder holding kernel.json (`{resource_dir}` in argv). */
  resourceDir: string;
  argv: string[];
  displayName: string;
  language: string;
  env: Record<string, string>;
  interruptMode: 'signal' | 'message';
}

export function dataDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs: string[] = [];
  dirs.push(env.JUPYTER_DATA_DIR || join(env.XDG_DATA_HOME || join(homedir(), '.local/share'), 'jupyter'));
  for (const p of (env.JUPYTER_PATH ?? '').split(delimiter)) if (p) dirs.push(p);
  dirs.push('/usr/local/share/jupyter', '/usr/share/jupyter');
  return [...new Set(dirs)];
}

/** Every kernelspec in the data folders; the first folder that has a name wins, as in Jupyter. */
export function listKernelSpecs(env: NodeJS.ProcessEnv = process.env): Map<string, KernelSpec> {
  const specs = new Map<string, KernelSpec>();
  for (const dir of dataDirs(env)) {
    const kernels = join(dir, 'kernels');
    let names: string[];
    try {
      names = readdirSync(kernels);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      const key = name.toLowerCase();
      if (specs.has(key)) continue;
      const spec = readSpec(key, join(kernels, name));
      if (spec) specs.set(key, spec);
    }
  }
  return specs;
}

function readSpec(name: string, resourceDir: string): KernelSpec | undefined {
  const file = join(resourceDir, 'kernel.json');
  if (!existsSync(file)) return undefined;
  try {
    return toSpec(name, resourceDir, JSON.parse(readFileSync(file, 'utf8')) as JsonObject);
  } catch {
    return undefined;
  }
}

function toSpec(name: string, resourceDir: string, raw: JsonObject): KernelSpec | undefined {
  const argv = raw.argv;
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a) => typeof a === 'string')) return undefined;
  const env: Record<string, string> = {};
  if (raw.env && typeof raw.env === 'object' && !Array.isArray(raw.env)) {
    for (const [k, v] of Object.entries(raw.env)) if (typeof v === 'string') env[k] = v;
  }
  return {
    name, resourceDir, argv: argv as string[], env,
    displayName: typeof raw.display_name === 'string' ? raw.display_name : name,
    language: typeof raw.language === 'string' ? raw.language : '',
    interruptMode: raw.interrupt_mode === 'message' ? 'message' : 'signal',
  };
}

/** Kernelspecs as the `jupyter` on PATH knows them, or none when there is no such command. */
function specsFromJupyter(): Map<string, KernelSpec> {
  const specs = new Map<string, KernelSpec>();
  try {
    const out = execFileSync('jupyter', ['kernelspec', 'list', '--json'], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 20_000, env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' },
    });
    const list = (JSON.parse(out) as { kernelspecs?: Record<string, { resource_dir: string; spec: JsonObject }> }).kernelspecs ?? {};
    for (const [name, { resource_dir, spec }] of Object.entries(list)) {
      const s = toSpec(name.toLowerCase(), resource_dir, spec);
      if (s) specs.set(s.name, s);
    }
  } catch {
    // No jupyter command, or it failed: the folders are all we know.
  }
  return specs;
}

/** The kernel name a notebook asks for: its kernelspec, else `python3` for Python notebooks. */
export function notebookKernelName(nb: Notebook): { name: string | undefined; language: string | undefined } {
  const ks = nb.metadata?.kernelspec as JsonObject | undefined;
  const li = nb.metadata?.language_info as JsonObject | undefined;
  const name = typeof ks?.name === 'string' && ks.name !== '' ? ks.name : undefined;
  const language = typeof ks?.language === 'string' ? ks.language : typeof li?.name === 'string' ? li.name : undefined;
  return { name, language };
}

export const INSTALL_HINT =
  'install a Python kernel: `apt-get install python3-ipykernel` (Debian, Ubuntu; or run scripts/setup-kernel.sh), ' +
  'or `python3 -m pip install ipykernel && python3 -m ipykernel install --user`';

/** What choosing a kernel needs to know of a kernelspec, installed here or on a Jupyter Server. */
export interface SpecSummary {
  name: string;
  language: string;
}

/** What a notebook asked for when no kernel fits: `named "ir"` or `for R`. */
export type KernelWanted = { name: string; language: string | undefined } | { name: undefined; language: string | undefined };

/**
 * The kernelspec to run among `specs` (keyed by lower-case name): `--kernel NAME` if given, else the
 * notebook's, else (a kernel of another name for the same language, e.g. a notebook saved from a conda env)
 * the first of its language. `note` says when the choice is not the notebook's own kernel; `absent` words
 * why the notebook's kernel was passed over ("is not installed").
 */
export function pickKernelSpec<S extends SpecSummary>(
  nb: Notebook, requested: string | undefined, specs: ReadonlyMap<string, S>, absent: string,
): { spec: S; note?: string } | { spec?: undefined; wanted: KernelWanted } {
  const wanted = notebookKernelName(nb);
  const name = (requested ?? wanted.name ?? (wanted.language === undefined || wanted.language === 'python' ? 'python3' : undefined))?.toLowerCase();
  if (name && specs.has(name)) return { spec: specs.get(name)! };
  if (!requested) {
    const language = wanted.language?.toLowerCase();
    const sameLanguage = [...specs.values()].find((s) => language && s.language.toLowerCase() === language);
    if (sameLanguage) return { spec: sameLanguage, note: `the notebook's kernel ${name ?? '(none named)'} ${absent}; using ${sameLanguage.name} (${language})` };
  }
  return { wanted: name ? { name, language: wanted.language } : { name: undefined, language: wanted.language } };
}

/** `named "ir"` or `for R`, for "no Jupyter kernel … is installed". */
export function describeWanted(wanted: KernelWanted): string {
  return wanted.name !== undefined ? `named "${wanted.name}"` : `for ${wanted.language}`;
}

/**
 * The installed kernelspec to run (pickKernelSpec over the data folders, then over `jupyter kernelspec list`).
 */
export function chooseKernelSpec(nb: Notebook, requested: string | undefined): { spec: KernelSpec; note?: string } {
  let specs = listKernelSpecs();
  let found = pickKernelSpec(nb, requested, specs, 'is not installed');
  if (!found.spec) {
    specs = new Map([...specsFromJupyter(), ...specs]);
    found = pickKernelSpec(nb, requested, specs, 'is not installed');
  }
  if (found.spec) return found;
  const installed = [...specs.keys()];
  const others = installed.length ? ` (installed: ${installed.join(', ')}; choose one with --kernel NAME)` : ` (looked in ${dataDirs().map((d) => join(d, 'kernels')).join(', ')})`;
  throw new UsageError(`no Jupyter kernel ${describeWanted(found.wanted)} is installed${others}; ${INSTALL_HINT}`);
}

/** Kernels started here, as child processes (local.ts; zeromq loads only when one starts). */
export const localKernels: KernelProvider = {
  async choose(nb, requested, notebookPath) {
    const { spec, note } = chooseKernelSpec(nb, requested);
    return {
      name: spec.name,
      notes: note ? [note] : [],
      start: async () => (await import('./local.js')).startLocalKernel(spec, { cwd: dirname(resolve(notebookPath)) }),
    };
  },
};
