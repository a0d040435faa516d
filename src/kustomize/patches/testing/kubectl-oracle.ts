/**
 * Test helper: runs the real `kubectl kustomize` (kustomize v5.5.0) on a throw-away
 * kustomization, so that table tests can compare our patch engine with the real thing.
 * Not part of the build (tsconfig.build.json excludes src/**\/testing/**).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { toYaml } from '../../../yaml/emit.js';

export const KUBECTL = process.env.AKSFLEET_KUBECTL ?? '/usr/bin/kubectl';

/** Why the oracle cannot run here, or undefined when it can. */
export function kubectlMissing(): string | undefined {
  if (process.env.AKSFLEET_NO_KUBECTL) return 'AKSFLEET_NO_KUBECTL is set';
  return existsSync(KUBECTL) ? undefined : `${KUBECTL} not found`;
}

export type OracleResult = { ok: true; objects: unknown[] } | { ok: false; error: string };

/**
 * Builds `resources` (objects or YAML text) with the given `patches` entries (kustomization
 * `patches:` items; a `file` entry is written beside it as `patch-<i>.yaml` and referenced by path).
 */
export function kubectlBuild(
  resources: readonly unknown[] | string,
  patches: ReadonlyArray<{ text: string; target?: Record<string, unknown>; options?: Record<string, unknown>; inline?: boolean }>,
): OracleResult {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-oracle-'));
  try {
    const resText = typeof resources === 'string' ? resources : resources.map((r) => toYaml(r)).join('---\n');
    writeFileSync(join(dir, 'resources.yaml'), resText);
    const entries = patches.map((p, i) => {
      const e: Record<string, unknown> = {};
      if (p.inline) e.patch = p.text;
      else {
        writeFileSync(join(dir, `patch-${i}.yaml`), p.text);
        e.path = `patch-${i}.yaml`;
      }
      if (p.target) e.target = p.target;
      if (p.options) e.options = p.options;
      return e;
    });
    writeFileSync(join(dir, 'kustomization.yaml'), toYaml({ resources: ['resources.yaml'], patches: entries }));
    let out: string;
    try {
      out = execFileSync(KUBECTL, ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      // drop klog's time/pid prefix so that recorded messages are stable
      const msg = (err.stderr || err.message).trim().replace(/^E\d{4} [\d:.]+\s+\d+ [\w.]+:\d+\] "command failed" err=/, '');
      return { ok: false, error: msg };
    }
    const objects = parseAllDocuments(out)
      .map((d) => d.toJS())
      .filter((v) => v !== null && v !== undefined);
    return { ok: true, objects };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
