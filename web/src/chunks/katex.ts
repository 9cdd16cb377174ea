// KaTeX, a quarter of the viewer's code, is needed only by pages with math: the build keeps it in the page
// as inert text and runs it on first use (web/build/chunks.ts); elsewhere (the tests) this is the package.
export { default } from 'katex';
