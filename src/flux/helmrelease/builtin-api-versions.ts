/**
 * The built-in part of `.Capabilities.APIVersions` as helm-controller sees it. In a cluster, Helm
 * fills APIVersions from discovery (pkg/action GetVersionSet): every served group/version and,
 * for each entry of each group/version's resource list, `path.Join(groupVersion, kind)`
 * (`apps/v1/Deployment`, `policy/v1/PodDisruptionBudget`, `v1/Pod`), subresources included: the
 * kind of `pods/eviction` is `Eviction` listed under `v1`, so `v1/Eviction` is there, and
 * `apps/v1/Scale` (deployments/scale). `helm template` has only its built-in group/versions, so a
 * chart that asks `.Capabilities.APIVersions.Has "policy/v1/PodDisruptionBudget"` (velero,
 * gatekeeper) gets another answer there than in the cluster. Offline, the resource kinds come
 * from the OpenAPI of the cluster's Kubernetes minor (data/k8s-schemas, the schemas `check`
 * validates with): every kind but lists and the DeleteOptions/WatchEvent that OpenAPI repeats in
 * every group/version; the subresources whose kind is not their parent's come from
 * data/helm/discovery-subresources.json. A subresource body that OpenAPI files under its own
 * group/version (`policy/v1 Eviction`, `autoscaling/v1 Scale`, `authentication.k8s.io/v1
 * TokenRequest`) is not a resource that group/version lists, so it is not there.
 */
import { readFileSync } from 'node:fs';
import { dataFile } from '../../package-root.js';
import { chooseMinor, minorSchemas } from '../../schemas/k8s-openapi.js';

const NOT_RESOURCES = new Set([
  'DeleteOptions',
  'WatchEvent',
  'Status',
  'APIGroup',
  'APIGroupList',
  'APIResourceList',
  'APIVersions',
]);

interface Subresource {
  readonly name: string;
  readonly kind: string;
  /** The group/version of the body when not the list's own (discovery's `group`/`version`). */
  readonly body?: string;
}

/** data/helm/discovery-subresources.json: group/version -> subresources whose kind is not their parent's. */
export function discoverySubresources(): Readonly<Record<string, readonly Subresource[]>> {
  return (
    JSON.parse(readFileSync(dataFile('helm/discovery-subresources.json'), 'utf8')) as {
      subresources: Record<string, Subresource[]>;
    }
  ).subresources;
}

/** `group/version/Kind` of each built-in resource kind of the cluster's minor, subresource kinds included (sorted). */
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
  const sub = discoverySubresources();
  const bodies = new Set(
    Object.values(sub).flatMap((list) => list.filter((s) => s.body).map((s) => `${s.body}/${s.kind}`)),
  );
  const out = new Set<string>();
  for (const key of Object.keys(kinds)) {
    const [apiVersion, kind] = key.split(' ') as [string, string];
    if (!kind || kind.endsWith('List') || NOT_RESOURCES.has(kind)) continue;
    if (bodies.has(`${apiVersion}/${kind}`)) continue;
    out.add(`${apiVersion}/${kind}`);
  }
  const groupVersions = new Set(Object.keys(kinds).map((k) => k.split(' ')[0]!));
  for (const [gv, list] of Object.entries(sub)) {
    if (!groupVersions.has(gv)) continue;
    for (const s of list) out.add(`${gv}/${s.kind}`);
  }
  return [...out].sort();
}
