/**
 * The console's request guards: only loopback Host and Origin headers (DNS rebinding), only GET,
 * and the response headers every answer carries (CSP, no sniffing, no framing).
 */
import type { IncomingMessage } from 'node:http';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** `host[:port]` -> host, with IPv6 brackets kept. */
export function hostOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(0, end + 1) : h;
  }
  const i = h.lastIndexOf(':');
  return i >= 0 ? h.slice(0, i) : h;
}

export interface GuardOptions {
  /** Extra host names accepted besides loopback (only when the user bound another address). */
  readonly allowedHosts?: readonly string[];
}

/** Returns a reason to refuse the request, or undefined when it may proceed. */
export function refuseReason(req: IncomingMessage, opts: GuardOptions = {}): string | undefined {
  if (req.method !== 'GET' && req.method !== 'HEAD') return `method ${req.method} not allowed`;
  const allowed = new Set([...LOOPBACK_HOSTS, ...(opts.allowedHosts ?? []).map((h) => h.toLowerCase())]);
  const host = req.headers.host;
  if (!host || !allowed.has(hostOf(host))) return `host '${host ?? ''}' is not allowed (DNS rebinding protection)`;
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let o: URL;
    try {
      o = new URL(origin);
    } catch {
      return `origin '${origin}' is not allowed`;
    }
    const oh = o.hostname.startsWith('[') || !o.hostname.includes(':') ? o.hostname : `[${o.hostname}]`;
    if (!allowed.has(oh.toLowerCase())) return `origin '${origin}' is not allowed`;
  }
  return undefined;
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};
