/**
 * How every test finds a real oracle (manifest.json, built by build.sh). One entry point:
 *
 *   const helm = oracle('helm-4.1');
 *   test('...', { skip: helm.skip }, () => { spawnSync(helm.path!, [...]) });
 *
 * A missing oracle is built on first use when Go (or the npm package) is here. In CI (CI=true) an
 * oracle that cannot be had is an error, never a skip: `skip` is false and `path` throws.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export interface OracleSpec {
  readonly name: string;
  readonly kind: 'npm-zip' | 'go-install' | 'go-mod-build' | 'go-program';
  readonly version?: string;
  readonly module?: string;
  readonly judges: string;
}

export interface Oracle {
  readonly name: string;
  readonly spec: OracleSpec;
  /** The executable; throws (with the reason) when the oracle cannot be had. */
  readonly path: string;
  /** For `test(..., { skip })`: false when available or in CI (where a missing oracle fails), else the reason. */
  readonly skip: false | string;
}

export function oracleCacheDir(): string {
  return process.env.AKSFLEET_ORACLE_DIR || join(homedir(), '.cache', 'aksfleet-oracles');
}

export function oracleManifest(): OracleSpec[] {
  return JSON.parse(readFileSync(join(here, 'manifest.json'), 'utf8')).oracles as OracleSpec[];
}

function sourceDigest(dir: string): string {
  const h = createHash('sha256');
  for (const f of readdirSync(dir, { recursive: true }).map(String).sort()) {
    try {
      h.update(f).update('\0').update(readFileSync(join(dir, f))).update('\0');
    } catch {
      /* a folder */
    }
  }
  return h.digest('hex').slice(0, 16);
}

function binaryPath(spec: OracleSpec): string {
  const tag = spec.kind === 'go-program' ? sourceDigest(join(here, 'programs', spec.name)) : (spec.version ?? '');
  return join(oracleCacheDir(), `${spec.name}-${tag}`, 'bin', spec.name);
}

const resolved = new Map<string, { path?: string; reason?: string }>();

function resolve(spec: OracleSpec): { path?: string; reason?: string } {
  const known = resolved.get(spec.name);
  if (known) return known;
  let r: { path?: string; reason?: string };
  const bin = binaryPath(spec);
  if (!existsSync(bin)) {
    try {
      execFileSync(join(here, 'build.sh'), [spec.name], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: 30 * 60_000 });
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      r = { reason: `oracle ${spec.name} could not be built: ${(err.stderr || err.message).trim().split('\n').slice(-3).join(' ')}` };
      resolved.set(spec.name, r);
      return r;
    }
  }
  r = existsSync(bin) ? { path: bin } : { reason: `oracle ${spec.name} not found at ${bin}` };
  resolved.set(spec.name, r);
  return r;
}

/** The oracle called `name` in manifest.json. */
export function oracle(name: string): Oracle {
  const spec = oracleManifest().find((o) => o.name === name);
  if (!spec) throw new Error(`oracle ${name} is not in test/oracles/manifest.json`);
  const inCi = process.env.CI === 'true' || process.env.CI === '1';
  return {
    name,
    spec,
    get path(): string {
      const r = resolve(spec);
      if (!r.path) throw new Error(r.reason);
      return r.path;
    },
    get skip(): false | string {
      const r = resolve(spec);
      return r.path || inCi ? false : (r.reason ?? 'unavailable');
    },
  };
}
