/**
 * checkRepository with `keepContexts: false` (each cluster's rules run right after its render,
 * only findings are kept) gives exactly the findings, clusters and reports of the default run
 * (every cluster rendered first, then every rule), on a generated fleet with defects planted in
 * several clusters: a cluster-local object, the same object suppressed in another cluster, a
 * hub cluster applying to a spoke (a second context of one cluster), a shared folder reached
 * by every cluster, repository-rule defects (a public production API server, a cluster folder
 * that infra does not know) and a `.aksfleet.yaml` that changes a severity and turns a rule off.
 * The streamed result holds no contexts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { syntheticFleet } from '../bench/synthetic-fleet.js';
import { generateAll } from '../generators/index.js';
import { DiskRepoFs } from '../repo/repo-fs.js';
import { FORMATS, formatRun } from '../report/index.js';
import { toYaml } from '../yaml/emit.js';
import { checkRepository, type CheckOptions } from './index.js';

const fleet = syntheticFleet({ clusters: 8, tenants: 2, appsPerTenant: 1, seed: 5 });
const names = fleet.spec.clusters.map((c) => c.name);
const dev = names.filter((n) => n.includes('-dev-'));
const prod = names.filter((n) => n.includes('-prod-'));

const dir = mkdtempSync(join(tmpdir(), 'aksfleet-stream-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const write = (p: string, text: string) => {
  mkdirSync(dirname(join(dir, p)), { recursive: true });
  writeFileSync(join(dir, p), text);
};
const edit = (p: string, from: string | RegExp, to: string) => {
  const before = readFileSync(join(dir, p), 'utf8');
  const after = before.replace(from, to);
  assert.notEqual(after, before, `planting: ${String(from)} not found in ${p}`);
  writeFileSync(join(dir, p), after);
};
for (const f of [...generateAll(fleet), { path: 'fleet.yaml', content: toYaml(fleet) }]) write(f.path, f.content);

const pod = (name: string, annotations = '') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: default\n${annotations}spec:\n  ` +
  'containers:\n  - name: c\n    image: nginx:latest\n';
const addToCluster = (cluster: string, file: string, text: string) => {
  write(`clusters/${cluster}/aksfleet/${file}`, text);
  edit(`clusters/${cluster}/aksfleet/kustomization.yaml`, 'resources:\n', `resources:\n- ${file}\n`);
};
// Cluster-local defects in two dev clusters; the second suppresses one rule on the object.
addToCluster(dev[0]!, 'extra.yaml', pod('bare'));
addToCluster(
  dev[1]!,
  'extra.yaml',
  pod(
    'bare',
    '  annotations:\n    aksfleet.dev/ignore: image-tag-pinned\n    aksfleet.dev/ignore-reason: planted by the test\n',
  ),
);
// A hub: a production cluster applying a folder with a bare pod to a spoke through a kubeConfig.
write(
  'spoke/kustomization.yaml',
  'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- pod.yaml\n',
);
write('spoke/pod.yaml', pod('spoke-pod'));
addToCluster(
  prod[0]!,
  'spoke.yaml',
  [
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata:',
    '  name: spoke-workloads',
    '  namespace: flux-system',
    'spec:',
    '  interval: 10m',
    '  prune: true',
    '  path: ./spoke',
    '  sourceRef:',
    '    kind: GitRepository',
    '    name: flux-system',
    '  kubeConfig:',
    '    secretRef:',
    '      name: spoke-kubeconfig',
    '',
  ].join('\n'),
);
// A shared folder every cluster reaches: a tenant namespace loses its cost center label.
const tenant = readdirSync(join(dir, 'tenants/base'))[0]!;
edit(`tenants/base/${tenant}/namespaces.yaml`, /\n\s+costCenter: .*/, '');
// Repository rules: a public production API server, a cluster folder infra does not know.
edit(
  `infra/clusters/${prod[1] ?? prod[0]!}/main.bicepparam`,
  'enablePrivateCluster: true',
  'enablePrivateCluster: false',
);
write(
  'clusters/aks-ghost/kustomization.yaml',
  'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- cm.yaml\n',
);
write(
  'clusters/aks-ghost/cm.yaml',
  'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ghost\n  namespace: default\ndata:\n  a: b\n',
);
write('.aksfleet.yaml', 'rules:\n  image-digest-in-prod: warning\n  container-probes: off\n');

const fs = () => new DiskRepoFs(dir);
const today = '2026-11-25';

function same(opts: CheckOptions, label: string) {
  const kept = checkRepository(fs(), { ...opts, today });
  const streamed = checkRepository(fs(), { ...opts, today, keepContexts: false });
  assert.ok(kept.contexts.length > 0, `${label}: the default run keeps its contexts`);
  assert.equal(streamed.contexts.length, 0, `${label}: the streamed run keeps no context`);
  assert.equal(JSON.stringify(streamed.findings), JSON.stringify(kept.findings), `${label}: findings`);
  assert.deepEqual(streamed.clusters, kept.clusters, `${label}: clusters`);
  assert.deepEqual(
    streamed.rules.map((r) => r.id),
    kept.rules.map((r) => r.id),
    `${label}: rules`,
  );
  for (const format of FORMATS) {
    const run = (r: typeof kept) =>
      formatRun(
        { findings: r.findings, clusters: r.clusters, rules: r.rules, failOn: 'warning', toolVersion: '0.0.0' },
        format,
        { color: false },
      );
    assert.equal(run(streamed), run(kept), `${label}: ${format} report`);
  }
  return kept;
}

test('streamed and kept runs: same findings, clusters and reports on the whole fleet with planted defects', () => {
  const r = same({}, 'whole');
  const f = r.findings;
  const at = (rule: string, cluster?: string) => f.filter((x) => x.rule === rule && x.cluster === cluster);
  // The planted defects are found where they were planted (so the comparison covers them).
  assert.ok(
    at('image-tag-pinned', dev[0]).some((x) => x.resource === 'Pod/default/bare'),
    'bare pod :latest in the first dev cluster',
  );
  assert.equal(at('image-tag-pinned', dev[1]).length, 0, 'suppressed by the annotation in the second dev cluster');
  assert.ok(
    at('container-resources', dev[1]).some((x) => x.resource === 'Pod/default/bare'),
    'other rules still report the suppressed object',
  );
  const spoke = `${prod[0]}->flux-system/spoke-kubeconfig`;
  assert.ok(
    r.clusters.some((c) => c.name === spoke),
    'the hub has a spoke context',
  );
  assert.ok(
    at('image-tag-pinned', spoke).some((x) => x.resource === 'Pod/default/spoke-pod'),
    'the spoke context is judged on its own',
  );
  // Reported by the built-in rule, or once by the fleet's own Kyverno policy that covers it (run.ts mergeDuplicates).
  for (const c of names) {
    const policy = f.filter(
      (x) =>
        x.cluster === c &&
        x.rule === 'policy:require-namespace-labels/require-owner-and-cost-center' &&
        /built-in rule namespace-has-owner-labels reports the same/.test(x.message),
    );
    assert.ok(at('namespace-has-owner-labels', c).length + policy.length > 0, `shared-folder defect reported in ${c}`);
  }
  assert.ok(at('prod-cluster-private').length > 0 && at('clusters-match-infra').length > 0, 'repository rules report');
  assert.ok(
    f.some((x) => x.rule === 'image-digest-in-prod' && x.severity === 'warning'),
    'severity from .aksfleet.yaml',
  );
  assert.equal(f.filter((x) => x.rule === 'container-probes').length, 0, 'rule turned off in .aksfleet.yaml');
  assert.ok(
    new Set(f.map((x) => x.cluster)).size >= names.length + 2,
    'findings in every cluster, the spoke and the repository',
  );
});

test('streamed and kept runs: same with --cluster, --path and an incremental subset of clusters', () => {
  same({ cluster: dev[0]! }, '--cluster');
  same({ path: `clusters/${prod[0]}` }, '--path');
  const some = new Set([dev[1]!, prod[0]!].map((n) => `clusters/${n}`));
  same({ onlyClusters: (c) => some.has(c.path) }, 'onlyClusters');
});
