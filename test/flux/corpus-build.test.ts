/**
 * `aksfleet build` over the real Flux repositories of the corpus: every Kustomization whose
 * source is the repository builds without error, the others are listed as not buildable, and
 * known corpus defects fail with the reason kubectl kustomize gives too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DiskRepoFs } from '../../src/repo/repo-fs.js';
import { buildCluster, allErrors, allResources, formatIssue } from '../../src/flux/index.js';
import { CASES, CORPUS, haveCorpus, caseName } from './corpus.js';

for (const c of CASES) {
  test(`corpus build: ${caseName(c)}`, { skip: haveCorpus ? false : `no corpus at ${CORPUS}` }, (t) => {
    const b = buildCluster(new DiskRepoFs(join(CORPUS, c.repo)), c.opts);
    const failing = c.failing ?? {};
    for (const k of b.kustomizations) {
      if (c.notBuildable?.includes(k.id)) {
        assert.equal(k.status, 'not-buildable', k.id);
        assert.ok(
          k.warnings.some((w) => /cannot be built offline/.test(w.message)),
          k.id,
        );
      } else if (failing[k.id]) {
        assert.equal(k.status, 'failed', k.id);
        assert.ok(
          k.errors.every((e) => failing[k.id]!.test(formatIssue(e))),
          k.errors.map(formatIssue).join('\n'),
        );
      } else {
        assert.equal(k.status, 'built', `${k.id}: ${k.errors.map(formatIssue).join('\n')}`);
      }
    }
    const unexpected = allErrors(b).filter((e) => !(e.chain && failing[e.chain[e.chain.length - 1]!]));
    assert.deepEqual(unexpected.map(formatIssue), []);
    assert.ok(b.kustomizations.length > 0);
    assert.ok(allResources(b).length > 0);
    // Every object carries its origin, and objects applied by a Kustomization name it.
    for (const k of b.kustomizations) {
      for (const r of k.resources) {
        assert.ok(r.origin?.file, `${k.id}: object without origin file`);
        assert.equal(r.origin?.fluxKustomization, k.id);
        assert.equal(r.object.metadata?.labels?.['kustomize.toolkit.fluxcd.io/name'], k.name);
      }
    }
    const built = b.kustomizations.filter((k) => k.status === 'built').length;
    t.diagnostic(
      `${caseName(c)}: ${b.kustomizations.length} Kustomizations (${built} built), ${allResources(b).length} objects`,
    );
  });
}
