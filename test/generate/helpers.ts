/** Helpers for the generate end-to-end tests: the example fleet, variants of it, external tools. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import type { GeneratedFile } from '../../src/generators/types.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { validateFleet } from '../../src/spec/load.js';
import type { Fleet } from '../../src/spec/schema.js';
import { kustomizeArgv, kustomizePath } from '../../src/kustomize/testing/oracle.js';

export const EXAMPLE = join(PACKAGE_ROOT, 'examples', 'fleet.yaml');

/** The example fleet's raw YAML data (to derive variants from). */
export function exampleRaw(): Record<string, any> {
  return parse(readFileSync(EXAMPLE, 'utf8')) as Record<string, any>;
}

/** A fleet from raw data, validated like fleet.yaml (schema + cross-field rules). */
export function fleetOf(raw: unknown, file = 'variant.yaml'): Fleet {
  return validateFleet(raw, file);
}

export function writeTree(files: readonly GeneratedFile[]): string {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-gen-'));
  for (const f of files) {
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    writeFileSync(join(root, f.path), f.content, { mode: f.executable ? 0o755 : 0o644 });
  }
  return root;
}

/** Whether an external tool runs here (tests that need it skip with a reason when not). */
export function hasTool(cmd: string, args: string[] = ['--version']): boolean {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0;
}

/** `kustomize build DIR` (v5.5.0 from test/oracles: what `kubectl kustomize DIR` prints). */
export function kubectlKustomize(dir: string): { ok: boolean; out: string; err: string } {
  const r = spawnSync(kustomizePath(), kustomizeArgv(dir), { encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout, err: r.stderr };
}
