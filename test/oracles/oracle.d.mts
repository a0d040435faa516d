/** Types of oracle.mjs: how every test finds a real oracle of manifest.json. */

export interface OracleSpec {
  readonly name: string;
  readonly kind: 'npm-zip' | 'go-install' | 'go-mod-build' | 'go-program' | 'pip-venv';
  readonly version?: string;
  readonly module?: string;
  readonly path?: string;
  /**
   * `test` (the default): a test compares against it (.ci/run builds it); `extra`: smoke-tested only (.ci/run
   * --all-oracles).
   */
  readonly tier?: 'test' | 'extra';
  readonly judges: string;
}

export interface Oracle {
  readonly name: string;
  readonly spec: OracleSpec;
  /** True when the binary is in the cache already (asking does not build it). */
  readonly built: boolean;
  /** The executable, built on first use; throws (with the reason) when the oracle cannot be had. */
  readonly path: string;
  /** For `test(..., { skip })`: false when available or in CI (where a missing oracle fails), else the reason. */
  readonly skip: false | string;
}

/** The oracle cache: $AKSFLEET_ORACLE_DIR, default ~/.cache/aksfleet-oracles. */
export function oracleCacheDir(): string;
/** Every entry of manifest.json. */
export function oracleManifest(): OracleSpec[];
/** The folder an oracle is built into. */
export function oracleDir(spec: OracleSpec): string;
/** The executable of an oracle in the cache (it may not be built yet). */
export function oracleBinary(spec: OracleSpec): string;
/** True under CI=true (or 1): a missing oracle is then a failure, never a skip. */
export function inCi(): boolean;
/** The oracle called `name` in manifest.json; throws if there is none. */
export function oracle(name: string): Oracle;
export declare const OFFLINE_PROXY_ENV: Readonly<Record<string, string>>;
