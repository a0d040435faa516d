// Where the oracles of manifest.json live and how a test gets one: the one implementation behind
// index.ts (for tests under test/) and the helpers under src/**/testing/ (which cannot import a .ts
// file outside src/, so they import this file; its types are in oracle.d.mts). build.mjs uses it too.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export function oracleCacheDir() {
  return process.env.AKSFLEET_ORACLE_DIR || join(homedir(), '.cache', 'aksfleet-oracles');
}

export function oracleManifest() {
  return JSON.parse(readFileSync(join(here, 'manifest.json'), 'utf8')).oracles;
}

function sourceDigest(dir) {
  const h = createHash('sha256');
  for (const f of readdirSync(dir, { recursive: true }).map(String).sort()) {
    try {
      h.update(f)
        .update('\0')
        .update(readFileSync(join(dir, f)))
        .update('\0');
    } catch {
      /* a folder */
    }
  }
  return h.digest('hex').slice(0, 16);
}

/** The folder an oracle is built into: NAME-VERSION (a go-program: NAME-<digest of its sources>). */
export function oracleDir(spec) {
  const tag = spec.kind === 'go-program' ? sourceDigest(join(here, 'programs', spec.name)) : (spec.version ?? '');
  return join(oracleCacheDir(), `${spec.name}-${tag}`);
}

/** The executable of an oracle in the cache (it may not be built yet). */
export function oracleBinary(spec) {
  return join(oracleDir(spec), 'bin', spec.name);
}

export function inCi() {
  return process.env.CI === 'true' || process.env.CI === '1';
}

const resolved = new Map();

function resolve(spec) {
  const known = resolved.get(spec.name);
  if (known) return known;
  const bin = oracleBinary(spec);
  let r;
  if (!existsSync(bin)) {
    try {
      execFileSync(join(here, 'build.sh'), [spec.name], {
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
        timeout: 30 * 60_000,
      });
    } catch (e) {
      r = {
        reason: `oracle ${spec.name} could not be built: ${String(e.stderr || e.message)
          .trim()
          .split('\n')
          .slice(-3)
          .join(' ')}`,
      };
    }
  }
  r ??= existsSync(bin) ? { path: bin } : { reason: `oracle ${spec.name} not found at ${bin}` };
  resolved.set(spec.name, r);
  return r;
}

/** The oracle called `name` in manifest.json (see oracle.d.mts). */
export function oracle(name) {
  const spec = oracleManifest().find((o) => o.name === name);
  if (!spec) throw new Error(`oracle ${name} is not in test/oracles/manifest.json`);
  return {
    name,
    spec,
    get built() {
      return existsSync(oracleBinary(spec));
    },
    get path() {
      const r = resolve(spec);
      if (!r.path) throw new Error(r.reason);
      return r.path;
    },
    get skip() {
      const r = resolve(spec);
      return r.path || inCi() ? false : (r.reason ?? 'unavailable');
    },
  };
}

/**
 * The environment that keeps an oracle offline and quick: every HTTP(S) fetch goes to a closed
 * loopback proxy and fails at once, the same way on every machine (without it, a Go program waits
 * for DNS or a connection timeout on a network-less machine: the Kyverno CLI's verifyImages took
 * about 60 s per batch that way). Loopback itself is never proxied (Go's ProxyFromEnvironment).
 */
export const OFFLINE_PROXY_ENV = Object.freeze({
  HTTPS_PROXY: 'http://127.0.0.1:9',
  HTTP_PROXY: 'http://127.0.0.1:9',
  https_proxy: 'http://127.0.0.1:9',
  http_proxy: 'http://127.0.0.1:9',
  NO_PROXY: '',
  no_proxy: '',
});
