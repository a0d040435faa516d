/**
 * Output order (kustomize SortOrderTransformer): `legacy` sorts by kind rank (orderFirst ...
 * others ... orderLast), then the GVK string, then `Kind.version.group|namespace|name`;
 * `fifo` keeps accumulation order.
 */
import { byteCompare } from '../yaml/go-yaml.js';
import { gvkEquals, gvkString, type Gvk, type KRes } from './resmap.js';

export const DEFAULT_ORDER_FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
export const DEFAULT_ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function gvkSortString(g: Gvk): string {
  return [g.group || '~G', g.version || '~V', g.kind || '~K'].join('_');
}

export function legacySort(list: KRes[], orderFirst = DEFAULT_ORDER_FIRST, orderLast = DEFAULT_ORDER_LAST): KRes[] {
  const rank = new Map<string, number>();
  orderFirst.forEach((k, i) => rank.set(k, -orderFirst.length + i));
  orderLast.forEach((k, i) => rank.set(k, 1 + i));
  const keyed = list.map((r) => ({ r, id: r.curId() }));
  keyed.sort((a, b) => {
    const ga = a.id.gvk,
      gb = b.id.gvk;
    if (!gvkEquals(ga, gb)) {
      const ra = rank.get(ga.kind) ?? 0,
        rb = rank.get(gb.kind) ?? 0;
      if (ra !== rb) return ra - rb;
      if (ga.kind === 'Namespace' && gb.kind === 'Namespace' && (ga.group === '' || gb.group === '')) {
        return byteCompare(gvkSortString(gb), gvkSortString(ga));
      }
      return byteCompare(gvkSortString(ga), gvkSortString(gb));
    }
    const sa = [gvkString(ga), a.id.namespace || '~X', a.id.name || '~N'].join('|');
    const sb = [gvkString(gb), b.id.namespace || '~X', b.id.name || '~N'].join('|');
    return byteCompare(sa, sb);
  });
  return keyed.map((k) => k.r);
}
