/**
 * The console's request guards: only loopback Host and Origin headers (DNS rebinding), only GET,
 * and the response headers every answer carries (CSP, no sniffing, no framing).
 */
import type { IncomingMessage } from 'node:http';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * The host of a `Host` header, parsed strictly as an RFC 3986 authority without userinfo:
 * `reg-name | IPv4 | [IPv6]`, then an optional `:port` of 1-5 digits (at most 65535). Lower-cased,
 * IPv6 brackets kept. Undefined when the header is anything else (`127.0.0.1:80@evil.example`,
 * a path, spaces, two colons, an empty host).
 */
export function hostOf(hostHeader: string): string | undefined {
  const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d{1,5}))?$/.exec(hostHeader);
  if (!m) return undefined;
  if (m[2] !== undefined && Number(m[2]) > 65535) return undefined;
  return m[1]!.toLowerCase();
}

export interface GuardOptions {
  /** Extra host names accepted besides loopback (only when the user bound another address). */
  readonly allowedHosts?: readonly string[];
}

/** Why a request is refused, with the status to answer: 405 method, 400 malformed Host, 403 foreign Host or Origin. */
export interface Refusal {
  readonly status: 400 | 403 | 405;
  readonly reason: string;
}

/** Returns why the request is refused, or undefined when it may proceed. */
export function refuseReason(req: IncomingMessage, opts: GuardOptions = {}): Refusal | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, reason: `method ${req.method} not allowed` };
  const allowed = new Set([...LOOPBACK_HOSTS, ...(opts.allowedHosts ?? []).map((h) => h.toLowerCase())]);
  const header = req.headers.host;
  if (header === undefined || header === '') return { status: 400, reason: 'a Host header is required' };
  const host = hostOf(header);
  if (host === undefined) return { status: 400, reason: `malformed Host header '${header}'` };
  if (!allowed.has(host)) return { status: 403, reason: `host '${header}' is not allowed (DNS rebinding protection)` };
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let o: URL;
    try {
      o = new URL(origin);
    } catch {
      return { status: 403, reason: `origin '${origin}' is not allowed` };
    }
    if (o.username || o.password || o.pathname !== '/' || o.search || o.hash)
      return { status: 403, reason: `origin '${origin}' is not allowed` };
    const oh = o.hostname.startsWith('[') || !o.hostname.includes(':') ? o.hostname : `[${o.hostname}]`;
    if (!allowed.has(oh.toLowerCase())) return { status: 403, reason: `origin '${origin}' is not allowed` };
  }
  return undefined;
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};
