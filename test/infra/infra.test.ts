/**
 * End-to-end tests of the cluster IaC generated from the example fleet (bootstrap mode) and the
 * same fleet in Flux extension mode: every Bicep file parses (our grammar check), module and
 * `using` paths resolve, parameters line up, every `type@apiVersion` is one of the data file;
 * every script passes shellcheck; the identities are wired to what the Flux repo applies; the
 * output is deterministic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { parseFleet } from '../../src/spec/load.js';
import { dataFile } from '../../src/package-root.js';
import { generateInfra, clusterPlan } from '../../src/generators/infra/index.js';
import { generateFluxRepo } from '../../src/generators/flux/index.js';
import { MemoryRepoFs } from '../../src/repo/repo-fs.js';
import { buildCluster, allResources, allErrors, formatIssue } from '../../src/flux/index.js';
import { OUTPUTS_CONFIGMAP } from '../../src/model/fleet-model.js';
import type { Fleet } from '../../src/spec/schema.js';
import type { GeneratedFile } from '../../src/generators/types.js';
import { checkBicep } from '../../src/bicep/testing/bicep-grammar.js';
import { FLEET_TEXTS } from './fixtures.js';

const TEXTS = new Map(FLEET_TEXTS);
const FLEETS: [string, Fleet][] = FLEET_TEXTS.map(([mode, text]) => [mode, parseFleet(text, 'fleet.yaml')]);

const apiVersions = JSON.parse(readFileSync(dataFile('azure/api-versions.json'), 'utf8')) as {
  source: string;
  types: Record<string, string>;
};
const SHELLCHECK = ['/usr/bin/shellcheck', '/usr/local/bin/shellcheck'].find((p) => existsSync(p));

function byPath(files: GeneratedFile[]): Map<string, GeneratedFile> {
  return new Map(files.map((f) => [f.path, f]));
}

for (const [mode, fleet] of FLEETS) {
  const files = generateInfra(fleet);
  const map = byPath(files);

  test(`${mode}: every generated Bicep file parses; modules, using and parameters line up`, () => {
    const bicep = files.filter((f) => f.path.endsWith('.bicep'));
    const params = files.filter((f) => f.path.endsWith('.bicepparam'));
    assert.ok(
      bicep.length >= 9 && params.length === fleet.spec.clusters.length + 1,
      `${bicep.length} bicep, ${params.length} bicepparam`,
    );
    for (const f of bicep) {
      const r = checkBicep(f.content);
      assert.deepEqual(r.errors, [], f.path);
      for (const m of r.modules) {
        const target = posix.normalize(posix.join(posix.dirname(f.path), m));
        assert.ok(map.has(target), `${f.path}: module ${m} -> ${target} is not generated`);
        // Every required parameter of the module is passed, and nothing else.
        const mod = checkBicep(map.get(target)!.content);
        const block = f.content.slice(f.content.indexOf(`'${m}'`));
        const paramsBlock = block.slice(block.indexOf('params: {'), block.indexOf('\n  }\n'));
        const passed = [...paramsBlock.matchAll(/^ {4}([A-Za-z_][A-Za-z0-9_]*):/gm)].map((x) => x[1]!);
        assert.ok(passed.length > 0, `${f.path}: no parameters found for ${m}`);
        for (const p of passed) assert.ok(mod.params.has(p), `${f.path}: ${m} has no parameter ${p}`);
        for (const [p, hasDefault] of mod.params)
          if (!hasDefault) assert.ok(passed.includes(p), `${f.path}: ${m} needs ${p}`);
      }
    }
    for (const f of params) {
      const r = checkBicep(f.content, 'bicepparam');
      assert.deepEqual(r.errors, [], f.path);
      const main = map.get(posix.normalize(posix.join(posix.dirname(f.path), r.using!)))!;
      assert.ok(main, `${f.path}: using ${r.using}`);
      const m = checkBicep(main.content);
      for (const a of r.assigned) assert.ok(m.params.has(a), `${f.path}: ${a} is not a parameter of ${main.path}`);
      for (const [p, hasDefault] of m.params)
        if (!hasDefault) assert.ok(r.assigned.includes(p), `${f.path}: required parameter ${p} is not set`);
    }
  });

  test(`${mode}: every type@apiVersion is pinned in data/azure/api-versions.json (with its source)`, () => {
    assert.match(apiVersions.source, /@azure\/arm-containerservice/);
    const seen = new Set<string>();
    for (const f of files.filter((x) => x.path.endsWith('.bicep'))) {
      for (const tv of checkBicep(f.content).resourceTypes) {
        const [type, version] = tv.split('@') as [string, string];
        assert.equal(apiVersions.types[type], version, `${f.path}: ${tv}`);
        assert.doesNotMatch(version, /preview/, tv);
        seen.add(type);
      }
    }
    assert.ok(apiVersions.types['Microsoft.ContainerService/managedClusters']! >= '2024-05-01');
    for (const t of [
      'Microsoft.ContainerService/managedClusters',
      'Microsoft.ContainerService/managedClusters/agentPools',
      'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
      'Microsoft.Authorization/roleAssignments',
    ])
      assert.ok(seen.has(t), t);
    if (mode !== 'bootstrap') assert.ok(seen.has('Microsoft.KubernetesConfiguration/fluxConfigurations'));
  });

  test(`${mode}: shellcheck passes on every generated script`, {
    skip: SHELLCHECK ? false : 'shellcheck not installed',
  }, () => {
    const scripts = files.filter((f) => f.path.endsWith('.sh'));
    assert.equal(scripts.length, 2 * fleet.spec.clusters.length);
    const dir = mkdtempSync(join(tmpdir(), 'aksfleet-sh-'));
    try {
      for (const s of scripts) {
        assert.ok(s.executable, `${s.path} is executable`);
        assert.match(s.content, /^#!\/usr\/bin\/env bash\n[\s\S]*\nset -euo pipefail\n/, s.path);
        const p = join(dir, s.path);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, s.content);
      }
      const r = spawnSync(SHELLCHECK!, ['--severity=style', ...scripts.map((s) => join(dir, s.path))], {
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const n = spawnSync('bash', ['-n', ...scripts.map((s) => join(dir, s.path)).slice(0, 1)], { encoding: 'utf8' });
      assert.equal(n.status, 0, n.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test(`${mode}: generation is deterministic`, () => {
    const again = generateInfra(parseFleet(TEXTS.get(mode)!, 'fleet.yaml'));
    assert.deepEqual(again, files);
    assert.deepEqual(
      files.map((f) => f.path),
      [...files.map((f) => f.path)].sort(),
    );
  });
}

/**
 * Cross-wiring. For every cluster: build (offline, like Flux) what the generated Flux repo
 * applies, with the cluster's deployment outputs as the values of OUTPUTS_CONFIGMAP. Then every
 * variable Flux needs is an output of that cluster's main.bicep; every ServiceAccount or Helm
 * release annotated with a workload identity client ID has exactly one federated credential
 * for its namespace/name on that cluster's issuer; and no credential exists without one.
 */
const [, bootstrapFleet] = FLEETS[0]!;
const fluxFiles = generateFluxRepo(bootstrapFleet);
const repo = new MemoryRepoFs(Object.fromEntries(fluxFiles.map((f) => [f.path, f.content])));
const infra = byPath(generateInfra(bootstrapFleet));

for (const cluster of bootstrapFleet.spec.clusters) {
  test(
    `cross-wiring on ${cluster.name}: federated credentials ` +
      `<-> the Flux repo's workload identity service accounts`,
    () => {
      const plan = clusterPlan(bootstrapFleet, cluster);
      const main = infra.get(`infra/clusters/${cluster.name}/main.bicep`)!.content;
      const outputs = checkBicep(main).outputs;
      assert.deepEqual(outputs, plan.outputNames);
      // Values: a marker per output, so we can see which identity each annotation points to.
      const vars = Object.fromEntries(outputs.map((o) => [o, `<${o}>`]));
      const b = buildCluster(repo, {
        cluster: cluster.name,
        sources: { 'GitRepository/flux-system/gitops': '' },
        vars,
      });
      const errs = allErrors(b).map(formatIssue);
      assert.deepEqual(
        errs,
        [],
        `Flux needs variables the IaC does not output (or the build failed) on ${cluster.name}`,
      );
      assert.ok(b.kustomizations.length >= 4, 'the Flux tree was built');
      const objs = allResources(b).map((r) => r.object);
      const text = JSON.stringify(objs);
      assert.doesNotMatch(text, /\$\{[A-Z0-9_]+\}/, 'no unsubstituted variable left');
      // The ConfigMap must not be produced by the repo itself (it comes from the IaC).
      assert.ok(!objs.some((o) => o.kind === 'ConfigMap' && o.metadata?.name === OUTPUTS_CONFIGMAP));

      // Service accounts that use workload identity, from plain ServiceAccounts and Helm values.
      const CLIENT = 'azure.workload.identity/client-id';
      const users: { ns: string; sa?: string; var: string; where: string }[] = [];
      for (const o of objs) {
        const ann = o.metadata?.annotations?.[CLIENT];
        if (o.kind === 'ServiceAccount' && ann)
          users.push({
            ns: o.metadata!.namespace!,
            sa: o.metadata!.name!,
            var: ann.replace(/^<|>$/g, ''),
            where: `ServiceAccount ${o.metadata!.namespace}/${o.metadata!.name}`,
          });
        if (o.kind === 'HelmRelease') {
          const spec = (o.spec ?? {}) as { targetNamespace?: string; releaseName?: string; values?: unknown };
          const found =
            JSON.stringify(spec.values ?? {}).match(/"azure\.workload\.identity\/client-id":"<([A-Z0-9_]+)>"/g) ?? [];
          for (const m of found)
            users.push({
              ns: spec.targetNamespace ?? o.metadata!.namespace!,
              var: /<([A-Z0-9_]+)>/.exec(m)![1]!,
              where: `HelmRelease ${o.metadata!.namespace}/${o.metadata!.name}`,
            });
        }
      }
      assert.ok(
        users.some((u) => u.sa) && users.some((u) => !u.sa),
        'workload identity users from ServiceAccounts and from Helm releases',
      );

      // Federated credentials as generated: the identities param of main.bicep ...
      const idBlock = main.slice(main.indexOf("module identities '../../modules/identity.bicep'"));
      const creds = [
        ...idBlock.matchAll(
          /name: '([^']+)'\n\s+namespace: '([^']+)'\n\s+serviceAccount: '([^']+)'\n\s+credentialName: '([^']+)'/g,
        ),
      ].map((m) => ({ name: m[1]!, ns: m[2]!, sa: m[3]! }));
      assert.match(
        idBlock,
        /oidcIssuerUrl: aks\.outputs\.oidcIssuerUrl/,
        "the credentials trust this cluster's issuer",
      );
      const idModule = infra.get('infra/modules/identity.bicep')!.content;
      assert.match(idModule, /issuer: oidcIssuerUrl/);
      assert.match(
        idModule,
        /subject: 'system:serviceaccount:\$\{identity\.namespace\}:\$\{identity\.serviceAccount\}'/,
      );
      assert.match(idModule, /audiences: \[\n\s+'api:\/\/AzureADTokenExchange'/);
      // ... and the az script.
      const az = infra.get(`infra/az/${cluster.name}.sh`)!.content;
      const azCreds = [
        ...az.matchAll(
          /federated-credential create .*--identity-name (\S+) .*--issuer "\$OIDC_ISSUER" --subject system:serviceaccount:([^:\s]+):(\S+) --audiences api:\/\/AzureADTokenExchange/g,
        ),
      ].map((m) => ({ name: m[1]!, ns: m[2]!, sa: m[3]! }));
      assert.match(
        az,
        /OIDC_ISSUER="\$\(az aks show --resource-group "\$RG" --name "\$CLUSTER" --query oidcIssuerProfile\.issuerUrl/,
      );
      assert.deepEqual(
        azCreds,
        creds.map(({ name, ns, sa }) => ({ name, ns, sa })),
        'Bicep and az create the same credentials',
      );

      // Each user: exactly one credential with its namespace (and name, for plain ServiceAccounts),
      // on the identity whose client ID the annotation carries.
      for (const u of users) {
        const ident = plan.identities.find((i) => i.clientIdVar === u.var);
        assert.ok(ident, `${u.where}: ${u.var} is not an identity of ${cluster.name}`);
        const matching = creds.filter(
          (c) => c.name === ident.name && c.ns === u.ns && (u.sa === undefined || c.sa === u.sa),
        );
        assert.equal(matching.length, 1, `${u.where}: ${matching.length} federated credentials`);
      }
      // No credential without a user.
      for (const c of creds) {
        const ident = plan.identities.find((i) => i.name === c.name)!;
        assert.ok(
          users.some((u) => u.var === ident.clientIdVar && u.ns === c.ns && (u.sa === undefined || u.sa === c.sa)),
          `credential ${c.ns}/${c.sa} (${c.name}) has no ServiceAccount or Helm release using it on ${cluster.name}`,
        );
      }
      // Tenant identities: exactly the tenants placed on this cluster.
      const tenantSas = users
        .filter((u) => u.sa)
        .map((u) => `${u.ns}/${u.sa}`)
        .sort();
      const planned = plan.identities
        .filter((i) => i.owner.startsWith('tenant'))
        .map((i) => `${i.namespace}/${i.serviceAccount}`)
        .sort();
      assert.deepEqual(tenantSas, planned);
    },
  );
}

test('AcrPull goes to the kubelet identity, with the reason; Key Vault Secrets User to identities that mount secrets', () => {
  for (const c of bootstrapFleet.spec.clusters) {
    const plan = clusterPlan(bootstrapFleet, c);
    const acr = plan.roles.filter((r) => r.role === 'AcrPull');
    assert.equal(acr.length, 1);
    assert.deepEqual(acr[0]!.principal, { kind: 'kubelet' });
    const rolesFiles = [...infra.keys()]
      .filter((p) => p.startsWith(`infra/clusters/${c.name}/roles-`))
      .map((p) => infra.get(p)!.content);
    const acrFile = rolesFiles.find((t) => t.includes('7f951dda-4ed3-4680-a7ca-43fe172d538d'))!;
    assert.match(acrFile, /principalId: kubeletObjectId/);
    assert.match(acrFile, /\/\/ .*kubelet identity.*not by the cluster's own identity/);
    assert.match(
      infra.get(`infra/clusters/${c.name}/main.bicep`)!.content,
      /kubeletObjectId: aks\.outputs\.kubeletObjectId/,
    );
    assert.match(
      infra.get('infra/modules/aks.bicep')!.content,
      /output kubeletObjectId string = aks\.properties\.identityProfile\.kubeletidentity\.objectId/,
    );
    const kv = plan.roles.filter((r) => r.role === 'Key Vault Secrets User');
    const mounting = bootstrapFleet.spec.tenants
      .filter((t) => t.placement.environments?.includes(c.environment) ?? true)
      .flatMap((t) => t.keyVaultSecrets.map((s) => s.serviceAccount));
    assert.deepEqual(
      kv.map((r) => plan.identities[(r.principal as { index: number }).index]!.serviceAccount).sort(),
      [...new Set(mounting)].sort(),
    );
  }
});

test('the generated AKS module has the options the seed asks for', () => {
  const aks = infra.get('infra/modules/aks.bicep')!.content;
  for (const re of [
    /oidcIssuerProfile: \{\n\s+enabled: true/,
    /workloadIdentity: \{\n\s+enabled: true/,
    /identity: controlPlaneIdentity/,
    /var controlPlaneIdentity = empty\(controlPlaneIdentityId\) \? \{\n\s+type: 'SystemAssigned'\n\} : \{\n\s+type: 'UserAssigned'/,
    /resource userPool 'Microsoft\.ContainerService\/managedClusters\/agentPools@/,
    /resource maintenance 'Microsoft\.ContainerService\/managedClusters\/maintenanceConfigurations@/,
    /omsagent: \{/,
    /azureMonitorProfile: \{/,
  ])
    assert.match(aks, re);
  const prod = infra.get('infra/clusters/aks-prod/main.bicepparam')!.content;
  for (const re of [
    /enablePrivateCluster: true/,
    /outboundType: 'userAssignedNATGateway'/,
    /'scan-interval': '20s'/,
    /name: 'aksManagedNodeOSUpgradeSchedule'/,
    /maxSurge: '33%'/,
    /nodeTaints: \[\n\s+'workload=true:NoSchedule'/,
  ])
    assert.match(prod, re);
  const qa = infra.get('infra/clusters/aks-qa/main.bicepparam')!.content;
  for (const re of [
    /networkPluginMode: 'overlay'/,
    /networkDataplane: 'cilium'/,
    /networkPolicy: 'cilium'/,
    /outboundType: 'managedNATGateway'/,
    /natGatewayProfile: \{/,
  ])
    assert.match(qa, re);
  const dev = infra.get('infra/clusters/aks-dev/main.bicepparam')!.content;
  assert.match(dev, /authorizedIPRanges: \[\n\s+'203\.0\.113\.0\/24'/);
});
