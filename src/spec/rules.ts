/**
 * Cross-field rules of the fleet spec: what one field cannot say alone (unique names,
 * references between sections, Azure naming limits, pool sizing). Each rule pushes
 * problems with the field path they concern; load.ts turns paths into file:line:col.
 */
import type { Fleet, NodePool } from './schema.js';
import { aksVersions, minorOf as aksMinorOf, supportProblem } from '../facts/aks-versions.js';
import { hasApiVersion, parseScopeId, roleId } from '../facts/azure-data.js';
import { tenantsOn } from './placement.js';
import { identityClientIdVar, platformIdentities } from './identities.js';
import { cidrContains, cidrsOverlap, formatIpv4, lastAddress, parseCidr, parseIpv4 } from './cidr.js';
import { backupRules } from './backup.js';
import { networkRules } from './network-rules.js';
import {
  azureDevOpsNameProblem,
  azureDevOpsOrganizationProblem,
  githubOwnerProblem,
  githubRepositoryProblem,
} from './names.js';

/** Segments (src/field-path.ts), mutable here because rules build paths by spreading. */
export type FieldPath = (string | number)[];
export interface SpecProblem {
  readonly path: FieldPath;
  readonly message: string;
}

type Rule = (fleet: Fleet, push: (path: FieldPath, message: string) => void) => void;

const S = ['spec'];

/** Cluster, tenant and environment names are unique. */
const uniqueNames: Rule = (f, push) => {
  const check = (list: { name: string }[], where: string, what: string) => {
    const seen = new Map<string, number>();
    list.forEach((x, i) => {
      const prev = seen.get(x.name);
      if (prev !== undefined)
        push([...S, where, i, 'name'], `duplicate ${what} name '${x.name}' (also at ${where}[${prev}])`);
      else seen.set(x.name, i);
    });
  };
  check(f.spec.environments, 'environments', 'environment');
  check(f.spec.clusters, 'clusters', 'cluster');
  check(f.spec.tenants, 'tenants', 'tenant');
  const branches = new Map<string, number>();
  f.spec.environments.forEach((e, i) => {
    const prev = branches.get(e.branch);
    if (prev !== undefined)
      push(
        [...S, 'environments', i, 'branch'],
        `branch '${e.branch}' is already used by environment '${f.spec.environments[prev]!.name}'`,
      );
    else branches.set(e.branch, i);
  });
  const namespaces = new Map<string, string>();
  f.spec.tenants.forEach((t, i) =>
    t.namespaces.forEach((ns, j) => {
      const owner = namespaces.get(ns);
      if (owner !== undefined && owner !== t.name)
        push([...S, 'tenants', i, 'namespaces', j], `namespace '${ns}' already belongs to tenant '${owner}'`);
      namespaces.set(ns, t.name);
    }),
  );
};

/** Clusters and tenant placements name environments that exist. */
const environmentReferences: Rule = (f, push) => {
  const envs = f.spec.environments.map((e) => e.name);
  const allowed = `one of: ${envs.join(', ')}`;
  f.spec.clusters.forEach((c, i) => {
    if (!envs.includes(c.environment))
      push([...S, 'clusters', i, 'environment'], `unknown environment '${c.environment}'; must be ${allowed}`);
  });
  f.spec.tenants.forEach((t, i) => {
    (t.placement.environments ?? []).forEach((e, j) => {
      if (!envs.includes(e))
        push([...S, 'tenants', i, 'placement', 'environments', j], `unknown environment '${e}'; must be ${allowed}`);
    });
    t.apps.forEach((a, k) => {
      for (const e of Object.keys(a.overrides)) {
        if (!envs.includes(e))
          push([...S, 'tenants', i, 'apps', k, 'overrides', e], `unknown environment '${e}'; must be ${allowed}`);
      }
    });
  });
  f.spec.environments.forEach((e, i) => {
    if (e.branch === f.spec.git.mainBranch)
      push(
        [...S, 'environments', i, 'branch'],
        `an environment branch must differ from the main branch '${f.spec.git.mainBranch}'`,
      );
  });
};

/** Owner, repository and project are names the Git host (git.provider) accepts. */
const gitHostNames: Rule = (f, push) => {
  const g = f.spec.git;
  const p = [...S, 'git'];
  const check = (field: 'owner' | 'repository' | 'project', problem: (s: string) => string | undefined) => {
    const v = g[field];
    if (v === undefined) return;
    const why = problem(v);
    if (why) push([...p, field], `${JSON.stringify(v)}: ${why}`);
  };
  if (g.provider === 'github') {
    check('owner', githubOwnerProblem);
    check('repository', githubRepositoryProblem);
    if (g.project !== undefined) push([...p, 'project'], 'project applies to azure-repos only');
  } else {
    check('owner', azureDevOpsOrganizationProblem);
    check('repository', (s) => azureDevOpsNameProblem(s, 'repository'));
    check('project', (s) => azureDevOpsNameProblem(s, 'project'));
  }
};

const RESOURCE_GROUP = /^[-\w._()]{1,90}$/;
const resourceGroupProblem = (rg: string) =>
  RESOURCE_GROUP.test(rg) && !rg.endsWith('.')
    ? undefined
    : `resource group '${rg}' must be 1-90 characters of letters, digits, - _ . ( ) and must not end with '.'`;

/** Azure naming rules (length and characters) that ARM would reject at deployment time. */
const azureNames: Rule = (f, push) => {
  for (const [field, rg] of [
    ['registry', f.spec.registry.resourceGroup],
    ['keyVault', f.spec.keyVault.resourceGroup],
  ] as const) {
    const why = rg === undefined ? undefined : resourceGroupProblem(rg);
    if (why) push([...S, field, 'resourceGroup'], why);
  }
  f.spec.clusters.forEach((c, i) => {
    const p = [...S, 'clusters', i];
    if (!/^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$/.test(c.name))
      push(
        [...p, 'name'],
        `cluster name '${c.name}' must be 1-63 characters: letters, ` +
          `digits, '-' and '_', starting and ending with a letter or digit`,
      );
    else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(c.name))
      push(
        [...p, 'name'],
        `cluster name '${c.name}' is also used as a Kubernetes label value and a folder name: ` +
          `use lower-case letters, digits and '-'`,
      );
    const rgWhy = resourceGroupProblem(c.resourceGroup);
    if (rgWhy) push([...p, 'resourceGroup'], rgWhy);
    const pools: [NodePool, FieldPath][] = [
      [c.systemPool, [...p, 'systemPool']],
      ...c.userPools.map((u, j): [NodePool, FieldPath] => [u, [...p, 'userPools', j]]),
    ];
    const seen = new Set<string>();
    for (const [pool, pp] of pools) {
      const max = pool.osType === 'Windows' ? 6 : 12;
      if (!new RegExp(`^[a-z][a-z0-9]{0,${max - 1}}$`).test(pool.name))
        push(
          [...pp, 'name'],
          `pool name '${pool.name}' must be 1-${max} lower-case letters and digits, ` +
            `starting with a letter (${pool.osType} pools)`,
        );
      if (seen.has(pool.name)) push([...pp, 'name'], `duplicate pool name '${pool.name}' in cluster '${c.name}'`);
      seen.add(pool.name);
    }
  });
  const r = f.spec.registry.name;
  if (!/^[A-Za-z0-9]{5,50}$/.test(r))
    push([...S, 'registry', 'name'], `registry name '${r}' must be 5-50 letters and digits (no '-')`);
  const kv = f.spec.keyVault.name;
  if (!/^[A-Za-z][A-Za-z0-9-]{1,22}[A-Za-z0-9]$/.test(kv) || kv.includes('--'))
    push(
      [...S, 'keyVault', 'name'],
      `Key Vault name '${kv}' must be 3-24 letters, digits and '-', ` +
        `start with a letter, end with a letter or digit, and have no '--'`,
    );
  f.spec.tenants.forEach((t, i) =>
    t.workloadIdentities.forEach((w, j) => {
      if (!/^[A-Za-z0-9][A-Za-z0-9_-]{2,127}$/.test(w.identityName))
        push(
          [...S, 'tenants', i, 'workloadIdentities', j, 'identityName'],
          `identity name '${w.identityName}' must be 3-128 letters, ` +
            `digits, '-' and '_', starting with a letter or digit`,
        );
    }),
  );
};

/**
 * Cluster networks AKS accepts: the pod and service CIDRs do not overlap (nor nest), and the DNS
 * service IP lies in the service CIDR without being its network address or its first address
 * (the `kubernetes` service takes that one).
 */
const clusterNetworks: Rule = (f, push) => {
  f.spec.clusters.forEach((c, i) => {
    const p = [...S, 'clusters', i, 'network'];
    const service = parseCidr(c.network.serviceCidr);
    const pod = c.network.podCidr === undefined ? undefined : parseCidr(c.network.podCidr);
    if (service && pod && cidrsOverlap(service, pod))
      push(
        [...p, 'podCidr'],
        `pod CIDR ${c.network.podCidr} overlaps the service CIDR ` +
          `${c.network.serviceCidr}${pod.prefix !== service.prefix ? ' (one holds the other)' : ''}; ` +
          `pick disjoint ranges`,
      );
    const dns = parseIpv4(c.network.dnsServiceIp);
    if (!service || dns === undefined) return;
    if (!cidrContains(service, dns))
      push([...p, 'dnsServiceIp'], `${c.network.dnsServiceIp} is outside the service CIDR ${c.network.serviceCidr}`);
    else if (dns === service.network)
      push(
        [...p, 'dnsServiceIp'],
        `${c.network.dnsServiceIp} is the network address of the service CIDR ${c.network.serviceCidr}`,
      );
    else if (dns === service.network + 1)
      push(
        [...p, 'dnsServiceIp'],
        `${c.network.dnsServiceIp} is the first address of the service CIDR ${c.network.serviceCidr}, ` +
          `which the kubernetes service takes; use another, e.g. ${formatIpv4(service.network + 10)}`,
      );
    else if (dns === lastAddress(service))
      push(
        [...p, 'dnsServiceIp'],
        `${c.network.dnsServiceIp} is the broadcast address of the service CIDR ${c.network.serviceCidr}`,
      );
  });
};

/** System pools are mode System; autoscaler bounds hold; private clusters have no public-only options. */
const poolsAndAccess: Rule = (f, push) => {
  f.spec.clusters.forEach((c, i) => {
    const p = [...S, 'clusters', i];
    if (c.systemPool.mode !== 'System') push([...p, 'systemPool', 'mode'], `the system pool must have mode 'System'`);
    if (c.systemPool.osType !== 'Linux') push([...p, 'systemPool', 'osType'], `the system pool must be Linux`);
    const pools: [NodePool, FieldPath][] = [
      [c.systemPool, [...p, 'systemPool']],
      ...c.userPools.map((u, j): [NodePool, FieldPath] => [u, [...p, 'userPools', j]]),
    ];
    for (const [pool, pp] of pools) {
      if (pool.autoscale) {
        if (pool.autoscale.min > pool.autoscale.max)
          push(
            [...pp, 'autoscale', 'min'],
            `autoscale min ${pool.autoscale.min} is greater than max ${pool.autoscale.max}`,
          );
        else if (pool.count < pool.autoscale.min || pool.count > pool.autoscale.max)
          push(
            [...pp, 'count'],
            `count ${pool.count} must lie between autoscale min ${pool.autoscale.min} and max ${pool.autoscale.max}`,
          );
      }
      if (pool.mode === 'System' && pool.count < 1) push([...pp, 'count'], 'a System pool needs at least 1 node');
      if (pool.orchestratorVersion && minorOf(pool.orchestratorVersion) > minorOf(c.kubernetesVersion))
        push(
          [...pp, 'orchestratorVersion'],
          `pool version ${pool.orchestratorVersion} is newer than the control plane ${c.kubernetesVersion}`,
        );
    }
    if (c.apiServer.private && c.apiServer.authorizedIpRanges.length > 0)
      push(
        [...p, 'apiServer', 'authorizedIpRanges'],
        'authorized IP ranges apply to a public API server only; remove them or set apiServer.private: false',
      );
    if (c.network.policy === 'cilium' && c.network.plugin !== 'cilium')
      push([...p, 'network', 'policy'], "network policy 'cilium' requires network plugin 'cilium'");
    if (c.network.plugin === 'cilium' && c.network.policy !== 'cilium')
      push([...p, 'network', 'policy'], "with the Cilium dataplane the network policy engine must be 'cilium'");
  });
};

/** Tenant internals refer to things that exist. */
const tenantReferences: Rule = (f, push) => {
  f.spec.tenants.forEach((t, i) => {
    const p = [...S, 'tenants', i];
    const sas = t.workloadIdentities.map((w) => w.serviceAccount);
    t.workloadIdentities.forEach((w, j) => {
      if (w.namespace && !t.namespaces.includes(w.namespace))
        push(
          [...p, 'workloadIdentities', j, 'namespace'],
          `namespace '${w.namespace}' is not one of the tenant's namespaces (${t.namespaces.join(', ')})`,
        );
    });
    t.keyVaultSecrets.forEach((s, j) => {
      if (!sas.includes(s.serviceAccount))
        push(
          [...p, 'keyVaultSecrets', j, 'serviceAccount'],
          `'${s.serviceAccount}' is not a workload identity of this tenant${sas.length ? ` (${sas.join(', ')})` : ''}`,
        );
    });
    t.apps.forEach((a, k) => {
      const ap = [...p, 'apps', k];
      if (a.namespace && !t.namespaces.includes(a.namespace))
        push(
          [...ap, 'namespace'],
          `namespace '${a.namespace}' is not one of the tenant's namespaces (${t.namespaces.join(', ')})`,
        );
      if (a.serviceAccount && !sas.includes(a.serviceAccount))
        push(
          [...ap, 'serviceAccount'],
          `'${a.serviceAccount}' is not a workload identity of this tenant${sas.length ? ` (${sas.join(', ')})` : ''}`,
        );
      a.secrets.forEach((s, m) => {
        if (!t.keyVaultSecrets.some((k2) => k2.name === s))
          push([...ap, 'secrets', m], `secret '${s}' is not declared in the tenant's keyVaultSecrets`);
      });
      if (a.secrets.length > 0 && !a.serviceAccount)
        push(
          [...ap, 'serviceAccount'],
          'an app that mounts Key Vault secrets needs a workload identity serviceAccount',
        );
      a.slos.forEach((s, m) => {
        if (s.kind === 'latency' && s.thresholdSeconds === undefined)
          push([...ap, 'slos', m, 'thresholdSeconds'], 'a latency SLO needs thresholdSeconds');
      });
      const seenSlo = new Set<string>();
      a.slos.forEach((s, m) => {
        if (seenSlo.has(s.name)) push([...ap, 'slos', m, 'name'], `duplicate SLO name '${s.name}'`);
        seenSlo.add(s.name);
      });
    });
    const seenApp = new Set<string>();
    t.apps.forEach((a, k) => {
      if (seenApp.has(a.name)) push([...p, 'apps', k, 'name'], `duplicate app name '${a.name}' in tenant '${t.name}'`);
      seenApp.add(a.name);
    });
    if (t.placement.environments && t.placement.clusterSelector)
      push([...p, 'placement'], 'use either environments or clusterSelector, not both');
  });
  const ip = f.spec.imagePolicy;
  if (!ip.keyless && !ip.publicKey) push([...S, 'imagePolicy'], 'set keyless (issuer and subject) or publicKey');
  if (ip.keyless && ip.publicKey) push([...S, 'imagePolicy'], 'set keyless or publicKey, not both');
};

// ---------------------------------------------------------------------------------------------
// Rules added with the cluster IaC generator (src/generators/infra): values ARM would accept
// in the template but AKS rejects at deployment time. Versions come from data/aks-versions.json,
// judged on the file's `asOf` date (not the clock: the same spec gives the same answer).

/** Control plane and pool versions are patches AKS offers, within support, within node skew. */
const aksVersionOffered: Rule = (f, push) => {
  const data = aksVersions();
  f.spec.clusters.forEach((c, i) => {
    const p = [...S, 'clusters', i];
    const lts = c.supportPlan === 'AKSLongTermSupport';
    const problem = supportProblem(c.kubernetesVersion, data.asOf, { lts });
    if (problem) push([...p, 'kubernetesVersion'], problem);
    if (lts && c.tier !== data.policy.ltsRequiresTier)
      push(
        [...p, 'tier'],
        `supportPlan AKSLongTermSupport requires tier '${data.policy.ltsRequiresTier}' (got '${c.tier}')`,
      );
    const pools: [NodePool, FieldPath][] = [
      [c.systemPool, [...p, 'systemPool']],
      ...c.userPools.map((u, j): [NodePool, FieldPath] => [u, [...p, 'userPools', j]]),
    ];
    for (const [pool, pp] of pools) {
      if (!pool.orchestratorVersion || pool.orchestratorVersion === c.kubernetesVersion) continue;
      const pp2 = [...pp, 'orchestratorVersion'];
      const pr = supportProblem(pool.orchestratorVersion, data.asOf, { lts });
      if (pr) push(pp2, pr);
      const skew = minorOf(c.kubernetesVersion) - minorOf(pool.orchestratorVersion);
      if (skew > data.policy.controlPlaneNodeSkewMinors)
        push(
          pp2,
          `pool version ${aksMinorOf(pool.orchestratorVersion)} is ${skew} minors behind the control plane ` +
            `${aksMinorOf(c.kubernetesVersion)}; AKS allows at most ${data.policy.controlPlaneNodeSkewMinors}`,
        );
    }
  });
};

/** Combinations AKS refuses at deployment time. */
const aksDeployable: Rule = (f, push) => {
  f.spec.clusters.forEach((c, i) => {
    const p = [...S, 'clusters', i];
    if (c.egress.type !== 'userDefinedRouting' && c.egress.firewallPrivateIp)
      push([...p, 'egress', 'firewallPrivateIp'], "firewallPrivateIp applies to egress type 'userDefinedRouting' only");
    if (c.monitoring.managedGrafana && !c.monitoring.managedPrometheus)
      push(
        [...p, 'monitoring', 'managedGrafana'],
        'managed Grafana is linked to the managed Prometheus workspace: set managedPrometheus: true as well',
      );
    if (c.upgrade.channel === 'node-image' && c.upgrade.nodeOsChannel !== 'NodeImage')
      push(
        [...p, 'upgrade', 'nodeOsChannel'],
        "with upgrade channel 'node-image' AKS requires nodeOsChannel 'NodeImage'",
      );
    const pools: [NodePool, FieldPath][] = [
      [c.systemPool, [...p, 'systemPool']],
      ...c.userPools.map((u, j): [NodePool, FieldPath] => [u, [...p, 'userPools', j]]),
    ];
    for (const [pool, pp] of pools) {
      if (pool.osType === 'Windows' && pool.osSku && pool.osSku !== 'Windows2022')
        push([...pp, 'osSku'], `osSku '${pool.osSku}' is a Linux SKU; Windows pools use Windows2022`);
      if (pool.osType === 'Linux' && pool.osSku === 'Windows2022')
        push([...pp, 'osSku'], "osSku 'Windows2022' needs osType 'Windows'");
    }
  });
};

/** Workload identity roles name known roles and scopes the IaC can address; no identity clashes per cluster. */
const workloadIdentityAzure: Rule = (f, push) => {
  f.spec.tenants.forEach((t, i) =>
    t.workloadIdentities.forEach((w, j) =>
      w.roles.forEach((r, k) => {
        const p = [...S, 'tenants', i, 'workloadIdentities', j, 'roles', k];
        try {
          roleId(r.role);
        } catch (e) {
          push([...p, 'role'], (e as Error).message);
        }
        if (r.scope === 'keyvault' || r.scope === 'registry') return;
        const scope = parseScopeId(r.scope);
        if (!scope)
          push(
            [...p, 'scope'],
            `scope '${r.scope}' must be 'keyvault', 'registry', ` +
              `a resource group ID (/subscriptions/<guid>/resourceGroups/<name>) or a resource ID under one`,
          );
        else if (scope.type && !hasApiVersion(scope.type))
          push(
            [...p, 'scope'],
            `resource type ${scope.type} has no pinned API version in ` +
              `data/azure/api-versions.json (add it to grant roles on it)`,
          );
      }),
    ),
  );
  f.spec.clusters.forEach((c, ci) => {
    const seen = new Map<string, string>();
    const check = (name: string, v: string, path: FieldPath, owner: string) => {
      for (const key of [`name:${name}`, `var:${v}`]) {
        const prev = seen.get(key);
        if (prev !== undefined) {
          push(
            path,
            `identity '${name}' of ${owner} clashes with ${prev} on cluster '${c.name}' (same ` +
              `${key.startsWith('name') ? 'managed identity name in one resource group' : `Flux variable ${v}`})`,
          );
          return;
        }
      }
      seen.set(`name:${name}`, `'${name}' of ${owner}`);
      seen.set(`var:${v}`, `'${name}' of ${owner}`);
    };
    void ci;
    for (const wi of platformIdentities(f))
      check(wi.identityName, identityClientIdVar(wi), [...S, 'addons'], `the platform add-on ${wi.serviceAccount}`);
    for (const t of tenantsOn(f, c)) {
      const ti = f.spec.tenants.indexOf(t);
      t.workloadIdentities.forEach((w, j) =>
        check(
          w.identityName,
          identityClientIdVar(w),
          [...S, 'tenants', ti, 'workloadIdentities', j, 'identityName'],
          `tenant ${t.name}`,
        ),
      );
    }
  });
};

export function minorOf(v: string): number {
  return Number(v.split('.')[1]);
}

/** Every cross-field rule, in the order they run. */
export const specRules: readonly Rule[] = [
  gitHostNames,
  uniqueNames,
  environmentReferences,
  azureNames,
  clusterNetworks,
  poolsAndAccess,
  tenantReferences,
  aksVersionOffered,
  aksDeployable,
  workloadIdentityAzure,
  networkRules,
  backupRules,
];

export function checkSpecRules(fleet: Fleet): SpecProblem[] {
  const out: SpecProblem[] = [];
  for (const rule of specRules) rule(fleet, (path, message) => out.push({ path, message }));
  return out;
}
