// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { remoteHost, sanitizeHtml, svgImageUrl } from '../../web/src/render/sanitize.js';
import { evilHtml } from '../e2e/malicious.js';

/** Everything in sanitized markup that could run or load: must be empty. */
function dangers(html: string): string[] {
  const root = document.createElement('div');
  root.innerHTML = html;
  const found: string[] = [];
  for (const el of Array.from(root.querySelectorAll('*'))) {
    const tag = el.tagName.toLowerCase();
    if (/^(script|iframe|object|embed|form|input|style|link|meta|base|video|audio|source|image|foreignobject|animate|set)$/.test(tag)) found.push(tag);
    for (const a of Array.from(el.attributes)) {
      if (/^on/i.test(a.name)) found.push(`${tag} ${a.name}`);
      if (/^\s*javascript:/i.test(a.value)) found.push(`${tag} ${a.name}=javascript:`);
      if (/^(src|srcset|background|poster|data|action|xlink:href)$/i.test(a.name) && !a.value.startsWith('data:')) found.push(`${tag} ${a.name}=${a.value}`);
      if (a.name === 'href' && tag !== 'a' && !a.value.startsWith('#')) found.push(`${tag} href=${a.value}`);
      if (a.name === 'style' && /url\(|\\/i.test(a.value)) found.push(`${tag} style=${a.value}`);
    }
  }
  return found;
}

describe('sanitizeHtml', () => {
  it('leaves no script, handler, javascript: URL or network load from an attack', () => {
    const clean = sanitizeHtml(evilHtml('t'));
    expect(dangers(clean)).toEqual([]);
    expect(clean).not.toMatch(/evil\.test\/t\/(img|srcset|bg|div|escaped|frame|object|embed|link|input|poster|table|td|svg-image|fo|use)/);
  });

  it('turns remote images into a placeholder naming the host, and keeps them only when asked', () => {
    const html = '<p><img src="https://images.example.org/a.png" alt="chart"></p>';
    const off = sanitizeHtml(html);
    expect(off).toContain('data-remote-host="images.example.org"');
    expect(off).toContain('image from images.example.org');
    expect(off).not.toContain('<img');
    const on = sanitizeHtml(html, { remoteImages: true });
    expect(on).toContain('<img src="https://images.example.org/a.png"');
  });

  // (SVG outputs themselves never come here: they are shown as images, see svgImageUrl.)
  it('keeps data: images and resolves attachments; drops external SVG references', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(sanitizeHtml(`<img src="${png}">`)).toContain(`src="${png}"`);
    expect(sanitizeHtml('<img src="attachment:a.png">', { attachments: { 'a.png': png } })).toContain(`src="${png}"`);
    expect(sanitizeHtml('<img src="attachment:missing.png">')).toContain('image from a missing attachment');
    const svg = sanitizeHtml('<svg><defs><path id="m" d="M0 0"/></defs><use href="#m" x="1"/><use href="https://x.test/a.svg#m"/></svg>');
    expect(svg).toContain('<path id="m"');
    expect(svg).not.toContain('x.test');
  });

  it('keeps tables and links (opened in a new tab without a referrer)', () => {
    const out = sanitizeHtml('<table class="dataframe"><tr><th>a</th><td>1</td></tr></table><a href="https://example.org">x</a>');
    expect(out).toContain('<table class="dataframe">');
    expect(out).toMatch(/<a href="https:\/\/example.org"[^>]*rel="noopener noreferrer nofollow"/);
  });

  it('names hosts for placeholders', () => {
    expect(remoteHost('https://A.example.com:8080/x.png')).toBe('a.example.com');
    expect(remoteHost('//cdn.example.com/x')).toBe('cdn.example.com');
    expect(remoteHost('img/local.png')).toBe('a relative path');
    expect(remoteHost('ftp://files.example.com/x')).toBe('files.example.com');
  });

  it('shows SVG outputs through an image URL, where scripts never run', () => {
    expect(svgImageUrl('<svg><script>x</script></svg>')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg%3E/);
  });
});
