/**
 * The bundled grammars' regexes converted to JavaScript when the viewer is built (web/build/regexes.ts):
 * the Oniguruma source vscode-textmate hands the scanner, and the JavaScript source and flags it becomes.
 * The build replaces this module; the empty list here is what runs without a build (the tests), where
 * every regex is converted in the page.
 */
export type PrecompiledRegex = [oniguruma: string, source: string, flags: string];

const precompiled: readonly PrecompiledRegex[] = [];
export default precompiled;
