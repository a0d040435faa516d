/**
 * The Kubernetes ip and cidr libraries (k8s.io/apiserver/pkg/cel/library/ip.go, cidr.go) over our
 * own port of Go's netip parsing and formatting: no zones, no IPv4-mapped IPv6 addresses.
 */
import { CelEvalError } from '../errors.js';
import type { CelRegistrar } from './types.js';

/** An IP address: 4 or 16 bytes. */
export class IP {
  readonly celType = 'net.IP';
  constructor(readonly bytes: Uint8Array) {}
  get family(): 4 | 6 {
    return this.bytes.length === 4 ? 4 : 6;
  }
  equals(o: IP): boolean {
    return this.bytes.length === o.bytes.length && this.bytes.every((b, i) => b === o.bytes[i]);
  }
  toString(): string {
    return formatAddr(this.bytes);
  }
}

/** A CIDR: an address and a prefix length (not masked, as netip.Prefix). */
export class CIDR {
  readonly celType = 'net.CIDR';
  constructor(
    readonly ip: IP,
    readonly bits: number,
  ) {}
  equals(o: CIDR): boolean {
    return this.bits === o.bits && this.ip.equals(o.ip);
  }
  masked(): CIDR {
    return new CIDR(new IP(mask(this.ip.bytes, this.bits)), this.bits);
  }
  contains(ip: IP): boolean {
    return (
      ip.family === this.ip.family && mask(ip.bytes, this.bits).every((b, i) => b === mask(this.ip.bytes, this.bits)[i])
    );
  }
  toString(): string {
    return `${this.ip}/${this.bits}`;
  }
}

function mask(bytes: Uint8Array, bits: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    out[i] = bytes[i] & ((0xff << (8 - keep)) & 0xff);
  }
  return out;
}

function parseIPv4(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i];
    if (!/^[0-9]{1,3}$/.test(p) || (p.length > 1 && p[0] === '0') || Number(p) > 255) return undefined;
    out[i] = Number(p);
  }
  return out;
}

function parseIPv6(s: string): Uint8Array | undefined {
  const out = new Uint8Array(16);
  let head = s;
  let tail = '';
  const dbl = s.indexOf('::');
  if (dbl >= 0) {
    if (s.indexOf('::', dbl + 1) >= 0) return undefined;
    head = s.slice(0, dbl);
    tail = s.slice(dbl + 2);
  }
  const groups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const fields = part.split(':');
    const words: number[] = [];
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i];
      if (i === fields.length - 1 && f.includes('.')) {
        const v4 = parseIPv4(f);
        if (!v4) return undefined;
        words.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(f)) return undefined;
      words.push(parseInt(f, 16));
    }
    return words;
  };
  const h = groups(head);
  const t = groups(tail);
  if (!h || !t) return undefined;
  if (dbl >= 0 ? h.length + t.length > 7 : h.length !== 8) return undefined;
  if (dbl < 0 && head.includes('.') && !head.split(':').pop()!.includes('.')) return undefined;
  const words = [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** netip.ParseAddr: undefined with a reason when not an address. */
export function parseAddr(s: string): { ip?: IP; error?: string } {
  if (s.includes('%')) return { error: `IP address ${JSON.stringify(s)} with zone value is not allowed` };
  const bytes = s.includes(':') ? parseIPv6(s) : parseIPv4(s);
  if (!bytes)
    return {
      error:
        `IP Address ${JSON.stringify(s)} parse error during conversion from string: ` +
        `ParseAddr(${JSON.stringify(s)}): unable to parse IP`,
    };
  if (bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return { error: `IPv4-mapped IPv6 address ${JSON.stringify(s)} is not allowed` };
  }
  return { ip: new IP(bytes) };
}

/** netip.Addr.String(): dotted quad, or RFC 5952 IPv6. */
function formatAddr(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  const words = Array.from({ length: 8 }, (_, i) => (b[2 * i] << 8) | b[2 * i + 1]);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (ws: number[]): string => ws.map((w) => w.toString(16)).join(':');
  if (bestStart < 0) return hex(words);
  return `${hex(words.slice(0, bestStart))}::${hex(words.slice(bestStart + bestLen))}`;
}

function ip(s: string): IP {
  const r = parseAddr(s);
  if (!r.ip) throw new CelEvalError(r.error!);
  return r.ip;
}

function parseCIDR(s: string): { cidr?: CIDR; error?: string } {
  const slash = s.lastIndexOf('/');
  const bad = {
    error: `network address parse error during conversion from string: netip.ParsePrefix(${JSON.stringify(s)}): `,
  };
  if (slash < 0) return { error: bad.error + "no '/'" };
  const addrPart = s.slice(0, slash);
  const bitsPart = s.slice(slash + 1);
  if (addrPart.includes('%')) return { error: bad.error + 'IPv6 zones cannot be present in a prefix' };
  const a = parseAddr(addrPart);
  if (!a.ip) return { error: bad.error + 'ParseAddr: unable to parse IP' };
  if (!/^(0|[1-9][0-9]*)$/.test(bitsPart) || Number(bitsPart) > a.ip.bytes.length * 8)
    return { error: bad.error + 'bad bits after slash' };
  return { cidr: new CIDR(a.ip, Number(bitsPart)) };
}

function cidr(s: string): CIDR {
  const r = parseCIDR(s);
  if (!r.cidr) throw new CelEvalError(r.error!);
  return r.cidr;
}

function isLoopback(x: IP): boolean {
  return x.family === 4 ? x.bytes[0] === 127 : x.bytes.slice(0, 15).every((b) => b === 0) && x.bytes[15] === 1;
}
function isUnspecified(x: IP): boolean {
  return x.bytes.every((b) => b === 0);
}
function isLinkLocalUnicast(x: IP): boolean {
  return x.family === 4
    ? x.bytes[0] === 169 && x.bytes[1] === 254
    : x.bytes[0] === 0xfe && (x.bytes[1] & 0xc0) === 0x80;
}
function isLinkLocalMulticast(x: IP): boolean {
  return x.family === 4
    ? x.bytes[0] === 224 && x.bytes[1] === 0 && x.bytes[2] === 0
    : x.bytes[0] === 0xff && (x.bytes[1] & 0x0f) === 0x02;
}
function isMulticast(x: IP): boolean {
  return x.family === 4 ? (x.bytes[0] & 0xf0) === 0xe0 : x.bytes[0] === 0xff;
}
function isGlobalUnicast(x: IP): boolean {
  if (x.family === 4 && x.bytes.every((b) => b === 255)) return false;
  return !isUnspecified(x) && !isLoopback(x) && !isMulticast(x) && !isLinkLocalUnicast(x);
}

function containsCIDR(a: CIDR, b: CIDR): boolean {
  return a.ip.family === b.ip.family && a.bits <= b.bits && a.contains(b.ip);
}

export function registerIP(env: CelRegistrar): void {
  env.registerType('net.IP', IP);
  env.registerFunction('ip(string): net.IP', ip);
  env.registerFunction('isIP(string): bool', (s: string) => parseAddr(s).ip !== undefined);
  env.registerFunction({
    name: 'ip.isCanonical',
    returnType: 'bool',
    params: [{ name: 's', type: 'string' }],
    handler: (s: string) => ip(s).toString() === s,
  });
  env.registerFunction('net.IP.family(): int', (x: IP) => BigInt(x.family));
  env.registerFunction('net.IP.isUnspecified(): bool', isUnspecified);
  env.registerFunction('net.IP.isLoopback(): bool', isLoopback);
  env.registerFunction('net.IP.isLinkLocalMulticast(): bool', isLinkLocalMulticast);
  env.registerFunction('net.IP.isLinkLocalUnicast(): bool', isLinkLocalUnicast);
  env.registerFunction('net.IP.isGlobalUnicast(): bool', isGlobalUnicast);
  env.registerFunction('string(net.IP): string', (x: IP) => x.toString());
  env.registerOperator('net.IP == net.IP', (a: IP, b: IP) => a.equals(b));

  env.registerType('net.CIDR', CIDR);
  env.registerFunction('cidr(string): net.CIDR', cidr);
  env.registerFunction('isCIDR(string): bool', (s: string) => parseCIDR(s).cidr !== undefined);
  env.registerFunction('net.CIDR.containsIP(string): bool', (c: CIDR, s: string) => c.contains(ip(s)));
  env.registerFunction('net.CIDR.containsIP(net.IP): bool', (c: CIDR, x: IP) => c.contains(x));
  env.registerFunction('net.CIDR.containsCIDR(string): bool', (c: CIDR, s: string) => containsCIDR(c, cidr(s)));
  env.registerFunction('net.CIDR.containsCIDR(net.CIDR): bool', containsCIDR);
  env.registerFunction('net.CIDR.ip(): net.IP', (c: CIDR) => c.ip);
  env.registerFunction('net.CIDR.masked(): net.CIDR', (c: CIDR) => c.masked());
  env.registerFunction('net.CIDR.prefixLength(): int', (c: CIDR) => BigInt(c.bits));
  env.registerFunction('string(net.CIDR): string', (c: CIDR) => c.toString());
  env.registerOperator('net.CIDR == net.CIDR', (a: CIDR, b: CIDR) => a.equals(b));
}
