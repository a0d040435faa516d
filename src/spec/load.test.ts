import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFleet } from './load.js';
import { editExample as edit, exampleFleetText as example, fleetErrorOf as errorOf } from './testing.js';

test('the example fleet is valid', () => {
  const f = parseFleet(example, 'fleet.yaml');
  assert.deepEqual(
    f.spec.clusters.map((c) => c.name),
    ['aks-dev', 'aks-qa', 'aks-prod'],
  );
  assert.equal(f.spec.tenants[0]!.apps[0]!.image, 'acrprod123.azurecr.io/api:1.2.3');
});

const cases: { name: string; from: string; to: string; expect: RegExp }[] = [
  {
    name: 'unknown field (with a suggestion)',
    from: '    mainBranch: main',
    to: '    mainBranh: main',
    expect: /^fleet\.yaml:LINE:5: spec\.git\.mainBranh: unknown field 'mainBranh'; did you mean 'mainBranch'\?/,
  },
  {
    name: 'wrong type',
    from: '          replicas: 3\n',
    to: '          replicas: three\n',
    expect: /^fleet\.yaml:LINE:21: spec\.tenants\[0\]\.apps\[0\]\.replicas: expected number, got string "three"/,
  },
  {
    name: 'duplicate cluster name',
    from: '    - name: aks-qa',
    to: '    - name: aks-dev',
    expect: /^fleet\.yaml:LINE:13: spec\.clusters\[1\]\.name: duplicate cluster name 'aks-dev'/,
  },
  {
    name: 'duplicate tenant name',
    from: '    - name: shop\n      namespaces: [shop]',
    to: '    - name: app\n      namespaces: [shop]',
    expect: /^fleet\.yaml:LINE:13: spec\.tenants\[1\]\.name: duplicate tenant name 'app'/,
  },
  {
    name: 'tenant placed on an unknown environment',
    from: 'placement: { environments: [dev, qa, prod] }',
    to: 'placement: { environments: [dev, staging, prod] }',
    expect:
      /^fleet\.yaml:LINE:\d+: spec\.tenants\[0\]\.placement\.environments\[1\]: unknown environment 'staging'; must be one of: dev, qa, prod/,
  },
  {
    name: 'environment without a branch',
    from: '    - name: qa\n      branch: env/qa\n',
    to: '    - name: qa\n',
    expect: /^fleet\.yaml:LINE:7: spec\.environments\[1\]\.branch: required field is missing/,
  },
  {
    name: 'malformed Kubernetes version',
    from: 'kubernetesVersion: 1.35.6',
    to: 'kubernetesVersion: v1.33',
    expect:
      /^fleet\.yaml:LINE:26: spec\.clusters\[0\]\.kubernetesVersion: "v1\.33": must be a Kubernetes version pinned to a patch/,
  },
  {
    name: 'bad taint syntax',
    from: 'taints: ["workload=true:NoSchedule"]',
    to: 'taints: ["workload=true"]',
    expect:
      /^fleet\.yaml:LINE:\d+: spec\.clusters\[0\]\.userPools\[0\]\.taints\[0\]: "workload=true": must be a taint 'key=value:Effect'/,
  },
  {
    name: 'pool name too long for Linux',
    from: '{ name: userpool, vmSize',
    to: '{ name: userpoolnumberone, vmSize',
    expect:
      /^fleet\.yaml:LINE:\d+: spec\.clusters\[0\]\.userPools\[0\]\.name: pool name 'userpoolnumberone' must be 1-12 lower-case letters and digits/,
  },
  {
    name: 'pool name with capitals',
    from: '{ name: userpool, vmSize',
    to: '{ name: UserPool, vmSize',
    expect: /spec\.clusters\[0\]\.userPools\[0\]\.name: pool name 'UserPool' must be 1-12 lower-case/,
  },
  {
    name: 'namespace that breaks DNS-1123',
    from: 'namespaces: [app]',
    to: 'namespaces: [App_1]',
    expect: /^fleet\.yaml:LINE:\d+: spec\.tenants\[0\]\.namespaces\[0\]: "App_1": namespace must be a DNS-1123 label/,
  },
  {
    name: 'registry name with a dash',
    from: '    name: acrprod123\n',
    to: '    name: acr-prod\n',
    expect: /^fleet\.yaml:LINE:\d+: spec\.registry\.name: registry name 'acr-prod' must be 5-50 letters and digits/,
  },
  {
    name: 'Key Vault name too long',
    from: 'name: kv-contoso-fleet',
    to: 'name: kv-contoso-fleet-with-a-long-name',
    expect: /spec\.keyVault\.name: Key Vault name .* must be 3-24/,
  },
  {
    name: 'autoscale min greater than max',
    from: 'autoscale: { min: 2, max: 5 }',
    to: 'autoscale: { min: 6, max: 5 }',
    expect: /spec\.clusters\[0\]\.systemPool\.autoscale\.min: autoscale min 6 is greater than max 5/,
  },
  {
    name: 'count outside min..max',
    from: 'count: 2, autoscale: { min: 2, max: 5 }',
    to: 'count: 9, autoscale: { min: 2, max: 5 }',
    expect: /spec\.clusters\[0\]\.systemPool\.count: count 9 must lie between autoscale min 2 and max 5/,
  },
  {
    name: 'private cluster with authorized IP ranges',
    from: 'apiServer: { private: true }',
    to: 'apiServer: { private: true, authorizedIpRanges: [203.0.113.0/24] }',
    expect:
      /spec\.clusters\[2\]\.apiServer\.authorizedIpRanges: authorized IP ranges apply to a public API server only/,
  },
  {
    name: 'enum value not allowed',
    from: 'plugin: azure-overlay, policy: azure',
    to: 'plugin: kubenet, policy: azure',
    expect:
      /spec\.clusters\[0\]\.network\.plugin: "kubenet" is not allowed; must be one of: azure, azure-overlay, cilium/,
  },
  {
    name: 'cluster on an unknown environment',
    from: '      environment: qa\n',
    to: '      environment: test\n',
    expect: /^fleet\.yaml:LINE:20: spec\.clusters\[1\]\.environment: unknown environment 'test'/,
  },
];

for (const c of cases) {
  test(`bad spec: ${c.name}`, () => {
    const { text, line } = edit(c.from, c.to);
    const msg = errorOf(text);
    const re = new RegExp(c.expect.source.replace('LINE', String(line)));
    assert.match(msg, re);
  });
}

test('several problems are reported at once, in file order', () => {
  let text = example
    .replace('kubernetesVersion: 1.35.6', 'kubernetesVersion: 1.33')
    .replace('    mainBranch: main', '    mainBranh: main');
  text = text.replace('namespaces: [app]', 'namespaces: [APP]');
  const lines = errorOf(text).split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /mainBranh/);
  assert.match(lines[1]!, /kubernetesVersion/);
  assert.match(lines[2]!, /namespaces/);
});

test('an empty file and a multi-document file are refused', () => {
  assert.match(errorOf('# nothing\n'), /the fleet file is empty/);
  assert.match(errorOf(example + '---\na: 1\n'), /expected one YAML document, found 2/);
});
