/**
 * Differential fuzzing of applyStrategicMerge against `kubectl kustomize`: random Deployments,
 * Services, ConfigMaps and CRD instances with random patches (merge-keyed lists, multi-key ports,
 * primitive lists, replaced lists, directives, nulls), built in batches by kubectl, compared
 * object by object. Deterministic for a seed. Not a unit test (it takes a while); run by hand:
 *   npx tsx src/kustomize/patches/testing/fuzz-smp.ts [cases=300] [seed=1]
 * Prints the number of cases that agree and the first disagreements. FUZZ_ODD=0.1 adds odd shapes
 * (items without keys, empty items, string ports); FUZZ_BREAK=1 replaces our result by the input,
 * to show that the comparison can fail. Values such as `yes` are left out: our emitter writes them
 * plain, while strategic-merge.ts assumes hand-written Kubernetes YAML quotes them.
 */
import { isDeepStrictEqual } from 'node:util';
import { toYaml } from '../../../yaml/emit.js';
import type { KObject } from '../../../resources/resource.js';
import { generateSmpCases, type SmpFuzzCase as Case } from './smp-gen.js';
import { applyStrategicMerge } from '../strategic-merge.js';
import { kubectlBuild, kubectlMissing } from './kubectl-oracle.js';

const total = Number(process.argv[2] ?? 300);
const seed = Number(process.argv[3] ?? 1);
const cases = generateSmpCases(total, seed, Number(process.env.FUZZ_ODD ?? 0));

function ours(c: Case): unknown {
  try {
    return process.env.FUZZ_BREAK ? c.resource : applyStrategicMerge(c.resource, c.patch);
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const missing = kubectlMissing();
if (missing) {
  console.error(`kubectl missing: ${missing}`);
  process.exit(2);
}
let agree = 0;
let kubectlErrors = 0;
let changed = 0;
let deleted = 0;
const diffs: string[] = [];
function kubectlOne(c: Case): unknown {
  const r = kubectlBuild([c.resource], [{ text: toYaml(c.patch) }]);
  if (!r.ok) return { error: r.error };
  return r.objects[0] ?? null;
}
function compare(c: Case, k: unknown): void {
  const o = ours(c);
  const kErr = k !== null && typeof k === 'object' && 'error' in (k as object) && !('kind' in (k as object));
  const oErr = o !== null && typeof o === 'object' && 'error' in (o as object) && !('kind' in (o as object));
  if (kErr) kubectlErrors++;
  if (k === null) deleted++;
  else if (!kErr && !isDeepStrictEqual(k, c.resource)) changed++;
  if ((kErr && oErr) || isDeepStrictEqual(o, k)) agree++;
  else
    diffs.push(`resource:\n${toYaml(c.resource)}patch:\n${toYaml(c.patch)}kubectl:\n${toYaml(k)}ours:\n${toYaml(o)}`);
}
const BATCH = 40;
for (let b = 0; b < cases.length; b += BATCH) {
  const batch = cases.slice(b, b + BATCH);
  const r = kubectlBuild(
    batch.map((c) => c.resource),
    batch.map((c) => ({ text: toYaml(c.patch) })),
  );
  if (!r.ok) {
    for (const c of batch) compare(c, kubectlOne(c));
    continue;
  }
  const byName = new Map((r.objects as KObject[]).map((o) => [o.metadata!.name!, o]));
  for (const c of batch) compare(c, byName.get(c.resource.metadata!.name!) ?? null);
}
console.log(
  `fuzz-smp: ${agree}/${cases.length} cases agree with kubectl kustomize ` +
    `(kubectl changed ${changed}, deleted ${deleted}, failed on ${kubectlErrors})`,
);
for (const d of diffs.slice(0, 3)) console.log(`---- disagreement\n${d}`);
process.exit(diffs.length ? 1 : 0);
