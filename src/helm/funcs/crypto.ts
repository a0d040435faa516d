/**
 * sprig's crypto, encoding and random functions (crypto.go, strings.go). Deterministic ones are
 * computed with node:crypto exactly; random ones come from the render's {@link GeneratedValues}.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, scryptSync } from 'node:crypto';
import { GoError, GoInt, GO_STRUCT, goFunc, type GoFunc, type GoStruct } from '../../gotemplate/value.js';
import { intArg } from './cast.js';
import { type GeneratedValues, placeholderPem } from './generated.js';
import { fromUtf8, utf8 } from './unicode.js';

/** Longest random string or byte count a chart may ask for (Go has no cap). */
export const MAX_RANDOM = 1 << 20;

const hex =
  (alg: string) =>
  (s: string): string =>
    createHash(alg).update(utf8(s)).digest('hex');

/** hash/adler32.Checksum. */
export function adler32(b: Uint8Array): number {
  let a = 1;
  let s = 0;
  for (const x of b) {
    a = (a + x) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

/** Go's base64.StdEncoding.DecodeString error text for the first bad byte. */
function b64decode(s: string): Buffer | string {
  const b = utf8(s);
  for (let i = 0; i < b.length; i++) {
    const c = String.fromCharCode(b[i]!);
    if (!/[A-Za-z0-9+/=]/.test(c)) return `illegal base64 data at input byte ${i}`;
  }
  if (b.length % 4 !== 0) return `illegal base64 data at input byte ${b.length - (b.length % 4)}`;
  const pad = s.indexOf('=');
  if (pad !== -1 && (pad < s.length - 2 || s.slice(pad).replace(/=/g, '') !== ''))
    return `illegal base64 data at input byte ${pad}`;
  return Buffer.from(s, 'base64');
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function b32encode(b: Uint8Array): string {
  let out = '';
  let bits = 0;
  let val = 0;
  for (const x of b) {
    val = (val << 8) | x;
    bits += 8;
    while (bits >= 5) {
      out += B32[(val >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(val << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}
function b32decode(s: string): Buffer | string {
  const bad = Array.from(utf8(s)).findIndex((c) => !B32.includes(String.fromCharCode(c)) && c !== 0x3d);
  if (bad >= 0) return `illegal base32 data at input byte ${bad}`;
  if (s.length % 8 !== 0) return `illegal base32 data at input byte ${s.length - (s.length % 8)}`;
  const body = s.replace(/=+$/, '');
  const out: number[] = [];
  let bits = 0;
  let val = 0;
  for (let i = 0; i < body.length; i++) {
    const d = B32.indexOf(body[i]!);
    if (d < 0) return `illegal base32 data at input byte ${i}`;
    val = ((val << 5) | d) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((val >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

// derivePassword (Master Password algorithm), as sprig implements it.
const TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv',
    'CvcvCvcvnoCvcv',
    'CvcvCvcvCvcvno',
    'CvccnoCvcvCvcv',
    'CvccCvcvnoCvcv',
    'CvccCvcvCvcvno',
    'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv',
    'CvcvCvccCvcvno',
    'CvcvnoCvcvCvcc',
    'CvcvCvcvnoCvcc',
    'CvcvCvcvCvccno',
    'CvccnoCvccCvcv',
    'CvccCvccnoCvcv',
    'CvccCvccCvcvno',
    'CvcvnoCvccCvcc',
    'CvcvCvccnoCvcc',
    'CvcvCvccCvccno',
    'CvccnoCvcvCvcc',
    'CvccCvcvnoCvcc',
    'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};
const CHARS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};
export function derivePassword(counter: number, type: string, password: string, user: string, site: string): string {
  const templates = TEMPLATES[type];
  if (!templates) return `cannot find password template ${type}`;
  const seed = utf8('com.lyndir.masterpassword');
  const u32 = (n: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n >>> 0);
    return b;
  };
  const userB = utf8(user);
  const siteB = utf8(site);
  const salt = Buffer.concat([seed, u32(userB.length), userB]);
  const key = scryptSync(utf8(password), salt, 64, { N: 32768, r: 8, p: 2, maxmem: 64 * 1024 * 1024 });
  const mac = createHmac('sha256', key)
    .update(Buffer.concat([seed, u32(siteB.length), siteB, u32(counter)]))
    .digest();
  const tmpl = templates[mac[0]! % templates.length]!;
  let out = '';
  for (let i = 0; i < tmpl.length; i++) {
    const chars = CHARS[tmpl[i]!]!;
    out += chars[mac[i + 1]! % chars.length];
  }
  return out;
}

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  utf8(password).copy(key, 0, 0, 32);
  return key;
}

export function decryptAES(password: string, crypt64: string): string {
  if (crypt64 === '') return '';
  const crypt = b64decode(crypt64);
  if (typeof crypt === 'string') throw new GoError(crypt);
  if (crypt.length < 16)
    throw new GoError('runtime error: slice bounds out of range [:16] with capacity ' + crypt.length);
  const body = crypt.subarray(16);
  if (body.length % 16 !== 0) throw new GoError('crypto/cipher: input not full blocks');
  if (body.length === 0) throw new GoError('runtime error: index out of range [-1]');
  const d = createDecipheriv('aes-256-cbc', aesKey(password), crypt.subarray(0, 16));
  d.setAutoPadding(false);
  const dec = Buffer.concat([d.update(body), d.final()]);
  const pad = dec[dec.length - 1]!;
  if (pad > dec.length) throw new GoError(`runtime error: slice bounds out of range [:${dec.length - pad}]`);
  return fromUtf8(dec.subarray(0, dec.length - pad));
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ASCII = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

function certStruct(cert: string, key: string): GoStruct {
  return { [GO_STRUCT]: true, typeName: 'sprig.certificate', fields: { Cert: cert, Key: key } };
}

/** The crypto, encoding and random functions; random ones draw from `gen`. */
export function cryptoFuncs(gen: GeneratedValues): Record<string, GoFunc> {
  const randString = (fn: string, charset: string) =>
    goFunc(['int'], ['string'], ([c]) => {
      const n = intArg(c ?? null);
      if (n <= 0) return '';
      if (n > MAX_RANDOM) throw new GoError(`aksfleet: ${fn} ${n} is longer than ${MAX_RANDOM}`);
      const g = gen.next(fn, [String(n)], n * 2);
      let out = '';
      for (let i = 0; i < n; i++) out += charset[g.bytes.readUInt16BE(i * 2) % charset.length];
      return g.take(out);
    });
  const bcryptLike = (): string => {
    const g = gen.next('bcrypt', [], 53);
    const alpha = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    return g.take('$2a$10$' + Array.from(g.bytes, (b) => alpha[b % 64]).join(''));
  };
  const pemPair = (fn: string, args: string[]): GoStruct => {
    const seq = gen.peekSeq(fn);
    const g = gen.next(fn, args, 0);
    return certStruct(g.take(placeholderPem('CERTIFICATE', fn, seq)), placeholderPem('RSA PRIVATE KEY', fn, seq));
  };
  const S = 'string';
  const L = '[]interface{}';
  const CERT = 'sprig.certificate';
  return {
    sha1sum: goFunc([S], [S], ([s]) => hex('sha1')(s as string)),
    sha256sum: goFunc([S], [S], ([s]) => hex('sha256')(s as string)),
    sha512sum: goFunc([S], [S], ([s]) => hex('sha512')(s as string)),
    adler32sum: goFunc([S], [S], ([s]) => String(adler32(utf8(s as string)))),
    b64enc: goFunc([S], [S], ([s]) => utf8(s as string).toString('base64')),
    b64dec: goFunc([S], [S], ([s]) => {
      const r = b64decode(s as string);
      return typeof r === 'string' ? r : fromUtf8(r);
    }),
    b32enc: goFunc([S], [S], ([s]) => b32encode(utf8(s as string))),
    b32dec: goFunc([S], [S], ([s]) => {
      const r = b32decode(s as string);
      return typeof r === 'string' ? r : fromUtf8(r);
    }),
    derivePassword: goFunc(['uint32', S, S, S, S], [S], ([c, t, p, u, s]) =>
      derivePassword(intArg(c ?? null), t as string, p as string, u as string, s as string),
    ),
    decryptAES: goFunc([S, S], [S, 'error'], ([p, c]) => decryptAES(p as string, c as string)),
    encryptAES: goFunc([S, S], [S, 'error'], ([p, t]) => {
      const plain = utf8(t as string);
      if (plain.length === 0) return '';
      const g = gen.next('encryptAES', [], 16);
      const pad = 16 - (plain.length % 16);
      const c = createCipheriv('aes-256-cbc', aesKey(p as string), g.bytes);
      c.setAutoPadding(false);
      const body = Buffer.concat([c.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), c.final()]);
      return g.take(Buffer.concat([g.bytes, body]).toString('base64'));
    }),
    randAlphaNum: randString('randAlphaNum', ALNUM),
    randAlpha: randString('randAlpha', ALPHA),
    randNumeric: randString('randNumeric', DIGITS),
    randAscii: randString('randAscii', ASCII),
    randBytes: goFunc(['int'], [S, 'error'], ([c]) => {
      const n = intArg(c ?? null);
      if (n < 0) throw new GoError('runtime error: makeslice: len out of range');
      if (n > MAX_RANDOM) throw new GoError(`aksfleet: randBytes ${n} is longer than ${MAX_RANDOM}`);
      const g = gen.next('randBytes', [String(n)], n);
      return g.take(g.bytes.toString('base64'));
    }),
    randInt: goFunc(['int', 'int'], ['int'], ([a, b]) => {
      const min = intArg(a ?? null);
      const max = intArg(b ?? null);
      if (max - min <= 0) throw new GoError('invalid argument to Intn');
      const g = gen.next('randInt', [String(min), String(max)], 6);
      const v = min + (g.bytes.readUIntBE(0, 6) % (max - min));
      g.take(String(v));
      return new GoInt(BigInt(v), 'int');
    }),
    shuffle: goFunc([S], [S], ([s]) => {
      const rs = Array.from(s as string);
      const g = gen.next('shuffle', [s as string], rs.length * 4);
      for (let i = rs.length - 1; i > 0; i--) {
        const j = g.bytes.readUInt32BE((i % (g.bytes.length / 4)) * 4) % (i + 1);
        [rs[i], rs[j]] = [rs[j]!, rs[i]!];
      }
      return g.take(rs.join(''));
    }),
    uuidv4: goFunc([], [S], () => {
      const g = gen.next('uuidv4', [], 16);
      const b = Buffer.from(g.bytes);
      b[6] = (b[6]! & 0x0f) | 0x40;
      b[8] = (b[8]! & 0x3f) | 0x80;
      const h = b.toString('hex');
      return g.take(`${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
    }),
    bcrypt: goFunc([S], [S], () => bcryptLike()),
    htpasswd: goFunc([S, S], [S], ([u]) =>
      (u as string).includes(':') ? `invalid username: ${u as string}` : `${u as string}:${bcryptLike()}`,
    ),
    genPrivateKey: goFunc([S], [S], ([t]) => {
      const typ = t as string;
      const pemType: Record<string, string> = {
        '': 'RSA PRIVATE KEY',
        rsa: 'RSA PRIVATE KEY',
        dsa: 'DSA PRIVATE KEY',
        ecdsa: 'EC PRIVATE KEY',
        ed25519: 'PRIVATE KEY',
      };
      if (!(typ in pemType)) return `Unknown type ${typ}`;
      const seq = gen.peekSeq('genPrivateKey');
      return gen.next('genPrivateKey', [typ], 0).take(placeholderPem(pemType[typ]!, 'genPrivateKey', seq));
    }),
    genCA: goFunc([S, 'int'], [CERT, 'error'], ([cn, d]) =>
      pemPair('genCA', [cn as string, String(intArg(d ?? null))]),
    ),
    genCAWithKey: goFunc([S, 'int', S], [CERT, 'error'], ([cn, d]) =>
      pemPair('genCAWithKey', [cn as string, String(intArg(d ?? null))]),
    ),
    genSelfSignedCert: goFunc([S, L, L, 'int'], [CERT, 'error'], ([cn]) =>
      pemPair('genSelfSignedCert', [cn as string]),
    ),
    genSelfSignedCertWithKey: goFunc([S, L, L, 'int', S], [CERT, 'error'], ([cn]) =>
      pemPair('genSelfSignedCertWithKey', [cn as string]),
    ),
    genSignedCert: goFunc([S, L, L, 'int', CERT], [CERT, 'error'], ([cn]) => pemPair('genSignedCert', [cn as string])),
    genSignedCertWithKey: goFunc([S, L, L, 'int', CERT, S], [CERT, 'error'], ([cn]) =>
      pemPair('genSignedCertWithKey', [cn as string]),
    ),
    buildCustomCert: goFunc([S, S], [CERT, 'error'], ([c, k]) => {
      const cert = b64decode(c as string);
      if (typeof cert === 'string') throw new GoError('unable to decode base64 certificate');
      const key = b64decode(k as string);
      if (typeof key === 'string') throw new GoError('unable to decode base64 private key');
      return certStruct(fromUtf8(cert), fromUtf8(key));
    }),
  };
}
