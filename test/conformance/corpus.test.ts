/**
 * Differential conformance: every kustomization folder of the real-repo corpus
 * (../shared/corpus relative to the repo root), built by `kustomize build` v5.7.1 (what `kubectl
 * kustomize` prints; the kustomize Flux 2.7+ runs and our engine follows) and by our engine; parsed objects and their
 * order must be equal. Components are skipped (they only build through a parent). A folder where
 * both kustomize and we fail counts as equal (both refuse it). The printed YAML is also compared
 * byte for byte (our go-yaml v2 emitter vs kustomize's output). The same against v5.5.0 and
 * kubectl 1.35: corpus-other-oracles.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KUSTOMIZE, kustomizeSkip } from '../../src/kustomize/testing/oracle.js';
import { compareCorpusFolders, corpusMissing } from './corpus.js';

test('corpus: every kustomization folder builds like kubectl kustomize', {
  skip: corpusMissing || kustomizeSkip(),
}, (t) => {
  const r = compareCorpusFolders(KUSTOMIZE);
  t.diagnostic(
    `equal ${r.equal}/${r.cases} (both refuse: ${r.bothFail}); ` +
      `byte-identical output ${r.byteEqual}/${r.equal - r.bothFail}`,
  );
  assert.ok(r.cases > 100, `expected the corpus to hold >100 kustomization folders, found ${r.cases}`);
  assert.deepEqual(r.failures, [], `${r.failures.length} of ${r.cases} folders differ from kustomize (${KUSTOMIZE})`);
  assert.deepEqual(
    r.byteFailures,
    [],
    `folders whose objects agree but whose printed YAML differs from kustomize (${KUSTOMIZE})`,
  );
});
