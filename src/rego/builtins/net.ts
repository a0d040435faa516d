/** OPA's `net.cidr_contains` for IPv4 and IPv6 (pure arithmetic, no lookups). */
import { BuiltinError } from './types.js';

interface Net {
  readonly bits: number;
  readonly addr: bigint;
  readonly prefix: number;
}

function parseIp(s: string): { bits: number; addr: bigint } | undefined {
  if (/^[0-9]+(\.[0-9]+){3}$/.test(s)) {
    const parts = s.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { bits: 32, addr: parts.reduce((a, p) => (a << 8n) | BigInt(p), 0n) };
  }
  if (!s.includes(':')) return undefined;
  const [head, tail] = s.split('::');
  if (s.split('::').length > 2) return undefined;
  const h = head ? head.split(':') : [];
  const t = tail !== undefined && tail !== '' ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { bits: 128, addr: groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

function parseNet(s: string, allowIp: boolean): Net {
  const [ip, pre] = s.split('/');
  const a = parseIp(ip ?? '');
  if (!a || (pre === undefined && !allowIp)) throw new BuiltinError(`net.cidr_contains: invalid CIDR address: ${s}`);
  const prefix = pre === undefined ? a.bits : Number(pre);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > a.bits)
    throw new BuiltinError(`net.cidr_contains: invalid CIDR address: ${s}`);
  return { bits: a.bits, addr: a.addr, prefix };
}

function masked(n: Net, prefix: number): bigint {
  const shift = BigInt(n.bits - prefix);
  return (n.addr >> shift) << shift;
}

export function cidrContains(cidr: string, other: string): boolean {
  const a = parseNet(cidr, false);
  const b = parseNet(other, true);
  if (a.bits !== b.bits) return false;
  return b.prefix >= a.prefix && masked(a, a.prefix) === masked(b, a.prefix);
}
