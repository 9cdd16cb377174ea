/**
 * Builds the viewer into one self-contained page, dist/web/index.html: script, styles and images inlined,
 * so the same file is the `--html` report (opened from file://, offline) and the page `cellwise web` serves.
 * The CLI puts the review into the `#cellwise-review` element. (The build prints the size of the page before
 * the script is inlined; `ls -l dist/web/index.html` gives the real one.) Run: `vite build --config web/vite.config.ts`.
 */
import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { lazyChunks, type Chunk } from './build/chunks.js';
import { precompiledRegexes } from './build/regexes.js';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Moves the built script and stylesheet into the HTML, adds the lazily evaluated chunks as inert text at the
 * end of the body, and puts every script's hash into the page's CSP.
 */
function inlineIntoHtml(chunks: Chunk[]): Plugin {
  return {
    name: 'cellwise-inline-into-html',
    enforce: 'post',
    // After every other plugin has finished the chunks (Vite fills in its preload list in generateBundle).
    writeBundle(options, bundle) {
      const outDir = options.dir ?? resolve(here, '../dist/web');
      const page = Object.values(bundle).find((a) => a.type === 'asset' && a.fileName.endsWith('.html'));
      if (!page || page.type !== 'asset') throw new Error('no HTML page in the bundle');
      let html = String(page.source);
      const hashes: string[] = [];
      for (const [name, item] of Object.entries(bundle)) {
        if (item.type === 'chunk') {
          // `</script` or `<!--` in the code would end or confuse the inline element; `<\/` is the same string.
          const code = item.code.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
          const tag = new RegExp(`<script type="module"[^>]*src="[^"]*${escapeRegExp(name)}"[^>]*></script>`);
          if (!tag.test(html)) throw new Error(`cannot find the script tag for ${name}`);
          html = html.replace(tag, () => `<script type="module">${code}</script>`);
          hashes.push(`'sha256-${createHash('sha256').update(code).digest('base64')}'`);
          rmSync(join(outDir, name));
        } else if (name.endsWith('.css')) {
          const tag = new RegExp(`<link rel="stylesheet"[^>]*href="[^"]*${escapeRegExp(name)}"[^>]*>`);
          if (!tag.test(html)) throw new Error(`cannot find the stylesheet link for ${name}`);
          html = html.replace(tag, () => `<style>${String(item.source).replace(/<\/style/gi, '<\\/style')}</style>`);
          rmSync(join(outDir, name));
        }
      }
      for (const chunk of chunks) {
        const code = chunk.code.replace(/<\/script/gi, '<\\/script').replace(/<!--/g, '<\\!--');
        // Before the page's own </body> (the inlined code may spell one earlier, in a string).
        const end = html.lastIndexOf('</body>');
        html = `${html.slice(0, end)}<script type="text/plain" data-cellwise-chunk="${chunk.name}">${code}</script>\n${html.slice(end)}`;
        hashes.push(`'sha256-${createHash('sha256').update(code).digest('base64')}'`);
      }
      if (!html.includes('__CELLWISE_SCRIPT_HASHES__')) throw new Error('the page has no CSP placeholder');
      // Blink decodes a page holding any character above U+00FF into 16-bit strings, and the HTML parser and
      // V8 then work on twice the bytes: an all-ASCII viewer (output.charset below) started 50-60 ms of
      // main-thread CPU sooner on the 100-cell report. Tagged templates keep their raw text, hence a check.
      const wide = /[^\x00-\x7f]/.exec(html);
      if (wide) this.warn(`the page is not all ASCII (U+${wide[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} near "${html.slice(Math.max(0, wide.index - 40), wide.index + 10)}"): the browser will parse it as 16-bit text`);
      writeFileSync(join(outDir, page.fileName), html.replace('__CELLWISE_SCRIPT_HASHES__', hashes.join(' ')));
      rmSync(join(outDir, 'assets'), { recursive: true, force: true });
    },
  };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// Coloring code runs from an inert chunk (src/chunks/syntax.ts), with the build's regex table in it.
const lazy = lazyChunks({ always: ['syntax'], plugins: [precompiledRegexes()] });

export default defineConfig({
  root: here,
  base: './',
  plugins: [react(), precompiledRegexes(), lazy.plugin, inlineIntoHtml(lazy.chunks)],
  build: {
    outDir: resolve(here, '../dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: false,
    cssCodeSplit: false,
    assetsInlineLimit: Number.MAX_SAFE_INTEGER,
    reportCompressedSize: true,
    // One chunk by design (it is inlined); the size is reported and kept in check by hand.
    chunkSizeWarningLimit: 1500,
    // All ASCII (see the check in inlineIntoHtml).
    rolldownOptions: { output: { codeSplitting: false, charset: 'ascii' } },
  },
});
