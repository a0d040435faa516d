/**
 * Rule profiles (issue #19, item 7): a plain Flux repository is judged by the generic profile
 * (no reference-architecture opinions) unless it asks for aks-baseline; "platform namespace" is
 * decided from what creates the namespace's workloads; `prune: false  # reason` is respected.
 * The fixture has the shape the issue observed: `system-upgrade` (the controller applied as
 * plain manifests by the platform layer) and `observability` (a kube-prometheus-stack HelmRelease)
 * beside a tenant namespace `shop` with no isolation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from './helpers.js';

const KS = (name: string, path: string, extra = '') => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ${path}
  sourceRef:
    kind: GitRepository
    name: flux-system
${extra}`;

const FILES: Record<string, string> = {
  'clusters/home/flux-system/gotk-sync.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: { name: flux-system, namespace: flux-system }
spec: { interval: 1m, url: https://github.com/org/home, ref: { branch: main } }
---
${KS('flux-system', './clusters/home', '  prune: true\n')}`,
  'clusters/home/infra.yaml': KS(
    'infra',
    './infra',
    '  prune: false  # shared CRDs live here; never deleted by Flux\n',
  ),
  'clusters/home/apps.yaml': KS('apps', './apps', '  prune: false\n  dependsOn:\n    - name: infra\n'),
  'infra/kustomization.yaml': 'resources: [system-upgrade.yaml, monitoring.yaml]\n',
  'infra/system-upgrade.yaml': `apiVersion: v1
kind: Namespace
metadata: { name: system-upgrade }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: system-upgrade-controller, namespace: system-upgrade }
spec:
  selector: { matchLabels: { app: suc } }
  template:
    metadata: { labels: { app: suc } }
    spec:
      containers: [ { name: c, image: rancher/system-upgrade-controller:v0.14.2 } ]
`,
  'infra/monitoring.yaml': `apiVersion: v1
kind: Namespace
metadata: { name: observability }
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: { name: prometheus-community, namespace: flux-system }
spec: { interval: 1h, url: https://prometheus-community.github.io/helm-charts }
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: kps, namespace: observability }
spec:
  interval: 1h
  chart:
    spec:
      chart: kube-prometheus-stack
      version: 79.0.0
      sourceRef: { kind: HelmRepository, name: prometheus-community, namespace: flux-system }
`,
  'apps/kustomization.yaml': 'resources: [shop.yaml]\n',
  'apps/shop.yaml': `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [ { name: web, image: nginx:1.27.2 } ]
`,
};

function repo(extra: Record<string, string> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-profile-'));
  for (const [p, c] of Object.entries({ ...FILES, ...extra })) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  return root;
}

interface Out {
  findings: { rule: string; resource?: string; file?: string }[];
  rules?: unknown;
}
async function check(root: string, ...args: string[]): Promise<{ code: number; out: Out; err: string }> {
  const r = await runCli(['check', root, '--format', 'json', '--no-helm', ...args]);
  return { code: r.code, out: r.code === 2 ? { findings: [] } : (JSON.parse(r.out) as Out), err: r.err };
}
const ids = (o: Out, rule: string): string[] =>
  o.findings
    .filter((f) => f.rule === rule)
    .map((f) => f.resource ?? f.file ?? '')
    .sort();

test('a plain Flux repository gets the generic profile: no reference-architecture opinions', async () => {
  const root = repo();
  try {
    const { out } = await check(root);
    for (const rule of [
      'namespace-has-default-deny',
      'namespace-has-owner-labels',
      'container-probes',
      'container-resources',
    ]) {
      assert.deepEqual(ids(out, rule), [], `${rule} is an aks-baseline opinion`);
    }
    // Generic rules still run: an unpinned-prune Kustomization without a reason is reported,
    // the one whose `prune: false` says why is not.
    assert.deepEqual(ids(out, 'kustomization-prune-enabled'), ['Kustomization/flux-system/apps']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('profile: aks-baseline turns the opinions on; platform namespaces are decided by what runs there', async () => {
  const root = repo({ '.aksfleet.yaml': 'profile: aks-baseline\n' });
  try {
    const { code, out } = await check(root);
    assert.equal(code, 1);
    // shop is a tenant; system-upgrade (its controller, applied by the platform layer that apps
    // depends on) and observability (a kube-prometheus-stack HelmRelease) are the platform's.
    assert.deepEqual(ids(out, 'namespace-has-default-deny'), ['Namespace/shop']);
    assert.deepEqual(ids(out, 'namespace-has-owner-labels'), ['Namespace/shop']);
    // --profile on the command line wins over the file.
    const generic = await check(root, '--profile', 'generic');
    assert.deepEqual(ids(generic.out, 'namespace-has-default-deny'), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('naming one opinion under rules: turns that rule on alone in the generic profile', async () => {
  const root = repo({ '.aksfleet.yaml': 'rules:\n  namespace-has-default-deny: warning\n' });
  try {
    const { out } = await check(root);
    assert.deepEqual(ids(out, 'namespace-has-default-deny'), ['Namespace/shop']);
    assert.deepEqual(ids(out, 'namespace-has-owner-labels'), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a bad profile is an input error with file, line and column; a bad --profile a usage error', async () => {
  const root = repo({ '.aksfleet.yaml': 'rules: {}\nprofile: strict\n' });
  try {
    const r = await runCli(['check', root]);
    assert.equal(r.code, 2);
    assert.match(r.err, /\.aksfleet\.yaml:2:\d+.*"strict" is not allowed; must be one of: generic, aks-baseline/);
    const u = await runCli(['check', root, '--profile', 'strict']);
    assert.equal(u.code, 2);
    assert.match(u.err, /--profile must be one of generic, aks-baseline, not 'strict'/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
