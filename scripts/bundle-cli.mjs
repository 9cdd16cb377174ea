// Bundles the compiled CLI (dist/cli, from tsc) into a few files in dist/cellwise/, which bin/cellwise.js runs.
// Node's ESM loader resolves, reads and compiles each module on its own: some eighty of them took a third
// of a small diff's run (measured in `npm run bench`). Commands loaded on demand stay separate chunks.
//
// Files that are opened by path at run time sit next to the chunks, as entries of their own: the image
// comparison thread (cli/images/worker.js) and the kernel watchdog (cli/kernel/server-watchdog.js). Paths the
// CLI computes from its own location (dist/web/index.html, bin/cellwise.js, node_modules) resolve the same
// from dist/cellwise/ as from dist/cli/.
//
// The CLI colors the code of the reports it writes (lib/render/syntax): its bundle gets the grammars' regexes
// converted now, as the viewer's build does (web/build/regexes.ts), instead of at every run (about 0.1 s of
// a 100-cell report's).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist/cellwise');

const entries = {
  main: 'dist/cli/main.js',
  worker: 'dist/cli/images/worker.js',
  'server-watchdog': 'dist/cli/kernel/server-watchdog.js',
};
const input = Object.fromEntries(
  Object.entries(entries).filter(([, file]) => existsSync(join(root, file))).map(([name, file]) => [name, join(root, file)]),
);
if (!input.main || !input.worker) {
  console.error('bundle-cli: run tsc first (dist/cli/main.js or dist/cli/images/worker.js is missing)');
  process.exit(2);
}

/** web/build/regexes.ts's `precompiledModule()`, its TypeScript bundled to run here (in dist/, so that it resolves packages). */
async function precompiledModule() {
  const dir = mkdtempSync(join(root, 'dist/.regexes-'));
  try {
    const file = join(dir, 'regexes.mjs');
    await build({ input: join(root, 'web/build/regexes.ts'), platform: 'node', external: [/^[^./]/], output: { file, format: 'esm' }, logLevel: 'silent' });
    return (await import(file)).precompiledModule();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PRECOMPILED = join(root, 'dist/lib/render/syntax/precompiled.js');
const precompiled = await precompiledModule();

rmSync(out, { recursive: true, force: true });
await build({
  input,
  plugins: [{ name: 'cellwise-precompiled-regexes', load: (id) => (id === PRECOMPILED ? precompiled : null) }],
  platform: 'node',
  // Native addons and packages loaded with require() at run time stay in node_modules.
  external: [/^node:/, 'zeromq', 'pngjs', 'jpeg-js', 'yaml', '@jupyterlab/services', 'ws'],
  output: { dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', sourcemap: true },
  logLevel: 'silent',
});
