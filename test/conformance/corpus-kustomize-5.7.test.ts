/**
 * The corpus conformance (corpus.test.ts, corpus-overlays.test.ts) against kustomize v5.7.1, the
 * kustomize Flux 2.7+ runs. Our engine follows v5.5.0 today; where v5.7.1 builds a case otherwise,
 * the case is listed here (and in docs/conformance.md with what differs), so that a new difference,
 * or one that goes away, fails this test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kustomizeSkip } from '../../src/kustomize/testing/oracle.js';
import { compareCorpusFolders, compareCorpusOverlays, corpusMissing } from './corpus.js';

/** Corpus folders that v5.7.1 builds otherwise than we (and v5.5.0) do. */
const KNOWN_FOLDERS: string[] = [];

/** Overlays (`<corpus folder> (variant n)`) that v5.7.1 builds otherwise than we (and v5.5.0) do. */
const KNOWN_OVERLAYS: string[] = [];

const skip = corpusMissing || kustomizeSkip('kustomize-5.7');
const caseOf = (failure: string) => failure.split(':')[0]!;

test('corpus against kustomize v5.7.1: exactly the known folders differ', { skip }, (t) => {
  const r = compareCorpusFolders('kustomize-5.7');
  t.diagnostic(`equal ${r.equal}/${r.cases} (both refuse: ${r.bothFail}); byte-identical output ${r.byteEqual}/${r.equal - r.bothFail}`);
  for (const f of [...r.failures, ...r.byteFailures]) t.diagnostic(f);
  assert.ok(r.cases > 100, `expected the corpus to hold >100 kustomization folders, found ${r.cases}`);
  assert.deepEqual([...r.failures.map(caseOf), ...r.byteFailures].sort(), KNOWN_FOLDERS);
});

test('corpus overlays against kustomize v5.7.1: exactly the known overlays differ', { skip }, (t) => {
  const r = compareCorpusOverlays('kustomize-5.7');
  t.diagnostic(`overlays equal ${r.equal}/${r.cases} (both refuse: ${r.bothFail})`);
  for (const f of r.failures) t.diagnostic(f);
  assert.ok(r.cases > 100, `expected >100 corpus folders, found ${r.cases}`);
  assert.deepEqual(r.failures.map(caseOf).sort(), KNOWN_OVERLAYS);
});
