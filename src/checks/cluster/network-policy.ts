/**
 * NetworkPolicy semantics over the cluster model (networking.k8s.io/v1): which namespaces and
 * pods a peer selects, and whether a pod's egress reaches a given pod on a port. Policies are
 * additive: a pod selected by any policy with Egress is isolated for egress, and may send what
 * any of those policies allows.
 * https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
import type { Resource } from '../../resources/resource.js';
import { arr, isKind, obj, str } from '../k8s.js';
import { labelSelectorMatches, type NilSelector } from '../../resources/label-selector.js';
import type { ClusterModel, ContainerPort, NamespaceFact, PodFact } from './model.js';

export interface Selection<T> {
  readonly matches: readonly T[];
  /** Why nothing matching may still exist (labels or pods the model cannot see). */
  readonly unknown?: string;
}

/**
 * Namespaces a `namespaceSelector` selects. A namespace that objects use but the render declares
 * nowhere is taken to carry only its automatic name label (a GitOps cluster's namespaces are in
 * the repository); `note` says so when such namespaces exist and nothing matched.
 */
export function selectNamespaces(
  model: ClusterModel,
  selector: unknown,
): Selection<NamespaceFact> & { readonly note?: string } {
  const all = [...model.namespaces.values()];
  const matches = all.filter((n) => labelSelectorMatches(selector, n.labels, 'nothing'));
  if (matches.length) return { matches };
  const unseen = all.filter((n) => !n.labelsKnown).map((n) => n.name);
  return {
    matches,
    note: unseen.length
      ? `namespace${unseen.length > 1 ? 's' : ''} ${unseen.slice(0, 3).join(', ')}${unseen.length > 3 ? ', ...' : ''}, declared nowhere in the render, taken to carry only ${model.facts.namespaceNameLabel}`
      : undefined,
  };
}

/**
 * Pods of these namespaces a `podSelector` selects; `nil`: what an absent one selects (everything
 * for a NetworkPolicy's `spec.podSelector`, a struct; the caller decides for a peer's).
 */
export function selectPods(
  model: ClusterModel,
  namespaces: readonly string[],
  selector: unknown,
  nil: NilSelector,
): Selection<PodFact> {
  const matches = model.pods.filter(
    (p) => namespaces.includes(p.namespace) && labelSelectorMatches(selector, p.labels, nil),
  );
  if (matches.length) return { matches };
  const why = namespaces.map((n) => model.opaque(n)).find((w) => w !== undefined);
  return { matches, unknown: why };
}

export interface PolicySpec {
  readonly resource: Resource;
  readonly namespace: string;
  readonly spec: Record<string, unknown>;
}

export function networkPolicies(resources: readonly Resource[]): PolicySpec[] {
  return resources
    .filter((r) => isKind(r.object, 'NetworkPolicy', 'networking.k8s.io'))
    .map((r) => ({
      resource: r,
      namespace: r.object.metadata?.namespace ?? 'default',
      spec: obj(r.object.spec) ?? {},
    }));
}

export function policyTypes(spec: Record<string, unknown>): string[] {
  const t = arr(spec.policyTypes).map(String);
  if (t.length) return t;
  return spec.egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress'];
}

/** Does a peer (`to`/`from` entry) of a policy in `policyNs` include this pod? ipBlock counts as reaching (pod IPs are implementation-defined). */
export function peerIncludes(
  model: ClusterModel,
  policyNs: string,
  peer: Record<string, unknown>,
  pod: PodFact,
): boolean {
  if (peer.ipBlock !== undefined) return true;
  const nsSel = peer.namespaceSelector;
  const podSel = peer.podSelector;
  if (nsSel === undefined && podSel === undefined) return false;
  if (nsSel !== undefined) {
    const ns = model.namespaces.get(pod.namespace);
    if (!ns || !labelSelectorMatches(nsSel, ns.labels, 'nothing')) return false;
  } else if (pod.namespace !== policyNs) return false;
  return podSel === undefined || labelSelectorMatches(podSel, pod.labels, 'nothing');
}

/** Does a NetworkPolicy port entry allow `port` (a port of the destination pod)? */
export function portAllows(entry: Record<string, unknown>, port: ContainerPort): boolean {
  const proto = str(entry.protocol) ?? 'TCP';
  if (proto !== port.protocol) return false;
  const p = entry.port;
  if (p === undefined) return true;
  if (typeof p === 'string' && !/^\d+$/.test(p)) return p === port.name;
  const n = Number(p);
  const end = typeof entry.endPort === 'number' ? entry.endPort : n;
  return n <= port.port && port.port <= end;
}

/**
 * May `from` send to `to` on `port`, given the egress policies of `from`'s namespace? Undefined
 * when no policy isolates `from` for egress (everything is allowed).
 */
export function egressAllows(
  model: ClusterModel,
  policies: readonly PolicySpec[],
  from: PodFact,
  to: PodFact,
  port: ContainerPort,
): { allowed: boolean; by?: PolicySpec } | undefined {
  const applying = policies.filter(
    (p) =>
      p.namespace === from.namespace &&
      policyTypes(p.spec).includes('Egress') &&
      labelSelectorMatches(p.spec.podSelector, from.labels, 'everything'),
  );
  if (!applying.length) return undefined;
  for (const p of applying) {
    for (const rule of arr(p.spec.egress)) {
      const r = obj(rule);
      if (!r) continue;
      const to_ = arr(r.to)
        .map(obj)
        .filter((x): x is Record<string, unknown> => !!x);
      const ports = arr(r.ports)
        .map(obj)
        .filter((x): x is Record<string, unknown> => !!x);
      const peerOk = to_.length === 0 || to_.some((peer) => peerIncludes(model, p.namespace, peer, to));
      const portOk = ports.length === 0 || ports.some((e) => portAllows(e, port));
      if (peerOk && portOk) return { allowed: true, by: p };
    }
  }
  return { allowed: false };
}
