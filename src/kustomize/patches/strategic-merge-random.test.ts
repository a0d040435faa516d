/**
 * Differential test: seeded random strategic-merge cases (testing/smp-gen.ts), built by
 * `kubectl kustomize` in one run and compared object by object with applyStrategicMerge.
 * More cases and seeds: npx tsx src/kustomize/patches/testing/fuzz-smp.ts 1000 <seed>.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { toYaml } from '../../yaml/emit.js';
import type { KObject } from '../../resources/resource.js';
import { applyStrategicMerge } from './strategic-merge.js';
import { generateSmpCases } from './testing/smp-gen.js';
import { kubectlBuild, kubectlMissing } from './testing/kubectl-oracle.js';

const noKubectl = kubectlMissing();

describe('applyStrategicMerge: random cases agree with kubectl kustomize', { skip: noKubectl }, () => {
  for (const [seed, odd] of [
    [101, 0],
    [102, 0.15],
  ] as const) {
    it(`seed ${seed}, odd shapes ${odd}: 150 cases`, () => {
      const cases = generateSmpCases(150, seed, odd);
      const r = kubectlBuild(
        cases.map((c) => c.resource),
        cases.map((c) => ({ text: toYaml(c.patch) })),
      );
      assert.ok(r.ok, r.ok ? '' : r.error);
      const byName = new Map((r.objects as KObject[]).map((o) => [o.metadata!.name!, o]));
      let changed = 0;
      for (const c of cases) {
        const want = byName.get(c.resource.metadata!.name!) ?? null;
        if (want !== null && !isDeepStrictEqual(want, c.resource)) changed++;
        assert.deepStrictEqual(
          applyStrategicMerge(c.resource, c.patch),
          want,
          `resource:\n${toYaml(c.resource)}patch:\n${toYaml(c.patch)}`,
        );
      }
      // the cases must exercise the merge, not only pass through
      assert.ok(changed > 100, `only ${changed} cases changed anything`);
    });
  }
});
