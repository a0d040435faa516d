/**
 * The corpus conformance (corpus.test.ts, corpus-overlays.test.ts: against `kustomize build`
 * v5.8.1, which our engine follows, as Flux 2.9 runs it) against the other kustomize oracles:
 * `kustomize build` v5.7.1 (Flux 2.7, 2.8), v5.5.0 (kubectl 1.32, Debian's kubectl) and `kubectl
 * kustomize` of kubectl 1.35.2 (kustomize v5.7.1 inside). Where one of them builds a case otherwise than we do, the
 * case is listed here (and in docs/conformance.md with what differs), so that a new difference, or one that goes away,
 * fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kustomizeSkip, type KustomizeOracle } from '../../src/kustomize/testing/oracle.js';
import { compareCorpusFolders, compareCorpusOverlays, corpusMissing } from './corpus.js';

/** Per oracle: the corpus folders and overlays (`<corpus folder> (variant n)`) it builds otherwise than we do. */
const KNOWN: Record<Exclude<KustomizeOracle, 'kustomize-5.8'>, { folders: string[]; overlays: string[] }> = {
  'kustomize-5.7': { folders: [], overlays: [] },
  'kustomize-5.5': { folders: [], overlays: [] },
  'kubectl-1.35': { folders: [], overlays: [] },
};

const caseOf = (failure: string) => failure.split(':')[0]!;

for (const [version, known] of Object.entries(KNOWN) as Array<
  [KustomizeOracle, { folders: string[]; overlays: string[] }]
>) {
  const skip = corpusMissing || kustomizeSkip(version);

  test(`corpus against ${version}: exactly the known folders differ`, { skip }, (t) => {
    const r = compareCorpusFolders(version);
    t.diagnostic(
      `equal ${r.equal}/${r.cases} (both refuse: ${r.bothFail}); ` +
        `byte-identical output ${r.byteEqual}/${r.equal - r.bothFail}`,
    );
    for (const f of [...r.failures, ...r.byteFailures]) t.diagnostic(f);
    assert.ok(r.cases > 100, `expected the corpus to hold >100 kustomization folders, found ${r.cases}`);
    assert.deepEqual([...r.failures.map(caseOf), ...r.byteFailures].sort(), known.folders);
  });

  test(`corpus overlays against ${version}: exactly the known overlays differ`, { skip }, (t) => {
    const r = compareCorpusOverlays(version);
    t.diagnostic(`overlays equal ${r.equal}/${r.cases} (both refuse: ${r.bothFail})`);
    for (const f of r.failures) t.diagnostic(f);
    assert.ok(r.cases > 100, `expected >100 corpus folders, found ${r.cases}`);
    assert.deepEqual(r.failures.map(caseOf).sort(), known.overlays);
  });
}
