// Bundles the compiled CLI (dist/cli, from tsc) into a few files in dist/cellwise/, which bin/cellwise.js runs.
// Node's ESM loader resolves, reads and compiles each module on its own: some eighty of them took a third
// of a small diff's run (measured in `npm run bench`). Commands loaded on demand stay separate chunks.
//
// Files that are opened by path at run time sit next to the chunks, as entries of their own: the image
// comparison thread (cli/images/worker.js) and the kernel watchdog (cli/kernel/server-watchdog.js). Paths the
// CLI computes from its own location (dist/web/index.html, bin/cellwise.js, node_modules) resolve the same
// from dist/cellwise/ as from dist/cli/.
import { existsSync, rmSync } from 'node:fs';
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

rmSync(out, { recursive: true, force: true });
await build({
  input,
  platform: 'node',
  // Native addons and packages loaded with require() at run time stay in node_modules.
  external: [/^node:/, 'zeromq', 'pngjs', 'jpeg-js', 'yaml', '@jupyterlab/services', 'ws'],
  output: { dir: out, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', sourcemap: true },
  logLevel: 'silent',
});
