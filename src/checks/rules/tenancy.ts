/**
 * Tenant namespace rules from the reference architecture: default-deny NetworkPolicy (Ingress
 * and Egress) with DNS egress allowed, and owner/costCenter labels. System namespaces
 * (kube-system, flux-system, ... and .aksfleet.yaml systemNamespaces) are not tenants.
 */
import type { Resource } from '../../resources/resource.js';
import { apiGroup } from '../../resources/resource.js';
import { arr, declaredNamespaces, isKind, obj, str } from '../k8s.js';
import { isPlatformNamespace } from '../platform-namespaces.js';
import type { CheckContext, ClusterRule } from '../types.js';
import { clusterModel } from '../cluster/model.js';
import { dnsUnreachable } from './references-network.js';

/**
 * Tenant namespaces: in an aksfleet repository exactly the fleet tenants' namespaces; elsewhere
 * every declared Namespace that is not a system one (built-in list, `*-system`, and
 * .aksfleet.yaml systemNamespaces). A name still holding a ${VARIABLE} cannot be judged.
 */
function tenantNamespaces(ctx: CheckContext): Resource[] {
  const fleetTenants = ctx.fleet ? new Set(ctx.fleet.spec.tenants.flatMap((t) => t.namespaces)) : undefined;
  return declaredNamespaces(ctx.resources).filter((r) => {
    const n = r.object.metadata!.name!;
    if (/\$\{/.test(n)) return false;
    return fleetTenants ? fleetTenants.has(n) : !isPlatformNamespace(ctx, n) && !holdsOnlyRemoteFluxObjects(ctx, n);
  });
}

/**
 * A namespace that only holds Flux objects applying to other clusters (spec.kubeConfig), as a
 * hub's per-spoke namespaces do, runs nothing here: it is not a tenant namespace of this cluster.
 */
function holdsOnlyRemoteFluxObjects(ctx: CheckContext, ns: string): boolean {
  const objs = ctx.resources.filter((r) => r.object.metadata?.namespace === ns);
  if (objs.length === 0) return false;
  return (
    objs.every((r) => {
      const g = apiGroup(r.object.apiVersion);
      if (!g.endsWith('.toolkit.fluxcd.io') && !(r.object.kind === 'Secret' || r.object.kind === 'ConfigMap'))
        return false;
      // A local HelmRelease installs workloads here; a local Kustomization's objects are in the
      // render already (and judged there).
      if (r.object.kind === 'HelmRelease') return obj(r.object.spec)?.kubeConfig !== undefined;
      return true;
    }) && objs.some((r) => obj(r.object.spec)?.kubeConfig !== undefined)
  );
}

/** Kustomizations applying to this namespace whose objects could not be rendered offline. */
function unrendered(ctx: CheckContext, ns: string): string[] {
  return ctx.kustomizations
    .filter((k) => k.skipped === 'not-buildable' && k.object)
    .filter((k) => {
      const spec = obj(k.object!.spec);
      return (str(spec?.targetNamespace) ?? k.object!.metadata?.namespace) === ns;
    })
    .map((k) => k.id);
}
function unrenderedNote(ctx: CheckContext, ns: string): { note: string; severity?: 'warning' } {
  const u = unrendered(ctx, ns);
  return u.length
    ? {
        note: ` (Kustomization ${u.join(', ')} applies objects from another repository that were not checked)`,
        severity: 'warning',
      }
    : { note: '' };
}

/** A NetworkPolicy spec of a namespace and the object it comes from. */
interface NsPolicy {
  readonly spec: Record<string, unknown>;
  readonly resource: Resource;
}

/** The namespace's policies as NetworkPolicy specs (CiliumNetworkPolicies translated), each with its object. */
function policies(ctx: CheckContext, ns: string): NsPolicy[] {
  const out: NsPolicy[] = [];
  for (const r of ctx.resources) {
    if (r.object.metadata?.namespace !== ns) continue;
    if (isKind(r.object, 'NetworkPolicy', 'networking.k8s.io'))
      out.push({ spec: obj(r.object.spec) ?? {}, resource: r });
    else if (isKind(r.object, 'CiliumNetworkPolicy', 'cilium.io')) {
      for (const sp of [obj(r.object.spec), ...arr(r.object.specs).map(obj)])
        if (sp) out.push({ spec: fromCilium(sp), resource: r });
    }
  }
  return out;
}

/**
 * A CiliumNetworkPolicy rule as a NetworkPolicy spec: a direction with (deny) rules puts the
 * selected endpoints in default deny for it (unless enableDefaultDeny says otherwise); toPorts
 * become ports.
 */
function fromCilium(sp: Record<string, unknown>): Record<string, unknown> {
  const dd = obj(sp.enableDefaultDeny) ?? {};
  const types: string[] = [];
  if ((sp.ingress !== undefined || sp.ingressDeny !== undefined) && dd.ingress !== false) types.push('Ingress');
  if ((sp.egress !== undefined || sp.egressDeny !== undefined) && dd.egress !== false) types.push('Egress');
  const rules = (v: unknown) =>
    arr(v).map((rule) => {
      const ports = arr(obj(rule)?.toPorts)
        .flatMap((tp) => arr(obj(tp)?.ports))
        .map((p) => {
          const po = obj(p) ?? {};
          const proto = str(po.protocol);
          return { port: Number(po.port), protocol: proto === 'ANY' || proto === undefined ? 'UDP' : proto };
        });
      return { cilium: true, ports };
    });
  return {
    cilium: true,
    podSelector: obj(sp.endpointSelector) ?? { matchLabels: { '<none>': '<none>' } },
    policyTypes: types.length ? types : ['<none>'],
    ingress: rules(sp.ingress),
    egress: rules(sp.egress),
  };
}

function selectsAll(spec: Record<string, unknown>): boolean {
  const sel = obj(spec.podSelector);
  return !!sel && Object.keys(obj(sel.matchLabels) ?? {}).length === 0 && arr(sel.matchExpressions).length === 0;
}
function policyTypes(spec: Record<string, unknown>): string[] {
  const t = arr(spec.policyTypes).map(String);
  if (t.length) return t;
  return spec.egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress'];
}
function allowsAll(s: Record<string, unknown>, dir: 'Ingress' | 'Egress'): boolean {
  const field = dir === 'Ingress' ? 'ingress' : 'egress';
  // An all-pods policy with an empty rule ({}) allows everything in that direction.
  return (
    selectsAll(s) &&
    policyTypes(s).includes(dir) &&
    arr(s[field]).some((rule) => {
      const o = obj(rule);
      return !!o && Object.keys(o).length === 0;
    })
  );
}
/** The all-pods policies of a direction. */
function isolating(ps: readonly NsPolicy[], dir: 'Ingress' | 'Egress'): NsPolicy[] {
  return ps.filter((p) => selectsAll(p.spec) && policyTypes(p.spec).includes(dir));
}
/** Does a policy set deny this direction for every pod of the namespace (no allow-all rule)? */
function denies(ps: readonly NsPolicy[], dir: 'Ingress' | 'Egress'): boolean {
  return isolating(ps, dir).length > 0 && !ps.some((p) => allowsAll(p.spec, dir));
}
/** The cause of a missing default deny: the policies that allow all in that direction (none when nothing isolates). */
function allowAllPolicies(ps: readonly NsPolicy[], dir: 'Ingress' | 'Egress'): NsPolicy[] {
  return isolating(ps, dir).length > 0 ? ps.filter((p) => allowsAll(p.spec, dir)) : [];
}
function relatedObject(r: Resource, message: string) {
  return { file: r.origin?.file ?? '', ...(r.origin?.line ? { line: r.origin.line } : {}), message, object: r };
}
/** Cluster-wide default deny (Cilium or Calico) counts for every namespace. */
function clusterWideDeny(ctx: CheckContext): boolean {
  return ctx.resources.some(
    (r) =>
      (r.object.kind === 'CiliumClusterwideNetworkPolicy' && apiGroup(r.object.apiVersion) === 'cilium.io') ||
      (r.object.kind === 'GlobalNetworkPolicy' && apiGroup(r.object.apiVersion) === 'crd.projectcalico.org'),
  );
}

export const namespaceHasDefaultDeny: ClusterRule = {
  id: 'namespace-has-default-deny',
  profile: 'aks-baseline',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'Every tenant namespace isolates all its pods for both Ingress and Egress: a NetworkPolicy (or ' +
    'CiliumNetworkPolicy) selecting all pods for each direction, with no allow-all rule (a cluster-wide Cilium ' +
    'or Calico policy also counts).',
  hint: 'Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress, Egress] (and no rules) to the namespace.',
  check(ctx, report) {
    if (clusterWideDeny(ctx)) return;
    for (const nsr of tenantNamespaces(ctx)) {
      const ns = nsr.object.metadata!.name!;
      const ps = policies(ctx, ns);
      const missing = (['Ingress', 'Egress'] as const).filter((d) => !denies(ps, d));
      if (!missing.length) continue;
      const u = unrenderedNote(ctx, ns);
      const sev = u.severity ? { severity: u.severity } : {};
      // At the cause: an allow-all policy that undoes the namespace's default deny, the Namespace
      // (and its isolating policies) related; with no isolating policy at all, the Namespace.
      const causes = [...new Set(missing.flatMap((d) => allowAllPolicies(ps, d)))].filter(
        (p, i, all) => all.findIndex((q) => q.resource === p.resource) === i,
      );
      const nsRelated = relatedObject(nsr, `namespace ${ns}`);
      if (causes.length === 0) {
        report({
          resource: nsr,
          message: `namespace ${ns} has no default-deny NetworkPolicy for ${missing.join(' and ')}${u.note}`,
          ...sev,
        });
        continue;
      }
      for (const c of causes) {
        const dirs = missing.filter((d) => allowsAll(c.spec, d));
        const deny = missing.flatMap((d) => isolating(ps, d)).filter((p) => p.resource !== c.resource);
        report({
          resource: c.resource,
          message: `${c.resource.object.kind} ${c.resource.object.metadata?.name ?? ''} allows all ${dirs.join(' and ')} traffic for every pod, so namespace ${ns} has no default deny for ${dirs.join(' and ')}${u.note}`,
          hint:
            'Remove the empty rule ({}) that allows everything, or narrow the policy to the pods and peers ' +
            'that need it.',
          related: [
            nsRelated,
            ...[...new Set(deny.map((p) => p.resource))].map((r) =>
              relatedObject(r, `isolating policy ${r.object.metadata?.name ?? ''}`),
            ),
          ].filter((x) => x.file !== ''),
          ...sev,
        });
      }
    }
  },
};

function allowsDns(ps: readonly NsPolicy[]): boolean {
  return ps.some(
    ({ spec: s }) =>
      policyTypes(s).includes('Egress') &&
      arr(s.egress).some((rule) => {
        const o = obj(rule);
        if (!o) return false;
        const ports = arr(o.ports);
        if (ports.length === 0) return true; // all ports to the peers given
        return ports.some((p) => {
          const po = obj(p);
          if (!po) return false;
          const proto = str(po.protocol) ?? 'TCP';
          const port = po.port;
          const end = typeof po.endPort === 'number' ? po.endPort : undefined;
          if (port === undefined) return true;
          if (port === 'dns' || port === 'dns-tcp') return true;
          const n = Number(port);
          return (proto === 'UDP' || proto === 'TCP') && (n === 53 || (end !== undefined && n <= 53 && 53 <= end));
        });
      }),
  );
}

export const namespaceAllowsDns: ClusterRule = {
  id: 'namespace-allows-dns',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc:
    'A tenant namespace whose egress is denied by default lets its pods reach the DNS pods (CoreDNS in ' +
    'kube-system, k8s-app: kube-dns) on 53/UDP and 53/TCP, judged against the cluster as it will be.',
  hint:
    'Add an egress rule to { namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, ' +
    'podSelector: { matchLabels: { k8s-app: kube-dns } } } on port 53 UDP and TCP.',
  check(ctx, report) {
    for (const nsr of tenantNamespaces(ctx)) {
      const ns = nsr.object.metadata!.name!;
      const specs = policies(ctx, ns);
      if (!denies(specs, 'Egress')) continue;
      const u = unrenderedNote(ctx, ns);
      const sev = u.severity ? { severity: u.severity } : {};
      // At the cause: the rule meant for DNS that does not reach CoreDNS (else the policy that
      // allows some egress but not DNS, else the default deny); related, the policies that
      // decide: the default deny and the other failing DNS rules, then the Namespace.
      const allowing = specs.filter((p) => policyTypes(p.spec).includes('Egress') && arr(p.spec.egress).length > 0);
      // CiliumNetworkPolicies are judged on their ports only; NetworkPolicies on whether they reach the DNS pods.
      if (specs.some((s) => s.spec.cilium === true)) {
        const cause = allowing[0] ?? isolating(specs, 'Egress')[0]!;
        const others = [...new Set([...isolating(specs, 'Egress'), ...allowing].map((p) => p.resource))].filter(
          (r) => r !== cause.resource,
        );
        const related = [
          relatedObject(nsr, `namespace ${ns}`),
          ...others.map((r) => relatedObject(r, `egress policy ${r.object.metadata?.name ?? ''}`)),
        ].filter((x) => x.file !== '');
        const without = allowing.length
          ? `; ${cause.resource.object.kind} ${cause.resource.object.metadata?.name ?? ''} allows egress without it`
          : '';
        if (!allowsDns(specs))
          report({
            resource: cause.resource,
            message: `namespace ${ns} denies egress but no NetworkPolicy allows DNS (port 53)${without}${u.note}`,
            related,
            ...sev,
          });
        continue;
      }
      const miss = dnsUnreachable(ctx, ns);
      if (!miss) continue;
      const model = clusterModel(ctx);
      const dns = model.facts.dns;
      const first = miss.allowances[0];
      const deny = miss.denying[0] ?? isolating(specs, 'Egress')[0]!;
      const name = (r: Resource) => `${r.object.kind} ${r.object.metadata?.name ?? ''}`;
      const ruleAt = (a: { policy: { resource: Resource }; rule: number }) =>
        model.lineOf(a.policy.resource, ['spec', 'egress', a.rule]) ?? a.policy.resource.origin?.line;
      const related = [
        ...miss.denying
          .filter((p) => p.resource !== first?.policy.resource || !first)
          .map((p) =>
            relatedObject(p.resource, `${name(p.resource)} denies egress to every destination it does not allow`),
          ),
        ...miss.allowances.slice(1).map((a) => ({
          ...relatedObject(a.policy.resource, `${name(a.policy.resource)} spec.egress[${a.rule}] ${a.why}`),
          ...(ruleAt(a) ? { line: ruleAt(a) } : {}),
        })),
        relatedObject(nsr, `namespace ${ns}`),
      ].filter((x) => x.file !== '');
      const decide = first
        ? `${name(first.policy.resource)} spec.egress[${first.rule}] ${first.why}`
        : `${name(deny.resource)} denies egress and no egress rule${
            miss.policies.length > 1
              ? ` (of ${
                  miss.policies
                    .filter((p) => arr(p.spec.egress).length)
                    .map((p) => p.resource.object.metadata?.name)
                    .join(', ') || 'any policy'
                })`
              : ''
          } opens 53 to them`;
      report({
        resource: first?.policy.resource ?? deny.resource,
        ...(first && ruleAt(first) ? { line: ruleAt(first) } : {}),
        message: `namespace ${ns} denies egress but no NetworkPolicy allows DNS to the ${dns.namespace} pods ${Object.entries(
          dns.podLabels,
        )
          .map(([k, v]) => `${k}=${v}`)
          .join(',')} on ${miss.missing.join(' and ')} (for ${miss.pods}): ${decide}${u.note}`,
        related,
        ...sev,
      });
    }
  },
};

export const namespaceHasOwnerLabels: ClusterRule = {
  id: 'namespace-has-owner-labels',
  profile: 'aks-baseline',
  scope: 'cluster',
  severity: 'warning',
  category: 'ops',
  doc: 'Every tenant namespace carries the owner and costCenter labels (who to call, who pays).',
  hint: 'Add metadata.labels.owner and metadata.labels.costCenter to the Namespace.',
  check(ctx, report) {
    for (const nsr of tenantNamespaces(ctx)) {
      const labels = nsr.object.metadata?.labels ?? {};
      const missing = ['owner', 'costCenter'].filter((k) => !labels[k]);
      if (missing.length)
        report({
          resource: nsr,
          message: `namespace ${nsr.object.metadata!.name} has no ${missing.join(' or ')} label`,
        });
    }
  },
  // A repository policy refusing the same Namespace for one of these labels (the example fleet's
  // Kyverno require-namespace-labels) reports it instead, once, with its own message.
  duplicatedBy: (policy, own) => policy.resource === own.resource && /\b(owner|costCenter)\b/.test(policy.message),
};

export const tenancyRules: readonly ClusterRule[] = [
  namespaceHasDefaultDeny,
  namespaceAllowsDns,
  namespaceHasOwnerLabels,
];
