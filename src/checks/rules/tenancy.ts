/**
 * Tenant namespace rules from the reference architecture: default-deny NetworkPolicy (Ingress
 * and Egress) with DNS egress allowed, and owner/costCenter labels. System namespaces
 * (kube-system, flux-system, ... and .aksfleet.yaml systemNamespaces) are not tenants.
 */
import type { Resource } from '../../resources/resource.js';
import { apiGroup } from '../../resources/resource.js';
import { arr, declaredNamespaces, isKind, isSystemNamespace, obj, str } from '../k8s.js';
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
    return fleetTenants ? fleetTenants.has(n) : !isSystemNamespace(ctx, n) && !holdsOnlyRemoteFluxObjects(ctx, n);
  });
}

/**
 * A namespace that only holds Flux objects applying to other clusters (spec.kubeConfig), as a
 * hub's per-spoke namespaces do, runs nothing here: it is not a tenant namespace of this cluster.
 */
function holdsOnlyRemoteFluxObjects(ctx: CheckContext, ns: string): boolean {
  const objs = ctx.resources.filter((r) => r.object.metadata?.namespace === ns);
  if (objs.length === 0) return false;
  return objs.every((r) => {
    const g = apiGroup(r.object.apiVersion);
    if (!g.endsWith('.toolkit.fluxcd.io') && !(r.object.kind === 'Secret' || r.object.kind === 'ConfigMap')) return false;
    // A local HelmRelease installs workloads here; a local Kustomization's objects are in the
    // render already (and judged there).
    if (r.object.kind === 'HelmRelease') return obj(r.object.spec)?.kubeConfig !== undefined;
    return true;
  }) && objs.some((r) => obj(r.object.spec)?.kubeConfig !== undefined);
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
  return u.length ? { note: ` (Kustomization ${u.join(', ')} applies objects from another repository that were not checked)`, severity: 'warning' } : { note: '' };
}

/** The namespace's policies as NetworkPolicy specs (CiliumNetworkPolicies translated). */
function policies(ctx: CheckContext, ns: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const r of ctx.resources) {
    if (r.object.metadata?.namespace !== ns) continue;
    if (isKind(r.object, 'NetworkPolicy', 'networking.k8s.io')) out.push(obj(r.object.spec) ?? {});
    else if (isKind(r.object, 'CiliumNetworkPolicy', 'cilium.io')) {
      for (const sp of [obj(r.object.spec), ...arr(r.object.specs).map(obj)]) if (sp) out.push(fromCilium(sp));
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
  const rules = (v: unknown) => arr(v).map((rule) => {
    const ports = arr(obj(rule)?.toPorts).flatMap((tp) => arr(obj(tp)?.ports)).map((p) => {
      const po = obj(p) ?? {};
      const proto = str(po.protocol);
      return { port: Number(po.port), protocol: proto === 'ANY' || proto === undefined ? 'UDP' : proto };
    });
    return { cilium: true, ports };
  });
  return { cilium: true, podSelector: obj(sp.endpointSelector) ?? { matchLabels: { '<none>': '<none>' } }, policyTypes: types.length ? types : ['<none>'], ingress: rules(sp.ingress), egress: rules(sp.egress) };
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
/** Does a policy set deny this direction for every pod of the namespace (no allow-all rule)? */
function denies(specs: Record<string, unknown>[], dir: 'Ingress' | 'Egress'): boolean {
  const field = dir === 'Ingress' ? 'ingress' : 'egress';
  const applying = specs.filter((s) => selectsAll(s) && policyTypes(s).includes(dir));
  if (applying.length === 0) return false;
  // An all-pods policy with an empty rule ({}) allows everything in that direction.
  return !specs.some((s) => selectsAll(s) && policyTypes(s).includes(dir) && arr(s[field]).some((rule) => {
    const o = obj(rule);
    return !!o && Object.keys(o).length === 0;
  }));
}
/** Cluster-wide default deny (Cilium or Calico) counts for every namespace. */
function clusterWideDeny(ctx: CheckContext): boolean {
  return ctx.resources.some((r) => (r.object.kind === 'CiliumClusterwideNetworkPolicy' && apiGroup(r.object.apiVersion) === 'cilium.io')
    || (r.object.kind === 'GlobalNetworkPolicy' && apiGroup(r.object.apiVersion) === 'crd.projectcalico.org'));
}

export const namespaceHasDefaultDeny: ClusterRule = {
  id: 'namespace-has-default-deny',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc: 'Every tenant namespace isolates all its pods for both Ingress and Egress: a NetworkPolicy (or CiliumNetworkPolicy) selecting all pods for each direction, with no allow-all rule (a cluster-wide Cilium or Calico policy also counts).',
  hint: 'Add a NetworkPolicy with podSelector: {} and policyTypes: [Ingress, Egress] (and no rules) to the namespace.',
  check(ctx, report) {
    if (clusterWideDeny(ctx)) return;
    for (const nsr of tenantNamespaces(ctx)) {
      const ns = nsr.object.metadata!.name!;
      const specs = policies(ctx, ns);
      const missing = (['Ingress', 'Egress'] as const).filter((d) => !denies(specs, d));
      if (!missing.length) continue;
      const u = unrenderedNote(ctx, ns);
      report({ resource: nsr, message: `namespace ${ns} has no default-deny NetworkPolicy for ${missing.join(' and ')}${u.note}`, ...(u.severity ? { severity: u.severity } : {}) });
    }
  },
};

function allowsDns(specs: Record<string, unknown>[]): boolean {
  return specs.some((s) => policyTypes(s).includes('Egress') && arr(s.egress).some((rule) => {
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
  }));
}

export const namespaceAllowsDns: ClusterRule = {
  id: 'namespace-allows-dns',
  scope: 'cluster',
  severity: 'error',
  category: 'ops',
  doc: 'A tenant namespace whose egress is denied by default lets its pods reach the DNS pods (CoreDNS in kube-system, k8s-app: kube-dns) on 53/UDP and 53/TCP, judged against the cluster as it will be.',
  hint: 'Add an egress rule to { namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { matchLabels: { k8s-app: kube-dns } } } on port 53 UDP and TCP.',
  check(ctx, report) {
    for (const nsr of tenantNamespaces(ctx)) {
      const ns = nsr.object.metadata!.name!;
      const specs = policies(ctx, ns);
      if (!denies(specs, 'Egress')) continue;
      const u = unrenderedNote(ctx, ns);
      const sev = u.severity ? { severity: u.severity } : {};
      // CiliumNetworkPolicies are judged on their ports only; NetworkPolicies on whether they reach the DNS pods.
      if (specs.some((s) => s.cilium === true)) {
        if (!allowsDns(specs)) report({ resource: nsr, message: `namespace ${ns} denies egress but no NetworkPolicy allows DNS (port 53)${u.note}`, ...sev });
        continue;
      }
      const miss = dnsUnreachable(ctx, ns);
      if (!miss) continue;
      const dns = clusterModel(ctx).facts.dns;
      const pols = miss.policies.filter((p) => arr(p.spec.egress).length).map((p) => p.resource.object.metadata?.name).join(', ');
      report({ resource: nsr, message: `namespace ${ns} denies egress but no NetworkPolicy allows DNS to the ${dns.namespace} pods ${Object.entries(dns.podLabels).map(([k, v]) => `${k}=${v}`).join(',')} on ${miss.missing.join(' and ')} (for ${miss.pods}${pols ? `; egress rules of: ${pols}` : ''})${u.note}`, ...sev });
    }
  },
};

export const namespaceHasOwnerLabels: ClusterRule = {
  id: 'namespace-has-owner-labels',
  scope: 'cluster',
  severity: 'warning',
  category: 'ops',
  doc: 'Every tenant namespace carries the owner and costCenter labels (who to call, who pays).',
  hint: 'Add metadata.labels.owner and metadata.labels.costCenter to the Namespace.',
  check(ctx, report) {
    for (const nsr of tenantNamespaces(ctx)) {
      const labels = nsr.object.metadata?.labels ?? {};
      const missing = ['owner', 'costCenter'].filter((k) => !labels[k]);
      if (missing.length) report({ resource: nsr, message: `namespace ${nsr.object.metadata!.name} has no ${missing.join(' or ')} label` });
    }
  },
};

export const tenancyRules: readonly ClusterRule[] = [namespaceHasDefaultDeny, namespaceAllowsDns, namespaceHasOwnerLabels];
