/**
 * Runs a chunk the build kept in the page as inert text (`<script type="text/plain" data-cellwise-chunk>`,
 * see web/build/chunks.ts): code the page needs only sometimes is then neither parsed nor compiled on
 * load. It runs as a copy of that element, which the page's Content-Security-Policy allows by its hash, so
 * it works offline from file:// under the same policy as the rest of the page.
 */
export function runChunk(name: string): unknown {
  const global = globalThis as unknown as Record<string, unknown>;
  const key = `__cellwiseChunk_${name}`;
  if (!(key in global)) {
    const text = document.querySelector(`script[type="text/plain"][data-cellwise-chunk="${name}"]`)?.textContent;
    if (text == null) throw new Error(`this page has no ${name} code`);
    const script = document.createElement('script');
    script.textContent = text;
    document.head.append(script);
    script.remove();
    if (!(key in global)) throw new Error(`the page's ${name} code did not run`);
  }
  return global[key];
}

/** Makes `exports` what runChunk(name) returns, where no build put the chunk into the page (the tests). */
export function provideChunk(name: string, exports: unknown): void {
  (globalThis as unknown as Record<string, unknown>)[`__cellwiseChunk_${name}`] = exports;
}
