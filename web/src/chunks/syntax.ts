// Coloring code (shiki's core, the five grammars, both themes and the build's regex table: about half the
// viewer's code) is needed only for code a review did not bring colored (`cellwise web`, unchanged cells
// expanded; see lib/render/syntax/precolor.ts): the build keeps it in the page as inert text, and
// render/highlight.ts runs it the first time it colors anything (runChunk, synchronously).
export { highlightLines } from '../../../lib/render/syntax/tokens.js';
