/**
 * Kyverno's `x509` library (github.com/kyverno/sdk extensions/cel/libs/x509): `x509.decode(pem)`
 * gives the first PEM block's certificate as the map Kyverno builds (its CertificateOutput struct
 * through Go's encoding/json and back: byte fields base64, every number a double, absent lists
 * null). Only RSA keys, as the library requires. The certificate is checked by node:crypto's
 * X509Certificate and its fields read from the DER (der.ts). A `CERTIFICATE REQUEST` gives Go's
 * whole x509.CertificateRequest struct as Kyverno encodes it (Raw fields, Version,
 * SignatureAlgorithm, Subject, the deprecated Attributes, Extensions, SAN fields, URIs as Go's
 * url.URL struct).
 */
import { X509Certificate } from 'node:crypto';
import { CelEvalError } from '../errors.js';
import { charge, sizeCost } from '../cost.js';
import { toCel } from '../values.js';
import { type Der, derBitString, derChildren, derInteger, derOid, derString, derTime, readDer } from './der.js';
import type { CelRegistrar } from './types.js';
import { namespaced } from './types.js';

type Obj = Record<string, unknown>;

const b64 = (b: Buffer): string => b.toString('base64');
const oidKey = (arcs: readonly number[]): string => arcs.join('.');

/** The first PEM block of `text` (Go's pem.Decode): its type and DER bytes, or undefined. */
export function pemDecode(text: string): { type: string; bytes: Buffer } | undefined {
  const m = /-----BEGIN ([^\n-]*)-----\r?\n([\s\S]*?)-----END \1-----/.exec(text);
  if (!m) return undefined;
  const body = m[2]!
    .split(/\r?\n/)
    .filter((l) => !l.includes(':'))
    .join('')
    .replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) return undefined;
  return { type: m[1]!, bytes: Buffer.from(body, 'base64') };
}

/** pkix.Name as Go fills it from an RDN sequence (FillFromRDNSequence), in its JSON form. */
export function pkixName(name: Der): Obj {
  const out: Obj = {
    Country: null,
    Organization: null,
    OrganizationalUnit: null,
    Locality: null,
    Province: null,
    StreetAddress: null,
    PostalCode: null,
    SerialNumber: '',
    CommonName: '',
    Names: null,
    ExtraNames: null,
  };
  const names: Obj[] = [];
  const add = (field: string, v: string): void => {
    out[field] = [...((out[field] as string[] | null) ?? []), v];
  };
  for (const rdn of derChildren(name)) {
    for (const atv of derChildren(rdn)) {
      const [type, value] = derChildren(atv) as [Der, Der];
      const oid = derOid(type);
      const s = derString(value);
      names.push({ Type: oid, Value: s ?? null });
      if (s === undefined || oid.length !== 4 || oid[0] !== 2 || oid[1] !== 5 || oid[2] !== 4) continue;
      switch (oid[3]) {
        case 3:
          out.CommonName = s;
          break;
        case 5:
          out.SerialNumber = s;
          break;
        case 6:
          add('Country', s);
          break;
        case 7:
          add('Locality', s);
          break;
        case 8:
          add('Province', s);
          break;
        case 9:
          add('StreetAddress', s);
          break;
        case 10:
          add('Organization', s);
          break;
        case 11:
          add('OrganizationalUnit', s);
          break;
        case 17:
          add('PostalCode', s);
          break;
      }
    }
  }
  if (names.length) out.Names = names;
  return out;
}

/** net.IP's text: dotted IPv4 (also for IPv4-mapped IPv6), else RFC 5952. */
export function ipString(b: Buffer): string {
  if (b.length === 4) return [...b].join('.');
  if (b.length !== 16) return `?${b.toString('hex')}`;
  if (b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return [...b.subarray(12)].join('.');
  const groups = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best === -1) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

const EXT_KEY_USAGE: Record<string, number> = {
  '2.5.29.37.0': 0,
  '1.3.6.1.5.5.7.3.1': 1,
  '1.3.6.1.5.5.7.3.2': 2,
  '1.3.6.1.5.5.7.3.3': 3,
  '1.3.6.1.5.5.7.3.4': 4,
  '1.3.6.1.5.5.7.3.5': 5,
  '1.3.6.1.5.5.7.3.6': 6,
  '1.3.6.1.5.5.7.3.7': 7,
  '1.3.6.1.5.5.7.3.8': 8,
  '1.3.6.1.5.5.7.3.9': 9,
  '1.3.6.1.4.1.311.10.3.3': 10,
  '2.16.840.1.113730.4.1': 11,
  '1.3.6.1.4.1.311.2.1.22': 12,
  '1.3.6.1.4.1.311.61.1.1': 13,
};

const push = (o: Obj, field: string, v: unknown): void => {
  o[field] = [...((o[field] as unknown[] | null) ?? []), v];
};

/** The GeneralNames of a SAN-like sequence into the output's fields. */
function generalNames(seq: Der, out: Obj): void {
  for (const gn of derChildren(seq)) {
    const tagNo = gn.tag & 0x1f;
    if (tagNo === 1) push(out, 'EmailAddresses', gn.content.toString('latin1'));
    else if (tagNo === 2) push(out, 'DNSNames', gn.content.toString('latin1'));
    else if (tagNo === 7) {
      if (gn.content.length !== 4 && gn.content.length !== 16)
        throw new CelEvalError(`x509: cannot parse IP address of length ${gn.content.length}`);
      push(out, 'IPAddresses', ipString(gn.content));
    }
  }
}

function nameConstraints(ext: Der, critical: boolean, out: Obj): void {
  out.PermittedDNSDomainsCritical = critical;
  for (const subtrees of derChildren(ext)) {
    const kind = (subtrees.tag & 0x1f) === 0 ? 'Permitted' : 'Excluded';
    for (const subtree of derChildren(subtrees)) {
      const base = derChildren(subtree)[0]!;
      const tagNo = base.tag & 0x1f;
      const text = base.content.toString('latin1');
      if (tagNo === 2) push(out, `${kind}DNSDomains`, text);
      else if (tagNo === 1) push(out, `${kind}EmailAddresses`, text);
      else if (tagNo === 6) push(out, `${kind}URIDomains`, text);
      else if (tagNo === 7) {
        const n = base.content.length / 2;
        if (n !== 4 && n !== 16)
          throw new CelEvalError(`x509: invalid IP/mask in name constraints of length ${base.content.length}`);
        push(out, `${kind}IPRanges`, {
          IP: ipString(base.content.subarray(0, n)),
          Mask: b64(base.content.subarray(n)),
        });
      }
    }
  }
}

function extensionInto(oid: string, critical: boolean, value: Buffer, out: Obj): void {
  const d = (): Der => readDer(value);
  switch (oid) {
    case '2.5.29.15': {
      const { bytes, bits } = derBitString(d());
      let usage = 0;
      for (let i = 0; i < 9 && i < bits; i++) if (bytes[i >> 3]! & (0x80 >> (i & 7))) usage |= 1 << i;
      out.KeyUsage = usage;
      break;
    }
    case '2.5.29.19': {
      const parts = derChildren(d());
      out.BasicConstraintsValid = true;
      let i = 0;
      if (parts[0]?.tag === 0x01) out.IsCA = parts[i++]!.content[0] !== 0;
      out.MaxPathLen = parts[i]?.tag === 0x02 ? Number(derInteger(parts[i]!)) : -1;
      out.MaxPathLenZero = out.MaxPathLen === 0;
      break;
    }
    case '2.5.29.17':
      generalNames(d(), out);
      break;
    case '2.5.29.30':
      nameConstraints(d(), critical, out);
      break;
    case '2.5.29.31':
      for (const dp of derChildren(d())) {
        const name = derChildren(dp).find((x) => x.tag === 0xa0);
        const full = name && derChildren(name).find((x) => x.tag === 0xa0);
        for (const gn of full ? derChildren(full) : [])
          if ((gn.tag & 0x1f) === 6) push(out, 'CRLDistributionPoints', gn.content.toString('latin1'));
      }
      break;
    case '2.5.29.35': {
      const key = derChildren(d()).find((x) => x.tag === 0x80);
      if (key) out.AuthorityKeyId = b64(key.content);
      break;
    }
    case '2.5.29.37':
      for (const o of derChildren(d())) {
        const eku = EXT_KEY_USAGE[oidKey(derOid(o))];
        if (eku !== undefined) push(out, 'ExtKeyUsage', eku);
      }
      break;
    case '2.5.29.32':
      for (const pi of derChildren(d())) push(out, 'PolicyIdentifiers', derOid(derChildren(pi)[0]!));
      break;
    case '1.3.6.1.5.5.7.1.1':
      for (const ad of derChildren(d())) {
        const [method, location] = derChildren(ad) as [Der, Der];
        if ((location.tag & 0x1f) !== 6) continue;
        const m = oidKey(derOid(method));
        if (m === '1.3.6.1.5.5.7.48.1') push(out, 'OCSPServer', location.content.toString('latin1'));
        else if (m === '1.3.6.1.5.5.7.48.2') push(out, 'IssuingCertificateURL', location.content.toString('latin1'));
      }
      break;
  }
}

/** Go's big.Int.Int64: the low 64 bits of the magnitude, with the sign. */
function int64Of(v: bigint): number {
  const abs = v < 0n ? -v : v;
  const low = BigInt.asIntN(64, abs & 0xffff_ffff_ffff_ffffn);
  return Number(v < 0n ? -low : low);
}

const rfc3339 = (t: Date): string => t.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** A DER certificate as Kyverno's x509.decode returns it. */
export function decodeCertificate(der: Buffer): Obj {
  let x: X509Certificate;
  let tbsParts: Der[];
  let cert: Der[];
  try {
    x = new X509Certificate(der);
    cert = derChildren(readDer(der));
    tbsParts = derChildren(cert[0]!);
  } catch {
    throw new CelEvalError('x509: malformed certificate');
  }
  let i = 0;
  if (tbsParts[0]!.tag === 0xa0) i++;
  const serial = derInteger(tbsParts[i++]!);
  i++; // signature algorithm
  const issuer = tbsParts[i++]!;
  const validity = derChildren(tbsParts[i++]!);
  const subject = tbsParts[i++]!;
  const spki = tbsParts[i++]!;
  const [alg] = derChildren(spki);
  if (oidKey(derOid(derChildren(alg!)[0]!)) !== '1.2.840.113549.1.1.1')
    throw new CelEvalError('certificate should use rsa algorithm');
  const jwk = x.publicKey.export({ format: 'jwk' }) as { n: string; e: string };
  const out: Obj = {
    Raw: b64(der.subarray(0, readDer(der).raw.length)),
    RawTBSCertificate: b64(cert[0]!.raw),
    RawSubjectPublicKeyInfo: b64(spki.raw),
    RawSubject: b64(subject.raw),
    RawIssuer: b64(issuer.raw),
    Signature: b64(derBitString(cert[2]!).bytes),
    PublicKeyAlgorithm: 1,
    PublicKey: {
      N: BigInt(`0x${Buffer.from(jwk.n, 'base64url').toString('hex')}`).toString(),
      E: Number(BigInt(`0x${Buffer.from(jwk.e, 'base64url').toString('hex')}`)),
    },
    SerialNumber: int64Of(serial),
    Issuer: pkixName(issuer),
    NotBefore: rfc3339(derTime(validity[0]!)),
    NotAfter: rfc3339(derTime(validity[1]!)),
    KeyUsage: 0,
    Extensions: null,
    ExtraExtensions: null,
    ExtKeyUsage: null,
    BasicConstraintsValid: false,
    IsCA: false,
    MaxPathLen: 0,
    MaxPathLenZero: false,
    AuthorityKeyId: null,
    OCSPServer: null,
    IssuingCertificateURL: null,
    DNSNames: null,
    EmailAddresses: null,
    IPAddresses: null,
    PermittedDNSDomainsCritical: false,
    PermittedDNSDomains: null,
    ExcludedDNSDomains: null,
    PermittedIPRanges: null,
    ExcludedIPRanges: null,
    PermittedEmailAddresses: null,
    ExcludedEmailAddresses: null,
    PermittedURIDomains: null,
    ExcludedURIDomains: null,
    CRLDistributionPoints: null,
    PolicyIdentifiers: null,
  };
  const exts = tbsParts.slice(i).find((p) => p.tag === 0xa3);
  if (exts) {
    for (const e of derChildren(derChildren(exts)[0]!)) {
      const parts = derChildren(e);
      const id = derOid(parts[0]!);
      const critical = parts[1]?.tag === 0x01 && parts[1].content[0] !== 0;
      const value = parts[parts.length - 1]!.content;
      push(out, 'Extensions', { Id: id, Critical: critical, Value: b64(value) });
      try {
        extensionInto(oidKey(id), critical, value, out);
      } catch (err) {
        if (err instanceof CelEvalError) throw err;
        throw new CelEvalError('x509: malformed extension');
      }
    }
  }
  return out;
}

/** Go's x509.SignatureAlgorithm numbers by signature OID (RSA-PSS by its hash parameter). */
const SIGNATURE_ALGORITHMS: Record<string, number> = {
  '1.2.840.113549.1.1.2': 1,
  '1.2.840.113549.1.1.4': 2,
  '1.2.840.113549.1.1.5': 3,
  '1.2.840.113549.1.1.11': 4,
  '1.2.840.113549.1.1.12': 5,
  '1.2.840.113549.1.1.13': 6,
  '1.2.840.10040.4.3': 7,
  '2.16.840.1.101.3.4.3.2': 8,
  '1.2.840.10045.4.1': 9,
  '1.2.840.10045.4.3.2': 10,
  '1.2.840.10045.4.3.3': 11,
  '1.2.840.10045.4.3.4': 12,
  '1.3.101.112': 16,
};
const PSS_HASHES: Record<string, number> = {
  '2.16.840.1.101.3.4.2.1': 13,
  '2.16.840.1.101.3.4.2.2': 14,
  '2.16.840.1.101.3.4.2.3': 15,
};

function signatureAlgorithm(algId: Der): number {
  const [oid, params] = derChildren(algId);
  const key = oidKey(derOid(oid!));
  if (key !== '1.2.840.113549.1.1.10') return SIGNATURE_ALGORITHMS[key] ?? 0;
  try {
    const hash = derChildren(params!).find((p) => p.tag === 0xa0);
    const hashOid = hash && derChildren(derChildren(hash)[0]!)[0];
    return (hashOid && PSS_HASHES[oidKey(derOid(hashOid))]) || 0;
  } catch {
    return 0;
  }
}

/** A URI as Go's url.URL struct encodes to JSON (the fields Go's url.Parse fills for a plain URI). */
export function goURL(text: string): Obj {
  const out: Obj = {
    Scheme: '',
    Opaque: '',
    User: null,
    Host: '',
    Path: '',
    RawPath: '',
    OmitHost: false,
    ForceQuery: false,
    RawQuery: '',
    Fragment: '',
    RawFragment: '',
  };
  let rest = text;
  const hash = rest.indexOf('#');
  if (hash !== -1) {
    out.Fragment = decodeURIComponent(rest.slice(hash + 1));
    if (encodeURI(out.Fragment as string) !== rest.slice(hash + 1)) out.RawFragment = rest.slice(hash + 1);
    rest = rest.slice(0, hash);
  }
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (scheme) {
    out.Scheme = scheme[1]!.toLowerCase();
    rest = rest.slice(scheme[0].length);
  }
  const q = rest.indexOf('?');
  if (q !== -1) {
    out.RawQuery = rest.slice(q + 1);
    out.ForceQuery = q === rest.length - 1;
    rest = rest.slice(0, q);
  }
  if (rest.startsWith('//')) {
    const end = rest.indexOf('/', 2);
    let authority = end === -1 ? rest.slice(2) : rest.slice(2, end);
    rest = end === -1 ? '' : rest.slice(end);
    const at = authority.lastIndexOf('@');
    if (at !== -1) {
      const [u, p] = authority.slice(0, at).split(/:(.*)/s);
      out.User = { username: decodeURIComponent(u ?? ''), password: p ?? '', passwordSet: p !== undefined };
      authority = authority.slice(at + 1);
    }
    out.Host = authority;
  } else if (out.Scheme !== '' && !rest.startsWith('/')) {
    out.Opaque = rest;
    return out;
  }
  out.Path = decodeURIComponent(rest);
  if (encodeURI(out.Path as string) !== rest) out.RawPath = rest;
  return out;
}

/** The deprecated Attributes: each attribute whose values are sets of (type, value) sequences. */
function csrAttributes(attrs: Der | undefined): Obj[] | null {
  const out: Obj[] = [];
  for (const attr of attrs ? derChildren(attrs) : []) {
    try {
      const [type, values] = derChildren(attr) as [Der, Der];
      const value = derChildren(values).map((set) =>
        derChildren(set).map((atv) => {
          const parts = derChildren(atv);
          if (parts.length !== 2) throw new Error('not a type and value');
          const v = parts[1]!;
          return { Type: derOid(parts[0]!), Value: v.tag === 0x04 ? b64(v.content) : (derString(v) ?? null) };
        }),
      );
      out.push({ Type: derOid(type), Value: value });
    } catch {
      // Go skips an attribute that does not parse as such sets.
    }
  }
  return out.length ? out : null;
}

/** A DER certificate request as Kyverno's x509.decode returns it (Go's CertificateRequest struct). */
export function decodeCertificateRequest(der: Buffer): Obj {
  let csr: Der[];
  let info: Der[];
  try {
    csr = derChildren(readDer(der));
    info = derChildren(csr[0]!);
  } catch {
    throw new CelEvalError('x509: malformed certificate request');
  }
  const [version, subject, spki, attrs] = info as [Der, Der, Der, Der | undefined];
  const [alg] = derChildren(spki);
  if (oidKey(derOid(derChildren(alg!)[0]!)) !== '1.2.840.113549.1.1.1')
    throw new CelEvalError('certificate should use rsa algorithm');
  const [, key] = derChildren(spki) as [Der, Der];
  const [n, e] = derChildren(readDer(derBitString(key).bytes)).map(derInteger) as [bigint, bigint];
  const out: Obj = {
    Raw: b64(csr.length ? readDer(der).raw : der),
    RawTBSCertificateRequest: b64(csr[0]!.raw),
    RawSubjectPublicKeyInfo: b64(spki.raw),
    RawSubject: b64(subject.raw),
    Version: Number(derInteger(version)),
    Signature: b64(derBitString(csr[2]!).bytes),
    SignatureAlgorithm: signatureAlgorithm(csr[1]!),
    PublicKeyAlgorithm: 1,
    PublicKey: { N: n.toString(), E: Number(e) },
    Subject: pkixName(subject),
    Attributes: csrAttributes(attrs),
    Extensions: null,
    ExtraExtensions: null,
    DNSNames: null,
    EmailAddresses: null,
    IPAddresses: null,
    URIs: null,
  };
  for (const attr of attrs ? derChildren(attrs) : []) {
    const [type, values] = derChildren(attr) as [Der, Der];
    if (oidKey(derOid(type)) !== '1.2.840.113549.1.9.14') continue;
    for (const set of derChildren(values)) {
      for (const e of derChildren(set)) {
        const parts = derChildren(e);
        const id = derOid(parts[0]!);
        const critical = parts[1]?.tag === 0x01 && parts[1].content[0] !== 0;
        const value = parts[parts.length - 1]!.content;
        push(out, 'Extensions', { Id: id, Critical: critical, Value: b64(value) });
        if (oidKey(id) === '2.5.29.17') {
          generalNames(readDer(value), out);
          for (const gn of derChildren(readDer(value)))
            if ((gn.tag & 0x1f) === 6) push(out, 'URIs', goURL(gn.content.toString('latin1')));
        }
      }
    }
  }
  return out;
}

/** x509.decode(pem). */
export function x509Decode(text: string): unknown {
  charge(sizeCost(text.length));
  const block = pemDecode(text);
  if (!block) throw new CelEvalError('failed to decode PEM block');
  if (block.type === 'CERTIFICATE') return toDouble(decodeCertificate(block.bytes));
  if (block.type === 'CERTIFICATE REQUEST') return toDouble(decodeCertificateRequest(block.bytes));
  throw new CelEvalError('PEM block neither contains a CERTIFICATE or CERTIFICATE REQUEST');
}

/** Go's JSON round trip: every number a double. */
function toDouble(v: unknown): unknown {
  const c = toCel(v);
  const fix = (x: unknown): unknown => {
    if (typeof x === 'bigint') return Number(x);
    if (Array.isArray(x)) return x.map(fix);
    if (x instanceof Map) return new Map([...x].map(([k, y]) => [k, fix(y)]));
    return x;
  };
  return fix(c);
}

export function registerKyvernoX509(env: CelRegistrar): void {
  namespaced(env, 'x509.decode', ['string'], 'dyn', x509Decode);
}
