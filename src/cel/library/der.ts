/**
 * A minimal DER reader (X.690): tag, length and content of each element, for the x509 library.
 * It reads what certificates use (definite lengths, one- and multi-byte tags); anything else is
 * an error, never a guess.
 */

/** One DER element: `tag` is the full first byte (class, constructed bit, number). */
export interface Der {
  readonly tag: number;
  /** The whole element (header and content). */
  readonly raw: Buffer;
  readonly content: Buffer;
}

export class DerError extends Error {}

/** The element at the start of `buf`. */
export function readDer(buf: Buffer, at = 0): Der {
  if (at + 2 > buf.length) throw new DerError('truncated element');
  const tag = buf[at]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('high tag numbers are not supported');
  let len = buf[at + 1]!;
  let header = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('indefinite or oversized length');
    if (at + 2 + n > buf.length) throw new DerError('truncated length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[at + 2 + i]!;
    header += n;
  }
  const end = at + header + len;
  if (end > buf.length) throw new DerError('truncated content');
  return { tag, raw: buf.subarray(at, end), content: buf.subarray(at + header, end) };
}

/** The elements inside a constructed element. */
export function derChildren(d: Der): Der[] {
  const out: Der[] = [];
  let at = 0;
  while (at < d.content.length) {
    const c = readDer(d.content, at);
    out.push(c);
    at += c.raw.length;
  }
  return out;
}

/** An OBJECT IDENTIFIER's arcs. */
export function derOid(d: Der): number[] {
  if (d.tag !== 0x06 || d.content.length === 0) throw new DerError('not an object identifier');
  const arcs: number[] = [];
  let v = 0;
  for (const b of d.content) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    }
  }
  return arcs;
}

/** An INTEGER as a signed bigint (two's complement). */
export function derInteger(d: Der): bigint {
  if (d.tag !== 0x02 || d.content.length === 0) throw new DerError('not an integer');
  let v = 0n;
  for (const b of d.content) v = (v << 8n) | BigInt(b);
  if (d.content[0]! & 0x80) v -= 1n << BigInt(8 * d.content.length);
  return v;
}

/** A BIT STRING's bytes and the number of bits. */
export function derBitString(d: Der): { bytes: Buffer; bits: number } {
  if (d.tag !== 0x03 || d.content.length === 0) throw new DerError('not a bit string');
  const unused = d.content[0]!;
  const bytes = d.content.subarray(1);
  return { bytes, bits: bytes.length * 8 - unused };
}

/** A string type's text (UTF8String, PrintableString, IA5String, T61String, BMPString...), else undefined. */
export function derString(d: Der): string | undefined {
  switch (d.tag) {
    case 0x0c: // UTF8String
      return d.content.toString('utf8');
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x12: // NumericString
      return d.content.toString('latin1');
    case 0x14: // T61String: Go reads it as ISO 8859-1
      return d.content.toString('latin1');
    case 0x1e: {
      // BMPString: UTF-16 big-endian
      const b = Buffer.from(d.content);
      b.swap16();
      return b.toString('utf16le');
    }
    default:
      return undefined;
  }
}

/** A UTCTime or GeneralizedTime as a Date (UTC). */
export function derTime(d: Der): Date {
  const s = d.content.toString('latin1');
  let m: RegExpExecArray | null;
  if (d.tag === 0x17 && (m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s))) {
    const yy = Number(m[1]);
    return new Date(
      Date.UTC(
        yy < 50 ? 2000 + yy : 1900 + yy,
        Number(m[2]) - 1,
        Number(m[3]),
        Number(m[4]),
        Number(m[5]),
        Number(m[6]),
      ),
    );
  }
  if (d.tag === 0x18 && (m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(s))) {
    const t = new Date(Date.UTC(0, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
    t.setUTCFullYear(Number(m[1]));
    return t;
  }
  throw new DerError('malformed time');
}
