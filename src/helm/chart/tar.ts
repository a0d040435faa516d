/**
 * Reading a gzipped tar archive in memory, with Go's archive/tar semantics for what charts use:
 * ustar and GNU headers, PAX extended headers (path, linkpath, size), GNU long names. Sizes are
 * capped before anything is allocated: the gzip stream is inflated with a ceiling (a gzip bomb
 * stops at the ceiling, never fills memory) and every entry is checked against its header.
 */
import { gunzipSync } from 'node:zlib';
import { InputError } from '../../errors.js';

/** One entry of a tar archive. */
export interface TarEntry {
  readonly name: string;
  /** Go's tar type flag: '0' regular file, '5' directory, '2' symlink, '1' hard link, 'g' global PAX header... */
  readonly type: string;
  readonly linkName: string;
  readonly size: number;
  readonly data: Uint8Array;
}

/** Inflates a gzip stream, failing when the result would pass `maxBytes`. */
export function gunzipCapped(gz: Uint8Array, maxBytes: number, what: string, reportedCap = maxBytes): Uint8Array {
  if (gz.length < 3 || gz[0] !== 0x1f || gz[1] !== 0x8b) throw new InputError(`${what}: gzip: invalid header`);
  try {
    return gunzipSync(gz, { maxOutputLength: maxBytes });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError)
      throw new InputError(`decompressed chart is larger than the maximum size ${reportedCap}`);
    throw new InputError(`${what}: ${err.code === 'Z_BUF_ERROR' ? 'unexpected EOF' : `gzip: ${err.message}`}`);
  }
}

const BLOCK = 512;

function cString(b: Uint8Array, off: number, len: number): string {
  let end = off;
  while (end < off + len && b[end] !== 0) end++;
  return Buffer.from(b.subarray(off, end)).toString('utf8');
}

function octal(b: Uint8Array, off: number, len: number): number {
  if ((b[off]! & 0x80) !== 0) {
    // base-256 (GNU) for big values
    let n = 0;
    for (let i = off; i < off + len; i++) n = n * 256 + (i === off ? b[i]! & 0x7f : b[i]!);
    return n;
  }
  const s = cString(b, off, len).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new InputError(`archive/tar: invalid header: bad number '${s}'`);
  return parseInt(s, 8);
}

function isZeroBlock(b: Uint8Array, off: number): boolean {
  for (let i = off; i < off + BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

function parsePax(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  const text = Buffer.from(data).toString('utf8');
  let i = 0;
  while (i < text.length) {
    const sp = text.indexOf(' ', i);
    if (sp < 0) break;
    const len = Number(text.slice(i, sp));
    if (!Number.isInteger(len) || len <= 0) throw new InputError('archive/tar: invalid header: bad PAX record');
    const rec = text.slice(sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return out;
}

/**
 * The entries of an (already inflated) tar archive, PAX and GNU long-name headers applied to the
 * entry they describe, as Go's tar.Reader returns them. Entries are views into `tar` (no copies).
 */
export function readTar(tar: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let off = 0;
  let pax = new Map<string, string>();
  let longName: string | undefined;
  let longLink: string | undefined;
  while (off + BLOCK <= tar.length) {
    if (isZeroBlock(tar, off)) break;
    const sum = octal(tar, off + 148, 8);
    let actual = 0;
    for (let i = 0; i < BLOCK; i++) actual += i >= 148 && i < 156 ? 32 : tar[off + i]!;
    if (sum !== actual) throw new InputError('archive/tar: invalid tar header');
    let name = cString(tar, off, 100);
    const type = String.fromCharCode(tar[off + 156] || 0x30);
    let linkName = cString(tar, off + 157, 100);
    let size = octal(tar, off + 124, 12);
    const magic = cString(tar, off + 257, 6);
    if (magic === 'ustar' || magic === 'ustar ') {
      const prefix = cString(tar, off + 345, magic === 'ustar' ? 155 : 131);
      if (prefix && magic === 'ustar') name = `${prefix}/${name}`;
    }
    if (pax.has('size')) size = Number(pax.get('size'));
    const dataStart = off + BLOCK;
    if (dataStart + size > tar.length) throw new InputError('archive/tar: unexpected EOF');
    const data = tar.subarray(dataStart, dataStart + size);
    off = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      pax = parsePax(data);
      continue;
    }
    if (type === 'L') {
      longName = cString(data, 0, data.length);
      continue;
    }
    if (type === 'K') {
      longLink = cString(data, 0, data.length);
      continue;
    }
    name = pax.get('path') ?? longName ?? name;
    linkName = pax.get('linkpath') ?? longLink ?? linkName;
    pax = new Map();
    longName = undefined;
    longLink = undefined;
    entries.push({ name, type, linkName, size, data });
  }
  return entries;
}
