/**
 * The generated example fleet as test/flate compares it: the ConfigMap flux-system/aksfleet-outputs
 * (written by the IaC in the cluster, so absent from the repository) and the kinds flate scopes
 * differently from us. Shared by flate-example-fleet.test.ts and flate-example-fleet-charts.test.ts.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseFleet } from '../../src/spec/load.js';
import { generateAll } from '../../src/generators/index.js';

/** What the IaC writes into flux-system/aksfleet-outputs, with test values. */
export const OUTPUTS: Readonly<Record<string, string>> = {
  AZURE_TENANT_ID: '00000000-0000-0000-0000-000000000001',
  IDENTITY_CLIENT_ID_CERT_MANAGER: '00000000-0000-0000-0000-000000000002',
  IDENTITY_CLIENT_ID_ID_APP_BLOB: '00000000-0000-0000-0000-000000000003',
  IDENTITY_CLIENT_ID_VELERO: '00000000-0000-0000-0000-000000000004',
  KEY_VAULT_NAME: 'kv-flate-test',
};
export const OUTPUTS_CONFIGMAP = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aksfleet-outputs\n  namespace: flux-system\ndata:\n${Object.entries(
  OUTPUTS,
)
  .map(([k, v]) => `  ${k}: "${v}"`)
  .join('\n')}\n`;

/**
 * Cluster-scoped kinds missing from flate's curated list (pkg/manifest/namespace.go
 * `clusterScopedKinds`; flate has no RESTMapper): flate stamps the Kustomization's (or the
 * release's) namespace on the object; ours knows the scope from the bundled schemas. Gateway API's
 * GatewayClass (its CRD has `scope: Cluster` and comes with a chart) in the Kustomizations;
 * storage.k8s.io/v1 CSIDriver (built in, cluster-scoped) from the secrets-store-csi-driver chart.
 */
export const CLUSTER_SCOPED_WITHOUT_CRD = new Set(['GatewayClass', 'CSIDriver']);

/** Writes what `aksfleet generate` writes from examples/fleet.yaml into ROOT; returns the cluster names. */
export function writeExampleFleet(root: string): string[] {
  const fleet = parseFleet(readFileSync(new URL('../../examples/fleet.yaml', import.meta.url), 'utf8'));
  for (const f of generateAll(fleet)) {
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    writeFileSync(join(root, f.path), f.content);
  }
  return fleet.spec.clusters.map((c) => c.name);
}
