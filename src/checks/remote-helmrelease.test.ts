/**
 * A HelmRelease with spec.kubeConfig installs its chart into another cluster (helm-controller):
 * its chart objects are judged as that cluster's (a check context `cluster->ns/kubeconfig`, as a
 * remote Kustomization's are), never as this cluster's; the HelmRelease object itself stays here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRepoFs } from '../repo/repo-fs.js';
import { createSession } from '../session/session.js';
import { buildCluster } from '../flux/index.js';
import {
  DEMO_HELM_REPOSITORY,
  demoChartFiles,
  demoHelmRelease,
  memoryChartStore,
} from '../flux/helmrelease/testing.js';
import { kubeConfigTarget } from '../flux/build/kube-config-target.js';
import { checkRepository } from './index.js';
import { summaryTable } from '../cli/commands/build.js';

const SOURCES = DEMO_HELM_REPOSITORY;
const hr = demoHelmRelease;
const fs = new MemoryRepoFs({
  'clusters/hub/sources.yaml': SOURCES,
  'clusters/hub/local.yaml': hr('local', ''),
  'clusters/hub/spoke.yaml': hr(
    'spoke',
    '  kubeConfig:\n    secretRef:\n      name: spoke-kubeconfig\n  values:\n    image:\n      tag: latest\n ' +
      '   privileged: true\n',
  ),
});
const session = () =>
  createSession({
    helm: {
      store: memoryChartStore([
        {
          sourceId: 'HelmRepository/flux-system/charts',
          chart: 'demo',
          version: '1.2.3',
          files: demoChartFiles('1.2.3'),
        },
      ]),
    },
  });

test('kubeConfigTarget: secretRef, configMapRef (Flux 2.6 workload identity), the default name, none', () => {
  const o = (kubeConfig: unknown) => ({
    apiVersion: 'x/v1',
    kind: 'HelmRelease',
    metadata: { name: 'a', namespace: 'n' },
    spec: { kubeConfig },
  });
  assert.equal(kubeConfigTarget(o({ secretRef: { name: 's', key: 'value' } })), 'n/s');
  assert.equal(kubeConfigTarget(o({ configMapRef: { name: 'cm' } })), 'n/cm');
  assert.equal(kubeConfigTarget(o({})), 'n/kubeconfig');
  assert.equal(kubeConfigTarget(o(undefined)), undefined);
});

test(
  "check: the chart objects of a HelmRelease with spec.kubeConfig are judged as the other cluster's, not this " +
    "one's",
  () => {
    const b = buildCluster(fs, { path: 'clusters/hub', helm: { store: session().options.helm!.store! } });
    const spoke = b.helmReleases.find((h) => h.name === 'spoke')!;
    assert.equal(spoke.status, 'rendered');
    assert.equal(spoke.remote, 'apps/spoke-kubeconfig');
    assert.equal(b.helmReleases.find((h) => h.name === 'local')!.remote, undefined);
    assert.match(
      summaryTable(b),
      /apps\/spoke\s+demo@1\.2\.3\s+\d+\s+rendered \(into another cluster: kubeConfig apps\/spoke-kubeconfig\)/,
    );

    const r = checkRepository(fs, { session: session(), keepContexts: true });
    assert.deepEqual(
      r.clusters.map((c) => c.name),
      ['hub', 'hub->apps/spoke-kubeconfig'],
    );
    const [hub, remote] = r.contexts;
    const ids = (rs: typeof hub.resources) => rs.map((x) => `${x.object.kind}/${x.object.metadata?.name}`);
    assert.ok(ids(hub!.resources).includes('Deployment/local'));
    assert.ok(ids(hub!.resources).includes('HelmRelease/spoke'), 'the HelmRelease object is applied to this cluster');
    assert.ok(!ids(hub!.resources).includes('Deployment/spoke'), 'its chart objects are not');
    assert.deepEqual(
      ids(remote!.resources).filter((x) => x.startsWith('Deployment/')),
      ['Deployment/spoke'],
    );
    const pinned = r.findings.filter((f) => f.rule === 'image-tag-pinned' && f.resource?.startsWith('Deployment/'));
    assert.deepEqual(
      pinned.map((f) => [f.cluster, f.resource]),
      [['hub->apps/spoke-kubeconfig', 'Deployment/apps/spoke']],
    );
    const spokeFindings = r.findings.filter((f) => /^[A-Za-z]+\/apps\/spoke(-|$)/.test(f.resource ?? ''));
    assert.ok(spokeFindings.length >= 2, JSON.stringify(r.findings.map((f) => [f.rule, f.cluster, f.resource])));
    assert.deepEqual([...new Set(spokeFindings.map((f) => f.cluster))], ['hub->apps/spoke-kubeconfig']);
  },
);

test('build: a HelmRelease with spec.kubeConfig is reported as installing into another cluster', async () => {
  const { runCli } = await import('../cli/testing/run-cli.js');
  const { mkdtempSync, rmSync, writeFileSync, mkdirSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { demoChartFiles: files } = await import('../flux/helmrelease/testing.js');
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-remote-hr-'));
  try {
    for (const [p, t] of [
      ['clusters/hub/sources.yaml', SOURCES],
      ['clusters/hub/spoke.yaml', hr('spoke', '  kubeConfig:\n    secretRef:\n      name: spoke-kubeconfig\n')],
      ...Object.entries(files('1.2.3')).map(([k, v]) => [`charts/demo/${k}`, v]),
    ] as const) {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), t);
    }
    const r = await runCli([
      'build',
      dir,
      '--path',
      'clusters/hub',
      '--chart-source',
      `HelmRepository/flux-system/charts=${join(dir, 'charts')}`,
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.err,
      /info: HelmRelease apps\/spoke installs into another cluster \(spec\.kubeConfig apps\/spoke-kubeconfig\): its \d+ object\(s\) are that cluster's/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
