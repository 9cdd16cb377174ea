/**
 * pngjs and jpeg-js, loaded on first use: most diffs decode no image through them (the PNG fast path
 * covers matplotlib's output), and loading both costs every `cellwise` run start-up time.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let png: typeof import('pngjs') | undefined;
let jpeg: typeof import('jpeg-js') | undefined;

export const pngjs = (): typeof import('pngjs') => (png ??= require('pngjs') as typeof import('pngjs'));
export const jpegjs = (): typeof import('jpeg-js') => (jpeg ??= require('jpeg-js') as typeof import('jpeg-js'));
