/**
 * zlib inflate into memory the caller reuses. Node's public inflateSync always writes into a fresh buffer, and
 * on the machines measured (`npm run bench`) faulting fresh memory in cost more than inflating: the 38.7 MB of
 * scanlines of the matplotlib corpus pair took 157 ms (9,951 page faults) into fresh buffers, 44 ms
 * (2,130) once into memory used before.
 *
 * The engine inflateSync itself uses is given the output buffer: `_outBuffer` and `_processChunk`, which
 * Node keeps for backwards compatibility. The result is inflateSync's, errors included, whatever happens:
 * output that does not fit goes to buffers of Node's own, and without that engine (another Node) this is
 * inflateSync.
 */
import zlib from 'node:zlib';

/** The parts of Node's zlib engine used here (lib/zlib.js: ZlibBase). */
interface Engine {
  _outBuffer: Buffer;
  _outOffset: number;
  _chunkSize: number;
  _processChunk(chunk: Uint8Array, flushFlag: number): Buffer;
}

/**
 * The inflated `input`, in `output` when it fits there (a view of its start), else in a buffer of its own.
 * Give `output` one byte more than the expected size, so that zlib sees room left and stops. Throws as
 * inflateSync does.
 */
export function inflateInto(input: Uint8Array, output: Uint8Array): Uint8Array {
  const engine = new zlib.Inflate({ chunkSize: 64 }) as unknown as Partial<Engine>;
  if (typeof engine._processChunk !== 'function' || !Buffer.isBuffer(engine._outBuffer) || engine._outOffset !== 0 || engine._chunkSize !== 64) {
    return zlib.inflateSync(input, { chunkSize: Math.max(64, output.byteLength) });
  }
  const out = Buffer.from(output.buffer, output.byteOffset, output.byteLength);
  engine._outBuffer = out;
  engine._chunkSize = out.length;
  return engine._processChunk(input, zlib.constants.Z_FINISH);
}
