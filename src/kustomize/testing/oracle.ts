/**
 * The real oracle for the kustomize engine: `kubectl kustomize` (kustomize v5.5.0 embedded).
 * Helpers to find kubectl, run it on a directory or on an in-memory tree, and compare its
 * output with ours as parsed objects in order.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseGoYaml } from '../../yaml/go-yaml.js';

let available: boolean | undefined;

/** True when `kubectl kustomize` can run here. */
export function kubectlAvailable(): boolean {
  if (available === undefined) {
    const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
    available = r.status === 0 && /Kustomize Version/.test(r.stdout);
  }
  return available;
}

export type OracleResult = { ok: true; objects: unknown[]; text: string } | { ok: false; error: string };

/** Runs `kubectl kustomize <dir> [args]` and parses its output (go-yaml v3 reading, as ours). */
export function kubectlKustomize(dir: string, args: string[] = []): OracleResult {
  try {
    const out = execFileSync('kubectl', ['kustomize', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
    return { ok: true, objects: parseGoYaml(out, 'kubectl-output').map((d) => d.value), text: out };
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return { ok: false, error: String(err.stderr || err.message) };
  }
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
    const ids = (l: unknown[]) => l.map((o) => `${(o as { kind?: string }).kind}/${(o as { metadata?: { name?: string } }).metadata?.name}`).join(', ');
    return `count ${got.length} != kubectl's ${want.length}\n  kubectl: ${ids(want)}\n  ours:    ${ids(got)}`;
  }
  for (let i = 0; i < want.length; i++) {
    if (!isDeepStrictEqual(want[i], got[i])) {
      return `object #${i} differs\n  kubectl: ${JSON.stringify(want[i]).slice(0, 600)}\n  ours:    ${JSON.stringify(got[i]).slice(0, 600)}`;
    }
  }
  return 'differs';
}

/** withTempTree for async work: the tree is removed after the promise settles. */
export async function withTempTreeAsync<T>(files: Record<string, string | Uint8Array>, fn: (root: string) => Promise<T>): Promise<T> {
  const root = writeTempTree(files);
  try {
    return await fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
