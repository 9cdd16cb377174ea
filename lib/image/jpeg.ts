/**
 * JPEG to RGBA with libjpeg-turbo's decoder (MozJPEG compiled to WebAssembly, from @jsquash/jpeg), falling
 * back to jpeg-js for what it refuses (libjpeg does not convert CMYK to RGB).
 *
 * Why not jpeg-js alone: it took about 0.2 s to decode the two 640×480 photos of one corpus pair in a fresh
 * process, most of that pair's run, against some 50 ms here with the module compiled. And libjpeg-turbo is
 * what browsers decode with, so the pixels compared are the pixels a reviewer sees: jpeg-js upsamples
 * chroma its own way, up to 27 levels apart from them on that photo.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import mozjpegFactory from '@jsquash/jpeg/codec/dec/mozjpeg_dec.js';
import { jpegjs } from './codecs.js';
import type { RgbaImage } from './decode.js';

const require = createRequire(import.meta.url);

// @types/node 20 has no WebAssembly types (the DOM library has them); the parts used here.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: object);
    readonly exports: object;
  }
}

/** The Emscripten module's parts used here (the package's own types need the DOM library). */
interface MozJPEGModule {
  decode(data: Uint8Array, preserveOrientation: boolean): { data: Uint8ClampedArray; width: number; height: number } | null;
  HEAPU8: Uint8Array;
}

/** jpeg-js's own allocation guard (it counts coefficient blocks and the output). */
const JPEG_JS_MAX_MEMORY_MB = 1024;
/**
 * WebAssembly memory only grows: past this after a decode (one very large photo), the instance is dropped
 * and the next JPEG gets a fresh one, so that a long-lived process (the app) does not keep it.
 */
const KEEP_MEMORY_BYTES = 256 * 1024 * 1024;

let compiled: WebAssembly.Module | undefined;
let decoder: { module: MozJPEGModule; messages: string[] } | undefined;

/** The decoder, made on first use: compiling and instantiating take a few ms, and most diffs hold no JPEG. */
function libjpeg(): { module: MozJPEGModule; messages: string[] } {
  if (decoder) return decoder;
  compiled ??= new WebAssembly.Module(readFileSync(require.resolve('@jsquash/jpeg/codec/dec/mozjpeg_dec.wasm')));
  const wasm = compiled;
  const messages: string[] = [];
  // Emscripten's module object is the options object itself, and with a synchronous instantiateWasm it is
  // ready when the factory returns (its promise only reports that). libjpeg's messages go to `messages`
  // instead of stderr: a warning (a truncated file) is not the user's business, an error is the reason given.
  const options = {
    noInitialRun: true,
    print: () => {},
    printErr: (line: string) => messages.push(line),
    instantiateWasm(imports: object, ready: (instance: WebAssembly.Instance) => void) {
      const instance = new WebAssembly.Instance(wasm, imports);
      ready(instance);
      return instance.exports;
    },
  };
  void (mozjpegFactory as unknown as (options: object) => Promise<unknown>)(options).catch(() => {});
  const module = options as typeof options & Partial<MozJPEGModule>;
  if (typeof module.decode !== 'function' || !module.HEAPU8) throw new Error('the WebAssembly JPEG decoder did not start');
  decoder = { module: module as typeof module & MozJPEGModule, messages };
  return decoder;
}

/** Decodes a JPEG; throws with libjpeg's (or jpeg-js's) reason when neither can. */
export function decodeJpeg(bytes: Uint8Array, maxPixels: number): RgbaImage {
  let reason: string;
  try {
    const { module, messages } = libjpeg();
    messages.length = 0;
    let result: ReturnType<MozJPEGModule['decode']> = null;
    try {
      result = module.decode(bytes, false);
    } catch {
      // libjpeg's fatal errors end in exit(), which Emscripten throws; the instance stays usable.
    }
    if (module.HEAPU8.length > KEEP_MEMORY_BYTES) decoder = undefined;
    if (result) {
      const { data, width, height } = result;
      // A plain Uint8Array view (no copy) of the Uint8ClampedArray: pixelmatch's loops stay monomorphic.
      return { width, height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
    }
    reason = messages.at(-1) ?? 'not a JPEG libjpeg can decode';
  } catch (e) {
    reason = e instanceof Error ? e.message : String(e);
  }
  try {
    return jpegjs().decode(bytes, {
      useTArray: true,
      formatAsRGBA: true,
      maxResolutionInMP: maxPixels / 1e6,
      maxMemoryUsageInMB: JPEG_JS_MAX_MEMORY_MB,
    });
  } catch {
    throw new Error(reason);
  }
}
