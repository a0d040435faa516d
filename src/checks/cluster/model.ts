/**
 * The cluster as it will be: what every reference rule judges against. Three sources, one model:
 *
 * - the render (`ctx.resources`: every object the cluster's Flux Kustomizations apply, and the
 *   objects of every HelmRelease whose chart rendered, `origin.helm` naming the release);
 * - the platform (data/aks/kubernetes.json, and data/aks/aks.json where the cluster is AKS): the
 *   initial namespaces with their automatic `kubernetes.io/metadata.name` label, the DNS pods,
 *   built-in PriorityClasses and StorageClasses, `default` ServiceAccount and `kube-root-ca.crt`
 *   in every namespace;
 * - the controllers of the render: the Secrets of ExternalSecret, SealedSecret, cert-manager
 *   Certificate and SecretProviderClass `secretObjects`, the Namespaces of HelmRelease
 *   `install.createNamespace`; and the render's own workloads whose RBAC lets them create objects
 *   (a chart's certificate Job writing its webhook Secret), as unknown names of that kind.
 *
 * What the model cannot know is said, never guessed: a namespace a HelmRelease installs into
 * whose chart did not render, objects of an unbuilt Kustomization, or an object of an API group that may create
 * pods (an operator's custom resource) is *opaque*: a rule does not conclude that something is
 * missing there. Pure: a function of the context; one model per context (cached by identity).
 */
import type { RepoFs } from '../../repo/repo-fs.js';
import { apiGroup, type Resource } from '../../resources/resource.js';
import { parseYamlDocuments, type ParsedDoc } from '../../yaml/parse.js';
import { arr, containersOf, hasVariable, obj, podTemplates, str, type PodTemplate } from '../k8s.js';
import { labelSelectorMatches } from '../../resources/label-selector.js';
import type { CheckContext } from '../types.js';
import { platformFacts, type PlatformFacts } from './platform-data.js';
import { runtimeCreators } from './rbac-creators.js';
import { kyvernoMutations, unappliedMutators } from './mutations.js';

export type Platform = 'kubernetes' | 'aks';

/** Who provides an object: the render, the platform, or a controller acting on a rendered object. */
export interface Provider {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** The rendered object itself, or the rendered object whose controller creates it. */
  readonly resource?: Resource;
  /** How it comes to exist, for messages (`rendered`, `AKS built-in`, `created by ExternalSecret app/db`). */
  readonly how: string;
}

export interface NamespaceFact {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** False when the namespace is used by objects but declared nowhere we can see: its other labels are unknown. */
  readonly labelsKnown: boolean;
  readonly resource?: Resource;
  readonly how: string;
}

export interface ContainerPort {
  readonly name?: string;
  readonly port: number;
  readonly protocol: string;
}
export interface PodFact {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly containers: readonly { readonly name: string; readonly ports: readonly ContainerPort[] }[];
  /** The rendered workload whose template this is (absent for platform pods such as CoreDNS). */
  readonly template?: PodTemplate;
  readonly how: string;
}

export interface ClusterModel {
  readonly platform: Platform;
  readonly facts: PlatformFacts;
  readonly namespaces: ReadonlyMap<string, NamespaceFact>;
  readonly pods: readonly PodFact[];
  /** The provider of `kind` (with its API group, `''` for core) named `name` in `namespace` (undefined for cluster-scoped). */
  find(group: string, kind: string, namespace: string | undefined, name: string): Provider | undefined;
  /** Objects of a kind, for listing candidates in messages. */
  all(group: string, kind: string, namespace?: string): readonly Provider[];
  /** Why the objects and pods of `namespace` may not all be known; undefined when they are. */
  opaque(namespace: string): string | undefined;
  /**
   * Why objects of a kind in a namespace may be created at run time by a workload of the render
   * (its ServiceAccount may create them: rbac-creators.ts); undefined when none may.
   */
  createdAtRunTime(group: string, kind: string, namespace: string): string | undefined;
  /** Why cluster-scoped objects (StorageClass, PriorityClass, ...) may not all be known. */
  readonly clusterOpaque?: string;
  /**
   * The line of a field of a rendered object in its source file (for findings that point at the
   * reference itself); the nearest enclosing field when a transformation moved it; undefined
   * when the file cannot be read.
   */
  lineOf(resource: Resource, path: readonly (string | number)[]): number | undefined;
}

/** The configuration's `platform` (`.aksfleet.yaml`, `--platform`); else AKS with a fleet spec, else generic Kubernetes. */
export function platformOf(ctx: Pick<CheckContext, 'fleet' | 'config'>): Platform {
  return ctx.config.platform ?? (ctx.fleet ? 'aks' : 'kubernetes');
}

const key = (group: string, kind: string, ns: string | undefined, name: string) =>
  `${group}/${kind}/${ns ?? ''}/${name}`;
const idOf = (r: Resource) =>
  `${r.object.kind}/${r.object.metadata?.namespace ? `${r.object.metadata.namespace}/` : ''}${r.object.metadata?.name ?? ''}`;

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(obj(v) ?? {})) if (x !== null && x !== undefined) out[k] = String(x);
  return out;
}

function containerPorts(c: Record<string, unknown>): ContainerPort[] {
  return arr(c.ports)
    .map(obj)
    .filter((p): p is Record<string, unknown> => !!p && typeof p.containerPort === 'number')
    .map((p) => ({ name: str(p.name), port: p.containerPort as number, protocol: str(p.protocol) ?? 'TCP' }));
}

/** Objects a controller makes from a rendered object (Secrets of secret operators). */
function controllerObjects(r: Resource): Provider[] {
  const o = r.object;
  const g = apiGroup(o.apiVersion);
  const ns = o.metadata?.namespace ?? 'default';
  const name = o.metadata?.name ?? '';
  const spec = obj(o.spec) ?? {};
  const by = `created by ${idOf(r)}`;
  const secret = (n: string | undefined): Provider[] =>
    n ? [{ kind: 'Secret', namespace: ns, name: n, resource: r, how: by }] : [];
  if (g === 'external-secrets.io' && o.kind === 'ExternalSecret') {
    const target = obj(spec.target) ?? {};
    if (target.creationPolicy === 'None') return [];
    return secret(str(target.name) ?? name);
  }
  if (g === 'bitnami.com' && o.kind === 'SealedSecret')
    return secret(str(obj(obj(spec.template)?.metadata)?.name) ?? name);
  if (g === 'cert-manager.io' && o.kind === 'Certificate') return secret(str(spec.secretName));
  if (g === 'secrets-store.csi.x-k8s.io' && o.kind === 'SecretProviderClass')
    return arr(spec.secretObjects).flatMap((s) => secret(str(obj(s)?.secretName)));
  return [];
}

/** Where a HelmRelease installs (this cluster only: one with spec.kubeConfig installs elsewhere). */
function helmReleaseNamespace(r: Resource): string | undefined {
  const spec = obj(r.object.spec) ?? {};
  if (spec.kubeConfig !== undefined) return undefined;
  return str(spec.targetNamespace) ?? r.object.metadata?.namespace ?? 'default';
}

function isInert(facts: PlatformFacts, group: string, kind: string): boolean {
  return (
    facts.inertGroups.includes(group) ||
    (facts.inertKinds[group] ?? []).includes(kind) ||
    ((group === 'fluxcd.io' || group.endsWith('.fluxcd.io')) && kind !== 'HelmRelease')
  );
}

/** Source lines of fields, reading each file once (per model). */
function fieldLines(
  fs: RepoFs | undefined,
): (resource: Resource, path: readonly (string | number)[]) => number | undefined {
  const docs = new Map<string, ParsedDoc[] | null>();
  return (resource, path) => {
    const file = resource.origin?.file;
    if (!fs || !file || resource.origin?.line === undefined) return undefined;
    if (!docs.has(file)) {
      try {
        docs.set(file, fs.isFile(file) ? parseYamlDocuments(fs.readFile(file), file) : null);
      } catch {
        docs.set(file, null);
      }
    }
    const doc = docs.get(file)?.find((d) => d.line === resource.origin!.line);
    return doc ? doc.posOf(path).line : undefined;
  };
}

export function buildClusterModel(
  ctx: Pick<CheckContext, 'resources' | 'kustomizations' | 'fleet' | 'config' | 'fs'>,
): ClusterModel {
  const platform = platformOf(ctx);
  const facts = platformFacts(platform);
  const providers = new Map<string, Provider>();
  const byKind = new Map<string, Provider[]>();
  const add = (group: string, p: Provider) => {
    const k = key(group, p.kind, p.namespace, p.name);
    if (providers.has(k)) return;
    providers.set(k, p);
    const kk = `${group}/${p.kind}`;
    const list = byKind.get(kk);
    if (list) list.push(p);
    else byKind.set(kk, [p]);
  };
  const namespaces = new Map<string, NamespaceFact>();
  const opaqueNs = new Map<string, string>();
  const noteOpaque = (ns: string, why: string) => {
    if (!opaqueNs.has(ns)) opaqueNs.set(ns, why);
  };
  let clusterOpaque: string | undefined;
  const nameLabel = facts.namespaceNameLabel;
  const builtin = platform === 'aks' ? 'AKS built-in' : 'Kubernetes built-in';

  // Labels and annotations as mutating admission leaves them (the render's Kyverno mutate policies).
  const mutated = kyvernoMutations(ctx.resources);
  const renderedReleases = new Set(ctx.resources.map((r) => r.origin?.helm?.release).filter((x): x is string => !!x));
  // The render.
  for (const r of ctx.resources) {
    const o = r.object;
    const name = o.metadata?.name;
    if (!o.kind || !name) continue;
    const g = apiGroup(o.apiVersion);
    add(g, { kind: o.kind, namespace: o.metadata?.namespace, name, resource: r, how: 'rendered' });
    if (g === '' && o.kind === 'Namespace') {
      const m = mutated.get(r);
      namespaces.set(name, {
        name,
        labels: { ...stringMap((m?.object ?? o).metadata?.labels), [nameLabel]: name },
        labelsKnown: true,
        resource: r,
        how: m ? `rendered, mutated by ${m.by.join(', ')}` : 'rendered',
      });
    }
    for (const p of controllerObjects(r)) add('', p);
    if (g === 'helm.toolkit.fluxcd.io' && o.kind === 'HelmRelease') {
      const ns = helmReleaseNamespace(r);
      if (ns === undefined) continue;
      // A rendered release's objects are in the render (origin.helm names it); an unrendered one's are unknown.
      if (!renderedReleases.has(`HelmRelease/${o.metadata?.namespace ?? 'default'}/${name}`)) {
        noteOpaque(ns, `${idOf(r)} is not rendered`);
        clusterOpaque ??= `${idOf(r)} is not rendered`;
      }
      const install = obj(obj(o.spec)?.install);
      if (install?.createNamespace === true && !namespaces.has(ns))
        namespaces.set(ns, {
          name: ns,
          labels: { [nameLabel]: ns },
          labelsKnown: true,
          resource: r,
          how: `created by ${idOf(r)} (install.createNamespace)`,
        });
    } else if (!isInert(facts, g, o.kind) && o.metadata?.namespace) {
      noteOpaque(o.metadata.namespace, `${idOf(r)} (${g}) may create objects the render does not show`);
    }
  }
  // Kustomizations that were not built (another repository, suspended, failed).
  for (const k of ctx.kustomizations) {
    if (!k.skipped && !k.errors?.length) continue;
    const spec = obj(k.object?.spec) ?? {};
    if (spec.kubeConfig !== undefined) continue;
    const why = `Kustomization ${k.id} was not ${k.skipped ? 'rendered' : 'built'}`;
    const ns = str(spec.targetNamespace) ?? k.object?.metadata?.namespace;
    if (ns) noteOpaque(ns, why);
    clusterOpaque ??= why;
  }
  // Namespaces: the platform's, then the ones objects use without a declaration.
  for (const ns of facts.namespaces)
    if (!namespaces.has(ns))
      namespaces.set(ns, { name: ns, labels: { [nameLabel]: ns }, labelsKnown: true, how: builtin });
  for (const r of ctx.resources) {
    const ns = r.object.metadata?.namespace;
    if (ns && !hasVariable(ns) && !namespaces.has(ns))
      namespaces.set(ns, {
        name: ns,
        labels: { [nameLabel]: ns },
        labelsKnown: false,
        how: `used by ${idOf(r)}, declared nowhere in the render`,
      });
  }
  for (const ns of namespaces.keys()) {
    for (const sa of facts.serviceAccountsPerNamespace)
      add('', { kind: 'ServiceAccount', namespace: ns, name: sa, how: 'created in every namespace by Kubernetes' });
    for (const cm of facts.configMapsPerNamespace)
      add('', { kind: 'ConfigMap', namespace: ns, name: cm, how: 'published in every namespace by Kubernetes' });
  }
  for (const pc of facts.priorityClasses) add('scheduling.k8s.io', { kind: 'PriorityClass', name: pc, how: builtin });
  for (const sc of facts.storageClasses ?? []) add('storage.k8s.io', { kind: 'StorageClass', name: sc, how: builtin });
  // Pods: rendered templates and the platform's DNS pods.
  const pods: PodFact[] = podTemplates(ctx.resources).map((t) => {
    const m = mutated.get(t.resource);
    const meta = (m && podTemplates([{ object: m.object, origin: t.resource.origin }])[0]?.meta) || t.meta;
    // The platform's webhooks add their labels and annotations to the pods they select.
    const hooks = facts.webhooks.filter((w) => labelSelectorMatches(w.podSelector, stringMap(meta.labels), 'nothing'));
    const by = [...(m?.by ?? []), ...hooks.map((w) => w.name)];
    return {
      namespace: t.namespace,
      labels: Object.assign(stringMap(meta.labels), ...hooks.map((w) => w.addsLabels)),
      annotations: Object.assign(stringMap(meta.annotations), ...hooks.map((w) => w.addsAnnotations)),
      containers: containersOf(t.spec).map((c) => ({ name: c.name, ports: containerPorts(c.raw) })),
      template: m ? { ...t, meta } : t,
      how: by.length ? `rendered, mutated by ${by.join(', ')}` : 'rendered',
    };
  });
  // Gatekeeper mutators are not applied: the pods and namespaces they match may carry more labels.
  for (const g of unappliedMutators(ctx.resources)) {
    const only = arr(obj(obj(g.object.spec)?.match)?.namespaces)
      .map(String)
      .filter((n) => !/[*]/.test(n));
    const why = `${idOf(g)} (Gatekeeper mutation, not modelled) may add labels or annotations`;
    for (const ns of only.length ? only : [...namespaces.keys()]) noteOpaque(ns, why);
  }
  pods.push({
    namespace: facts.dns.namespace,
    labels: facts.dns.podLabels,
    annotations: {},
    containers: [{ name: 'coredns', ports: facts.dns.ports }],
    how: `${builtin} DNS (${facts.dns.source.split(' ')[0]})`,
  });
  // The platform runs more pods in its DNS namespace than the model knows (CoreDNS only).
  noteOpaque(
    facts.dns.namespace,
    `${facts.dns.namespace} runs ${builtin.replace(' built-in', '')} system pods besides CoreDNS that are not modelled`,
  );
  // A namespace with no workload in the render gets its pods (and their Services) from elsewhere:
  // another pipeline, kubectl, an operator.
  const withWorkloads = new Set(pods.filter((p) => p.template).map((p) => p.namespace));
  for (const ns of namespaces.keys())
    if (!withWorkloads.has(ns) && ns !== facts.dns.namespace)
      noteOpaque(ns, `no workload of namespace ${ns} is in the render (its pods are deployed from elsewhere)`);

  return {
    platform,
    facts,
    namespaces,
    pods,
    // A namespaced object the render gives no namespace is applied to `default`.
    find: (group, kind, ns, name) =>
      providers.get(key(group, kind, ns, name)) ??
      (ns === 'default' ? providers.get(key(group, kind, undefined, name)) : undefined),
    all: (group, kind, ns) =>
      (byKind.get(`${group}/${kind}`) ?? []).filter((p) => ns === undefined || p.namespace === ns),
    opaque: (ns) => opaqueNs.get(ns),
    createdAtRunTime: runtimeCreators(
      ctx.resources,
      pods.flatMap((p) => (p.template ? [p.template] : [])),
    ),
    clusterOpaque,
    lineOf: fieldLines(ctx.fs),
  };
}

const MODELS = new WeakMap<object, ClusterModel>();

/** The model of a context, built once per context object. */
export function clusterModel(ctx: CheckContext): ClusterModel {
  let m = MODELS.get(ctx);
  if (!m) {
    m = buildClusterModel(ctx);
    MODELS.set(ctx, m);
  }
  return m;
}
