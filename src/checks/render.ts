/**
 * From a repository to check contexts: discover the clusters, build each with the Flux engine
 * (src/flux buildCluster), and read the fleet spec and Azure-side facts when the repository
 * is an aksfleet one. Build problems become data (kustomization-builds findings), not crashes.
 */
import { InputError } from '../errors.js';
import {
  allResources,
  buildCluster,
  substitutedSecretValues,
  type ClusterBuild,
  type KustomizationBuild,
} from '../flux/index.js';
import { secretValuesOf } from '../resources/mask.js';
import type { BuildClusterOptions, FluxEngineOptions } from '../flux/build/types.js';
import { environmentOf, OUTPUT_VARS } from '../model/fleet-model.js';
import { identityClientIdVar } from '../spec/identities.js';
import type { RepoFs } from '../repo/repo-fs.js';
import type { KObject, Resource } from '../resources/resource.js';
import { resolveRel } from '../repo/repo-fs.js';
import { validateFleet } from '../spec/load.js';
import type { Fleet } from '../spec/schema.js';
import { parseYamlDocuments } from '../yaml/parse.js';
import type { CheckConfig } from './config.js';
import { findClusters, yamlFiles, type DiscoveredCluster } from '../discovery/find-clusters.js';
import { infraFromFleet, infraFromRepo } from './infra.js';
import type { BuildProblem, CheckContext, InfraInfo, RenderedKustomization } from './types.js';
import { unfollowedOf, type Unfollowed } from '../flux/source/unfollowed.js';
import { assumedMinor } from '../schemas/k8s-openapi.js';
import { kustomizationTargets } from '../flux/build/resources-by-target.js';
import { missingVariableMessage } from '../flux/build/missing-variables.js';

export const FLEET_FILE = 'fleet.yaml';

export interface LoadedFleet {
  readonly fleet: Fleet;
  readonly infra: InfraInfo;
  /** Output variables (aksfleet-outputs keys) per cluster, from infra/ when present. */
  readonly outputsByCluster: Readonly<Record<string, readonly string[]>>;
}

/** fleet.yaml at the repository root, if it is an aksfleet Fleet. Bad specs are input errors. */
export function loadRepoFleet(fs: RepoFs): LoadedFleet | undefined {
  if (!fs.isFile(FLEET_FILE)) return undefined;
  const text = fs.readFile(FLEET_FILE);
  const docs = parseYamlDocuments(text, FLEET_FILE);
  const doc = docs[0];
  const v = doc?.value as { kind?: unknown; apiVersion?: unknown } | undefined;
  if (!doc || v?.kind !== 'Fleet' || typeof v.apiVersion !== 'string' || !v.apiVersion.startsWith('aksfleet.dev/'))
    return undefined;
  const fleet = validateFleet(doc.value, FLEET_FILE, doc);
  const { infra, outputsByCluster } = infraFromRepo(infraFromFleet(fleet, FLEET_FILE, doc), fs);
  return { fleet, infra, outputsByCluster };
}

/** Values of the IaC outputs (written into the cluster by infra) kept as `${NAME}` references. */
export function fleetOutputVars(fleet: Fleet, fromInfra: readonly string[] = []): Record<string, string> {
  const names = new Set<string>([...Object.values(OUTPUT_VARS), ...fromInfra]);
  for (const t of fleet.spec.tenants) for (const wi of t.workloadIdentities) names.add(identityClientIdVar(wi));
  return Object.fromEntries([...names].sort().map((n) => [n, `\${${n}}`]));
}

function isProductionName(name: string): boolean {
  return /(^|[-_.])(prod|production|prd)([-_.]|$)/i.test(name);
}

function problems(
  issues: readonly { message: string; file?: string; line?: number; object?: string }[],
): BuildProblem[] {
  return issues.map((i) => ({
    message: i.message,
    ...(i.file ? { file: i.file } : {}),
    ...(i.line ? { line: i.line } : {}),
    ...(i.object ? { object: i.object } : {}),
  }));
}

/** The build's warning for kustomization fields Flux drops (src/flux/build/build-kustomization.ts). */
const IGNORED_FIELDS = /^unknown kustomization fields ignored by Flux/;

/** The problems of the HelmReleases a Kustomization ('' : the cluster path) applies that did not render. */
function unrenderedHelm(build: ClusterBuild, ks: string): RenderedKustomization['unrenderedHelmReleases'] {
  const out = build.helmReleases
    .filter((h) => h.kustomization === ks && (h.status === 'failed' || h.status === 'chart-unavailable'))
    .flatMap((h) =>
      problems(h.status === 'failed' ? h.errors : h.warnings.filter((w) => /not rendered/.test(w.message))).map(
        (p) => ({
          ...p,
          status: h.status as 'failed' | 'chart-unavailable',
          ...(h.noChartStore ? { noChartStore: true as const } : {}),
        }),
      ),
    );
  return out.length ? out : undefined;
}

/** The ResourceSets a Kustomization ('' : the cluster path) applies that were not expanded offline. */
function unexpandedSets(build: ClusterBuild, ks: string): BuildProblem[] | undefined {
  const out = (build.resourceSets ?? [])
    .filter((r) => r.kustomization === ks && r.status === 'not-followed')
    .map((r) => ({
      message: `${r.id}: not expanded offline: ${r.reason ?? 'its inputs are only known in the cluster'}; the objects the Flux Operator generates from it are not built or checked`,
      object: r.id,
      ...(r.file ? { file: r.file } : {}),
      ...(r.line !== undefined ? { line: r.line } : {}),
    }));
  return out.length ? out : undefined;
}

/**
 * The objects the HelmReleases of these Kustomizations install where the Kustomizations apply
 * (a HelmRelease with its own spec.kubeConfig installs into another cluster: not counted here).
 */
function chartResources(build: ClusterBuild, ks: ReadonlySet<string>): Resource[] {
  return build.helmReleases
    .filter((h) => ks.has(h.kustomization) && h.remote === undefined)
    .flatMap((h) => h.resources);
}

function renderedKustomization(
  k: KustomizationBuild,
  unfollowed: ReadonlyMap<string, Unfollowed>,
  build?: ClusterBuild,
  allowMissingVars = false,
): RenderedKustomization {
  const helm = build ? unrenderedHelm(build, k.id) : undefined;
  const sets = build ? unexpandedSets(build, k.id) : undefined;
  // dependsOn problems and duplicate definitions have their own rules.
  // Never silent: what the build could not follow is an error of this Kustomization (the
  // kustomization-builds rule reports it with the reason and the --source that would map it).
  const u = unfollowed.get(k.id);
  const errors = [
    ...problems(k.errors.filter((e) => e.fieldPath !== 'spec.dependsOn')),
    ...(u
      ? [
          {
            message: `not rendered offline: ${u.reason}`,
            ...(u.file ? { file: u.file } : {}),
            ...(u.line !== undefined ? { line: u.line } : {}),
          },
        ]
      : []),
  ];
  const readable = (k.substitution?.substituteFrom ?? []).every(
    (r) => r.status === 'found' || r.status === 'from-vars-file',
  );
  const undefinedVariables = readable
    ? problems(
        k.warnings
          .filter((w) => w.variable !== undefined)
          .map((w) => ({ ...w, message: missingVariableMessage(w.variable!, allowMissingVars) })),
      )
    : [];
  // A substituteFrom source the build could not read (created in the cluster, SOPS-encrypted):
  // its variables are unknown offline, and the values that use them were not judged.
  const unknownVariableSources = problems(
    k.warnings.filter(
      (w) => w.fieldPath?.startsWith('spec.postBuild.substituteFrom[') === true && w.variable === undefined,
    ),
  );
  const ignoredFields = problems(k.warnings.filter((w) => IGNORED_FIELDS.test(w.message)));
  return {
    id: k.id,
    object: k.object,
    ...(k.origin ? { origin: k.origin } : {}),
    ...(k.path !== undefined ? { path: k.path } : {}),
    resources: k.resources,
    ...(errors.length ? { errors } : {}),
    ...(undefinedVariables.length ? { undefinedVariables } : {}),
    ...(unknownVariableSources.length ? { unknownVariableSources } : {}),
    ...(ignoredFields.length ? { ignoredFields } : {}),
    ...(k.status === 'suspended' || k.status === 'not-buildable' ? { skipped: k.status } : {}),
    ...(helm ? { unrenderedHelmReleases: helm } : {}),
    ...(sets ? { unexpandedResourceSets: sets } : {}),
  };
}

/**
 * The check contexts of one cluster from its build: the cluster itself, plus one per remote
 * cluster its Kustomizations apply to with spec.kubeConfig (a hub managing spokes), so that
 * each cluster's objects are judged on their own.
 */
export function contextsFromBuild(
  build: ClusterBuild,
  c: { name: string; path: string },
  base: {
    fs: RepoFs;
    config: CheckConfig;
    fleet?: LoadedFleet;
    kubeVersion?: string;
    allowMissingVars?: boolean;
    today?: string;
  },
): CheckContext[] {
  const fleetCluster = base.fleet?.fleet.spec.clusters.find((x) => x.name === c.name);
  const production =
    fleetCluster && base.fleet
      ? environmentOf(base.fleet.fleet, fleetCluster).production
      : isProductionName(c.name) || isProductionName(c.path);
  const rootErrors = problems(build.root.errors);
  const rootIgnored = problems(build.root.warnings.filter((w) => IGNORED_FIELDS.test(w.message)));
  const clusterErrors = problems(build.errors.filter((e) => !/^dependsOn cycle|is defined twice/.test(e.message)));
  // A Kustomization's target is the one of the first remote Kustomization in its chain.
  const targets = kustomizationTargets(build);
  const targetOf = (k: KustomizationBuild): string | undefined => targets.get(k.id);
  const local = build.kustomizations.filter((k) => targetOf(k) === undefined);
  // Kustomizations here; HelmReleases that do not render are reported through unrenderedHelmReleases.
  const unfollowed = new Map(
    unfollowedOf(build)
      .filter((u) => u.kind === 'Kustomization')
      .map((u) => [u.id, u]),
  );
  const allowMissingVars = base.allowMissingVars === true;
  const rendered = (k: KustomizationBuild, b?: ClusterBuild) =>
    renderedKustomization(k, unfollowed, b, allowMissingVars);
  const rootHelm = unrenderedHelm(build, '');
  const rootSets = unexpandedSets(build, '');
  // Named by --kube-version / .aksfleet.yaml, else the fleet spec; a repository that names none
  // is judged at the newest minor AKS offers today, and told so (object-schema, info).
  const named = base.kubeVersion ?? fleetCluster?.kubernetesVersion;
  const assumed = named === undefined && base.today !== undefined ? assumedMinor(base.today) : undefined;
  const kubernetesVersion = named ?? assumed;
  // Values findings must not quote: what postBuild took from Secrets (the build's --vars here are
  // the IaC outputs' `${NAME}` placeholders, no secrets), and every Secret's own values (a
  // policy message may interpolate `request.object.data.x`).
  const secretValues = [
    ...new Set([...substitutedSecretValues(build), ...secretValuesOf(allResources(build).map((r) => r.object))]),
  ];
  const main: CheckContext = {
    cluster: c.name,
    clusterPath: c.path,
    production,
    ...(allowMissingVars ? { allowMissingVars } : {}),
    kustomizations: [
      ...(rootErrors.length || clusterErrors.length || rootIgnored.length || rootHelm || rootSets
        ? [
            {
              id: '',
              resources: [],
              ...(rootErrors.length || clusterErrors.length ? { errors: [...rootErrors, ...clusterErrors] } : {}),
              ...(rootIgnored.length ? { ignoredFields: rootIgnored } : {}),
              ...(rootHelm ? { unrenderedHelmReleases: rootHelm } : {}),
              ...(rootSets ? { unexpandedResourceSets: rootSets } : {}),
            },
          ]
        : []),
      ...local.map((k) => rendered(k, build)),
    ],
    // Each Kustomization's objects, then what its HelmReleases install (allResources' order).
    resources: [
      ...build.root.resources,
      ...chartResources(build, new Set([''])),
      ...local.flatMap((k) => [...k.resources, ...chartResources(build, new Set([k.id]))]),
    ],
    ...(kubernetesVersion ? { kubernetesVersion } : {}),
    ...(assumed !== undefined ? { kubernetesVersionAssumed: `the newest minor AKS offers on ${base.today}` } : {}),
    ...(base.fleet ? { fleet: base.fleet.fleet, infra: base.fleet.infra } : {}),
    config: base.config,
    fs: base.fs,
    secretValues,
  };
  const remotes = new Map<string, { ks: KustomizationBuild[]; charts: Resource[] }>();
  const remote = (t: string) => remotes.get(t) ?? remotes.set(t, { ks: [], charts: [] }).get(t)!;
  for (const k of build.kustomizations) {
    const t = targetOf(k);
    if (t) remote(t).ks.push(k);
  }
  // A HelmRelease with spec.kubeConfig installs its chart into that cluster (helm-controller),
  // wherever the HelmRelease object itself is applied.
  for (const h of build.helmReleases)
    if (h.remote !== undefined && h.resources.length > 0) remote(h.remote).charts.push(...h.resources);
  const out = [main];
  for (const [t, r] of [...remotes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.push({
      cluster: `${c.name}->${t}`,
      clusterPath: c.path,
      production: isProductionName(t),
      ...(allowMissingVars ? { allowMissingVars } : {}),
      kustomizations: r.ks.map((k) => rendered(k, build)),
      resources: [...r.ks.flatMap((k) => [...k.resources, ...chartResources(build, new Set([k.id]))]), ...r.charts],
      ...(base.kubeVersion
        ? { kubernetesVersion: base.kubeVersion }
        : assumed !== undefined
          ? { kubernetesVersion: assumed }
          : {}),
      config: base.config,
      fs: base.fs,
      secretValues,
    });
  }
  return out;
}

export interface RenderOptions {
  /** Check only this directory (`--path`). */
  readonly path?: string;
  /** Check only this cluster (`--cluster`): clusters/<name>, or a discovered cluster of that name. */
  readonly cluster?: string;
}

/** The clusters to check, per the options. Throws InputError when none can be found. */
export function selectClusters(fs: RepoFs, fleet: LoadedFleet | undefined, opts: RenderOptions): DiscoveredCluster[] {
  if (opts.path !== undefined) {
    const p = resolveRel('', opts.path, '--path');
    if (!fs.isDir(p)) throw new InputError(`--path '${opts.path}' is not a directory of the repository`);
    const name =
      fleet?.fleet.spec.clusters.find((c) => `clusters/${c.name}` === p)?.name ?? (p.split('/').at(-1) || 'root');
    return [{ name, path: p, how: 'path' }];
  }
  const all = findClusters(fs, { fleet: fleet !== undefined });
  if (opts.cluster !== undefined) {
    const hit = all.filter((c) => c.name === opts.cluster);
    if (hit.length) return hit;
    if (fs.isDir(`clusters/${opts.cluster}`))
      return [{ name: opts.cluster, path: `clusters/${opts.cluster}`, how: 'path' }];
    throw new InputError(`no cluster named '${opts.cluster}' (found: ${all.map((c) => c.name).join(', ') || 'none'})`);
  }
  return all;
}

/**
 * In an aksfleet repository the sync objects name the repository by its URL (GitRepository
 * `gitops`, not bootstrap's `flux-system`): GitRepositories of the cluster path with the fleet's
 * git URL are this repository.
 */
export function fleetSources(fs: RepoFs, clusterPath: string, fleet: Fleet): Record<string, string> {
  const norm = (u: string) =>
    u
      .replace(/\.git$/, '')
      .replace(/\/+$/, '')
      .toLowerCase();
  const out: Record<string, string> = {};
  for (const f of yamlFiles(fs, clusterPath)) {
    let docs;
    let text: string;
    try {
      text = fs.readFile(f);
    } catch {
      continue;
    }
    // Only a file that spells the kind (or could, through an escape) can hold a GitRepository.
    if (!text.includes('GitRepository') && !text.includes('\\')) continue;
    try {
      docs = parseYamlDocuments(text, f);
    } catch {
      continue;
    }
    for (const d of docs) {
      const o = d.value as KObject;
      const url = (o?.spec as { url?: unknown } | undefined)?.url;
      if (
        o?.kind === 'GitRepository' &&
        typeof url === 'string' &&
        norm(url) === norm(fleet.spec.git.url) &&
        o.metadata?.name
      ) {
        out[`GitRepository/${o.metadata.namespace ?? 'default'}/${o.metadata.name}`] = '';
      }
    }
  }
  return out;
}

/**
 * What check builds for one cluster: the Flux build with the fleet's output variables and sources;
 * `build.sources` and `build.vars` (the render options: `--source`, `--vars`, `.aksfleet.yaml`)
 * go over the fleet's own; unset variables are always allowed here (they are findings of their
 * own, errors unless `--allow-missing-vars`: CheckContext.allowMissingVars).
 */
export function buildForCheck(
  fs: RepoFs,
  c: DiscoveredCluster,
  base: { fleet?: LoadedFleet; build?: FluxEngineOptions & Partial<Pick<BuildClusterOptions, 'sources' | 'vars'>> },
): ClusterBuild {
  const { sources, vars, ...rest } = base.build ?? {};
  const fleetVars = base.fleet ? fleetOutputVars(base.fleet.fleet, base.fleet.outputsByCluster[c.name]) : undefined;
  const fleetSrc = base.fleet ? fleetSources(fs, c.path, base.fleet.fleet) : undefined;
  return buildCluster(fs, {
    path: c.path,
    allowMissingVars: true,
    ...rest,
    ...(fleetVars || vars ? { vars: { ...fleetVars, ...vars } } : {}),
    ...(fleetSrc || sources ? { sources: { ...fleetSrc, ...sources } } : {}),
  });
}
