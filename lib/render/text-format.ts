/**
 * What git is told about the textconv text (lib/render/text.ts): its version, and how its cell headers look.
 * A module of its own so that setting git up does not load the renderer (and node:crypto, which it hashes with)
 * into every `cellwise` run.
 */

/** Raised whenever the text changes for the same notebook (git caches textconv results per command). */
export const TEXT_FORMAT_VERSION = 1;

/** The first characters of cell and output header lines, for `xfuncname` and for readers of the text. */
export const CELL_MARK = '━━';
export const OUTPUT_MARK = '──';
/** An extended regular expression (git's `xfuncname`) that matches cell header lines. */
export const CELL_HEADER_PATTERN = `^${CELL_MARK} .*$`;
