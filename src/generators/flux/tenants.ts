/**
 * `tenants/base/<tenant>/`: everything a tenant gets before its apps run: namespaces (owner and
 * costCenter labels, Pod Security `restricted`), the Entra group's RoleBinding to ClusterRole
 * `edit`, the NetworkPolicy baseline (default deny, DNS, declared egress, ingress from the gateway
 * and from Prometheus), workload identity service accounts, Key Vault SecretProviderClasses and
 * the Velero backup schedule. `tenants/<env>/` lists the tenants placed in an environment.
 */
import { OUTPUT_VARS, appNamespace, identityNamespace } from '../../model/fleet-model.js';
import { tenantPlacedOn } from '../../spec/placement.js';
import { identityClientIdVar } from '../../spec/identities.js';
import type { KObject } from '../../resources/resource.js';
import type { Fleet, Tenant } from '../../spec/schema.js';
import type { GeneratedFile } from '../types.js';
import { TENANT_LABEL, WI_CLIENT_ID, WI_TENANT_ID, kustomizationFile, namespace, v, yamlFile } from './common.js';
import { InputError } from '../../errors.js';
import { envPlacements } from './placement.js';
import { SYSTEM_NAMESPACES } from './policies.js';
import { NS, ingressNamespace } from './platform.js';

export { TENANT_LABEL } from './common.js';

/** Name of the SecretProviderClass for the Key Vault secrets a service account reads. */
export function secretProviderClassName(serviceAccount: string): string {
  return `kv-${serviceAccount}`;
}

function namespaces(t: Tenant): KObject[] {
  return t.namespaces.map((ns) =>
    namespace(ns, {
      owner: t.owner,
      costCenter: t.costCenter,
      [TENANT_LABEL]: t.name,
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
    }),
  );
}

function roleBindings(t: Tenant): KObject[] {
  return t.namespaces.map((ns) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: `tenant-${t.name}-edit`, namespace: ns },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' },
    subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: t.entraGroupId }],
  }));
}

function networkPolicies(fleet: Fleet, t: Tenant): KObject[] {
  const out: KObject[] = [];
  const a = fleet.spec.addons;
  for (const ns of t.namespaces) {
    const np = (name: string, spec: Record<string, unknown>): KObject => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name, namespace: ns },
      spec,
    });
    out.push(np('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    out.push(
      np('allow-dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      }),
    );
    if (t.egress.length > 0) {
      out.push(
        np('allow-egress', {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: t.egress.map((e) => ({
            to: [{ ipBlock: { cidr: e.cidr } }],
            ports: e.ports.map((port) => ({ protocol: e.protocol, port })),
          })),
        }),
      );
    }
    const ports = [...new Set(t.apps.filter((app) => appNamespace(t, app) === ns).map((app) => app.port))].sort(
      (x, y) => x - y,
    );
    if (ports.length === 0) continue;
    const from = (nsName: string) => ({
      podSelector: {},
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': nsName } } }],
          ports: ports.map((port) => ({ protocol: 'TCP', port })),
        },
      ],
    });
    if (a.ingress.enabled) out.push(np('allow-from-ingress', from(ingressNamespace(fleet))));
    if (a.kubePrometheusStack.enabled) out.push(np('allow-from-monitoring', from(NS.monitoring)));
  }
  return out;
}

function serviceAccounts(t: Tenant): KObject[] {
  return t.workloadIdentities.map((wi) => ({
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: {
      name: wi.serviceAccount,
      namespace: identityNamespace(t, wi),
      annotations: { [WI_CLIENT_ID]: v(identityClientIdVar(wi)), [WI_TENANT_ID]: v(OUTPUT_VARS.tenantId) },
    },
  }));
}

function secretProviderClasses(t: Tenant): KObject[] {
  const out: KObject[] = [];
  for (const wi of t.workloadIdentities) {
    const secrets = t.keyVaultSecrets.filter((s) => s.serviceAccount === wi.serviceAccount);
    if (secrets.length === 0) continue;
    const objects =
      'array:\n' + secrets.map((s) => `  - |\n    objectName: ${s.name}\n    objectType: secret\n`).join('');
    out.push({
      apiVersion: 'secrets-store.csi.x-k8s.io/v1',
      kind: 'SecretProviderClass',
      metadata: { name: secretProviderClassName(wi.serviceAccount), namespace: identityNamespace(t, wi) },
      spec: {
        provider: 'azure',
        parameters: {
          usePodIdentity: 'false',
          useWorkloadIdentity: 'true',
          clientID: v(identityClientIdVar(wi)),
          keyvaultName: v(OUTPUT_VARS.keyVaultName),
          tenantId: v(OUTPUT_VARS.tenantId),
          objects,
        },
      },
    });
  }
  return out;
}

function backupSchedule(fleet: Fleet, t: Tenant): KObject[] {
  const vel = fleet.spec.addons.velero;
  if (!t.backup || !vel.enabled) return [];
  return [
    {
      apiVersion: 'velero.io/v1',
      kind: 'Schedule',
      metadata: { name: `tenant-${t.name}`, namespace: NS.velero, labels: { [TENANT_LABEL]: t.name } },
      spec: {
        schedule: vel.schedule,
        useOwnerReferencesInBackup: false,
        template: {
          includedNamespaces: [...t.namespaces],
          storageLocation: 'default',
          snapshotVolumes: true,
          ttl: vel.ttl,
        },
      },
    },
  ];
}

export function tenantBaseFiles(fleet: Fleet, t: Tenant): GeneratedFile[] {
  const dir = `tenants/base/${t.name}`;
  const files: GeneratedFile[] = [];
  const add = (name: string, objs: KObject[], comment?: string) => {
    if (objs.length === 0) return;
    files.push(yamlFile(`${dir}/${name}`, objs, comment));
  };
  add('namespaces.yaml', namespaces(t));
  add('rbac.yaml', roleBindings(t), `The tenant's Entra ID group (${t.entraGroupId}) may edit its namespaces.`);
  add(
    'network-policies.yaml',
    networkPolicies(fleet, t),
    [
      'Default deny (ingress and egress), then what is allowed.',
      'DNS: the seed selects kube-system with the label `kube-system: "true"`, which AKS does not set;',
      'every namespace carries kubernetes.io/metadata.name (Kubernetes >= 1.21), so that label is used.',
      'Workload identity and Key Vault need HTTPS egress to Entra ID (login.microsoftonline.com) and the vault:',
      'keep them reachable through the declared egress rules.',
    ].join('\n'),
  );
  add(
    'service-accounts.yaml',
    serviceAccounts(t),
    'Service accounts federated with Azure managed identities; client IDs come from the IaC outputs.',
  );
  add(
    'secret-provider-classes.yaml',
    secretProviderClasses(t),
    'Key Vault secrets mounted through the Secrets Store CSI driver with workload identity.',
  );
  add(
    'backup-schedule.yaml',
    backupSchedule(fleet, t),
    'Velero backups of the tenant namespaces (in the velero namespace).',
  );
  files.push(
    kustomizationFile(
      dir,
      files.map((f) => f.path.slice(dir.length + 1)),
    ),
  );
  return files;
}

/** Namespaces a tenant may not claim: Kubernetes', AKS's and the platform add-ons' own. */
export function reservedNamespaces(): string[] {
  return [...new Set([...SYSTEM_NAMESPACES, ...Object.values(NS), ...PLATFORM_ONLY_NAMESPACES])].sort();
}
const PLATFORM_ONLY_NAMESPACES = ['kyverno', 'gatekeeper-system', 'ingress-nginx', 'envoy-gateway-system'];

export function generateTenants(fleet: Fleet): GeneratedFile[] {
  const reserved = reservedNamespaces();
  fleet.spec.tenants.forEach((t, i) =>
    t.namespaces.forEach((ns, j) => {
      // A tenant's Flux Kustomization prunes its namespaces when the tenant goes: never a system one.
      if (reserved.includes(ns))
        throw new InputError(`namespace '${ns}' belongs to the platform; tenants may not use ${reserved.join(', ')}`, {
          fieldPath: `spec.tenants[${i}].namespaces[${j}]`,
        });
    }),
  );
  const files = fleet.spec.tenants.flatMap((t) => tenantBaseFiles(fleet, t));
  for (const p of envPlacements(fleet)) {
    if (p.exact) {
      files.push(
        kustomizationFile(
          `tenants/${p.env.name}`,
          p.tenants.map((t) => `../base/${t.name}`),
          {},
          `Tenants of environment ${p.env.name} (every cluster of it runs all of them).`,
        ),
      );
    } else {
      for (const c of p.clusters) {
        const ts = p.tenants.filter((t) => tenantPlacedOn(t, c));
        files.push(
          kustomizationFile(
            `tenants/${p.env.name}/clusters/${c.name}`,
            ts.map((t) => `../../../base/${t.name}`),
            {},
            `Tenants of cluster ${c.name} (environment ${p.env.name}; its clusters run different tenants).`,
          ),
        );
      }
    }
  }
  return files;
}
