/**
 * Small readers over rendered objects that several rules share: pod templates of workloads,
 * containers, image references, namespaces (label selectors: src/resources/label-selector.ts).
 * Pure, tolerant of malformed input (the schema rule reports malformed objects; the other rules
 * skip what they cannot read).
 */
import { splitImage } from '../resources/image-ref.js';
import { apiGroup, isPlainObject, type KObject, type Resource } from '../resources/resource.js';
import type { CheckContext } from './types.js';

/** Namespaces that belong to the platform, never to a tenant. */
export const SYSTEM_NAMESPACES: readonly string[] = [
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'flux-system',
  'gatekeeper-system',
  'kyverno',
  'cert-manager',
  'velero',
  'monitoring',
  'calico-system',
  'tigera-operator',
  'cilium',
  'aks-command',
  'app-routing-system',
  'envoy-gateway-system',
  'ingress-nginx',
  'kube-prometheus-stack',
  'secrets-store-csi-driver',
];

export function isSystemNamespace(ctx: Pick<CheckContext, 'config'>, ns: string): boolean {
  return SYSTEM_NAMESPACES.includes(ns) || ns.endsWith('-system') || ctx.config.systemNamespaces.includes(ns);
}

export function obj(v: unknown): Record<string, unknown> | undefined {
  return isPlainObject(v) ? v : undefined;
}
export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function isKind(o: KObject, kind: string, group?: string): boolean {
  return o.kind === kind && (group === undefined || apiGroup(o.apiVersion) === group);
}

export const FLUX_KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
export const FLUX_SOURCE_GROUP = 'source.toolkit.fluxcd.io';
export const FLUX_HELM_GROUP = 'helm.toolkit.fluxcd.io';

export function isFluxKustomization(o: KObject): boolean {
  return isKind(o, 'Kustomization', FLUX_KUSTOMIZE_GROUP);
}

/** A workload's pod template (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob) or a Pod's spec. */
export interface PodTemplate {
  readonly resource: Resource;
  readonly kind: string;
  /** Template metadata (labels, annotations); for a Pod its own metadata. */
  readonly meta: Record<string, unknown>;
  readonly spec: Record<string, unknown>;
  /** spec.replicas for replicated workloads (default 1). */
  readonly replicas?: number;
  readonly namespace: string;
}

const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod'];

export function podTemplates(resources: readonly Resource[]): PodTemplate[] {
  const out: PodTemplate[] = [];
  for (const r of resources) {
    const o = r.object;
    if (!o.kind || !WORKLOAD_KINDS.includes(o.kind)) continue;
    const group = apiGroup(o.apiVersion);
    if (o.kind === 'Pod' ? group !== '' : !['apps', 'batch'].includes(group)) continue;
    const ns = o.metadata?.namespace ?? 'default';
    const spec = obj(o.spec);
    if (!spec) continue;
    if (o.kind === 'Pod') {
      out.push({ resource: r, kind: 'Pod', meta: obj(o.metadata) ?? {}, spec, namespace: ns });
      continue;
    }
    const tmpl = o.kind === 'CronJob' ? obj(obj(obj(spec.jobTemplate)?.spec)?.template) : obj(spec.template);
    const pspec = obj(tmpl?.spec);
    if (!tmpl || !pspec) continue;
    const replicas = ['Deployment', 'StatefulSet', 'ReplicaSet'].includes(o.kind)
      ? typeof spec.replicas === 'number'
        ? spec.replicas
        : 1
      : undefined;
    out.push({ resource: r, kind: o.kind, meta: obj(tmpl.metadata) ?? {}, spec: pspec, replicas, namespace: ns });
  }
  return out;
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly init: boolean;
  readonly raw: Record<string, unknown>;
}

export function containersOf(spec: Record<string, unknown>): Container[] {
  const out: Container[] = [];
  for (const [field, init] of [
    ['initContainers', true],
    ['containers', false],
  ] as const) {
    for (const c of arr(spec[field])) {
      const co = obj(c);
      if (!co) continue;
      out.push({ name: str(co.name) ?? '<unnamed>', image: str(co.image), init, raw: co });
    }
  }
  return out;
}

/** A parsed image reference. `registry` is `docker.io` when the reference names none. */
export interface ImageRef {
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
  /** Contains `${...}`: a Flux substitution variable that was not resolved offline. */
  readonly templated: boolean;
}

export function parseImage(ref: string): ImageRef {
  const templated = /\$\{[^}]*\}|\{\{/.test(ref);
  const { name, tag, digest } = splitImage(ref);
  let rest = name;
  const slash = rest.indexOf('/');
  let registry = 'docker.io';
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('${')) {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  return { registry: registry.toLowerCase(), repository: rest, tag, digest, templated };
}

/** Does `image` come from `prefix` (a registry host, or host/path prefix)? */
export function imageMatchesPrefix(image: ImageRef, prefix: string): boolean {
  const p = prefix.toLowerCase().replace(/\/+$/, '');
  const full = `${image.registry}/${image.repository}`.toLowerCase();
  return full === p || full.startsWith(`${p}/`) || image.registry === p;
}

/** Namespaces the cluster's objects live in (declared Namespaces and namespaces objects use). */
export function declaredNamespaces(resources: readonly Resource[]): Resource[] {
  return resources.filter((r) => isKind(r.object, 'Namespace', '') && r.object.metadata?.name);
}

/** `${VAR}` references left in a value (Flux postBuild variables not resolvable offline). */
export function hasVariable(v: string): boolean {
  return /\$\{[^}]+\}/.test(v);
}

/**
 * A file that stands for a cluster directory in findings (code scanning needs a file, not a
 * directory): its kustomization file, else its first YAML file (depth-first, sorted), else the path.
 */
export function dirAnchor(
  fs: { isFile(p: string): boolean; isDir(p: string): boolean; list(p: string): string[] } | undefined,
  dir: string,
): string {
  if (!fs) return dir;
  const walk = (d: string, depth: number): string | undefined => {
    for (const k of ['kustomization.yaml', 'kustomization.yml', 'Kustomization'])
      if (fs.isFile(d ? `${d}/${k}` : k)) return d ? `${d}/${k}` : k;
    const names = fs.list(d);
    for (const n of names) {
      const p = d ? `${d}/${n}` : n;
      if (/\.ya?ml$/.test(n) && fs.isFile(p)) return p;
    }
    if (depth > 4) return undefined;
    for (const n of names) {
      const p = d ? `${d}/${n}` : n;
      if (!n.startsWith('.') && fs.isDir(p)) {
        const f = walk(p, depth + 1);
        if (f) return f;
      }
    }
    return undefined;
  };
  return walk(dir, 0) ?? dir;
}
