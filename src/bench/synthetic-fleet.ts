/**
 * A deterministic synthetic fleet for benchmarks and scale tests: N clusters x M tenants x K
 * apps, built from the example fleet and a seed, so that runs are comparable. It goes through
 * the same spec validation and generators as a real fleet.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { exampleFile } from '../package-root.js';
import { validateFleet } from '../spec/load.js';
import type { Fleet, FleetInput } from '../spec/schema.js';
import { mulberry32 } from '../seeded-random.js';

export interface SyntheticFleetOptions {
  readonly clusters: number;
  readonly tenants: number;
  readonly appsPerTenant: number;
  readonly seed?: number;
  /**
   * Add-on versions set to the ones the shared chart corpus (../shared/charts) holds, so that the
   * add-on HelmReleases render with `--chart-source` ({@link SHARED_CHART_SOURCES}) instead of
   * being reported as not rendered (charts unavailable offline).
   */
  readonly sharedChartVersions?: boolean;
}

/** The HelmRepositories (`namespace/name`) of the generated add-ons, all served by ../shared/charts/charts. */
export const SHARED_CHART_SOURCES = [
  'envoy-gateway-system/envoyproxy',
  'kube-system/secrets-store-csi-driver',
  'velero/vmware-tanzu',
  'cert-manager/jetstack',
  'kyverno/kyverno',
  'monitoring/prometheus-community',
  'kube-system/csi-secrets-store-provider-azure',
] as const;

/** `--chart-source` arguments mapping every add-on HelmRepository to a folder of charts. */
export function sharedChartSourceArgs(chartsDir: string): string[] {
  return SHARED_CHART_SOURCES.flatMap((s) => ['--chart-source', `HelmRepository/${s}=${chartsDir}`]);
}

/**
 * The add-on versions of ../shared/charts/charts (kube-prometheus-stack lacks its subcharts there: it fails to render,
 * as with helm).
 */
function sharedChartAddons(addons: FleetInput['spec']['addons']): FleetInput['spec']['addons'] {
  const a = addons as Record<string, Record<string, unknown>>;
  return {
    ...a,
    certManager: { ...a.certManager, version: 'v0.0.0' },
    ingress: { ...a.ingress, version: 'v1.7.5' },
    kubePrometheusStack: { ...a.kubePrometheusStack, version: '88.5.3' },
    policy: { ...a.policy, version: 'v0.0.0' },
    secretsStoreCsi: { ...a.secretsStoreCsi, version: '1.6.0', azureProviderVersion: '1.8.2' },
    velero: { ...a.velero, version: '12.1.0' },
  } as FleetInput['spec']['addons'];
}

export function syntheticFleet(o: SyntheticFleetOptions): Fleet {
  const base = parse(readFileSync(exampleFile('fleet.yaml'), 'utf8')) as FleetInput;
  const rand = mulberry32(o.seed ?? 42);
  const envs = base.spec.environments.map((e) => e.name);
  const template = base.spec.clusters[0]!;
  const clusters = Array.from({ length: o.clusters }, (_, i) => {
    const env = envs[i % envs.length]!;
    return {
      ...template,
      name: `aks-${env}-${String(i).padStart(4, '0')}`,
      environment: env,
      resourceGroup: `rg-aks-${env}-${i}`,
      location: ['uksouth', 'westeurope', 'northeurope'][Math.floor(rand() * 3)]!,
      apiServer: env === 'prod' ? { private: true } : template.apiServer,
      // production egress is pinned
      egress: env === 'prod' ? { type: 'userAssignedNATGateway' as const, natGatewayIps: 1 } : template.egress,
      // One /24 VNet per cluster (the VNets of a fleet must not overlap): 10.16.0.0/24, 10.16.1.0/24, ...
      network: {
        ...template.network,
        vnet: {
          addressSpace: `10.${16 + (i >> 8)}.${i & 255}.0/24`,
          nodeSubnet: `10.${16 + (i >> 8)}.${i & 255}.0/25`,
          privateEndpointSubnet: `10.${16 + (i >> 8)}.${i & 255}.128/26`,
        },
      },
      labels: { tier: rand() < 0.5 ? 'frontend' : 'internal', shard: String(i % 10) },
    };
  });
  const appTemplate = base.spec.tenants![0]!.apps![0]!;
  const tenants = Array.from({ length: o.tenants }, (_, t) => {
    const name = `team-${String(t).padStart(3, '0')}`;
    return {
      name,
      namespaces: [name],
      owner: name,
      costCenter: `cc-${1000 + t}`,
      entraGroupId: `00000000-0000-0000-0000-${String(t).padStart(12, '0')}`,
      placement: { environments: envs },
      workloadIdentities: [{ serviceAccount: `${name}-sa`, identityName: `id-${name}` }],
      keyVaultSecrets: [{ name: `${name}-secret`, serviceAccount: `${name}-sa` }],
      egress: [{ cidr: '0.0.0.0/0', ports: [443] }],
      apps: Array.from({ length: o.appsPerTenant }, (_, a) => ({
        ...appTemplate,
        name: `app-${a}`,
        image: `${base.spec.registry.name}.azurecr.io/${name}/app-${a}:1.${Math.floor(rand() * 20)}.0`,
        replicas: 2 + Math.floor(rand() * 3),
        serviceAccount: `${name}-sa`,
        secrets: [`${name}-secret`],
        overrides: {},
        slos: a === 0 ? appTemplate.slos : [],
      })),
    };
  });
  const addons = o.sharedChartVersions ? { addons: sharedChartAddons(base.spec.addons) } : {};
  const doc = { ...base, spec: { ...base.spec, ...addons, clusters, tenants } };
  return validateFleet(doc, 'synthetic-fleet.yaml');
}
