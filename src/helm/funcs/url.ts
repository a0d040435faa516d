/** sprig's urlParse and urlJoin over a port of Go's net/url Parse and URL.String (Go 1.26). */
import { isIPv6 } from 'node:net';
import { GoError, GoPanic, goFunc, type GoFunc, type GoMap } from '../../gotemplate/value.js';
import { goQuote, kindName } from './go-fmt.js';
import { fromUtf8, utf8 } from './unicode.js';

type Mode = 'path' | 'pathSegment' | 'host' | 'zone' | 'userPassword' | 'queryComponent' | 'fragment';

const isAlnum = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);

function shouldEscape(c: number, mode: Mode): boolean {
  if (isAlnum(c)) return false;
  const ch = String.fromCharCode(c);
  if ((mode === 'host' || mode === 'zone') && `!$&'()*+,;=:[]<>"`.includes(ch)) return false;
  if ('-_.~'.includes(ch)) return false;
  if ('$&+,/:;=?@'.includes(ch)) {
    switch (mode) {
      case 'path':
        return ch === '?';
      case 'pathSegment':
        return '/;,?'.includes(ch);
      case 'userPassword':
        return '@/?:'.includes(ch);
      case 'queryComponent':
        return true;
      case 'fragment':
        return false;
      default:
        break;
    }
  }
  if (mode === 'fragment' && '!()*'.includes(ch)) return false;
  return true;
}

/** url's escape. */
export function escape(s: string, mode: Mode): string {
  let out = '';
  for (const c of utf8(s)) {
    if (!shouldEscape(c, mode)) out += String.fromCharCode(c);
    else if (c === 0x20 && mode === 'queryComponent') out += '+';
    else out += '%' + c.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

const isHex = (c: string | undefined): boolean => c !== undefined && /^[0-9a-fA-F]$/.test(c);

/** url's unescape; throws GoError (EscapeError / InvalidHostError). */
export function unescape(s: string, mode: Mode): string {
  const b = utf8(s);
  const out: number[] = [];
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0x25) {
      const h1 = String.fromCharCode(b[i + 1] ?? 0);
      const h2 = String.fromCharCode(b[i + 2] ?? 0);
      if (i + 2 >= b.length || !isHex(h1) || !isHex(h2))
        throw new GoError(`invalid URL escape ${goQuote(fromUtf8(b.subarray(i, i + 3)))}`);
      const v = parseInt(h1 + h2, 16);
      const seq = fromUtf8(b.subarray(i, i + 3));
      if (mode === 'host' && parseInt(h1, 16) < 8 && seq !== '%25')
        throw new GoError(`invalid URL escape ${goQuote(seq)}`);
      if (mode === 'zone' && seq !== '%25' && v !== 0x20 && shouldEscape(v, 'host'))
        throw new GoError(`invalid URL escape ${goQuote(seq)}`);
      out.push(v);
      i += 2;
    } else if (c === 0x2b) out.push(mode === 'queryComponent' ? 0x20 : 0x2b);
    else {
      if ((mode === 'host' || mode === 'zone') && c < 0x80 && shouldEscape(c, mode))
        throw new GoError(`invalid character ${goQuote(String.fromCharCode(c))} in host name`);
      out.push(c);
    }
  }
  return fromUtf8(Uint8Array.from(out));
}

interface Url {
  scheme: string;
  opaque: string;
  user?: { username: string; password?: string };
  host: string;
  path: string;
  rawQuery: string;
  fragment: string;
  forceQuery: boolean;
}

function getScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[a-zA-Z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new GoError('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

const validOptionalPort = (p: string): boolean => p === '' || /^:[0-9]*$/.test(p);

function parseHost(scheme: string, host: string): string {
  const open = host.lastIndexOf('[');
  if (open > 0) throw new GoError('invalid IP-literal');
  if (open === 0) {
    const close = host.lastIndexOf(']');
    if (close < 0) throw new GoError("missing ']' in host");
    const colonPort = host.slice(close + 1);
    if (!validOptionalPort(colonPort)) throw new GoError(`invalid port ${goQuote(colonPort)} after host`);
    const port = unescape(colonPort, 'host');
    const name = host.slice(1, close);
    const z = name.indexOf('%25');
    const unescaped =
      z >= 0 ? unescape(name.slice(0, z), 'host') + unescape(name.slice(z), 'zone') : unescape(name, 'host');
    const addr = z >= 0 ? unescaped.slice(0, unescaped.indexOf('%')) : unescaped;
    if (!isIPv6(addr)) throw new GoError(`invalid host: ParseAddr(${goQuote(unescaped)}): unable to parse IP`);
    return `[${unescaped}]${port}`;
  }
  let i = host.indexOf(':');
  if (i !== -1) {
    const last = host.lastIndexOf(':');
    if (last !== i && scheme !== 'http' && scheme !== 'https') i = last;
    const colonPort = host.slice(i);
    if (!validOptionalPort(colonPort)) throw new GoError(`invalid port ${goQuote(colonPort)} after host`);
  }
  return unescape(host, 'host');
}

const validUserinfo = (s: string): boolean => /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);

function parseUrl(raw: string): Url {
  const hash = raw.indexOf('#');
  const u0 = hash < 0 ? raw : raw.slice(0, hash);
  const frag = hash < 0 ? '' : raw.slice(hash + 1);
  let url: Url;
  try {
    url = parse(u0);
  } catch (e) {
    if (e instanceof GoError) throw new GoError(`parse ${goQuote(u0)}: ${e.message}`);
    throw e;
  }
  if (frag !== '') {
    try {
      url.fragment = unescape(frag, 'fragment');
    } catch (e) {
      if (e instanceof GoError) throw new GoError(`parse ${goQuote(raw)}: ${e.message}`);
      throw e;
    }
  }
  return url;
}

function parse(raw: string): Url {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new GoError('net/url: invalid control character in URL');
  const url: Url = { scheme: '', opaque: '', host: '', path: '', rawQuery: '', fragment: '', forceQuery: false };
  if (raw === '*') {
    url.path = '*';
    return url;
  }
  let [scheme, rest] = getScheme(raw);
  url.scheme = scheme.toLowerCase();
  if (rest.endsWith('?') && rest.split('?').length === 2) {
    url.forceQuery = true;
    rest = rest.slice(0, -1);
  } else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      url.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    if (url.scheme !== '') {
      url.opaque = rest;
      return url;
    }
    if (rest.split('/')[0]!.includes(':')) throw new GoError('first path segment in URL cannot contain colon');
  }
  if ((url.scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    rest = '';
    const i = authority.indexOf('/');
    if (i >= 0) {
      rest = authority.slice(i);
      authority = authority.slice(0, i);
    }
    const at = authority.lastIndexOf('@');
    url.host = parseHost(url.scheme, at < 0 ? authority : authority.slice(at + 1));
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      if (!validUserinfo(userinfo)) throw new GoError('net/url: invalid userinfo');
      const c = userinfo.indexOf(':');
      url.user =
        c < 0
          ? { username: unescape(userinfo, 'userPassword') }
          : {
              username: unescape(userinfo.slice(0, c), 'userPassword'),
              password: unescape(userinfo.slice(c + 1), 'userPassword'),
            };
    }
  }
  url.path = unescape(rest, 'path');
  return url;
}

const userString = (u: NonNullable<Url['user']>): string =>
  escape(u.username, 'userPassword') + (u.password !== undefined ? ':' + escape(u.password, 'userPassword') : '');

/** url.URL.Hostname. */
function hostname(host: string): string {
  let h = host;
  const colon = h.lastIndexOf(':');
  if (colon !== -1 && validOptionalPort(h.slice(colon))) h = h.slice(0, colon);
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  return h;
}

/** url.URL.String for a URL built from parts (no RawPath, no RawFragment). */
function urlString(u: Url): string {
  let buf = '';
  if (u.scheme !== '') buf += u.scheme + ':';
  if (u.opaque !== '') buf += u.opaque;
  else {
    if (u.scheme !== '' || u.host !== '' || u.user) {
      if (u.host !== '' || u.path !== '' || u.user) buf += '//';
      if (u.user) buf += userString(u.user) + '@';
      if (u.host !== '') buf += escape(u.host, 'host');
    }
    const path = u.path === '*' ? '*' : escape(u.path, 'path');
    if (path !== '' && path[0] !== '/' && u.host !== '') buf += '/';
    if (buf === '' && path.split('/')[0]!.includes(':')) buf += './';
    buf += path;
  }
  if (u.forceQuery || u.rawQuery !== '') buf += '?' + u.rawQuery;
  if (u.fragment !== '') buf += '#' + escape(u.fragment, 'fragment');
  return buf;
}

function dictGetOrEmpty(d: GoMap, key: string): string {
  if (!Object.prototype.hasOwnProperty.call(d, key)) return '';
  const v = d[key] ?? null;
  if (v === null) throw new GoPanic('runtime error: invalid memory address or nil pointer dereference');
  if (typeof v !== 'string')
    throw new GoPanic(`unable to parse ${key} key, must be of type string, but ${kindName(v)} found`);
  return v;
}

export const urlFuncs: Record<string, GoFunc> = {
  urlParse: goFunc(['string'], ['map[string]interface{}'], ([s]) => {
    let u: Url;
    try {
      u = parseUrl(s as string);
    } catch (e) {
      if (e instanceof GoError) throw new GoPanic(`unable to parse url: ${e.message}`);
      throw e;
    }
    return {
      scheme: u.scheme,
      host: u.host,
      hostname: hostname(u.host),
      path: u.path,
      query: u.rawQuery,
      opaque: u.opaque,
      fragment: u.fragment,
      userinfo: u.user ? userString(u.user) : '',
    };
  }),
  urlJoin: goFunc(['map[string]interface{}'], ['string'], ([d]) => {
    const m = (d ?? {}) as GoMap;
    const u: Url = {
      scheme: dictGetOrEmpty(m, 'scheme'),
      host: dictGetOrEmpty(m, 'host'),
      path: dictGetOrEmpty(m, 'path'),
      rawQuery: dictGetOrEmpty(m, 'query'),
      opaque: dictGetOrEmpty(m, 'opaque'),
      fragment: dictGetOrEmpty(m, 'fragment'),
      forceQuery: false,
    };
    const userinfo = dictGetOrEmpty(m, 'userinfo');
    if (userinfo !== '') {
      try {
        u.user = parseUrl(`proto://${userinfo}@host`).user;
      } catch (e) {
        if (e instanceof GoError) throw new GoPanic(`unable to parse userinfo in dict: ${e.message}`);
        throw e;
      }
    }
    return urlString(u);
  }),
};
