/**
 * Reference rules of NetworkPolicies, judged against the cluster as it will be
 * (src/checks/cluster): selectors that select nothing, and DNS that pods cannot reach.
 */
import { arr, obj, str } from '../k8s.js';
import { labelSelectorMatches } from '../../resources/label-selector.js';
import { clusterModel, type ClusterModel, type ContainerPort, type PodFact } from '../cluster/model.js';
import {
  egressAllows,
  networkPolicies,
  peerIncludes,
  policyTypes,
  portAllows,
  selectNamespaces,
  selectPods,
  type PolicySpec,
} from '../cluster/network-policy.js';
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
  doc:
    'The podSelector of a NetworkPolicy and the namespaceSelector and podSelector of its ingress and egress ' +
    'peers select something in the cluster as it will be (render, platform built-ins, controllers).',
  hint: 'Match labels the namespaces and pods carry (every namespace has kubernetes.io/metadata.name: <name>).',
  check(ctx, report) {
    const model = clusterModel(ctx);
    for (const p of networkPolicies(ctx.resources)) {
      const at = `NetworkPolicy ${p.namespace}/${p.resource.object.metadata?.name}`;
      const own = selectPods(model, [p.namespace], p.spec.podSelector, 'everything');
      if (p.spec.podSelector !== undefined && !own.matches.length && !own.unknown) {
        report({
          resource: p.resource,
          line: model.lineOf(p.resource, ['spec', 'podSelector']),
          message:
            `${at}: spec.podSelector ${showSelector(p.spec.podSelector)} selects no pod of namespace ` +
            `${p.namespace}`,
        });
      }
      for (const [dir, field] of [
        ['ingress', 'from'],
        ['egress', 'to'],
      ] as const) {
        arr(p.spec[dir]).forEach((rule, i) => {
          arr(obj(rule)?.[field]).forEach((peerV, j) => {
            const peer = obj(peerV);
            if (!peer || peer.ipBlock !== undefined) return;
            const path = `spec.${dir}[${i}].${field}[${j}]`;
            let namespaces = [p.namespace];
            if (peer.namespaceSelector !== undefined) {
              const ns = selectNamespaces(model, peer.namespaceSelector);
              if (!ns.matches.length) {
                report({
                  resource: p.resource,
                  line: model.lineOf(p.resource, ['spec', dir, i, field, j, 'namespaceSelector']),
                  message: `${at}: ${path}.namespaceSelector ${showSelector(peer.namespaceSelector)} selects no namespace${namespaceLabelHint(model, peer.namespaceSelector)}${ns.note ? ` (${ns.note})` : ''}`,
                });
                return;
              }
              namespaces = ns.matches.map((n) => n.name);
            }
            if (peer.podSelector === undefined) return;
            const pods = selectPods(model, namespaces, peer.podSelector, 'nothing');
            if (!pods.matches.length && !pods.unknown) {
              report({
                resource: p.resource,
                line: model.lineOf(p.resource, ['spec', dir, i, field, j, 'podSelector']),
                message: `${at}: ${path}.podSelector ${showSelector(peer.podSelector)} selects no pod in namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.join(', ')}`,
              });
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
  return model.pods.filter(
    (p) => p.namespace === d.namespace && labelSelectorMatches({ matchLabels: d.podLabels }, p.labels, 'nothing'),
  );
}

/** An egress rule meant for DNS (it opens a DNS port, or reaches the DNS pods) that does not let a pod reach them on every DNS port, and why. */
export interface DnsAllowance {
  readonly policy: PolicySpec;
  /** Index of the rule in `spec.egress`. */
  readonly rule: number;
  readonly why: string;
}

/** Why none of a rule's peers includes a DNS pod (the first peer's reason, the closest to one). */
function peerMiss(model: ClusterModel, p: PolicySpec, peers: readonly Record<string, unknown>[], dns: PodFact): string {
  const d = model.facts.dns;
  const dnsNs = model.namespaces.get(d.namespace);
  const reasons = peers.map((peer, j) => {
    const at = `to[${j}]`;
    if (peer.namespaceSelector === undefined)
      return `${at}.podSelector ${showSelector(peer.podSelector)} selects pods of namespace ${p.namespace} only`;
    if (!dnsNs || !labelSelectorMatches(peer.namespaceSelector, dnsNs.labels, 'nothing')) {
      return `${at}.namespaceSelector ${showSelector(peer.namespaceSelector)} does not select namespace ${d.namespace} (its labels: ${Object.entries(
        dnsNs?.labels ?? {},
      )
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')})`;
    }
    return `${at}.podSelector ${showSelector(peer.podSelector)} does not select the DNS pods (${Object.entries(
      dns.labels,
    )
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')})`;
  });
  return reasons.join('; ');
}

const emptySelector = (sel: unknown) =>
  Object.keys(obj(obj(sel)?.matchLabels) ?? {}).length === 0 && arr(obj(sel)?.matchExpressions).length === 0;
/** A peer that selects every pod of every namespace (`namespaceSelector: {}` alone). */
function selectsAllPeers(peer: Record<string, unknown>): boolean {
  return (
    peer.namespaceSelector !== undefined &&
    emptySelector(peer.namespaceSelector) &&
    (peer.podSelector === undefined || emptySelector(peer.podSelector))
  );
}

/**
 * The egress rules of the policies selecting `pod` that were meant for DNS and fail: a rule that
 * opens a DNS port but whose peers miss the DNS pods, or that reaches them on some DNS ports only.
 */
function failingDnsAllowances(
  model: ClusterModel,
  applying: readonly PolicySpec[],
  _pod: PodFact,
  targets: readonly PodFact[],
  missing: readonly ContainerPort[],
): DnsAllowance[] {
  const out: DnsAllowance[] = [];
  const dnsPorts = model.facts.dns.ports;
  for (const p of applying) {
    arr(p.spec.egress).forEach((rule, i) => {
      const r = obj(rule);
      if (!r) return;
      const peers = arr(r.to)
        .map(obj)
        .filter((x): x is Record<string, unknown> => !!x);
      const ports = arr(r.ports)
        .map(obj)
        .filter((x): x is Record<string, unknown> => !!x);
      const opens: ContainerPort[] = dnsPorts.filter((port) => ports.some((e) => portAllows(e, port)));
      const notOpen = missing.filter((m) => !opens.some((o) => o.port === m.port && o.protocol === m.protocol));
      const reaches = targets.find(
        (t) => peers.length === 0 || peers.some((peer) => peerIncludes(model, p.namespace, peer, t)),
      );
      if (!ports.length) return;
      const show = (ps: readonly ContainerPort[]) => ps.map((x) => `${x.port}/${x.protocol}`).join(' and ');
      if (!opens.length) {
        // Aimed at the DNS pods (a peer naming their namespace or their labels) on other ports.
        const aimed =
          reaches &&
          peers.some(
            (peer) =>
              peer.ipBlock === undefined && !selectsAllPeers(peer) && peerIncludes(model, p.namespace, peer, reaches),
          );
        if (aimed)
          out.push({
            policy: p,
            rule: i,
            why: `reaches the DNS pods on ${ports.map((e) => `${String(e.port ?? 'any port')}/${str(e.protocol) ?? 'TCP'}`).join(', ')}, none of ${show(dnsPorts)}`,
          });
        return;
      }
      if (!reaches)
        out.push({
          policy: p,
          rule: i,
          why: `opens ${show(opens)}, but ${targets[0] ? peerMiss(model, p, peers, targets[0]) : 'the cluster has no DNS pods'}`,
        });
      else if (notOpen.length)
        out.push({ policy: p, rule: i, why: `reaches the DNS pods on ${show(opens)} only, not ${show(notOpen)}` });
    });
  }
  return out;
}

/** What decides that the pods of a namespace cannot resolve names. */
export interface DnsUnreachable {
  /** The DNS ports some pod cannot reach (`53/UDP`). */
  readonly missing: string[];
  /** The workloads concerned (`Deployment api`), or `its pods`. */
  readonly pods: string;
  readonly policies: PolicySpec[];
  /** The policies that isolate those pods for egress without allowing anything (the default deny). */
  readonly denying: PolicySpec[];
  /** The rules meant for DNS that fail, each with its reason. */
  readonly allowances: DnsAllowance[];
}

/**
 * Can the pods of `ns` resolve names? For each pod of the namespace (or a pod without labels when
 * the render has none there), the DNS ports (53/UDP and 53/TCP) each need an egress rule of a
 * policy selecting the pod whose peers include a DNS pod. Returns what is missing and the
 * policies that decide it, or undefined.
 */
export function dnsUnreachable(ctx: CheckContext, ns: string): DnsUnreachable | undefined {
  const model = clusterModel(ctx);
  const policies = networkPolicies(ctx.resources).filter((p) => p.namespace === ns);
  const own = model.pods.filter((p) => p.namespace === ns);
  const pods: PodFact[] = own.length
    ? own
    : [{ namespace: ns, labels: {}, annotations: {}, containers: [], how: 'any pod' }];
  const targets = dnsPods(model);
  const missing = new Set<string>();
  const who = new Set<string>();
  const denying = new Set<PolicySpec>();
  const allowances = new Map<string, DnsAllowance>();
  for (const pod of pods) {
    const lost = model.facts.dns.ports.filter(
      (port) => !targets.some((t) => egressAllows(model, policies, pod, t, port)?.allowed !== false),
    );
    if (!lost.length) continue;
    for (const port of lost) missing.add(`${port.port}/${port.protocol}`);
    who.add(pod.template ? `${pod.template.kind} ${pod.template.resource.object.metadata?.name}` : 'its pods');
    const applying = policies.filter(
      (p) =>
        policyTypes(p.spec).includes('Egress') && labelSelectorMatches(p.spec.podSelector, pod.labels, 'everything'),
    );
    for (const p of applying) if (arr(p.spec.egress).length === 0) denying.add(p);
    for (const a of failingDnsAllowances(model, applying, pod, targets, lost))
      allowances.set(`${a.policy.resource.object.metadata?.name}/${a.rule}`, a);
  }
  if (!missing.size) return undefined;
  return {
    missing: [...missing],
    pods: [...who].join(', '),
    policies,
    denying: [...denying],
    allowances: [...allowances.values()],
  };
}

export const referenceNetworkRules: readonly ClusterRule[] = [networkPolicySelectorsMatch];
