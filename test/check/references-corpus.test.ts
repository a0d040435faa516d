/**
 * Issue #26, the corpus review with charts rendered: fluxcd/flux2-kustomize-helm-example checked
 * with its charts from ../shared/charts. Its envoy-gateway Deployment mounts Secret
 * `envoy-gateway`, which the chart's certgen Job writes at install time (RBAC: a Role allowing
 * `create` on secrets, bound to the Job's ServiceAccount). Before the model knew that, this
 * repository gave one false `pod-references-exist` per cluster; the model now concludes nothing
 * about Secrets a rendered workload may create (src/checks/cluster/rbac-creators.ts).
 * The shared cert-manager and gateway-helm charts are at other versions than the releases ask
 * (v0.0.0 for `1.x`, v1.7.5 for `>= 1.8.0-rc.0`): a temp copy relabels their Chart.yaml version.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CORPUS, haveCorpus } from '../flux/corpus.js';
import { runCli } from './helpers.js';

const SHARED_CHARTS = join(import.meta.dirname, '..', '..', '..', 'shared', 'charts', 'charts');
const REPO = join(CORPUS, 'fluxcd+flux2-kustomize-helm-example');
const skip = haveCorpus && existsSync(REPO) && existsSync(SHARED_CHARTS) ? false : 'no corpus or shared charts';

/** A copy of a shared chart with its Chart.yaml version set to `version`. */
function relabelled(root: string, chart: string, version: string): string {
  const dir = join(root, chart);
  cpSync(join(SHARED_CHARTS, chart), dir, { recursive: true });
  const cy = join(dir, 'Chart.yaml');
  writeFileSync(cy, readFileSync(cy, 'utf8').replace(/^version:.*$/m, `version: ${version}`));
  return dir;
}

test('corpus fluxcd/flux2-kustomize-helm-example with its charts rendered: every release renders, no reference finding (the certgen Secret is created at run time)', {
  skip,
}, async () => {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-refs-corpus-'));
  try {
    const args = [
      'check',
      REPO,
      '--format',
      'json',
      '--chart-cache',
      join(root, 'empty-cache'),
      '--chart-source',
      `HelmRepository/podinfo/podinfo=${SHARED_CHARTS}`,
      '--chart-source',
      `OCIRepository/cert-manager/cert-manager=${relabelled(root, 'cert-manager', '1.99.0')}`,
      '--chart-source',
      `OCIRepository/envoy-gateway-system/gateway-helm=${relabelled(root, 'gateway-helm', '1.8.0')}`,
    ];
    const r = await runCli(args);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out) as { clusters: { name: string }[]; findings: { rule: string; message: string }[] };
    assert.deepEqual(j.clusters.map((c) => c.name).sort(), ['production', 'staging']);
    assert.deepEqual(
      j.findings.filter((f) => f.rule === 'helmrelease-renders'),
      [],
      'every HelmRelease renders',
    );
    assert.deepEqual(
      j.findings.map((f) => `${f.rule}: ${f.message}`),
      [],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
