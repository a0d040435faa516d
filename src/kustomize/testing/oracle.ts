/**
 * The real oracle for the kustomize engine: `kustomize build` v5.8.1 (the kustomize Flux 2.9 runs:
 * kustomize-controller v1.9.5 pins sigs.k8s.io/kustomize/api v0.21.1, which our engine follows),
 * from the oracle toolbox (test/oracles: built from the Go module proxy or taken from a pinned npm
 * package, never a hand-installed binary).
 * `kustomize build DIR` prints what `kubectl kustomize DIR` prints; `kubectl-1.35` runs the latter.
 * Helpers to run it on a directory or on an in-memory tree, and compare its output with ours as
 * parsed objects in order. Every kustomize oracle run of the tests goes through this module.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { oracle } from '../../../test/oracles/oracle.mjs';
import { parseGoYaml } from '../../yaml/go-yaml.js';

/**
 * The kustomize oracles of test/oracles/manifest.json: `kustomize build` v5.5.0 (kubectl 1.32 and
 * Debian's kubectl), v5.7.1 (Flux 2.7 and 2.8) and v5.8.1 (Flux 2.9), and `kubectl kustomize` of
 * kubectl 1.35.2 (kustomize v5.7.1 inside).
 */
export type KustomizeOracle = 'kustomize-5.5' | 'kustomize-5.7' | 'kustomize-5.8' | 'kubectl-1.35';

const ORACLES: readonly KustomizeOracle[] = ['kustomize-5.5', 'kustomize-5.7', 'kustomize-5.8', 'kubectl-1.35'];

/**
 * The kustomize our engine follows: v5.8.1 (what Flux 2.9 runs). AKSFLEET_KUSTOMIZE_ORACLE names
 * another oracle (`kustomize-5.7`, `kustomize-5.5`, `kubectl-1.35`) to run every kustomize oracle
 * test against it (where they differ: docs/conformance.md).
 */
export const KUSTOMIZE: KustomizeOracle =
  ORACLES.find((o) => o === process.env.AKSFLEET_KUSTOMIZE_ORACLE) ?? 'kustomize-5.8';

/**
 * For `test(..., { skip })`: false when the oracle runs here (always in CI, where a missing one fails), else why not.
 */
export function kustomizeSkip(version: KustomizeOracle = KUSTOMIZE): false | string {
  return oracle(version).skip;
}

/** The `kustomize` executable (built on first use); throws when it cannot be had. */
export function kustomizePath(version: KustomizeOracle = KUSTOMIZE): string {
  return oracle(version).path;
}

/**
 * The arguments that build DIR with the oracle `version`: `build DIR [args]` for kustomize,
 * `kustomize DIR [args]` for kubectl (run them with kustomizePath(version)).
 */
export function kustomizeArgv(
  dir: string,
  args: readonly string[] = [],
  version: KustomizeOracle = KUSTOMIZE,
): string[] {
  return [version === 'kubectl-1.35' ? 'kustomize' : 'build', dir, ...args];
}

/**
 * `kustomize build DIR [args]`: its stdout, or throws as execFileSync does (the message in `stderr`).
 * The arguments are those of `kubectl kustomize` (e.g. `--load-restrictor LoadRestrictionsNone`).
 */
export function kustomizeText(dir: string, args: readonly string[] = [], version: KustomizeOracle = KUSTOMIZE): string {
  return execFileSync(kustomizePath(version), kustomizeArgv(dir, args, version), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 << 20,
  });
}

export type OracleResult = { ok: true; objects: unknown[]; text: string } | { ok: false; error: string };

/** Runs `kustomize build <dir> [args]` and parses its output (go-yaml v3 reading, as ours). */
export function kustomizeBuild(
  dir: string,
  args: readonly string[] = [],
  version: KustomizeOracle = KUSTOMIZE,
): OracleResult {
  try {
    const out = kustomizeText(dir, args, version);
    return { ok: true, objects: parseGoYaml(out, 'kustomize-output').map((d) => d.value), text: out };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return { ok: false, error: kustomizeError(String(err.stderr || err.message)) };
  }
}

/** kustomize's error message without cobra's `Error: ` prefix (kubectl's `error: `). */
export function kustomizeError(stderr: string): string {
  return stderr.trim().replace(/^(?:Error|error): /, '');
}

/** Writes an in-memory tree to a fresh temp dir and returns the dir. */
function writeTempTree(files: Record<string, string | Uint8Array>): string {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-kz-'));
  for (const [p, c] of Object.entries(files)) {
    const abs = join(root, p);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, c);
  }
  return root;
}

/** Writes an in-memory tree to a fresh temp dir, runs `fn` on it, and removes it. */
export function withTempTree<T>(files: Record<string, string | Uint8Array>, fn: (root: string) => T): T {
  const root = writeTempTree(files);
  try {
    return fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** JSON-normalised copy (drops undefined, turns objects into plain data). */
export function plain(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v));
}

/** A short description of the first difference between two object lists, or undefined if equal. */
export function firstDifference(want: unknown[], got: unknown[]): string | undefined {
  if (isDeepStrictEqual(want, got)) return undefined;
  if (want.length !== got.length) {
    const ids = (l: unknown[]) =>
      l
        .map((o) => `${(o as { kind?: string }).kind}/${(o as { metadata?: { name?: string } }).metadata?.name}`)
        .join(', ');
    return `count ${got.length} != kustomize's ${want.length}\n  kustomize: ${ids(want)}\n  ours:      ${ids(got)}`;
  }
  for (let i = 0; i < want.length; i++) {
    if (!isDeepStrictEqual(want[i], got[i])) {
      return (
        `object #${i} differs\n  kustomize: ${JSON.stringify(want[i]).slice(0, 600)}\n` +
        `  ours:      ${JSON.stringify(got[i]).slice(0, 600)}`
      );
    }
  }
  return 'differs';
}

/** withTempTree for async work: the tree is removed after the promise settles. */
export async function withTempTreeAsync<T>(
  files: Record<string, string | Uint8Array>,
  fn: (root: string) => Promise<T>,
): Promise<T> {
  const root = writeTempTree(files);
  try {
    return await fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
