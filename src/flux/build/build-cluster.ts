/**
 * Builds, offline, everything Flux applies to one cluster: the cluster path, the Flux
 * Kustomizations it defines, and recursively the ones they define (like
 * `flux build ks --recursive`), each with Flux's generator, postBuild, owner labels,
 * commonMetadata and normalisation. Reports every problem at once; never stops at the first.
 */
import type { RepoFs } from '../../repo/repo-fs.js';
import { resolveRel } from '../../repo/repo-fs.js';
import { InputError } from '../../errors.js';
import { isPlainObject, resourceId, type KObject, type Resource } from '../../resources/resource.js';
import { isFluxKustomization, type FluxKustomizationSpec } from '../types.js';
import { buildFluxKustomization } from './build-kustomization.js';
import { SourceResolver } from './source-resolver.js';
import { dependencyOrder } from './dependency-order.js';
import { pickClusterSync } from '../source/this-repository.js';
import type { VariableSources } from '../substitute/index.js';
import type {
  BuildClusterOptions,
  BuildIssue,
  ClusterBuild,
  KustomizationBuild,
  ResourceSetRecord,
  SourceRefInfo,
} from './types.js';
import {
  expandResourceSet,
  isInputProvider,
  isResourceSet,
  resourceSetDependsOn,
  resourceSetId,
} from '../resourceset/expand.js';
import { buildHelmReleases, isHelmRelease, type AppliedHelmRelease } from '../helmrelease/build-helmreleases.js';
import { clusterScopedKinds, crdApiVersions } from '../helmrelease/post-render.js';
import type { HelmReleaseBuild } from '../helmrelease/types.js';

const SOURCE_GROUPS = ['source.toolkit.fluxcd.io', 'source.extensions.fluxcd.io'];

interface QueueItem {
  readonly object: KObject;
  readonly origin?: Resource['origin'];
  readonly parent?: string;
  readonly chain: string[];
  readonly isRoot: boolean;
  /** Defined by a Kustomization that applies to another cluster (spec.kubeConfig). */
  readonly viaRemote?: boolean;
}

const nsOf = (o: KObject) => o.metadata?.namespace || 'default';
const idOf = (o: KObject) => `${nsOf(o)}/${o.metadata?.name ?? ''}`;
const specOf = (o: KObject): FluxKustomizationSpec => (isPlainObject(o.spec) ? (o.spec as FluxKustomizationSpec) : {});

export function sourceRefOf(o: KObject): SourceRefInfo {
  const ref = specOf(o).sourceRef;
  const r = isPlainObject(ref) ? ref : {};
  const kind = typeof r.kind === 'string' && r.kind ? r.kind : 'GitRepository';
  const namespace = typeof r.namespace === 'string' && r.namespace ? r.namespace : nsOf(o);
  const name = typeof r.name === 'string' ? r.name : '';
  return { kind, namespace, name, id: `${kind}/${namespace}/${name}` };
}

function dependsOnOf(o: KObject): string[] {
  const d = specOf(o).dependsOn;
  if (!Array.isArray(d)) return [];
  return d
    .filter(isPlainObject)
    .map((x) => `${typeof x.namespace === 'string' && x.namespace ? x.namespace : nsOf(o)}/${String(x.name ?? '')}`);
}

/** The repo-relative cluster path for the options (`--path` or `clusters/<name>`). */
export function clusterPath(opts: BuildClusterOptions): string {
  if ((opts.path === undefined) === (opts.cluster === undefined)) {
    throw new InputError('give exactly one of --path P or --cluster NAME');
  }
  const p =
    opts.path !== undefined
      ? resolveRel('', opts.path, '--path')
      : resolveRel('', `clusters/${opts.cluster}`, '--cluster');
  return p;
}

export function buildCluster(repo: RepoFs, opts: BuildClusterOptions): ClusterBuild {
  const rootPath = clusterPath(opts);
  if (!repo.isDir(rootPath)) {
    const hint =
      opts.cluster !== undefined
        ? ` (--cluster ${opts.cluster} reads clusters/${opts.cluster}; use --path for another layout)`
        : '';
    throw new InputError(`cluster path '${rootPath || '.'}' is not a directory of the repository${hint}`, {
      pos: { file: rootPath || '.' },
    });
  }
  opts.onBuild?.(repo, rootPath);
  const sources = new SourceResolver(repo, opts.sources);
  const allowMissingVars = opts.allowMissingVars === true;

  // Objects the cluster would have, for substituteFrom.
  const produced = new Map<string, KObject>();
  const record = (rs: readonly Resource[]) => {
    for (const r of rs) {
      const o = r.object;
      if (!o.kind || !o.metadata?.name) continue;
      if (o.kind === 'ConfigMap' || o.kind === 'Secret') {
        const k = `${o.kind}/${nsOf(o)}/${o.metadata.name}`;
        if (!produced.has(k)) produced.set(k, o);
      }
      const group = (o.apiVersion ?? '').split('/')[0]!;
      if (SOURCE_GROUPS.includes(group)) sources.addSourceObject(`${o.kind}/${nsOf(o)}/${o.metadata.name}`, o);
      if (group === 'source.extensions.fluxcd.io' && o.kind === 'ArtifactGenerator') sources.addArtifactGenerator(o);
    }
  };
  const variables: VariableSources = {
    find: (kind, ns, name) => produced.get(`${kind}/${ns}/${name}`),
    ...(opts.vars ? { varsFile: opts.vars } : {}),
  };

  // 1. The cluster path as it is.
  const repoFs = sources.fsFor('');
  const plain = buildFluxKustomization({
    name: '',
    namespace: '',
    spec: {},
    fs: repoFs,
    dir: rootPath,
    chain: [],
    variables,
    allowMissingVars,
    plain: true,
    memo: opts.memo,
    timings: opts.timings,
    ...(opts.observe ? { observe: opts.observe } : {}),
  });
  const clusterErrors: BuildIssue[] = [];
  const root = {
    path: rootPath,
    resources: plain.resources,
    generated: plain.generated,
    ...(plain.kustomization ? { kustomization: plain.kustomization } : {}),
    errors: plain.errors,
    warnings: plain.warnings,
  } as ClusterBuild['root'] & { syncedBy?: string; resources: Resource[] };
  record(plain.resources);
  const rootLevel = plain.resources.filter((r) => isFluxKustomization(r.object));

  // 2. The Kustomization that syncs the cluster path (its source is this repository).
  const syncs = rootLevel.filter((r) => {
    const p = specOf(r.object).path;
    try {
      return resolveRel('', typeof p === 'string' ? p : '') === rootPath;
    } catch {
      return false;
    }
  });
  const queue: QueueItem[] = [];
  // Which of them syncs from this repository: decided as Flux bootstrap does (this-repository.ts).
  const rootSources = new Map(
    plain.resources.map((r) => [`${r.object.kind}/${nsOf(r.object)}/${r.object.metadata?.name ?? ''}`, r.object]),
  );
  const sync = pickClusterSync(
    syncs.map((r) => ({ ...r, sourceId: sourceRefOf(r.object).id })),
    (id) => rootSources.get(id),
    repo.remoteUrls,
  );
  if (sync) {
    sources.addThisRepo(sourceRefOf(sync.object).id);
    root.syncedBy = idOf(sync.object);
    root.resources = [];
    queue.push({ object: sync.object, origin: sync.origin, chain: [idOf(sync.object)], isRoot: true });
  } else {
    for (const r of rootLevel)
      queue.push({ object: r.object, origin: r.origin, chain: [idOf(r.object)], isRoot: false });
  }

  // 3. Build the queue; a Kustomization whose substituteFrom is not produced yet waits for the others.
  const builds: KustomizationBuild[] = [];
  const seen = new Map<string, string[]>();
  const blocked = (it: QueueItem): boolean => {
    const from = specOf(it.object).postBuild?.substituteFrom;
    if (!Array.isArray(from)) return false;
    return from.some(
      (r) =>
        isPlainObject(r) &&
        r.optional !== true &&
        !produced.has(`${String(r.kind)}/${nsOf(it.object)}/${String(r.name)}`),
    );
  };
  let deferred: QueueItem[] = [];
  const drain = () => {
    while (queue.length > 0 || deferred.length > 0) {
      let item = queue.shift();
      if (!item) {
        item = deferred.shift()!;
      } else if (blocked(item)) {
        deferred.push(item);
        continue;
      }
      const id = idOf(item.object);
      const first = seen.get(id);
      if (first) {
        clusterErrors.push({
          message:
            `Flux Kustomization ${id} is defined twice: by ` +
            `${first.slice(0, -1).join(' -> ') || 'the cluster path'} and by ` +
            `${item.chain.slice(0, -1).join(' -> ') || 'the cluster path'}; Flux would apply both definitions ` +
            `in turn`,
          file: item.origin?.file,
          line: item.origin?.line,
          object: resourceId(item.object),
          chain: item.chain,
        });
        continue;
      }
      seen.set(id, item.chain);
      const b = buildOne(item);
      builds.push(b);
      // Objects applied to another cluster (spec.kubeConfig) are not there for substituteFrom,
      // which kustomize-controller reads on its own cluster.
      if (b.resources.length && !b.remote) {
        record(b.resources);
        if (deferred.length) {
          queue.push(...deferred);
          deferred = [];
        }
      }
      for (const r of b.resources) {
        if (!isFluxKustomization(r.object)) continue;
        const cid = idOf(r.object);
        if (cid === id) continue; // a Kustomization that manages itself (flux-system)
        if (item.chain.includes(cid)) {
          const cyc = [...item.chain.slice(item.chain.indexOf(cid)), cid];
          clusterErrors.push({
            message: `Kustomization recursion cycle: ${cyc.join(' -> ')}`,
            file: r.origin?.file,
            line: r.origin?.line,
            object: resourceId(r.object),
            chain: [...item.chain, cid],
          });
          continue;
        }
        queue.push({
          object: r.object,
          origin: r.origin,
          parent: id,
          chain: [...item.chain, cid],
          isRoot: false,
          ...(b.remote ? { viaRemote: true } : {}),
        });
      }
    }
  };

  // 3b. Flux Operator ResourceSets, once every Kustomization that can be built is (their input
  // providers may come from any of them): each is expanded into the objects the operator applies,
  // added to the Kustomization that applies it; the Kustomizations it generates are built in turn.
  const resourceSets: ResourceSetRecord[] = [];
  const expandedSets = new Set<string>();
  const expandResourceSets = (): boolean => {
    const owners = [
      ...(sync
        ? []
        : [
            {
              id: '',
              resources: root.resources,
              errors: root.errors,
              warnings: root.warnings,
              chain: [] as readonly string[],
              remote: false,
            },
          ]),
      ...builds.map((b) => ({
        id: b.id,
        resources: b.resources,
        errors: b.errors,
        warnings: b.warnings,
        chain: b.chain,
        remote: b.remote,
      })),
    ];
    const providers = owners.flatMap((o) => o.resources.map((r) => r.object).filter(isInputProvider));
    let progressed = false;
    for (const owner of owners) {
      for (const r of [...owner.resources]) {
        if (!isResourceSet(r.object) || expandedSets.has(resourceSetId(r.object))) continue;
        const x = expandResourceSet(r.object, r.origin, {
          providers,
          ...(opts.engines ? { engines: opts.engines } : {}),
        });
        expandedSets.add(x.id);
        const at = { file: r.origin?.file, line: r.origin?.line, object: x.id, chain: owner.chain };
        const name = x.id.slice('ResourceSet/'.length);
        resourceSets.push({
          id: x.id,
          kustomization: owner.id,
          status: x.status,
          objects: x.resources.length,
          ...(x.inputs !== undefined ? { inputs: x.inputs } : {}),
          ...(x.reason ? { reason: x.reason } : {}),
          ...(r.origin?.file ? { file: r.origin.file } : {}),
          ...(r.origin?.line !== undefined ? { line: r.origin.line } : {}),
        });
        if (x.status === 'failed') {
          owner.errors.push({
            ...at,
            ...(x.fieldPath ? { fieldPath: x.fieldPath } : {}),
            message: `ResourceSet ${name} does not expand (the Flux Operator would fail too): ${x.reason}`,
          });
          continue;
        }
        if (x.status === 'not-followed') {
          owner.warnings.push({
            ...at,
            ...(x.fieldPath ? { fieldPath: x.fieldPath } : {}),
            message:
              `ResourceSet ${name} is not expanded offline: ${x.reason}; the objects the Flux Operator ` +
              `generates from it are not built or checked`,
          });
          continue;
        }
        for (const n of x.notes) owner.warnings.push({ ...at, message: `ResourceSet ${name}: ${n}` });
        const generated = x.resources.map((g) => ({
          ...g,
          origin: { ...g.origin!, ...(owner.id ? { fluxKustomization: owner.id } : {}) },
        }));
        owner.resources.push(...generated);
        progressed = true;
        if (!owner.remote) record(generated);
        for (const g of generated) {
          if (!isFluxKustomization(g.object)) continue;
          const cid = idOf(g.object);
          queue.push({
            object: g.object,
            origin: g.origin,
            ...(owner.id ? { parent: owner.id } : {}),
            chain: [...owner.chain, cid],
            isRoot: false,
            ...(owner.remote ? { viaRemote: true } : {}),
          });
        }
      }
    }
    return progressed;
  };
  do drain();
  while (expandResourceSets());
  // A ResourceSet waits for its dependsOn objects: one the build does not have would hold it forever.
  if (resourceSets.length) {
    const everything = [...root.resources, ...builds.flatMap((b) => b.resources)];
    const have = new Set(
      everything.flatMap((r) => {
        const o = r.object;
        return [
          `${o.kind}/${nsOf(o)}/${o.metadata?.name ?? ''}`,
          ...(o.metadata?.namespace ? [] : [`${o.kind}//${o.metadata?.name ?? ''}`]),
        ];
      }),
    );
    for (const rec of resourceSets) {
      const rs = everything.find((r) => isResourceSet(r.object) && resourceSetId(r.object) === rec.id);
      const owner = rec.kustomization === '' ? root : builds.find((b) => b.id === rec.kustomization);
      if (!rs || !owner) continue;
      for (const [i, d] of resourceSetDependsOn(rs.object).entries()) {
        const [kind, , ...rest] = d.split('/');
        if (have.has(d) || have.has(`${kind}//${rest.join('/')}`)) continue;
        owner.warnings.push({
          file: rec.file,
          line: rec.line,
          object: rec.id,
          fieldPath: `spec.dependsOn[${i}]`,
          message:
            `ResourceSet ${rec.id.slice('ResourceSet/'.length)} depends on ${d}, which is not in this ` +
            `cluster's build: the Flux Operator waits for it (created in the cluster?)`,
        });
      }
    }
  }

  function buildOne(item: QueueItem): KustomizationBuild {
    const o = item.object;
    const spec = specOf(o);
    const name = o.metadata?.name ?? '';
    const namespace = nsOf(o);
    const sourceRef = sourceRefOf(o);
    const base = {
      ks: `Kustomization/${namespace}/${name}`,
      id: `${namespace}/${name}`,
      name,
      namespace,
      object: o,
      ...(item.origin ? { origin: item.origin } : {}),
      isRoot: item.isRoot,
      ...(item.parent ? { parent: item.parent } : {}),
      chain: item.chain,
      sourceRef,
      dependsOn: dependsOnOf(o),
      suspended: spec.suspend === true,
      remote: (spec.kubeConfig !== undefined && spec.kubeConfig !== null) || item.viaRemote === true,
    };
    const at = { file: item.origin?.file, line: item.origin?.line, chain: item.chain };
    if (base.suspended) {
      return {
        ...base,
        status: 'suspended',
        resources: [],
        errors: [],
        warnings: [{ ...at, message: 'spec.suspend is true: Flux does not reconcile it; not built' }],
      };
    }
    const src = sources.resolve(sourceRef);
    if (!src.ok) {
      return {
        ...base,
        status: 'not-buildable',
        resources: [],
        errors: [],
        warnings: [{ ...at, fieldPath: 'spec.sourceRef', message: src.reason }],
      };
    }
    let dir: string;
    try {
      dir = resolveRel('', typeof spec.path === 'string' ? spec.path : '', 'spec.path');
    } catch (e) {
      return {
        ...base,
        sourceRoot: src.root,
        status: 'failed',
        resources: [],
        errors: [{ ...at, fieldPath: 'spec.path', message: (e as Error).message }],
        warnings: [],
      };
    }
    const out = buildFluxKustomization({
      name,
      namespace,
      spec,
      fs: src.fs,
      dir,
      chain: item.chain,
      variables,
      allowMissingVars,
      memo: opts.memo,
      timings: opts.timings,
      ...(opts.observe ? { observe: opts.observe } : {}),
      ...(item.origin?.file
        ? { origin: { file: item.origin.file, ...(item.origin.line !== undefined ? { line: item.origin.line } : {}) } }
        : {}),
    });
    return {
      ...base,
      sourceRoot: src.root,
      path: src.fs.repoPath(dir),
      status: out.errors.length ? 'failed' : 'built',
      ...(out.generated ? { generated: out.generated } : {}),
      ...(out.kustomization ? { kustomization: out.kustomization } : {}),
      resources: out.resources,
      errors: out.errors,
      warnings: out.warnings,
      ...(out.substitution ? { substitution: out.substitution } : {}),
      ...(out.applyModes ? { applyModes: out.applyModes } : {}),
    };
  }

  // 4. Reconcile order: parents and dependsOn first, then by namespace/name.
  const byId = new Map(builds.map((b) => [b.id, b]));
  const dep = dependencyOrder(
    builds.map((b) => ({ id: b.id, dependsOn: [...b.dependsOn, ...(b.parent ? [b.parent] : [])] })),
  );
  for (const [id, missing] of dep.missing) {
    const b = byId.get(id)!;
    for (const m of missing) {
      b.errors.push({
        message: `dependsOn ${m} is not a Kustomization of this cluster build; Flux would wait for it forever`,
        fieldPath: 'spec.dependsOn',
        file: b.origin?.file,
        line: b.origin?.line,
        chain: b.chain,
      });
    }
  }
  for (const cyc of dep.cycles) {
    const msg = `dependsOn cycle: ${cyc.join(' -> ')}; none of these Kustomizations would ever become ready`;
    clusterErrors.push({ message: msg, chain: cyc });
    for (const id of new Set(cyc)) {
      const b = byId.get(id)!;
      b.errors.push({
        message: msg,
        fieldPath: 'spec.dependsOn',
        file: b.origin?.file,
        line: b.origin?.line,
        chain: b.chain,
      });
    }
  }
  const kustomizations = dep.order
    .map((id) => byId.get(id)!)
    .map((b) => (b.errors.length && b.status === 'built' ? { ...b, status: 'failed' as const } : b));

  // 5. What each HelmRelease of the build installs (src/flux/helmrelease).
  const helmReleases = helmStage(root.resources, kustomizations);
  return {
    ...(opts.cluster !== undefined ? { cluster: opts.cluster } : {}),
    root,
    kustomizations,
    errors: clusterErrors,
    helmReleases,
    ...(resourceSets.length ? { resourceSets } : {}),
  };

  function helmStage(rootResources: readonly Resource[], ks: readonly KustomizationBuild[]): HelmReleaseBuild[] {
    const applied: AppliedHelmRelease[] = [
      ...rootResources
        .filter((r) => isHelmRelease(r.object))
        .map((r) => ({ resource: r, kustomization: '', chain: [] })),
      ...ks.flatMap((k) =>
        k.resources
          .filter((r) => isHelmRelease(r.object))
          .map((r) => ({ resource: r, kustomization: k.id, chain: k.chain })),
      ),
    ];
    if (applied.length === 0) return [];
    const objects = new Map<string, KObject>();
    const all = [...rootResources, ...ks.flatMap((k) => k.resources)];
    for (const r of all) {
      const o = r.object;
      const k = `${o.kind ?? ''}/${nsOf(o)}/${o.metadata?.name ?? ''}`;
      if (!objects.has(k)) objects.set(k, o);
    }
    const crds = all.map((r) => r.object);
    const helm = opts.helm ?? {};
    for (const o of helm.clusterObjects ?? []) {
      const k = `${o.kind ?? ''}/${nsOf(o)}/${o.metadata?.name ?? ''}`;
      if (!objects.has(k)) objects.set(k, o);
    }
    return buildHelmReleases(applied, {
      enabled: helm.enabled !== false,
      ...(opts.engines ? { engines: opts.engines } : {}),
      ...(helm.store ? { store: helm.store } : {}),
      ...(helm.kubeVersion ? { kubeVersion: helm.kubeVersion } : {}),
      ...(helm.cache ? { cache: helm.cache } : {}),
      ...(helm.renderStore ? { renderStore: helm.renderStore } : {}),
      ...(opts.timings ? { timings: opts.timings } : {}),
      ...(opts.observe ? { observe: opts.observe } : {}),
      findObject: (kind, ns, name) => objects.get(`${kind}/${ns}/${name}`),
      artifact: (ref) => {
        const r = sources.resolve(ref);
        return r.ok ? { ok: true, fs: r.fs } : { ok: false, reason: r.reason };
      },
      clusterApiVersions: crdApiVersions(crds),
      clusterScoped: clusterScopedKinds(crds),
    });
  }
}

/**
 * Everything the cluster gets, in reconcile order: root objects, then each Kustomization's, each
 * followed by the objects its HelmReleases install.
 */
export function allResources(b: ClusterBuild): Resource[] {
  const charts = new Map<string, Resource[]>();
  for (const h of b.helmReleases ?? [])
    (charts.get(h.kustomization) ?? charts.set(h.kustomization, []).get(h.kustomization)!).push(...h.resources);
  return [
    ...b.root.resources,
    ...(charts.get('') ?? []),
    ...b.kustomizations.flatMap((k) => [...k.resources, ...(charts.get(k.id) ?? [])]),
  ];
}

/** Every error of the build (root, cluster-level, per Kustomization, per HelmRelease). */
export function allErrors(b: ClusterBuild): BuildIssue[] {
  return [
    ...b.root.errors,
    ...b.errors,
    ...b.kustomizations.flatMap((k) => k.errors),
    ...(b.helmReleases ?? []).flatMap((h) => h.errors),
  ];
}

/** Every warning of the build (root, per Kustomization, per HelmRelease). */
export function allWarnings(b: ClusterBuild): BuildIssue[] {
  return [
    ...b.root.warnings,
    ...b.kustomizations.flatMap((k) => k.warnings),
    ...(b.helmReleases ?? []).flatMap((h) => h.warnings),
  ];
}
