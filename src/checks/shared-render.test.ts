/**
 * Identical chart renders are shared across clusters, never copied per cluster: the objects parsed
 * from a rendered file are frozen once, every cluster that installs the same release holds those
 * very objects, and the stages that change an object (post-render, release metadata, the release
 * namespace) make their own copy of the part they change (src/flux/helmrelease/stages.ts).
 * Frozen, so a stage or a rule that wrote into a shared object would throw here (ES modules are
 * strict) instead of changing another cluster's objects: three clusters with identical values go
 * through every stage (hooks kept out of the post-renderers too) and every rule, the admission
 * rule's Kyverno mutate and validate policies included, and each gets the findings it gets alone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRepoFs } from '../repo/repo-fs.js';
import { createSession } from '../session/session.js';
import {
  DEMO_HELM_REPOSITORY,
  demoChartFiles,
  demoHelmRelease,
  memoryChartStore,
} from '../flux/helmrelease/testing.js';
import type { Finding } from './types.js';
import { checkRepository } from './index.js';

const SOURCES = DEMO_HELM_REPOSITORY;
const hr = demoHelmRelease;
// Post-renderers (a patch and an image), commonMetadata, a target namespace created by the install.
const PATCHED =
  '  targetNamespace: patched\n  install:\n    createNamespace: true\n  commonMetadata:\n    labels:\n' +
  '      team: a\n    annotations:\n      owner: a\n  postRenderers:\n  - kustomize:\n      patches:\n' +
  '      - target:\n          kind: Deployment\n        patch: |\n          - op: add\n' +
  '            path: /spec/template/metadata/annotations\n            value: { patched: "yes" }\n' +
  '      images:\n      - name: nginx\n        newTag: "1.27"\n  values:\n    greeting: same\n';
// Hooks kept out of the post-renderers (Helm 3's nohooks): they reach the cluster as rendered.
const NOHOOKS = '  postRenderStrategy: nohooks\n  values:\n    image:\n      tag: latest\n    privileged: true\n';
const POLICIES = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: label-and-check }
spec:
  validationFailureAction: Audit
  rules:
  - name: add-label
    match: { any: [ { resources: { kinds: [Deployment, ConfigMap] } } ] }
    mutate: { patchStrategicMerge: { metadata: { labels: { +(mutated): "yes" } } } }
  - name: managed-by
    match: { any: [ { resources: { kinds: [Deployment, ConfigMap, Job] } } ] }
    validate: { message: needs managed-by, pattern: { metadata: { labels: { app.kubernetes.io/managed-by: "?*" } } } }
`;
const clusterFiles = (c: string): Record<string, string> => ({
  [`clusters/${c}/sources.yaml`]: SOURCES,
  [`clusters/${c}/patched.yaml`]: hr('patched', PATCHED),
  [`clusters/${c}/nohooks.yaml`]: hr('nohooks', NOHOOKS),
  [`clusters/${c}/policies.yaml`]: POLICIES,
});
const CLUSTERS = ['c1', 'c2', 'c3'];

const session = () =>
  createSession({
    helm: {
      store: memoryChartStore([
        { sourceId: 'HelmRepository/flux-system/charts', chart: 'demo', version: '1.2.3', files: demoChartFiles() },
      ]),
    },
  });

/** A cluster's findings without its name (nor its folder's), in a stable order. */
const ofCluster = (fs: readonly Finding[], c: string) =>
  fs
    .filter((f) => f.cluster === c)
    .map((f) => JSON.stringify({ ...f, cluster: '' }).replaceAll(`clusters/${c}/`, 'clusters/*/'))
    .sort();

test('three clusters with identical values share one frozen render through every stage and rule', () => {
  const files = Object.assign({}, ...CLUSTERS.map(clusterFiles)) as Record<string, string>;
  const r = checkRepository(new MemoryRepoFs(files), { session: session(), keepContexts: true, today: '2026-11-25' });
  assert.deepEqual(
    r.clusters.map((c) => c.name),
    CLUSTERS,
  );

  // The chart's objects reached the rules of every cluster: the same findings, about chart objects too.
  const first = ofCluster(r.findings, 'c1');
  assert.ok(
    first.some((f) => f.includes('"resource":"Deployment/apps/nohooks"')),
    'a finding on a chart object',
  );
  assert.ok(
    first.some((f) => f.includes('needs managed-by')),
    'the admission rule judged chart objects',
  );
  for (const c of CLUSTERS) assert.deepEqual(ofCluster(r.findings, c), first, `${c}: the same findings as c1`);

  // Each of them alone (a session of its own: nothing shared with another cluster) finds the same.
  for (const c of CLUSTERS) {
    const alone = checkRepository(new MemoryRepoFs(clusterFiles(c)), { session: session(), today: '2026-11-25' });
    assert.deepEqual(ofCluster(alone.findings, c), first, `${c} alone`);
  }

  // What the stages did not change is the same frozen object in every cluster; what they changed is each one's own.
  const objectOf = (i: number, kind: string, name: string) => {
    const res = r.contexts[i]!.resources.find((x) => x.object.kind === kind && x.object.metadata?.name === name);
    assert.ok(res, `${CLUSTERS[i]}: ${kind}/${name}`);
    return res.object as Record<string, unknown> & { metadata: Record<string, unknown> };
  };
  for (const [kind, name] of [
    ['Deployment', 'nohooks'],
    ['ConfigMap', 'nohooks-config'],
    ['Job', 'nohooks-hook'],
    ['CustomResourceDefinition', 'widgets.example.com'],
  ] as const) {
    const [a, b, c] = CLUSTERS.map((_, i) => objectOf(i, kind, name));
    const part = kind === 'ConfigMap' ? 'data' : 'spec';
    assert.ok(Object.isFrozen(a![part]), `${kind}/${name}: ${part} is frozen`);
    assert.equal(a![part], b![part], `${kind}/${name}: c1 and c2 hold the same ${part}`);
    assert.equal(a![part], c![part], `${kind}/${name}: c1 and c3 hold the same ${part}`);
    assert.notEqual(a!.metadata, b!.metadata, `${kind}/${name}: metadata set per cluster, each its own`);
  }
  // The post-rendered Deployment went through a kustomize build: each cluster's own, not frozen.
  const [pa, pb] = [0, 1].map((i) => objectOf(i, 'Deployment', 'patched-patched'));
  assert.notEqual(pa!.spec, pb!.spec);
  assert.equal(Object.isFrozen(pa!.spec), false);
});
