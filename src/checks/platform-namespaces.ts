/**
 * Which namespaces of a cluster belong to the platform rather than to a tenant, decided from what
 * creates their workloads, not from their names alone (issue #19, item 7):
 * - the well-known system names (kube-system, flux-system, `*-system`, ...) and `.aksfleet.yaml`
 *   `systemNamespaces`;
 * - a namespace a HelmRelease installs a platform add-on chart into (data/platform-addons.json:
 *   cert-manager, kube-prometheus-stack, system-upgrade-controller, ...);
 * - a namespace whose workloads all come from such a chart or carry such an
 *   `app.kubernetes.io/name` / `part-of` (the add-on applied as plain manifests);
 * - a namespace whose workloads all come from Flux Kustomizations that other Kustomizations
 *   depend on: the platform layer of the repository (`infrastructure` before `apps`).
 * In an aksfleet repository the tenant namespaces are the fleet's own list, so this serves plain
 * Flux repositories.
 */
import { readFileSync } from 'node:fs';
import { dataFile } from '../package-root.js';
import type { Resource } from '../resources/resource.js';
import { isFluxKustomization, isKind, isSystemNamespace, obj, podTemplates, str, FLUX_HELM_GROUP } from './k8s.js';
import type { CheckContext } from './types.js';

const ADDON_CHARTS: ReadonlySet<string> = new Set(
  (JSON.parse(readFileSync(dataFile('platform-addons.json'), 'utf8')) as { charts: string[] }).charts,
);

/** Chart names of platform add-ons (data/platform-addons.json). */
export function platformAddonCharts(): ReadonlySet<string> {
  return ADDON_CHARTS;
}

const MEMO = new WeakMap<object, ReadonlySet<string>>();

/** The namespaces of `ctx`'s render that the platform's own components run in (besides the system names). */
export function platformNamespaces(ctx: CheckContext): ReadonlySet<string> {
  const hit = MEMO.get(ctx);
  if (hit) return hit;
  const charts = platformAddonCharts();
  const out = new Set<string>();
  for (const r of ctx.resources) {
    const o = r.object;
    if (!isKind(o, 'HelmRelease', FLUX_HELM_GROUP)) continue;
    const spec = obj(o.spec);
    const chart = str(obj(obj(spec?.chart)?.spec)?.chart) ?? str(obj(spec?.chartRef)?.name) ?? o.metadata?.name;
    if (!chart || !charts.has(chart.split('/').pop()!)) continue;
    if (spec?.kubeConfig !== undefined) continue;
    const ns = str(spec?.targetNamespace) ?? o.metadata?.namespace;
    if (ns) out.add(ns);
  }
  const platformLayer = platformLayerResources(ctx);
  const byNs = new Map<string, Resource[]>();
  for (const p of podTemplates(ctx.resources)) {
    const list = byNs.get(p.namespace) ?? [];
    list.push(p.resource);
    byNs.set(p.namespace, list);
  }
  for (const [ns, workloads] of byNs) {
    if (workloads.every((w) => isAddonWorkload(w, charts) || platformLayer.has(w))) out.add(ns);
  }
  MEMO.set(ctx, out);
  return out;
}

/** A system name, `.aksfleet.yaml` systemNamespaces, or a namespace the platform's own components run in. */
export function isPlatformNamespace(ctx: CheckContext, ns: string): boolean {
  return isSystemNamespace(ctx, ns) || platformNamespaces(ctx).has(ns);
}

function isAddonWorkload(r: Resource, charts: ReadonlySet<string>): boolean {
  const chart = r.origin?.helm?.chart;
  if (chart && charts.has(chart.replace(/@.*$/, ''))) return true;
  const labels = r.object.metadata?.labels ?? {};
  const name = labels['app.kubernetes.io/name'];
  const partOf = labels['app.kubernetes.io/part-of'];
  return (name !== undefined && charts.has(name)) || (partOf !== undefined && charts.has(partOf));
}

/** Objects applied by a Flux Kustomization that another Kustomization of the cluster depends on. */
function platformLayerResources(ctx: CheckContext): ReadonlySet<Resource> {
  const dependedOn = new Set<string>();
  for (const k of ctx.kustomizations) {
    const o = k.object;
    if (!o || !isFluxKustomization(o)) continue;
    for (const d of Array.isArray(obj(o.spec)?.dependsOn) ? (obj(o.spec)!.dependsOn as unknown[]) : []) {
      const name = str(obj(d)?.name);
      if (name) dependedOn.add(`${str(obj(d)?.namespace) ?? o.metadata?.namespace ?? 'flux-system'}/${name}`);
    }
  }
  const out = new Set<Resource>();
  for (const k of ctx.kustomizations) if (dependedOn.has(k.id)) for (const r of k.resources) out.add(r);
  return out;
}
