/** IPv4 addresses and CIDR blocks as numbers: parsing, containment and overlap. */

export interface Cidr {
  /** The network address (host bits cleared), as an unsigned 32-bit number. */
  readonly network: number;
  readonly prefix: number;
  /** The address as written (host bits kept), to report non-canonical blocks. */
  readonly address: number;
}

/** `10.1.2.3` -> number, or undefined when not four decimal parts 0-255. */
export function parseIpv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** `10.0.0.0/16` -> Cidr, or undefined when malformed (parts over 255, prefix over 32). */
export function parseCidr(s: string): Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,2})$/.exec(s);
  if (!m) return undefined;
  const address = parseIpv4(m[1]!);
  const prefix = Number(m[2]);
  if (address === undefined || prefix > 32) return undefined;
  return { network: (address & mask(prefix)) >>> 0, prefix, address };
}

/** The last address of the block. */
export function lastAddress(c: Cidr): number {
  return (c.network | ~mask(c.prefix)) >>> 0;
}

export function cidrContains(c: Cidr, ip: number): boolean {
  return (ip & mask(c.prefix)) >>> 0 === c.network;
}

/** Two blocks overlap when one holds the other's network address (blocks are nested or equal). */
export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContains(a, b.network) || cidrContains(b, a.network);
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.network)}/${c.prefix}`;
}
