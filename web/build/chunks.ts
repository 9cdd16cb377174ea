/**
 * Lazily evaluated chunks for a page that must stay one file: a module under web/src/chunks/ (say
 * `katex.ts`, `export { default } from 'katex'`) that the viewer imports dynamically is built on its own as
 * a classic script and put into the page as inert text, `<script type="text/plain" data-cellwise-chunk>`;
 * the viewer's `import('./chunks/katex.js')` becomes a call that runs that text (web/src/chunks/run.ts)
 * the first time. Browsers neither parse nor compile inert text, so a page that never needs the chunk does
 * not pay for it; one that does runs it under the page's CSP (its hash is in the policy like the main
 * script's), offline from file://. A dynamic import of a separate file cannot work there: file:// has no
 * module fetches, and the policy allows no script source but hashes.
 */
import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const CHUNKS_DIR = resolve(here, '../src/chunks');
const RUNNER = resolve(CHUNKS_DIR, 'run.ts');
const VIRTUAL = '\0cellwise-chunk:';

export interface Chunk {
  name: string;
  code: string;
}

/**
 * The plugin, and the chunks it built (filled in by the end of the build, for the inlining plugin). Besides
 * the chunks the viewer imports, `always` names chunks it runs itself with runChunk (synchronously, where an
 * import would be too late); `plugins` are added to the chunks' own builds.
 */
export function lazyChunks(options: { always?: string[]; plugins?: Plugin[] } = {}): { plugin: Plugin; chunks: Chunk[] } {
  const chunks: Chunk[] = [];
  const entries = new Map<string, string>((options.always ?? []).map((name) => [name, resolve(CHUNKS_DIR, `${name}.ts`)]));
  const plugin: Plugin = {
    name: 'cellwise-lazy-chunks',
    apply: 'build',
    // Before Vite's own resolver, which would otherwise resolve the import to the module itself.
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || importer === RUNNER) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (!resolved || dirname(resolved.id) !== CHUNKS_DIR || resolved.id === RUNNER) return null;
      const name = basename(resolved.id).replace(/\.tsx?$/, '');
      entries.set(name, resolved.id);
      return VIRTUAL + name;
    },
    load(id) {
      if (!id.startsWith(VIRTUAL)) return null;
      const name = id.slice(VIRTUAL.length);
      return `import { runChunk } from ${JSON.stringify(RUNNER)};\nexport default runChunk(${JSON.stringify(name)});\n`;
    },
    async generateBundle() {
      for (const [name, entry] of entries) {
        const output = await build({
          configFile: false,
          logLevel: 'warn',
          plugins: options.plugins ?? [],
          build: {
            write: false,
            target: 'es2022',
            minify: true,
            lib: { entry, formats: ['iife'], name: `__cellwiseChunk_${name}`, fileName: name },
            // All ASCII, as the page (web/vite.config.ts).
            rolldownOptions: { output: { charset: 'ascii' } },
          },
        });
        const results = Array.isArray(output) ? output : [output];
        const code = results.flatMap((r) => ('output' in r ? r.output : [])).find((o) => o.type === 'chunk')?.code;
        if (!code) throw new Error(`chunk ${name}: the build produced no code`);
        chunks.push({ name, code });
      }
    },
  };
  return { plugin, chunks };
}
