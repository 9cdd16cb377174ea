/**
 * Markdown cells as Jupyter shows them: CommonMark with raw HTML, and `$…$` / `$$…$$` math (KaTeX, as MathML:
 * browsers draw it natively, so no math fonts are bundled). KaTeX is loaded on first use (`loadMath`): it is
 * a quarter of the viewer's code, kept in the page as inert text until then (../chunks/katex.ts), so a page
 * without math neither parses nor runs it. The HTML goes through the sanitizer; the math is
 * put in afterwards, because the sanitizer would otherwise strip KaTeX's annotations, and KaTeX output
 * (with `trust: false`, so no \href or \includegraphics) is escaped text and MathML only.
 */
import type katexModule from 'katex';
import MarkdownIt, { type StateBlock, type StateInline } from 'markdown-it';
import { sanitizeHtml, type SanitizeOptions } from './sanitize.js';

interface MathEnv {
  math: { tex: string; display: boolean }[];
}

const md = new MarkdownIt({ html: true, linkify: false, typographer: false });
md.inline.ruler.after('escape', 'math_inline', mathInline);
md.block.ruler.after('blockquote', 'math_block', mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
md.renderer.rules.math_inline = (tokens, idx, _o, env) => placeholder(env as unknown as MathEnv, tokens[idx]!.content, false);
md.renderer.rules.math_block = (tokens, idx, _o, env) => `<p>${placeholder(env as unknown as MathEnv, tokens[idx]!.content, true)}</p>\n`;

let nonce = '';
function placeholder(env: MathEnv, tex: string, display: boolean): string {
  env.math.push({ tex, display });
  return `<span class="cw-math" title="${nonce}-${env.math.length - 1}"></span>`;
}

function mathInline(state: StateInline, silent: boolean): boolean {
  const src = state.src;
  const start = state.pos;
  if (src[start] !== '$') return false;
  const display = src[start + 1] === '$';
  const open = display ? 2 : 1;
  // `$ 5 and $ 10` is money, not math: an opening `$` must be followed by a non-space.
  if (!display && (src[start + 1] === undefined || /\s/.test(src[start + 1]!))) return false;
  let end = start + open;
  while (end < state.posMax) {
    if (src[end] === '\\') { end += 2; continue; }
    if (src[end] === '$' && (!display || src[end + 1] === '$')) break;
    end++;
  }
  if (end >= state.posMax) return false;
  const content = src.slice(start + open, end);
  if (!content.trim() || (!display && /\s$/.test(content))) return false;
  if (!silent) {
    const token = state.push(display ? 'math_block' : 'math_inline', 'math', 0);
    token.content = content;
  }
  state.pos = end + open;
  return true;
}

function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const begin = state.bMarks[startLine]! + state.tShift[startLine]!;
  const first = state.src.slice(begin, state.eMarks[startLine]!);
  if (!first.startsWith('$$')) return false;
  let content = first.slice(2);
  let line = startLine;
  let closed = content.trimEnd().endsWith('$$');
  if (closed) content = content.trimEnd().slice(0, -2);
  while (!closed && ++line < endLine) {
    const text = state.src.slice(state.bMarks[line]! + state.tShift[line]!, state.eMarks[line]!);
    if (text.trimEnd().endsWith('$$')) {
      content += '\n' + text.trimEnd().slice(0, -2);
      closed = true;
    } else {
      content += '\n' + text;
    }
  }
  if (!closed) return false;
  if (silent) return true;
  const token = state.push('math_block', 'math', 0);
  token.content = content;
  token.block = true;
  token.map = [startLine, line + 1];
  state.line = line + 1;
  return true;
}

let katex: typeof katexModule | null = null;
let loading: Promise<void> | null = null;

/** Loads KaTeX once; resolves when math can be rendered. */
export function loadMath(): Promise<void> {
  loading ??= import('../chunks/katex.js').then((m) => {
    katex = m.default;
  });
  return loading;
}

export function mathReady(): boolean {
  return katex !== null;
}

/** MathML for a formula, or the TeX source (in a code element) while KaTeX is still loading. */
export function renderMath(tex: string, display: boolean): string {
  if (!katex) {
    void loadMath();
    const escaped = tex.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    return `<code class="cw-math-pending">${display ? '$$' : '$'}${escaped}${display ? '$$' : '$'}</code>`;
  }
  return katex.renderToString(tex, { displayMode: display, output: 'mathml', throwOnError: false, trust: false, strict: 'ignore' });
}

/** Whether a text has anything that could be math (so a renderer knows to wait for KaTeX). */
export function hasMath(text: string): boolean {
  return text.includes('$') || text.includes('\\begin');
}

/** Markdown (and LaTeX math) to sanitized HTML. */
export function renderMarkdown(source: string, opts: SanitizeOptions = {}): string {
  nonce = `m${Math.random().toString(36).slice(2, 10)}`;
  const env: MathEnv = { math: [] };
  const html = sanitizeHtml(md.render(source, env as unknown as Record<string, unknown>), opts);
  if (env.math.length === 0) return html;
  return html.replace(new RegExp(`<span class="cw-math" title="${nonce}-(\\d+)"></span>`, 'g'), (whole, i: string) => {
    const m = env.math[Number(i)];
    return m ? renderMath(m.tex, m.display) : whole;
  });
}

/** A `text/latex` output: usually `$$…$$` or `\begin{…}` on its own. */
export function renderLatexOutput(tex: string): string {
  const trimmed = tex.trim();
  const inner = /^\$\$([\s\S]*)\$\$$/.exec(trimmed)?.[1] ?? /^\$([\s\S]*)\$$/.exec(trimmed)?.[1] ?? trimmed;
  return renderMath(inner, true);
}
