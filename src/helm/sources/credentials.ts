/**
 * Registry and repository credentials: given explicitly, or read from a Docker config file
 * (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`; Helm's own registry config has the
 * same shape) `auths` entries, keyed by host. Credential helpers (`credsStore`, `credHelpers`)
 * are not run: a host that only has one is reported as such on a 401, never silently anonymous.
 * Credentials are only ever turned into Authorization headers, never into text that is shown.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type Credential = { readonly username: string; readonly password: string } | { readonly token: string };

/** Credentials by host (`host` or `host:port`). */
export interface Credentials {
  readonly byHost: ReadonlyMap<string, Credential>;
  /** Hosts the config hands to a credential helper we do not run. */
  readonly helperHosts: ReadonlySet<string>;
}

export const NO_CREDENTIALS: Credentials = { byHost: new Map(), helperHosts: new Set() };

/** The Docker config file: `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function dockerConfigPath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env.DOCKER_CONFIG
    ? join(env.DOCKER_CONFIG, 'config.json')
    : join(env.HOME || homedir(), '.docker', 'config.json');
}

/** `https://host/v1/`, `host`, `http://host:5000` -> `host[:port]`. */
export function registryHost(key: string): string {
  const k = key.replace(/^[a-z]+:\/\//i, '');
  return k.replace(/\/.*$/, '').toLowerCase();
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads `auths` (and helper hosts) from Docker config files; a missing or unreadable file adds nothing. */
export function readDockerConfigs(paths: readonly string[]): Credentials {
  const byHost = new Map<string, Credential>();
  const helperHosts = new Set<string>();
  for (const p of paths) {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(p, 'utf8')) as unknown;
    } catch {
      continue;
    }
    if (!isMap(doc)) continue;
    if (isMap(doc.auths)) {
      for (const [k, v] of Object.entries(doc.auths)) {
        if (!isMap(v)) continue;
        const host = registryHost(k);
        if (byHost.has(host)) continue;
        if (typeof v.registrytoken === 'string' && v.registrytoken) byHost.set(host, { token: v.registrytoken });
        else if (typeof v.auth === 'string' && v.auth) {
          const dec = Buffer.from(v.auth, 'base64').toString('utf8');
          const i = dec.indexOf(':');
          if (i > 0) byHost.set(host, { username: dec.slice(0, i), password: dec.slice(i + 1) });
        } else if (typeof v.username === 'string' && typeof v.password === 'string')
          byHost.set(host, { username: v.username, password: v.password });
      }
    }
    if (isMap(doc.credHelpers)) for (const k of Object.keys(doc.credHelpers)) helperHosts.add(registryHost(k));
    if (typeof doc.credsStore === 'string' && doc.credsStore && isMap(doc.auths))
      for (const k of Object.keys(doc.auths)) if (!byHost.has(registryHost(k))) helperHosts.add(registryHost(k));
  }
  return { byHost, helperHosts };
}

/**
 * A registry config given on purpose (`--registry-config`): unlike the default Docker config, a
 * file that cannot be read or is not a JSON object is an error (naming the file, never its content).
 */
export function readRegistryConfig(path: string): Credentials {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`cannot read the registry config '${path}'`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text) as unknown;
  } catch {
    throw new InputError(`${path}: not a Docker config (not JSON)`);
  }
  if (!isMap(doc)) throw new InputError(`${path}: not a Docker config (expected a JSON object with 'auths')`);
  return readDockerConfigs([path]);
}

/** Explicit credentials first, then the config files'. */
export function mergeCredentials(
  explicit: Readonly<Record<string, Credential>> | undefined,
  fromConfig: Credentials,
): Credentials {
  const byHost = new Map(fromConfig.byHost);
  for (const [h, c] of Object.entries(explicit ?? {})) byHost.set(registryHost(h), c);
  return { byHost, helperHosts: fromConfig.helperHosts };
}

/** Docker Hub's registry hosts share the credentials Docker stores under index.docker.io. */
const DOCKER_HUB = new Set(['docker.io', 'registry-1.docker.io', 'index.docker.io']);

/** The credential for a registry host (Docker Hub's aliases included). */
export function credentialFor(creds: Credentials, host: string): Credential | undefined {
  const h = host.toLowerCase();
  const direct = creds.byHost.get(h);
  if (direct || !DOCKER_HUB.has(h)) return direct;
  for (const alias of DOCKER_HUB) {
    const c = creds.byHost.get(alias);
    if (c) return c;
  }
  return undefined;
}

/** The Basic authorization value of a username/password credential. */
export function basicAuth(c: Credential): string | undefined {
  return 'username' in c ? `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}` : undefined;
}

/** Every secret string of a set of credentials (to scrub messages as a last line of defence). */
export function secretsOf(creds: Credentials): string[] {
  const out: string[] = [];
  for (const c of creds.byHost.values()) {
    if ('token' in c) out.push(c.token);
    else {
      out.push(c.password);
      const b = basicAuth(c);
      if (b) out.push(b.slice(6));
    }
  }
  return out.filter((s) => s.length >= 4);
}

/** Replaces every secret in a message by `***`. */
export function scrub(message: string, secrets: readonly string[]): string {
  let m = message;
  for (const s of secrets) m = m.split(s).join('***');
  return m;
}

/** Credentials in a URL's user info, and the URL without them. */
export function splitUrlCredentials(url: string): { url: string; credential?: Credential } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { url };
  }
  if (!u.username && !u.password) return { url };
  const credential = { username: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
  u.username = '';
  u.password = '';
  return { url: u.toString(), credential };
}
