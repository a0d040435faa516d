/**
 * The Kubernetes URL library (k8s.io/apiserver/pkg/cel/library/urls.go) over a port of the parts
 * of Go's net/url it uses: ParseRequestURI (absolute URI or absolute path), Hostname, Port,
 * EscapedPath, Query.
 */
import { CelEvalError } from '../errors.js';
import type { CelRegistrar } from './types.js';

/** A parsed URL. */
export class URL {
  readonly celType = 'kubernetes.URL';
  constructor(
    readonly scheme: string,
    readonly host: string,
    readonly path: string,
    readonly rawQuery: string,
    readonly text: string,
  ) {}
  get hostname(): string {
    const h = this.host;
    if (h.startsWith('[')) return h.slice(1, h.indexOf(']') >= 0 ? h.indexOf(']') : undefined);
    const c = h.lastIndexOf(':');
    return c >= 0 ? h.slice(0, c) : h;
  }
  get port(): string {
    const h = this.host;
    const close = h.lastIndexOf(']');
    const c = h.lastIndexOf(':');
    return c > close && c >= 0 ? h.slice(c + 1) : '';
  }
  equals(o: URL): boolean {
    return this.text === o.text;
  }
  toString(): string {
    return this.text;
  }
}

function validEscapes(s: string): boolean {
  return !/%(?![0-9a-fA-F]{2})/.test(s);
}

/** Go's url.ParseRequestURI then url.Parse: a URL or the error Go gives. */
export function parseRequestURI(s: string): { url?: URL; error?: string } {
  const fail = (why: string) => ({ error: `parse ${JSON.stringify(s)}: ${why}` });
  if (/[\x00-\x1f\x7f]/.test(s)) return fail('net/url: invalid control character in URL');
  let rest = s;
  let scheme = '';
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (m) {
    scheme = m[1].toLowerCase();
    rest = rest.slice(m[0].length);
  } else if (rest.startsWith(':')) return fail('missing protocol scheme');
  const q = rest.indexOf('?');
  const rawQuery = q >= 0 ? rest.slice(q + 1) : '';
  if (q >= 0) rest = rest.slice(0, q);
  if (!rest.startsWith('/')) {
    if (scheme !== '') return { url: new URL(scheme, '', '', rawQuery, s) };
    return fail('invalid URI for request');
  }
  let host = '';
  if (scheme !== '' && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    let authority = slash >= 0 ? rest.slice(2, slash) : rest.slice(2);
    rest = slash >= 0 ? rest.slice(slash) : '';
    const at = authority.lastIndexOf('@');
    if (at >= 0) authority = authority.slice(at + 1);
    if (authority.startsWith('[')) {
      const close = authority.indexOf(']');
      if (close < 0) return fail("missing ']' in host");
      const after = authority.slice(close + 1);
      if (after !== '' && !/^:[0-9]*$/.test(after)) return fail(`invalid port ${JSON.stringify(after)} after host`);
    } else {
      const c = authority.lastIndexOf(':');
      if (c >= 0 && !/^[0-9]*$/.test(authority.slice(c + 1)))
        return fail(`invalid port ${JSON.stringify(authority.slice(c))} after host`);
    }
    if (!validEscapes(authority)) return fail('invalid URL escape');
    host = authority;
  }
  if (!validEscapes(rest))
    return fail(`invalid URL escape ${JSON.stringify(rest.slice(rest.search(/%/), rest.search(/%/) + 3))}`);
  const hash = rest.indexOf('#');
  const path = hash >= 0 ? rest.slice(0, hash) : rest;
  return { url: new URL(scheme, host, path, rawQuery.split('#')[0], s) };
}

function url(s: string): URL {
  const r = parseRequestURI(s);
  if (!r.url) throw new CelEvalError(`URL parse error during conversion from string: ${r.error}`);
  return r.url;
}

function unescape(s: string): string | undefined {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function query(u: URL): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of u.rawQuery.split('&')) {
    if (part === '' || part.includes(';')) continue;
    const eq = part.indexOf('=');
    const k = unescape(eq >= 0 ? part.slice(0, eq) : part);
    const v = unescape(eq >= 0 ? part.slice(eq + 1) : '');
    if (k === undefined || v === undefined) continue;
    out.set(k, [...(out.get(k) ?? []), v]);
  }
  return out;
}

export function registerURL(env: CelRegistrar): void {
  const U = 'kubernetes.URL';
  env.registerType(U, URL);
  env.registerFunction(`url(string): ${U}`, url);
  env.registerFunction('isURL(string): bool', (s: string) => parseRequestURI(s).url !== undefined);
  env.registerFunction(`${U}.getScheme(): string`, (u: URL) => u.scheme);
  env.registerFunction(`${U}.getHost(): string`, (u: URL) => u.host);
  env.registerFunction(`${U}.getHostname(): string`, (u: URL) => u.hostname);
  env.registerFunction(`${U}.getPort(): string`, (u: URL) => u.port);
  env.registerFunction(`${U}.getEscapedPath(): string`, (u: URL) => u.path);
  env.registerFunction(`${U}.getQuery(): map<string, list<string>>`, query);
}
