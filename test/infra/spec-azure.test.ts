/**
 * Values Azure would reject, refused when fleet.yaml is read (file:line:col and field path),
 * before any file is written: Kubernetes versions AKS does not offer (data/aks-versions.json),
 * LTS without the Premium tier, node pool version skew, unknown roles and scopes, identities
 * that clash on a cluster, Grafana without managed Prometheus, channel combinations AKS refuses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFleet } from '../../src/spec/load.js';
import { main } from '../../src/cli/main.js';
import { editExample as edit, fleetErrorOf as errorOf } from '../../src/spec/testing.js';

const cases: { name: string; from: string; to: string; nth?: number; expect: RegExp }[] = [
  {
    name: "the example's old pin 1.33.5 (never an AKS patch; 1.33 left community support)",
    from: 'kubernetesVersion: 1.35.6',
    to: 'kubernetesVersion: 1.33.5',
    expect:
      /^fleet\.yaml:LINE:26: spec\.clusters\[0\]\.kubernetesVersion: Kubernetes 1\.33 left AKS community support on 2026-07-31; it is offered under Long Term Support until 2027-07-31/,
  },
  {
    name: "the seed's 1.29.7",
    from: 'kubernetesVersion: 1.35.6',
    to: 'kubernetesVersion: 1.29.7',
    nth: 2,
    expect:
      /^fleet\.yaml:LINE:26: spec\.clusters\[2\]\.kubernetesVersion: Kubernetes 1\.29 left AKS community support on 2025-03-31/,
  },
  {
    name: 'a patch AKS never announced',
    from: 'kubernetesVersion: 1.35.6',
    to: 'kubernetesVersion: 1.35.42',
    expect:
      /spec\.clusters\[0\]\.kubernetesVersion: 1\.35\.42 is not a Kubernetes patch AKS announced \(known AKS patches of 1\.35: 1\.35\.1, .*1\.35\.6;/,
  },
  {
    name: 'a minor AKS does not offer',
    from: 'kubernetesVersion: 1.35.6',
    to: 'kubernetesVersion: 1.40.1',
    expect:
      /spec\.clusters\[0\]\.kubernetesVersion: AKS does not offer Kubernetes 1\.40 \(minors supported on 2026-11-25: 1\.34, 1\.35, 1\.36, 1\.37\)/,
  },
  {
    name: 'LTS without the Premium tier',
    from: 'kubernetesVersion: 1.35.6',
    to: 'kubernetesVersion: 1.33.13\n      supportPlan: AKSLongTermSupport',
    expect:
      /^fleet\.yaml:\d+:\d+: spec\.clusters\[0\]\.tier: supportPlan AKSLongTermSupport requires tier 'Premium' \(got 'Standard'\)/,
  },
  {
    name: 'pool more than 3 minors behind the control plane',
    from: '{ name: userpool, vmSize: Standard_D4s_v5, count: 2,',
    to: '{ name: userpool, orchestratorVersion: 1.31.10, vmSize: Standard_D4s_v5, count: 2,',
    expect:
      /spec\.clusters\[0\]\.userPools\[0\]\.orchestratorVersion: Kubernetes 1\.31 left AKS community support[\s\S]*pool version 1\.31 is 4 minors behind the control plane 1\.35; AKS allows at most 3/,
  },
  {
    name: 'unknown role (with a suggestion)',
    from: '{ role: Storage Blob Data Reader,',
    to: '{ role: Storage Blob Reader,',
    expect:
      /^fleet\.yaml:LINE:\d+: spec\.tenants\[0\]\.workloadIdentities\[0\]\.roles\[0\]\.role: unknown role 'Storage Blob Reader'/,
  },
  {
    name: 'scope that is not a resource ID',
    from:
      'scope: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/' +
      'rg-data/providers/Microsoft.Storage/storageAccounts/stappdata',
    to: 'scope: stappdata',
    expect:
      /spec\.tenants\[0\]\.workloadIdentities\[0\]\.roles\[0\]\.scope: scope 'stappdata' must be 'keyvault', 'registry', a resource group ID/,
  },
  {
    name: 'scope of a resource type without a pinned API version',
    from: 'providers/Microsoft.Storage/storageAccounts/stappdata',
    to: 'providers/Microsoft.Web/sites/app1',
    expect:
      /roles\[0\]\.scope: resource type Microsoft\.Web\/sites has no pinned API version in data\/azure\/api-versions\.json/,
  },
  {
    name: 'tenant identity clashing with a platform identity',
    from: 'identityName: id-app-blob',
    to: 'identityName: velero',
    expect:
      /spec\.tenants\[0\]\.workloadIdentities\[0\]\.identityName: identity 'velero' of tenant app clashes with 'velero' of the platform add-on velero on cluster 'aks-dev'/,
  },
  {
    name: 'managed Grafana without managed Prometheus',
    from: 'monitoring: { containerInsights: true, managedPrometheus: true, managedGrafana: true }',
    to: 'monitoring: { containerInsights: true, managedPrometheus: false, managedGrafana: true }',
    expect:
      /spec\.clusters\[2\]\.monitoring\.managedGrafana: managed Grafana is linked to the managed Prometheus workspace/,
  },
  {
    name: 'node-image channel with a node OS channel AKS refuses',
    from: 'upgrade: { channel: patch, nodeOsChannel: NodeImage,',
    to: 'upgrade: { channel: node-image, nodeOsChannel: SecurityPatch,',
    expect:
      /spec\.clusters\[0\]\.upgrade\.nodeOsChannel: with upgrade channel 'node-image' AKS requires nodeOsChannel 'NodeImage'/,
  },
];

for (const c of cases) {
  test(`refused: ${c.name}`, () => {
    const { text, line } = edit(c.from, c.to, c.nth);
    const msg = errorOf(text);
    assert.match(msg, new RegExp(c.expect.source.replace('LINE', String(line))));
    // file:line:col is always there
    assert.match(msg, /^fleet\.yaml:\d+:\d+: spec\./);
  });
}

test('LTS with the Premium tier is accepted for a minor past community support', () => {
  const { text } = edit(
    'kubernetesVersion: 1.35.6',
    'kubernetesVersion: 1.33.13\n      tier: Premium\n      supportPlan: AKSLongTermSupport',
  );
  const f = parseFleet(text, 'fleet.yaml');
  assert.equal(f.spec.clusters[0]!.kubernetesVersion, '1.33.13');
});

test('aksfleet generate refuses a bad fleet with exit 2 and writes nothing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-gen-'));
  try {
    writeFileSync(join(dir, 'fleet.yaml'), edit('kubernetesVersion: 1.35.6', 'kubernetesVersion: 1.33.5').text);
    const out = join(dir, 'out');
    let err = '';
    const code = await main(['generate', '-f', join(dir, 'fleet.yaml'), '-o', out], {
      out: () => {},
      err: (t) => (err += t),
      color: false,
      cwd: dir,
      env: {},
    });
    assert.equal(code, 2);
    assert.match(
      err,
      /fleet\.yaml:\d+:\d+: spec\.clusters\[0\]\.kubernetesVersion: Kubernetes 1\.33 left AKS community support/,
    );
    assert.doesNotMatch(err, /\n\s+at /, 'no stack trace');
    assert.deepEqual(readdirSync(dir), ['fleet.yaml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
