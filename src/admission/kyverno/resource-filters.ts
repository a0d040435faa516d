/**
 * Kyverno's `resourceFilters` (pkg/config: ToFilter, parseKinds, kubeutils.ParseKindSelector): the
 * admission controller lets every request whose kind, namespace and name match one `[Kind,Namespace,Name]`
 * entry of its ConfigMap through without evaluating any policy (webhooks/handlers/filter.go,
 * for ClusterPolicy/Policy and ValidatingPolicy alike). `check` applies them, as the cluster would;
 * `policy apply` does not, as `kyverno apply` does not. The filters are the cluster's own when its
 * render holds Kyverno's ConfigMap (`data.resourceFilters`), else the defaults of Kyverno 1.19.
 */
import { parseKindSelector } from './match/kind.js';
import { wildcardMatch } from './wildcard/match.js';

/**
 * The default of Kyverno 1.19.1: `helm template kyverno charts/kyverno -n kyverno` of the chart in
 * the kyverno v1.19.1 module (chart 3.9.1), `data.resourceFilters` of the ConfigMap `kyverno/kyverno`
 * (with `config.excludeKyvernoNamespace` adding `[*\/*,kyverno,*]`), one entry a line.
 */
export const KYVERNO_1_19_RESOURCE_FILTERS: readonly string[] = [
  '[*/*,kyverno,*]',
  '[Event,*,*]',
  '[*/*,kube-system,*]',
  '[*/*,kube-public,*]',
  '[*/*,kube-node-lease,*]',
  '[Node,*,*]',
  '[Node/?*,*,*]',
  '[APIService,*,*]',
  '[APIService/?*,*,*]',
  '[TokenReview,*,*]',
  '[SubjectAccessReview,*,*]',
  '[SelfSubjectAccessReview,*,*]',
  '[Binding,*,*]',
  '[Pod/binding,*,*]',
  '[ReplicaSet,*,*]',
  '[ReplicaSet/?*,*,*]',
  '[EphemeralReport,*,*]',
  '[ClusterEphemeralReport,*,*]',
  '[ClusterRole,*,kyverno:admission-controller]',
  '[ClusterRole,*,kyverno:admission-controller:core]',
  '[ClusterRole,*,kyverno:admission-controller:additional]',
  '[ClusterRole,*,kyverno:background-controller]',
  '[ClusterRole,*,kyverno:background-controller:core]',
  '[ClusterRole,*,kyverno:background-controller:additional]',
  '[ClusterRole,*,kyverno:cleanup-controller]',
  '[ClusterRole,*,kyverno:cleanup-controller:core]',
  '[ClusterRole,*,kyverno:cleanup-controller:additional]',
  '[ClusterRole,*,kyverno:reports-controller]',
  '[ClusterRole,*,kyverno:reports-controller:core]',
  '[ClusterRole,*,kyverno:reports-controller:additional]',
  '[ClusterRoleBinding,*,kyverno:admission-controller]',
  '[ClusterRoleBinding,*,kyverno:background-controller]',
  '[ClusterRoleBinding,*,kyverno:cleanup-controller]',
  '[ClusterRoleBinding,*,kyverno:reports-controller]',
  '[ServiceAccount,kyverno,kyverno-admission-controller]',
  '[ServiceAccount/?*,kyverno,kyverno-admission-controller]',
  '[ServiceAccount,kyverno,kyverno-background-controller]',
  '[ServiceAccount/?*,kyverno,kyverno-background-controller]',
  '[ServiceAccount,kyverno,kyverno-cleanup-controller]',
  '[ServiceAccount/?*,kyverno,kyverno-cleanup-controller]',
  '[ServiceAccount,kyverno,kyverno-reports-controller]',
  '[ServiceAccount/?*,kyverno,kyverno-reports-controller]',
  '[Role,kyverno,kyverno:admission-controller]',
  '[Role,kyverno,kyverno:background-controller]',
  '[Role,kyverno,kyverno:cleanup-controller]',
  '[Role,kyverno,kyverno:reports-controller]',
  '[RoleBinding,kyverno,kyverno:admission-controller]',
  '[RoleBinding,kyverno,kyverno:background-controller]',
  '[RoleBinding,kyverno,kyverno:cleanup-controller]',
  '[RoleBinding,kyverno,kyverno:reports-controller]',
  '[ConfigMap,kyverno,kyverno]',
  '[ConfigMap,kyverno,kyverno-metrics]',
  '[Deployment,kyverno,kyverno-admission-controller]',
  '[Deployment/?*,kyverno,kyverno-admission-controller]',
  '[Deployment,kyverno,kyverno-background-controller]',
  '[Deployment/?*,kyverno,kyverno-background-controller]',
  '[Deployment,kyverno,kyverno-cleanup-controller]',
  '[Deployment/?*,kyverno,kyverno-cleanup-controller]',
  '[Deployment,kyverno,kyverno-reports-controller]',
  '[Deployment/?*,kyverno,kyverno-reports-controller]',
  '[Pod,kyverno,kyverno-admission-controller-*]',
  '[Pod/?*,kyverno,kyverno-admission-controller-*]',
  '[Pod,kyverno,kyverno-background-controller-*]',
  '[Pod/?*,kyverno,kyverno-background-controller-*]',
  '[Pod,kyverno,kyverno-cleanup-controller-*]',
  '[Pod/?*,kyverno,kyverno-cleanup-controller-*]',
  '[Pod,kyverno,kyverno-reports-controller-*]',
  '[Pod/?*,kyverno,kyverno-reports-controller-*]',
  '[Job,kyverno,kyverno-hook-pre-delete]',
  '[Job/?*,kyverno,kyverno-hook-pre-delete]',
  '[NetworkPolicy,kyverno,kyverno-admission-controller]',
  '[NetworkPolicy/?*,kyverno,kyverno-admission-controller]',
  '[NetworkPolicy,kyverno,kyverno-background-controller]',
  '[NetworkPolicy/?*,kyverno,kyverno-background-controller]',
  '[NetworkPolicy,kyverno,kyverno-cleanup-controller]',
  '[NetworkPolicy/?*,kyverno,kyverno-cleanup-controller]',
  '[NetworkPolicy,kyverno,kyverno-reports-controller]',
  '[NetworkPolicy/?*,kyverno,kyverno-reports-controller]',
  '[PodDisruptionBudget,kyverno,kyverno-admission-controller]',
  '[PodDisruptionBudget/?*,kyverno,kyverno-admission-controller]',
  '[PodDisruptionBudget,kyverno,kyverno-background-controller]',
  '[PodDisruptionBudget/?*,kyverno,kyverno-background-controller]',
  '[PodDisruptionBudget,kyverno,kyverno-cleanup-controller]',
  '[PodDisruptionBudget/?*,kyverno,kyverno-cleanup-controller]',
  '[PodDisruptionBudget,kyverno,kyverno-reports-controller]',
  '[PodDisruptionBudget/?*,kyverno,kyverno-reports-controller]',
  '[Service,kyverno,kyverno-svc]',
  '[Service/?*,kyverno,kyverno-svc]',
  '[Service,kyverno,kyverno-svc-metrics]',
  '[Service/?*,kyverno,kyverno-svc-metrics]',
  '[Service,kyverno,kyverno-background-controller-metrics]',
  '[Service/?*,kyverno,kyverno-background-controller-metrics]',
  '[Service,kyverno,kyverno-cleanup-controller]',
  '[Service/?*,kyverno,kyverno-cleanup-controller]',
  '[Service,kyverno,kyverno-cleanup-controller-metrics]',
  '[Service/?*,kyverno,kyverno-cleanup-controller-metrics]',
  '[Service,kyverno,kyverno-reports-controller-metrics]',
  '[Service/?*,kyverno,kyverno-reports-controller-metrics]',
  '[ServiceMonitor,kyverno,kyverno-admission-controller]',
  '[ServiceMonitor,kyverno,kyverno-background-controller]',
  '[ServiceMonitor,kyverno,kyverno-cleanup-controller]',
  '[ServiceMonitor,kyverno,kyverno-reports-controller]',
  '[Secret,kyverno,kyverno-svc.kyverno.svc.*]',
  '[Secret,kyverno,kyverno-cleanup-controller.kyverno.svc.*]',
];

/** One parsed entry: each field a Kyverno wildcard. */
export interface ResourceFilter {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
}

/** kubeutils.ParseKindSelector (the one `match.resources.kinds` uses): group, version, kind, subresource. */
export { parseKindSelector };

/** parseKinds: every `[Kind,Namespace,Name]` (or `[Kind,Namespace]`, `[Kind]`) of a ConfigMap value. */
export function parseResourceFilters(text: string): ResourceFilter[] {
  const empty: ResourceFilter = { group: '', version: '', kind: '', subresource: '', namespace: '', name: '' };
  const out: ResourceFilter[] = [];
  let previous = empty;
  for (const m of text.matchAll(/\[([^[\]]*)\]/g)) {
    const fields = m[1]!.split(',');
    // Upstream keeps the previous entry (or an empty one) for more than three fields, as here.
    if (fields.length <= 3) {
      const [kind = '', namespace = '', name = ''] = fields;
      const [group, version, k, subresource] = kind === '' ? ['', '', '', ''] : parseKindSelector(kind);
      previous = kind === '' ? empty : { group, version, kind: k, subresource, namespace, name };
    }
    out.push(previous);
  }
  return out;
}

function gvkOf(o: Record<string, unknown>): [string, string, string] {
  const av = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const slash = av.indexOf('/');
  return [
    slash < 0 ? '' : av.slice(0, slash),
    slash < 0 ? av : av.slice(slash + 1),
    typeof o.kind === 'string' ? o.kind : '',
  ];
}

/** ToFilter: true when an admission request for `o` (no subresource) is filtered out before any policy. */
export function isFilteredResource(
  filters: readonly ResourceFilter[],
  o: Record<string, unknown>,
  subresource = '',
): boolean {
  const meta = o.metadata && typeof o.metadata === 'object' ? (o.metadata as Record<string, unknown>) : {};
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
  const name = typeof meta.name === 'string' ? meta.name : '';
  const [group, version, kind] = gvkOf(o);
  return filters.some((f) => {
    if (
      !(
        wildcardMatch(f.group, group) &&
        wildcardMatch(f.version, version) &&
        wildcardMatch(f.kind, kind) &&
        wildcardMatch(f.subresource, subresource)
      )
    )
      return false;
    if (wildcardMatch(f.namespace, namespace) && wildcardMatch(f.name, name)) return true;
    // [Namespace,kube-system,*] or [*,kube-system,*] also filter the Namespace kube-system itself.
    return group === '' && version === 'v1' && kind === 'Namespace' && wildcardMatch(f.namespace, name);
  });
}

/**
 * The filters a cluster's Kyverno runs with: `data.resourceFilters` of Kyverno's ConfigMap in the
 * render (a ConfigMap labelled `app.kubernetes.io/part-of: kyverno`, `app.kubernetes.io/component: config`,
 * as the chart makes it), else Kyverno 1.19's defaults. Also says which, for the report.
 */
export function clusterResourceFilters(objects: readonly Record<string, unknown>[]): {
  filters: ResourceFilter[];
  from: string;
} {
  for (const o of objects) {
    if (o.kind !== 'ConfigMap' || o.apiVersion !== 'v1') continue;
    const meta = o.metadata && typeof o.metadata === 'object' ? (o.metadata as Record<string, unknown>) : {};
    const labels = meta.labels && typeof meta.labels === 'object' ? (meta.labels as Record<string, unknown>) : {};
    const data = o.data && typeof o.data === 'object' ? (o.data as Record<string, unknown>) : {};
    if (
      labels['app.kubernetes.io/part-of'] !== 'kyverno' ||
      labels['app.kubernetes.io/component'] !== 'config' ||
      typeof data.resourceFilters !== 'string'
    )
      continue;
    return {
      filters: parseResourceFilters(data.resourceFilters),
      from: `ConfigMap ${String(meta.namespace ?? '')}/${String(meta.name ?? '')}`,
    };
  }
  return {
    filters: parseResourceFilters(KYVERNO_1_19_RESOURCE_FILTERS.join('')),
    from: 'the defaults of Kyverno 1.19',
  };
}

/** A matcher over many filters, indexed by literal kind (a cluster has about 110 filters, most for one kind). */
export function resourceFilterMatcher(filters: readonly ResourceFilter[]): (o: Record<string, unknown>) => boolean {
  const byKind = new Map<string, ResourceFilter[]>();
  const wild: ResourceFilter[] = [];
  for (const f of filters) {
    if (/[*?]/.test(f.kind)) wild.push(f);
    else byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
  }
  return (o) => {
    const kind = typeof o.kind === 'string' ? o.kind : '';
    return isFilteredResource(wild, o) || isFilteredResource(byKind.get(kind) ?? [], o);
  };
}

/** The admission engines Kyverno's webhooks serve (the filters apply to them only). */
export const KYVERNO_FILTERED_ENGINES: ReadonlySet<string> = new Set(['kyverno', 'kyverno-validatingpolicy']);
