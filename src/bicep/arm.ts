/**
 * From Azure SDK model shape to the ARM request shape Bicep writes.
 *
 * The Azure SDK for JS models flatten `properties` into the resource and camel-case a few
 * wire names (`enableRbac` for `enableRBAC`, `scanInterval` for `scan-interval`). Generators
 * build values typed with the SDK models (so the compiler checks every property name), then
 * `armBody` moves the non-envelope properties under `properties` and restores the wire names.
 * test/infra/arm-shape.test.ts checks this against the SDK's own request serializers.
 */
import { BicepExpr, type BicepObject, type BicepValue } from './ast.js';

/** Top-level keys of an ARM resource body that stay outside `properties`. */
// `name`, `parent`, `scope` and `dependsOn` are Bicep's and come through `extra` only: SDK models
// use `scope` and `name` inside properties too (Flux configurations, extensions).
const ENVELOPE = new Set(['location', 'tags', 'sku', 'identity', 'kind', 'extendedLocation', 'zones', 'plan']);

/**
 * SDK property name -> wire name, where they differ (from the serializers of
 * @azure/arm-containerservice 25.x; the other SDKs used have none besides flattening).
 */
export const WIRE_NAMES: Readonly<Record<string, string>> = {
  enableRbac: 'enableRBAC',
  enableAzureRbac: 'enableAzureRBAC',
  enableFips: 'enableFIPS',
  enableVtpm: 'enableVTPM',
  enablePrivateClusterPublicFqdn: 'enablePrivateClusterPublicFQDN',
  typePropertiesType: 'type',
  balanceSimilarNodeGroups: 'balance-similar-node-groups',
  daemonsetEvictionForEmptyNodes: 'daemonset-eviction-for-empty-nodes',
  daemonsetEvictionForOccupiedNodes: 'daemonset-eviction-for-occupied-nodes',
  ignoreDaemonsetsUtilization: 'ignore-daemonsets-utilization',
  maxEmptyBulkDelete: 'max-empty-bulk-delete',
  maxGracefulTerminationSec: 'max-graceful-termination-sec',
  maxNodeProvisionTime: 'max-node-provision-time',
  maxTotalUnreadyPercentage: 'max-total-unready-percentage',
  newPodScaleUpDelay: 'new-pod-scale-up-delay',
  okTotalUnreadyCount: 'ok-total-unready-count',
  scaleDownDelayAfterAdd: 'scale-down-delay-after-add',
  scaleDownDelayAfterDelete: 'scale-down-delay-after-delete',
  scaleDownDelayAfterFailure: 'scale-down-delay-after-failure',
  scaleDownUnneededTime: 'scale-down-unneeded-time',
  scaleDownUnreadyTime: 'scale-down-unready-time',
  scaleDownUtilizationThreshold: 'scale-down-utilization-threshold',
  scanInterval: 'scan-interval',
  skipNodesWithLocalStorage: 'skip-nodes-with-local-storage',
  skipNodesWithSystemPods: 'skip-nodes-with-system-pods',
};

/** Keys whose values are user maps (labels, tags, addon names): their keys are data, not renamed. */
const DATA_MAPS = new Set([
  'tags',
  'nodeLabels',
  'addonProfiles',
  'config',
  'substitute',
  'configurationSettings',
  'userAssignedIdentities',
  'identityProfile',
  'kustomizations',
  'labels',
]);

function rename(v: BicepValue | undefined, keyIsData: boolean): BicepValue | undefined {
  if (v === undefined || v === null || v instanceof BicepExpr || typeof v !== 'object') return v;
  if (Array.isArray(v)) return (v as readonly BicepValue[]).map((x) => rename(x, false)!) as BicepValue;
  const out: Record<string, BicepValue> = {};
  for (const [k, x] of Object.entries(v as BicepObject)) {
    if (x === undefined) continue;
    const key = keyIsData ? k : (WIRE_NAMES[k] ?? k);
    // Values of a data map are objects with schema keys again (addonProfiles.omsagent.config).
    out[key] = rename(x, !keyIsData && DATA_MAPS.has(k)) as BicepValue;
  }
  return out;
}

/**
 * The ARM body of a resource from an SDK-shaped value. `extra` holds the Bicep-only keys
 * (`name`, `parent`, `scope`, `dependsOn`), written first. With `flattened: false` the SDK
 * model already has `properties` (Key Vault): only the wire names are restored.
 */
export function armBody(sdkValue: object, extra: BicepObject = {}, opts: { flattened?: boolean } = {}): BicepObject {
  const flattened = opts.flattened ?? true;
  const env: Record<string, BicepValue> = {};
  const props: Record<string, BicepValue> = {};
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(sdkValue as Record<string, BicepValue | undefined>)) {
    if (v === undefined) continue;
    if (!flattened || ENVELOPE.has(k) || k === 'properties') env[k] = rename(v, k === 'tags') as BicepValue;
    else props[WIRE_NAMES[k] ?? k] = rename(v, DATA_MAPS.has(k)) as BicepValue;
  }
  if (Object.keys(props).length > 0) env.properties = props;
  return env;
}

/** Wire names restored in a sub-object that is not a resource (a profile passed as a parameter). */
export function wireShape(sdkValue: object): BicepObject {
  return rename(sdkValue as BicepObject, false) as BicepObject;
}
