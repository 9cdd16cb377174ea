/**
 * Everything a notebook brings (HTML and markdown outputs, markdown cells, SVG) comes from whoever wrote the
 * pull request. It goes through DOMPurify with a hook that also keeps it offline: the page must not load
 * anything from the network because a notebook said so (tracking pixels, CSS `url()`, SVG `<image>`).
 * Remote images become a placeholder naming the host unless the reader switched remote images on. The
 * page's Content-Security-Policy (web/index.html) is the second wall; this one must hold on its own.
 */
import DOMPurify from 'dompurify';

export interface SanitizeOptions {
  /** `attachment:NAME` → data URL, for markdown cells with pasted images. */
  attachments?: Record<string, string>;
  /** The page-wide "load remote images" switch (off by default). */
  remoteImages?: boolean;
}

/** Elements that load, embed, submit or restyle, none of which a rendered output needs. */
const FORBID_TAGS = [
  'script', 'style', 'link', 'meta', 'base', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'portal',
  'form', 'input', 'button', 'select', 'textarea', 'option', 'video', 'audio', 'source', 'track', 'picture',
  'noscript', 'template', 'slot', 'image', 'feimage', 'foreignobject', 'animate', 'animatemotion', 'animatetransform',
  'set', 'discard', 'handler', 'listener', 'mglyph', 'maction',
];
/** Attributes that load something (or ping) whatever their value. */
const FORBID_ATTR = ['srcset', 'ping', 'background', 'poster', 'lowsrc', 'dynsrc', 'longdesc', 'action', 'formaction',
  'manifest', 'codebase', 'archive', 'usemap', 'data', 'cite', 'profile', 'integrity', 'xml:base', 'http-equiv'];
/** Attributes whose value is a URL, checked one by one below. */
const URL_ATTRS = ['src', 'href', 'xlink:href'];
/** CSS that can reach the network or run code: `url(`, `image-set(`, `@import`, old IE `expression(`, and
 *  backslash escapes that could spell any of them. */
const DANGEROUS_CSS = /url\s*\(|image-set|@import|expression\s*\(|behavior|-moz-binding|\\/i;

let options: SanitizeOptions = {};
const originalSrc = new WeakMap<Element, string>();
let hooked = false;

/** Parsed once (`setConfig`): parsing it again on every call was a third of the sanitizer's time on a page. */
const CONFIG = {
  FORBID_TAGS,
  FORBID_ATTR,
  ALLOW_DATA_ATTR: false,
  // The remote-image placeholder's own attribute (the hook's new element is sanitized in turn).
  ADD_ATTR: ['data-remote-host'],
  ALLOW_UNKNOWN_PROTOCOLS: false,
  // Keeps the structure of MathML from KaTeX-free notebooks (e.g. HTML outputs with <math>).
  USE_PROFILES: { html: true, svg: true, mathMl: true },
};

function installHooks(): void {
  if (hooked) return;
  hooked = true;
  DOMPurify.setConfig(CONFIG);
  // DOMPurify drops URLs of schemes it does not know (attachment:) before the hook below sees them.
  DOMPurify.addHook('beforeSanitizeAttributes', (node) => {
    const el = node as Element;
    if (el.tagName?.toLowerCase() !== 'img') return;
    const src = el.getAttribute('src');
    if (src === null) return;
    originalSrc.set(el, src.trim());
    if (src.trim().startsWith('attachment:')) {
      const resolved = resolveImage(src.trim());
      if (resolved) el.setAttribute('src', resolved);
    }
  });
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    const el = node as Element;
    if (!el.getAttribute) return;
    const tag = el.tagName.toLowerCase();
    const style = el.getAttribute('style');
    if (style !== null && DANGEROUS_CSS.test(style)) el.removeAttribute('style');
    for (const attr of URL_ATTRS) {
      const value = el.getAttribute(attr);
      if (value === null) continue;
      const url = value.trim();
      if (tag === 'img' && attr === 'src') {
        const resolved = resolveImage(url);
        if (resolved !== null) el.setAttribute('src', resolved);
        else replaceWithPlaceholder(el, originalSrc.get(el) ?? url);
        continue;
      }
      if (tag === 'a' && attr === 'href') {
        if (/^(https?:|mailto:|#)/i.test(url)) {
          el.setAttribute('rel', 'noopener noreferrer nofollow');
          if (!url.startsWith('#')) el.setAttribute('target', '_blank');
        } else {
          el.removeAttribute(attr);
        }
        continue;
      }
      // SVG `<use href="#glyph">` (matplotlib draws every marker so) stays; any other reference goes.
      if (!url.startsWith('#')) el.removeAttribute(attr);
    }
    if (tag === 'a') el.setAttribute('referrerpolicy', 'no-referrer');
    // An image whose source the sanitizer removed is still worth a placeholder.
    if (tag === 'img' && el.parentNode && !el.hasAttribute('src') && originalSrc.has(el)) replaceWithPlaceholder(el, originalSrc.get(el)!);
  });
}

/** A data: image, an attachment, or (only when switched on) a remote http(s) image; null: not shown. */
function resolveImage(url: string): string | null {
  if (/^data:image\/(png|jpe?g|gif|webp|bmp|svg\+xml)[;,]/i.test(url)) return url;
  if (url.startsWith('attachment:')) {
    const name = decodeURIComponent(url.slice('attachment:'.length));
    return options.attachments?.[name] ?? null;
  }
  if (options.remoteImages && /^https?:\/\//i.test(url)) return url;
  return null;
}

function replaceWithPlaceholder(img: Element, url: string): void {
  const doc = img.ownerDocument;
  const span = doc.createElement('span');
  span.className = 'cw-remote-image';
  span.setAttribute('data-remote-host', remoteHost(url));
  span.textContent = `image from ${remoteHost(url)}`;
  const alt = img.getAttribute('alt');
  if (alt) span.setAttribute('title', alt);
  img.replaceWith(span);
}

/** The host a remote URL points at, for the placeholder; relative and odd URLs are named as such. */
export function remoteHost(url: string): string {
  if (url.startsWith('attachment:')) return 'a missing attachment';
  const m = /^(?:[a-z][a-z0-9+.-]*:)?\/\/([^/?#:]+)/i.exec(url);
  if (m) return m[1]!.toLowerCase();
  return /^[a-z][a-z0-9+.-]*:/i.test(url) ? `a ${url.split(':')[0]!.toLowerCase()}: URL` : 'a relative path';
}

/** Sanitized HTML for `dangerouslySetInnerHTML`; what is left is inert and loads nothing by itself. */
export function sanitizeHtml(html: string, opts: SanitizeOptions = {}): string {
  installHooks();
  options = opts;
  try {
    return DOMPurify.sanitize(html) as unknown as string;
  } finally {
    options = {};
  }
}

/** An SVG output as an image URL: an SVG shown through `<img>` can run no script and load nothing. */
export function svgImageUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}
