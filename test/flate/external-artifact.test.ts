/**
 * The working copy external-artifact.ts makes for flate (Kustomizations that read an ExternalArtifact
 * given the Git path the artifact stands for) is the same input: our build of the unchanged
 * corpus repository (the ArtifactGenerator followed) applies the same objects as our build of the
 * copy, charts rendered (the shared charts relabelled, as the flate suites serve them), apart from
 * the rewritten Kustomizations themselves. Needs no oracle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openChartStore } from '../../src/helm/sources/store.js';
import { CORPUS, haveCorpus } from '../flux/corpus.js';
import { chartRepository, SHARED_CHARTS } from './chart-repository.js';
import { chartSources } from './chart-sources.js';
import { replaceExternalArtifacts } from './external-artifact.js';
import { compare, keyOf, runOurs, type OurRun } from './flate.js';

const REPO = 'fluxcd+flux2-kustomize-helm-example';
const skip = !haveCorpus || !existsSync(SHARED_CHARTS) ? 'no corpus or shared charts' : false;

test(`ExternalArtifact rewrite: ${REPO} builds the same from the Git paths`, { skip }, (t) => {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-external-artifact-'));
  try {
    const src = join(root, 'src');
    cpSync(join(CORPUS, REPO), src, { recursive: true });
    const rewritten = replaceExternalArtifacts(src);
    const git = 'GitRepository/flux-system/flux-system';
    const infra = 'ExternalArtifact/flux-system/infrastructure';
    assert.deepEqual(
      rewritten.map((r) => `${r.file} ${r.from} -> ${r.to}`),
      ['production', 'staging'].flatMap((c) => [
        `clusters/${c}/apps.yaml ExternalArtifact/flux-system/apps ./${c} -> ${git} ./apps/${c}`,
        ...['controllers', 'configs'].map(
          (d) => `clusters/${c}/infrastructure.yaml ${infra} ./${d} -> ${git} ./infrastructure/${d}`,
        ),
      ]),
    );
    const sources = chartSources(src);
    const { charts } = chartRepository(
      join(root, 'served'),
      sources.flatMap((s) => s.charts),
    );
    const store = openChartStore({
      mappings: Object.fromEntries(sources.map((s) => [s.id, charts])),
      cacheDir: join(root, 'empty-cache'),
    });
    const applied = (r: OurRun) => r.objects.filter((o) => !r.roots.has(keyOf(o)));
    for (const path of ['clusters/production', 'clusters/staging']) {
      const original = runOurs(join(CORPUS, REPO), { path, helm: { enabled: true, store } });
      const copy = runOurs(src, { path, helm: { enabled: true, store } });
      assert.ok(original.fromExternalArtifact.size > 0, `${path}: the unchanged repository reads ExternalArtifacts`);
      assert.equal(copy.fromExternalArtifact.size, 0, `${path}: the copy reads none`);
      assert.deepEqual(original.errors, [], `${path}: errors`);
      assert.deepEqual(copy.errors, [], `${path}: errors of the copy`);
      const objects = applied(copy);
      const fromCharts = objects.filter(
        (o) => (o.metadata?.labels as Record<string, string> | undefined)?.['helm.sh/chart'],
      );
      assert.ok(fromCharts.length > 50, `${path}: charts rendered (${fromCharts.length})`);
      assert.deepEqual(compare(applied(original), objects), [], `${path}: the same objects`);
      t.diagnostic(`${path}: ${objects.length} objects applied (${fromCharts.length} from charts), equal`);
    }
    // A copy whose layout the artifact changes is refused, never guessed.
    const odd = join(root, 'odd');
    mkdirSync(join(odd, 'clusters'), { recursive: true });
    writeFileSync(
      join(odd, 'clusters', 'x.yaml'),
      [
        'apiVersion: source.extensions.fluxcd.io/v1beta1\nkind: ArtifactGenerator',
        'metadata: {name: g, namespace: flux-system}',
        'spec:\n  sources: [{alias: r, kind: GitRepository, name: flux-system}]',
        '  artifacts: [{name: a, copy: [{from: "@r/apps/base/**", to: "@artifact/other/"}]}]\n---',
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: k, namespace: flux-system}',
        'spec: {sourceRef: {kind: ExternalArtifact, name: a}, path: ./other, interval: 1h, prune: true}\n',
      ].join('\n'),
    );
    assert.throws(
      () => replaceExternalArtifacts(odd),
      /artifact a: copy @r\/apps\/base\/\*\* -> @artifact\/other\/ changes the layout/,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
