/**
 * The built-in part of `.Capabilities.APIVersions` as helm-controller sees it. In a cluster, Helm
 * fills APIVersions from discovery (pkg/action GetVersionSet): every served group/version and,
 * for each resource, `group/version/Kind` (`apps/v1/Deployment`, `policy/v1/PodDisruptionBudget`,
 * `v1/Pod`). `helm template` has only its built-in group/versions, so a chart that asks
 * `.Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget"` (velero, gatekeeper) gets
 * another answer there than in the cluster. Offline, the kinds come from the OpenAPI of the
 * cluster's Kubernetes minor (data/k8s-schemas, the schemas `check` validates with): every kind
 * but lists and the DeleteOptions/WatchEvent that OpenAPI repeats in every group/version.
 * Subresource kinds discovery also lists (`apps/v1/Scale`) are not in it.
 */
import { chooseMinor, minorSchemas } from '../../schemas/k8s-openapi.js';

const NOT_RESOURCES = new Set(['DeleteOptions', 'WatchEvent', 'Status', 'APIGroup', 'APIGroupList', 'APIResourceList', 'APIVersions']);

/** `group/version/Kind` of each built-in resource kind of the cluster's minor (sorted). */
export function builtinKindVersions(kubeVersion: string | undefined): readonly string[] {
  const minor = chooseMinor(kubeVersion).minor;
  let list = byMinor.get(minor);
  if (!list) {
    list = kindVersionsOf(minor);
    byMinor.set(minor, list);
  }
  return list;
}

/** The list per minor (constant data: made once per process, not once per HelmRelease and cluster). */
const byMinor = new Map<string, string[]>();

function kindVersionsOf(minor: string): string[] {
  const { kinds } = minorSchemas(minor);
  const out = new Set<string>();
  for (const key of Object.keys(kinds)) {
    const [apiVersion, kind] = key.split(' ') as [string, string];
    if (!kind || kind.endsWith('List') || NOT_RESOURCES.has(kind)) continue;
    out.add(`${apiVersion}/${kind}`);
  }
  return [...out].sort();
}
