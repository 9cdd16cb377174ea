/**
 * The bundled grammars' regexes converted to JavaScript when the viewer is built (web/build/regexes.ts):
 * the Oniguruma source vscode-textmate hands the scanner, and the JavaScript source and flags it becomes.
 * (oniguruma-to-es is shiki's own converter, installed with it: the build and the page use shiki's copy.)
 * The viewer's build replaces this module; the empty list here is what runs elsewhere (Node: the tests,
 * the CLI coloring a review), where every regex is converted when first made.
 */
import type { EmulatedRegExp } from 'oniguruma-to-es';
import type { AsciiProperties } from './ascii.js';

/** The options, for a regex oniguruma-to-es emulates: the page builds its EmulatedRegExp from them. */
export type PrecompiledRegex = [oniguruma: string, source: string, flags: string, emulated?: EmulatedRegExp['rawOptions']];

export interface Precompiled {
  regexes: PrecompiledRegex[];
  /** The ASCII characters of each property escape in them (see ascii.ts). */
  ascii: AsciiProperties;
}

const precompiled: Precompiled = { regexes: [], ascii: {} };
export default precompiled;
