/**
 * Test helper: runs the real kustomize (`kustomize build` v5.8.1 by default, as Flux 2.9 runs it; found through
 * src/kustomize/testing/oracle.ts) on throw-away kustomizations, so that table tests can compare our patch engine with
 * the real thing. Not part of the build (tsconfig.build.json excludes src/**\/testing/**).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KUSTOMIZE, kustomizeError, kustomizeSkip, kustomizeText, type KustomizeOracle } from '../../testing/oracle.js';
import { toYaml } from '../../../yaml/emit.js';

/** Why the oracle cannot run here, or undefined when it can (in CI never: a missing oracle fails there). */
export function kubectlMissing(version: KustomizeOracle = KUSTOMIZE): string | undefined {
  return kustomizeSkip(version) || undefined;
}

export type OracleResult = { ok: true; objects: unknown[] } | { ok: false; error: string };

export interface OraclePatch {
  readonly text: string;
  readonly target?: Record<string, unknown>;
  readonly options?: Record<string, unknown>;
  readonly inline?: boolean;
}

/** One build: resources (objects or YAML text, kept verbatim) and `patches:` entries. */
export interface OracleCase {
  readonly resources: readonly unknown[] | string;
  readonly patches: readonly OraclePatch[];
}

/** Writes a kustomization for one case into `dir` (patch files beside it as patch-<i>.yaml). */
function writeCase(dir: string, c: OracleCase): void {
  mkdirSync(dir, { recursive: true });
  const resText = typeof c.resources === 'string' ? c.resources : c.resources.map((r) => toYaml(r)).join('---\n');
  writeFileSync(join(dir, 'resources.yaml'), resText);
  const entries = c.patches.map((p, i) => {
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
}

function run(dir: string, version: KustomizeOracle = KUSTOMIZE): OracleResult {
  let out: string;
  try {
    out = kustomizeText(dir, [], version);
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    return { ok: false, error: kustomizeError(err.stderr || err.message) };
  }
  const objects = parseAllDocuments(out)
    .map((d) => d.toJS())
    .filter((v) => v !== null && v !== undefined);
  return { ok: true, objects };
}

/** Builds one case (with the kustomize our engine follows, or the oracle named). */
export function kubectlBuild(
  resources: OracleCase['resources'],
  patches: OracleCase['patches'],
  version: KustomizeOracle = KUSTOMIZE,
): OracleResult {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-oracle-'));
  try {
    writeCase(dir, { resources, patches });
    return run(dir, version);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Builds many cases with one kubectl run: each case is its own kustomization, wrapped in one with
 * `namePrefix: k<i>-` so that equal names do not collide; the prefix is taken off again. The
 * wrapper runs after the case's own patches, so it does not change what they do. If the whole
 * run fails (a case fails), every case is built on its own.
 */
export function kubectlBuildMany(cases: readonly OracleCase[]): OracleResult[] {
  if (cases.length === 0) return [];
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-oracle-'));
  try {
    cases.forEach((c, i) => {
      writeCase(join(dir, `c${i}`), c);
      mkdirSync(join(dir, `w${i}`));
      writeFileSync(
        join(dir, `w${i}`, 'kustomization.yaml'),
        toYaml({ namePrefix: `k${i}-`, resources: [`../c${i}`] }),
      );
    });
    writeFileSync(join(dir, 'kustomization.yaml'), toYaml({ resources: cases.map((_, i) => `w${i}`) }));
    const all = run(dir);
    if (!all.ok) return cases.map((c) => kubectlBuild(c.resources, c.patches));
    const per: unknown[][] = cases.map(() => []);
    for (const o of all.objects as Array<{ metadata?: { name?: string } }>) {
      const m = /^k(\d+)-(.*)$/s.exec(o.metadata?.name ?? '');
      if (!m) throw new Error(`unexpected object name in batched build: ${o.metadata?.name}`);
      o.metadata!.name = m[2];
      per[Number(m[1])]!.push(o);
    }
    return per.map((objects) => ({ ok: true, objects }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
