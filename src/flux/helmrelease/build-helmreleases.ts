/**
 * Every HelmRelease a cluster's build applies (helm.toolkit.fluxcd.io v2, v2beta1, v2beta2), each
 * run through HELMRELEASE_STAGES, in helm-controller's reconcile order (`dependsOn` first, then by
 * namespace/name). A dependsOn that names no HelmRelease of the build is a warning (Flux would wait).
 */
import { runStages } from '../../pipeline/stages.js';
import { isPlainObject, type KObject, type Resource } from '../../resources/resource.js';
import { dependencyOrder } from '../build/dependency-order.js';
import { kubeConfigTarget } from '../build/kube-config-target.js';
import { HELMRELEASE_STAGES, helmReleaseState, type HelmReleaseContext } from './stages.js';
import type { HelmReleaseBuild } from './types.js';

export const HELMRELEASE_GROUP = 'helm.toolkit.fluxcd.io';
export const HELMRELEASE_VERSIONS = ['v2', 'v2beta1', 'v2beta2'] as const;

export function isHelmRelease(o: KObject): boolean {
  if (o.kind !== 'HelmRelease' || typeof o.apiVersion !== 'string') return false;
  const [group, version] = o.apiVersion.split('/');
  return group === HELMRELEASE_GROUP && (HELMRELEASE_VERSIONS as readonly string[]).includes(version ?? '');
}

/** Where a HelmRelease comes from in the cluster build. */
export interface AppliedHelmRelease {
  readonly resource: Resource;
  /** `namespace/name` of the Flux Kustomization ('' for the cluster path). */
  readonly kustomization: string;
  readonly chain: readonly string[];
}

function dependsOnOf(o: KObject): string[] {
  const spec = isPlainObject(o.spec) ? o.spec : {};
  const ns = o.metadata?.namespace || 'default';
  return (Array.isArray(spec.dependsOn) ? spec.dependsOn : [])
    .filter(isPlainObject)
    .map((d) => `${typeof d.namespace === 'string' && d.namespace ? d.namespace : ns}/${String(d.name ?? '')}`);
}

export function buildHelmReleases(applied: readonly AppliedHelmRelease[], ctx: HelmReleaseContext): HelmReleaseBuild[] {
  const byId = new Map<string, HelmReleaseBuild>();
  for (const a of applied) {
    const o = a.resource.object;
    const id = `${o.metadata?.namespace || 'default'}/${o.metadata?.name ?? ''}`;
    if (byId.has(id)) continue; // the first definition wins (a duplicate is the Kustomization build's to report)
    const s = helmReleaseState({
      object: o,
      ...(a.resource.origin ? { origin: a.resource.origin } : {}),
      kustomization: a.kustomization,
      chain: a.chain,
      ctx,
    });
    const tell = ctx.observe;
    runStages(
      HELMRELEASE_STAGES,
      s,
      ctx.timings,
      'helm/',
      tell &&
        ((stage, st) =>
          tell(
            `HelmRelease ${id}`,
            stage,
            st.resources.length ? st.resources.map((r) => r.object) : st.objects.map((x) => x.object),
          )),
    );
    const remote = kubeConfigTarget(o);
    byId.set(id, {
      id,
      name: s.name,
      namespace: s.namespace,
      object: o,
      ...(a.resource.origin ? { origin: a.resource.origin } : {}),
      kustomization: a.kustomization,
      ...s.names,
      dependsOn: dependsOnOf(o),
      ...(s.chartName || s.chart
        ? {
            chart: {
              name: s.chart?.metadata.name ?? s.chartName,
              ...(s.chart ? { version: s.chart.metadata.version } : {}),
              ...(s.found ? { digest: s.found.digest, location: s.found.location, source: s.found.source } : {}),
            },
          }
        : {}),
      status: s.status,
      ...(s.noChartStore ? { noChartStore: true as const } : {}),
      ...(remote ? { remote } : {}),
      resources: s.resources,
      ...(s.hooks.length ? { hooks: s.hooks } : {}),
      errors: s.errors,
      warnings: s.warnings,
    });
  }
  const dep = dependencyOrder([...byId.values()].map((b) => ({ id: b.id, dependsOn: b.dependsOn })));
  for (const [id, missing] of dep.missing) {
    const b = byId.get(id)!;
    for (const m of missing) {
      b.warnings.push({
        message: `dependsOn ${m} is not a HelmRelease of this cluster's build; helm-controller would wait for it`,
        fieldPath: 'spec.dependsOn',
        file: b.origin?.file,
        line: b.origin?.line,
        object: `HelmRelease/${b.id}`,
      });
    }
  }
  for (const cyc of dep.cycles) {
    for (const id of new Set(cyc)) {
      const b = byId.get(id)!;
      b.errors.push({
        message: `dependsOn cycle: ${cyc.join(' -> ')}; none of these HelmReleases would ever become ready`,
        fieldPath: 'spec.dependsOn',
        file: b.origin?.file,
        line: b.origin?.line,
        object: `HelmRelease/${b.id}`,
      });
    }
  }
  return dep.order.map((id) => byId.get(id)!);
}
