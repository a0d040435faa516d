/** Test helpers: synthetic AKS version data and small fleets (used by unit and property tests). */
import type { AksVersionsData } from '../../../facts/aks-versions.js';
import { FleetDocument, type Fleet } from '../../../spec/schema.js';

/** Version data for minors 1.`from`..1.`to`, GA a year apart per 4 minors, three patches each. */
export function syntheticVersions(from = 20, to = 34): AksVersionsData {
  const versions = [];
  for (let m = from; m <= to; m++) {
    // 1.30 GA 2024-07-31; roughly one minor every four months.
    const months = (m - 30) * 4;
    const d = new Date(Date.UTC(2024, 6 + months, 28));
    const ga = d.toISOString().slice(0, 10);
    const eol = new Date(Date.UTC(2024, 6 + months + 12, 28)).toISOString().slice(0, 10);
    versions.push({ minor: `1.${m}`, ga, endOfLife: eol, lts: false, patches: [`1.${m}.1`, `1.${m}.2`, `1.${m}.3`] });
  }
  return {
    source: 'synthetic test data',
    asOf: '2025-01-01',
    policy: {
      supportedWindow: 'N-2',
      text: 'test',
      communityMinors: 3,
      ltsRequiresTier: 'Premium',
      controlPlaneNodeSkewMinors: 3,
    },
    versions,
  };
}

export interface MiniCluster {
  name: string;
  env: string;
  version: string;
  channel?: 'none' | 'patch' | 'stable' | 'rapid' | 'node-image';
  userPools?: { name: string; version?: string; count?: number; maxSurge?: string }[];
}

/** A valid fleet with the given environments and clusters. */
export function miniFleet(envs: { name: string; soak?: string }[], clusters: MiniCluster[]): Fleet {
  return FleetDocument.parse({
    apiVersion: 'aksfleet.dev/v1alpha1',
    kind: 'Fleet',
    metadata: { name: 'test' },
    spec: {
      git: { provider: 'github', url: 'https://github.com/o/r' },
      tenantId: '00000000-0000-0000-0000-000000000000',
      environments: envs.map((e) => ({ name: e.name, branch: `env/${e.name}`, ...(e.soak ? { soak: e.soak } : {}) })),
      registry: { name: 'acrtest123' },
      keyVault: { name: 'kv-test' },
      imagePolicy: {},
      clusters: clusters.map((c) => ({
        name: c.name,
        environment: c.env,
        resourceGroup: `rg-${c.name}`,
        location: 'uksouth',
        kubernetesVersion: c.version,
        systemPool: { name: 'system', mode: 'System', count: 3 },
        userPools: (c.userPools ?? []).map((p) => ({
          name: p.name,
          count: p.count ?? 3,
          ...(p.maxSurge ? { maxSurge: p.maxSurge } : {}),
          ...(p.version ? { orchestratorVersion: p.version } : {}),
        })),
        upgrade: { channel: c.channel ?? 'none' },
      })),
    },
  });
}
