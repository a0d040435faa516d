/**
 * Reference rules of NetworkPolicies, judged against the cluster as it will be
 * (src/checks/cluster): selectors that select nothing, and DNS that pods cannot reach.
 */
import { arr, obj, selectorMatches } from '../k8s.js';
import { clusterModel, type ClusterModel, type PodFact } from '../cluster/model.js';
import { egressAllows, networkPolicies, selectNamespaces, selectPods, type PolicySpec } from '../cluster/network-policy.js';
import type { CheckContext, ClusterRule } from '../types.js';

/** `{k: v, ...}` of a selector, for messages. */
export function showSelector(sel: unknown): string {
  const s = obj(sel) ?? {};
  const parts = Object.entries(obj(s.matchLabels) ?? {}).map(([k, v]) => `${k}=${String(v)}`);
  for (const e of arr(s.matchExpressions)) {
    const x = obj(e) ?? {};
    parts.push(`${String(x.key)} ${String(x.operator)}${arr(x.values).length ? ` (${arr(x.values).join(',')})` : ''}`);
  }
  return parts.length ? parts.join(', ') : '(all)';
}

/** A hint when a selector's key is the name of a namespace (`kube-system: "true"`): the label that namespace does carry. */
function namespaceLabelHint(model: ClusterModel, sel: unknown): string {
  const keys = Object.keys(obj(obj(sel)?.matchLabels) ?? {});
  const named = keys.map((k) => model.namespaces.get(k)).find((n) => n !== undefined);
  if (!named) return '';
  return `; namespace ${named.name} (${named.how}) is selected by ${model.facts.namespaceNameLabel}: ${named.name}`;
}

export const networkPolicySelectorsMatch: ClusterRule = {
  id: 'network-policy-selectors-match',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc: 'The podSelector of a NetworkPolicy and the namespaceSelector and podSelector of its ingress and egress peers select something in the cluster as it will be (render, platform built-ins, controllers).',
  hint: 'Match labels the namespaces and pods carry (every namespace has kubernetes.io/metadata.name: <name>).',
  check(ctx, report) {
    const model = clusterModel(ctx);
    for (const p of networkPolicies(ctx.resources)) {
      const at = `NetworkPolicy ${p.namespace}/${p.resource.object.metadata?.name}`;
      const own = selectPods(model, [p.namespace], p.spec.podSelector);
      if (p.spec.podSelector !== undefined && !own.matches.length && !own.unknown) {
        report({ resource: p.resource, line: model.lineOf(p.resource, ['spec', 'podSelector']), message: `${at}: spec.podSelector ${showSelector(p.spec.podSelector)} selects no pod of namespace ${p.namespace}` });
      }
      for (const [dir, field] of [['ingress', 'from'], ['egress', 'to']] as const) {
        arr(p.spec[dir]).forEach((rule, i) => {
          arr(obj(rule)?.[field]).forEach((peerV, j) => {
            const peer = obj(peerV);
            if (!peer || peer.ipBlock !== undefined) return;
            const path = `spec.${dir}[${i}].${field}[${j}]`;
            let namespaces = [p.namespace];
            if (peer.namespaceSelector !== undefined) {
              const ns = selectNamespaces(model, peer.namespaceSelector);
              if (!ns.matches.length) {
                report({ resource: p.resource, line: model.lineOf(p.resource, ['spec', dir, i, field, j, 'namespaceSelector']), message: `${at}: ${path}.namespaceSelector ${showSelector(peer.namespaceSelector)} selects no namespace${namespaceLabelHint(model, peer.namespaceSelector)}${ns.note ? ` (${ns.note})` : ''}` });
                return;
              }
              namespaces = ns.matches.map((n) => n.name);
            }
            if (peer.podSelector === undefined) return;
            const pods = selectPods(model, namespaces, peer.podSelector);
            if (!pods.matches.length && !pods.unknown) {
              report({ resource: p.resource, line: model.lineOf(p.resource, ['spec', dir, i, field, j, 'podSelector']), message: `${at}: ${path}.podSelector ${showSelector(peer.podSelector)} selects no pod in namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.join(', ')}` });
            }
          });
        });
      }
    }
  },
};

/** The DNS pods of the platform (CoreDNS: kube-system, k8s-app=kube-dns). */
function dnsPods(model: ClusterModel): PodFact[] {
  const d = model.facts.dns;
  return model.pods.filter((p) => p.namespace === d.namespace && selectorMatches({ matchLabels: d.podLabels }, p.labels));
}

/**
 * Can the pods of `ns` resolve names? For each pod of the namespace (or a pod without labels when
 * the render has none there), the DNS ports (53/UDP and 53/TCP) each need an egress rule of a
 * policy selecting the pod whose peers include a DNS pod. Returns what is missing, or undefined.
 */
export function dnsUnreachable(ctx: CheckContext, ns: string): { missing: string[]; pods: string; policies: PolicySpec[] } | undefined {
  const model = clusterModel(ctx);
  const policies = networkPolicies(ctx.resources).filter((p) => p.namespace === ns);
  const own = model.pods.filter((p) => p.namespace === ns);
  const pods: PodFact[] = own.length ? own : [{ namespace: ns, labels: {}, annotations: {}, containers: [], how: 'any pod' }];
  const targets = dnsPods(model);
  const missing = new Set<string>();
  const who = new Set<string>();
  for (const pod of pods) {
    for (const port of model.facts.dns.ports) {
      const ok = targets.some((t) => egressAllows(model, policies, pod, t, port)?.allowed !== false);
      if (!ok) {
        missing.add(`${port.port}/${port.protocol}`);
        who.add(pod.template ? `${pod.template.kind} ${pod.template.resource.object.metadata?.name}` : 'its pods');
      }
    }
  }
  if (!missing.size) return undefined;
  return { missing: [...missing], pods: [...who].join(', '), policies };
}

export const referenceNetworkRules: readonly ClusterRule[] = [networkPolicySelectorsMatch];
