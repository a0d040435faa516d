/**
 * Differential conformance on real resources under transformation: for every kustomization
 * folder of the corpus, an overlay that lists it as a base and adds prefixes/suffixes, a
 * namespace, labels (with selectors), annotations, image and replacement rules (one of three
 * variants per folder, rotating; test/conformance/corpus.ts). The corpus is copied to a temp dir
 * (it is never edited); the overlay is built there by `kustomize build` v5.7.1 (what `kubectl
 * kustomize` prints; v5.5.0 and kubectl 1.35: corpus-other-oracles.test.ts) and by us; the
 * printed YAML must be identical or both must refuse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KUSTOMIZE, kustomizeSkip } from '../../src/kustomize/testing/oracle.js';
import { compareCorpusOverlays, corpusMissing } from './corpus.js';

test('corpus folders under an overlay build like kubectl kustomize', {
  skip: corpusMissing || kustomizeSkip(),
}, (t) => {
  const r = compareCorpusOverlays(KUSTOMIZE);
  t.diagnostic(`overlays equal ${r.equal}/${r.cases} (both refuse: ${r.bothFail})`);
  assert.ok(r.cases > 100, `expected >100 corpus folders, found ${r.cases}`);
  assert.ok(
    r.equal - r.bothFail > r.cases / 2,
    `too few overlays built (${r.equal - r.bothFail} of ${r.cases}); the variants are too error-prone`,
  );
  assert.deepEqual(r.failures, [], `${r.failures.length} of ${r.cases} overlays differ from kustomize (${KUSTOMIZE})`);
});
