/**
 * Kyverno's `gzip` library (github.com/kyverno/sdk extensions/cel/libs/gzip):
 * `gzip.decompress(bytes): string` and `gzip.compress(dyn): bytes` (a string's bytes, gzip with
 * modification time 0). The compressed bytes are not Go's byte for byte (another deflate
 * implementation); decompressing them gives the same text, which is what policies compare.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { CelEvalError } from '../errors.js';
import { charge, sizeCost } from '../cost.js';
import { celTypeName } from './kyverno-json.js';
import type { CelRegistrar } from './types.js';
import { namespaced } from './types.js';

/** At most this many bytes come out of a decompression (a bomb is an error, not a hang). */
export const MAX_GUNZIP_BYTES = 16 * 1024 * 1024;

export function gzipDecompress(data: Uint8Array): string {
  charge(sizeCost(data.length));
  let out: Buffer;
  try {
    out = gunzipSync(data, { maxOutputLength: MAX_GUNZIP_BYTES });
  } catch (e) {
    const code = (e as { code?: string }).code;
    // Go reads the 10-byte header first: a short input is EOF, then the magic is checked.
    if (data.length < 10) throw new CelEvalError(data.length === 0 ? 'EOF' : 'unexpected EOF');
    if (data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 8) throw new CelEvalError('gzip: invalid header');
    if (code === 'Z_BUF_ERROR') throw new CelEvalError('unexpected EOF');
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new CelEvalError(`gzip: output larger than ${MAX_GUNZIP_BYTES} bytes`);
    throw new CelEvalError(`gzip: ${(e as Error).message}`);
  }
  return out.toString('utf8');
}

export function gzipCompress(value: unknown): Uint8Array {
  if (typeof value !== 'string')
    throw new CelEvalError(`type conversion error from '${celTypeName(value)}' to 'string'`);
  charge(sizeCost(value.length));
  const out = new Uint8Array(gzipSync(Buffer.from(value, 'utf8')));
  out[9] = 255; // OS "unknown", as Go writes it; mtime is already 0
  return out;
}

export function registerKyvernoGzip(env: CelRegistrar): void {
  namespaced(env, 'gzip.decompress', ['bytes'], 'string', gzipDecompress);
  namespaced(env, 'gzip.compress', ['dyn'], 'bytes', gzipCompress);
}
