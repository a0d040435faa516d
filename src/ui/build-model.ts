/**
 * Computes the ConsoleModel from a repository with the library's own functions: the check
 * (discovery, the Flux build with HelmReleases, the rules), the promotion preview, the upgrade
 * planner and the SLO generator. Each cluster is rendered once, by the check, in the session given:
 * its views, its findings and the upgrade planner's drain check read that one build. Sections
 * whose input is missing say so instead of failing the console.
 */
import { basename, posix } from 'node:path';
import { DiskRepoFs, type RepoFs } from '../repo/repo-fs.js';
import { RecordingRepoFs } from '../repo/recording-fs.js';
import { resourceId, type Resource } from '../resources/resource.js';
import type { ClusterBuild } from '../flux/build/types.js';
import type { HelmReleaseBuild } from '../flux/helmrelease/types.js';
import { allResources, formatIssue as issueText, substitutedSecretValues } from '../flux/index.js';
import { renderInputs } from '../session/render-settings.js';
import { maskKustomizationText, maskSourceText, maskStrings, maskText, type MaskContext } from '../resources/mask.js';
import { gitRaw } from '../git/git.js';
import { checkRepository, type CheckOptions, type CheckResult } from '../checks/index.js';
import { createSession, type Session } from '../session/session.js';
import { SLO_RULE_KIND, withRenderedOn } from './providers.js';
import { readByDrainCheck } from '../day2/upgrade/pdb.js';
import type { Fleet } from '../spec/schema.js';
import type {
  ConsoleCluster,
  ConsoleFinding,
  ConsoleFindingCounts,
  ConsoleHelmRelease,
  ConsoleKustomization,
  ConsoleModel,
  ConsoleObjectRef,
  ConsolePromotion,
  ConsoleSlo,
  KeptObject,
} from './model.js';
import { KeptObjects, maskKey } from './kept-object.js';

export interface ModelInputs {
  readonly root: string;
  readonly isGit: boolean;
  readonly fleet?: Fleet;
  /**
   * The session of the command: its HelmRelease options (chart store, `--no-helm`, kube version,
   * `--values-from`), memos and render count serve the check's render and the previews. Default: a new one.
   */
  readonly session?: Session;
  /** What `check --platform` and `--policies` give the check (the console's findings). */
  readonly check?: Pick<CheckOptions, 'platform' | 'policies'>;
  /** Promotion previews between consecutive environments (rendered in the same session). */
  readonly promotions?: (root: string, fleet: Fleet, session: Session) => ConsolePromotion[];
  /**
   * The upgrade plan (JSON), when state is available. `rendered`: what the planners read of each
   * cluster's render (`readByPlanners`: the drain check's PDBs and workloads, the SLOs' rules).
   */
  readonly upgrade?: (
    root: string,
    fleet: Fleet,
    rendered: Readonly<Record<string, readonly Resource[]>>,
  ) => ConsoleModel['upgrade'];
  /** SLOs with their alerts. */
  readonly slos?: (fleet: Fleet) => ConsoleSlo[];
}

function lastCommit(root: string, branch: string): { sha: string; subject: string; date: string } | undefined {
  for (const ref of [`refs/heads/${branch}`, `refs/remotes/origin/${branch}`]) {
    const r = gitRaw(root, ['log', '-1', '--format=%H%x00%s%x00%cs', ref, '--']);
    if (r.status === 0 && r.stdout.trim()) {
      const [sha, subject, date] = r.stdout.trim().split('\0');
      return { sha: sha!, subject: subject!, date: date! };
    }
  }
  return undefined;
}

function objectRef(r: Resource): ConsoleObjectRef {
  return {
    id: resourceId(r.object),
    kind: r.object.kind ?? '',
    ...(r.origin?.file !== undefined ? { file: r.origin.file } : {}),
    ...(r.origin?.line !== undefined ? { line: r.origin.line } : {}),
    ...(r.origin?.helm ? { template: r.origin.helm.template } : {}),
  };
}

/** Every object the cluster applies (first definition of an id wins), chart objects with their HelmRelease. */
function objectsOf(
  cluster: string,
  b: ClusterBuild,
  out: Map<string, KeptObject>,
  masks: MaskContext,
  key: string,
  store: KeptObjects,
): void {
  const add = (r: Resource, ks?: string, helmRelease?: string) => {
    const id = resourceId(r.object);
    if (out.has(id)) return;
    const head = {
      id,
      cluster,
      kustomization: ks,
      ...(helmRelease ? { helmRelease, ...(r.origin?.helm ? { template: r.origin.helm.template } : {}) } : {}),
    };
    out.set(id, store.keep(head, r.object, { file: r.origin?.file, line: r.origin?.line }, masks, key));
  };
  const charts = (ks: string, ksId?: string) => {
    for (const h of b.helmReleases)
      if (h.kustomization === ks) for (const r of h.resources) add(r, ksId, `HelmRelease/${h.id}`);
  };
  for (const r of b.root.resources) add(r);
  charts('');
  for (const k of b.kustomizations) {
    for (const r of k.resources) add(r, k.ks);
    charts(k.id, k.ks);
  }
}

/** The HelmReleases a Kustomization (`namespace/name`, '' for the cluster path) applies. */
function helmReleasesOf(b: ClusterBuild, ks: string): ConsoleHelmRelease[] {
  return b.helmReleases
    .filter((h) => h.kustomization === ks)
    .map((h: HelmReleaseBuild) => ({
      id: `HelmRelease/${h.id}`,
      name: h.name,
      namespace: h.namespace,
      status: h.status,
      ...(h.chart
        ? { chart: { name: h.chart.name, ...(h.chart.version !== undefined ? { version: h.chart.version } : {}) } }
        : {}),
      releaseName: h.releaseName,
      releaseNamespace: h.releaseNamespace,
      objects: h.resources.map(objectRef),
      problems: [...h.errors, ...h.warnings].map(issueText),
    }));
}

/**
 * A Kustomization as the console shows it, but its status, which the check's findings on its
 * objects complete (`kustomizationOf`): the fields before `status` and after it (the JSON's order),
 * and what its build alone says of the status.
 */
interface KustomizationPart {
  readonly head: Omit<ConsoleKustomization, 'status' | 'objects' | 'helmReleases' | 'errors'>;
  readonly tail: Pick<ConsoleKustomization, 'objects' | 'helmReleases' | 'errors'>;
  /** `error`: an error of its build or a HelmRelease that failed; `warning`: not built, or a chart unavailable. */
  readonly build?: 'error' | 'warning';
}

function kustomizationParts(b: ClusterBuild): KustomizationPart[] {
  return b.kustomizations.map((k) => {
    const helmReleases = helmReleasesOf(b, k.id);
    return {
      head: {
        id: k.ks,
        name: k.name,
        namespace: k.namespace,
        path: k.path ?? '',
        dependsOn: k.dependsOn.map((d) => `Kustomization/${d}`),
        parent: k.parent ? `Kustomization/${k.parent}` : undefined,
        suspended: k.suspended,
        objectCount: k.resources.length,
      },
      tail: {
        objects: k.resources.map(objectRef),
        helmReleases,
        errors: [
          ...k.errors.map(issueText),
          ...(k.status === 'not-buildable' ? ['source is not this repository: not rendered offline'] : []),
        ],
      },
      ...(k.errors.length || k.status === 'failed' || helmReleases.some((h) => h.status === 'failed')
        ? { build: 'error' as const }
        : k.status !== 'built' || helmReleases.some((h) => h.status === 'chart-unavailable')
          ? { build: 'warning' as const }
          : {}),
    };
  });
}

/** The Kustomization with its status: the worst of its build's and the findings on its objects and its charts'. */
function kustomizationOf(k: KustomizationPart, findings: readonly ConsoleFinding[]): ConsoleKustomization {
  const ids = new Set([...k.tail.objects, ...k.tail.helmReleases.flatMap((h) => h.objects)].map((o) => o.id));
  const worst = findings.filter((f) => f.resource && ids.has(f.resource));
  const status: ConsoleKustomization['status'] = k.head.suspended
    ? 'suspended'
    : k.build === 'error' || worst.some((f) => f.severity === 'error')
      ? 'error'
      : k.build === 'warning' || worst.some((f) => f.severity === 'warning')
        ? 'warning'
        : 'ok';
  return { ...k.head, status, ...k.tail };
}

function counts(fs: readonly ConsoleFinding[]): ConsoleFindingCounts {
  return {
    error: fs.filter((f) => f.severity === 'error').length,
    warning: fs.filter((f) => f.severity === 'warning').length,
    info: fs.filter((f) => f.severity === 'info').length,
  };
}

/** The check's findings as the console lists them: without related places, URL userinfo masked. */
export function consoleFindings(found: CheckResult['findings']): ConsoleFinding[] {
  const findings = found.map((f) => ({
    rule: f.rule,
    severity: f.severity,
    cluster: f.cluster,
    resource: f.resource,
    file: f.file,
    line: f.line,
    message: f.message,
    hint: f.hint,
  }));
  // URL userinfo in any finding's text masked, as in every check report (src/resources/mask.ts);
  // values from Secrets are masked by the check itself (CheckContext.secretValues).
  return maskStrings(findings) as ConsoleFinding[];
}

/** Whether the upgrade planner (its drain check) or the SLOs' clusters read an object of a render. */
export function readByPlanners(r: Resource): boolean {
  return readByDrainCheck(r.object) || r.object.kind === SLO_RULE_KIND;
}

/**
 * What the console keeps of one cluster's build, made as soon as the check has built it: the
 * build itself is not kept (one render in memory at a time, as in `check`). A function of the
 * build, the session's substitution variables and the files the build read.
 */
export interface BuiltCluster {
  readonly name: string;
  readonly path: string;
  /** The build's errors, masked with its Secrets' values. */
  readonly errors: readonly string[];
  /** object id -> object */
  readonly objects: ReadonlyMap<string, KeptObject>;
  /** The files its build read, masked with its Secrets' values. */
  readonly sources: ReadonlyMap<string, string>;
  /** Files a secretGenerator of its kustomizations reads (withheld from every cluster's sources). */
  readonly withheld: readonly string[];
  readonly kustomizations: readonly KustomizationPart[];
  /** HelmReleases at the cluster path itself. */
  readonly helmReleases: readonly ConsoleHelmRelease[];
  /** The objects of its render the upgrade planner and the SLOs read (`readByPlanners`), in the render's order. */
  readonly planned: readonly Resource[];
}

/** A repository file as the console shows it, masked; `undefined`: unreadable (the build reports it). */
interface MaskedSource {
  readonly text?: string;
  /** Files a secretGenerator of this kustomization reads. */
  readonly withheld: readonly string[];
}

/**
 * What the clusters of one run share: where their objects are kept (one copy of each), and each
 * file their builds read, read and masked once per set of masks (most files are read by every cluster).
 */
export interface KeptStore {
  readonly objects: KeptObjects;
  /** masks' key and file -> the file masked */
  readonly sources: Map<string, MaskedSource>;
}

/** A store for one run; `objects`: the watch's, kept between runs. */
export function keptStore(objects = new KeptObjects()): KeptStore {
  return { objects, sources: new Map() };
}

function maskedSource(disk: RepoFs, f: string, masks: MaskContext): MaskedSource {
  try {
    const text = maskSourceText(disk.readFile(f), masks);
    if (!/(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(f)) return { text, withheld: [] };
    const k = maskKustomizationText(text);
    const dir = f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '';
    return { text: k.text, withheld: k.secretInputs.map((p) => posix.normalize(dir ? `${dir}/${p}` : p)) };
  } catch {
    return { withheld: [] }; // unreadable files are reported by the build
  }
}

/**
 * What the console keeps of a cluster's build (`filesRead`: the repository files the build read;
 * `store`: what the run's clusters share).
 */
export function builtCluster(
  disk: RepoFs,
  c: { readonly name: string; readonly path: string },
  b: ClusterBuild,
  filesRead: readonly string[],
  vars: Parameters<typeof substitutedSecretValues>[1],
  store: KeptStore,
): BuiltCluster {
  const masks: MaskContext = { secretValues: substitutedSecretValues(b, vars) };
  const key = maskKey(masks);
  const sources = new Map<string, string>();
  const withheld: string[] = [];
  for (const f of filesRead) {
    const at = `${key} ${f}`;
    const m = store.sources.get(at) ?? store.sources.set(at, maskedSource(disk, f, masks)).get(at)!;
    if (m.text !== undefined) sources.set(f, m.text);
    withheld.push(...m.withheld);
  }
  const objects = new Map<string, KeptObject>();
  objectsOf(c.name, b, objects, masks, key, store.objects);
  return {
    name: c.name,
    path: c.path,
    errors: [...b.errors.map(issueText), ...b.root.errors.map(issueText)].map((t) => maskText(t, masks)),
    objects,
    sources,
    withheld,
    kustomizations: kustomizationParts(b),
    helmReleases: helmReleasesOf(b, ''),
    planned: allResources(b).filter(readByPlanners),
  };
}

/**
 * Checks the repository in the session; each cluster's build (made once, by the check) is made
 * into what the console keeps of it as soon as it is built: the findings and the views come from
 * the same render, and no render outlives its cluster's check.
 */
function renderAndCheck(
  disk: RepoFs,
  session: Session,
  check: Pick<CheckOptions, 'platform' | 'policies'> = {},
): { findings: ConsoleFinding[]; built: BuiltCluster[] } {
  const built: BuiltCluster[] = [];
  const recorders = new Map<string, RecordingRepoFs>();
  const { vars } = renderInputs(session);
  const store = keptStore();
  const result = checkRepository(disk, {
    ...check,
    session,
    keepContexts: false,
    clusterFs: (c) => recorders.get(c.path) ?? recorders.set(c.path, new RecordingRepoFs(disk)).get(c.path)!,
    onClusterBuild: (c, build) =>
      built.push(builtCluster(disk, c, build, recorders.get(c.path)?.filesRead() ?? [], vars, store)),
  });
  return { findings: consoleFindings(result.findings), built };
}

/** A cluster to show: built, or one of the fleet's clusters that has no folder. */
export interface ClusterEntry {
  readonly name: string;
  readonly path: string;
  readonly r?: BuiltCluster;
}

/** The clusters to show: those built, and the fleet's clusters that have no folder (with the reason), by path. */
export function clusterEntries<T extends { readonly name: string; readonly path: string } = BuiltCluster>(
  built: readonly T[],
  fleet: Fleet | undefined,
): { name: string; path: string; r?: T }[] {
  const byPath = new Map(built.map((r) => [r.path, { name: r.name, path: r.path, r }]));
  const out: { name: string; path: string; r?: T }[] = [...byPath.values()];
  for (const c of fleet?.spec.clusters ?? [])
    if (!byPath.has(`clusters/${c.name}`)) out.push({ name: c.name, path: `clusters/${c.name}` });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * What the console shows of one cluster: a function of what it kept of its build, its findings
 * and the fleet spec (`aksfleet ui --watch` keeps it while none of them changes).
 */
export interface ClusterView {
  readonly cluster: ConsoleCluster;
  /** object id -> object */
  readonly objects: ReadonlyMap<string, KeptObject>;
  /** The files its build read, masked with its Secrets' values. */
  readonly sources: ReadonlyMap<string, string>;
  /** Files a secretGenerator of its kustomizations reads (withheld from every cluster's sources). */
  readonly withheld: readonly string[];
  /** The objects of its render the planners read (the drain check, the SLOs' clusters); none when not built. */
  readonly planned?: readonly Resource[];
}

/** The view of one cluster; `findings` are the whole check's (the cluster's are picked by name). */
export function clusterView(
  e: ClusterEntry,
  fleet: Fleet | undefined,
  findings: readonly ConsoleFinding[],
): ClusterView {
  const spec = fleet?.spec.clusters.find((c) => c.name === e.name);
  const b = e.r;
  const mine = findings.filter((f) => f.cluster === e.name);
  const cluster: ConsoleCluster = {
    name: e.name,
    environment: spec?.environment,
    path: e.path,
    kubernetesVersion: spec?.kubernetesVersion,
    location: spec?.location,
    pools: spec
      ? [spec.systemPool, ...spec.userPools].map((p) => ({
          name: p.name,
          mode: p.mode,
          vmSize: p.vmSize,
          count: p.count,
          min: p.autoscale?.min,
          max: p.autoscale?.max,
        }))
      : [],
    findings: counts(mine),
    kustomizations: b ? b.kustomizations.map((k) => kustomizationOf(k, mine)) : [],
    helmReleases: b ? b.helmReleases : [],
    errors: b ? b.errors : [maskText(`cluster path '${e.path}' is not a directory of the repository`, NO_MASKS)],
  };
  return b
    ? { cluster, objects: b.objects, sources: b.sources, withheld: b.withheld, planned: b.planned }
    : { cluster, objects: new Map(), sources: new Map(), withheld: [] };
}

const NO_MASKS: MaskContext = { secretValues: [] };

export function buildConsoleModel(inp: ModelInputs): ConsoleModel {
  const disk = new DiskRepoFs(inp.root);
  const session = inp.session ?? createSession();
  const checked = renderAndCheck(disk, session, inp.check);
  const views = clusterEntries(checked.built, inp.fleet).map((e) => clusterView(e, inp.fleet, checked.findings));
  return assembleModel(inp, session, checked.findings, views);
}

/**
 * The model from the clusters' views (in path order) and the check's findings: the sources of
 * every view (a file two clusters read is shown as the last one masked it), the environments, the
 * promotion previews, the upgrade plan and the SLOs.
 */
export function assembleModel(
  inp: ModelInputs,
  session: Session,
  findings: readonly ConsoleFinding[],
  views: readonly ClusterView[],
): ConsoleModel {
  const fleet = inp.fleet;
  const objects = new Map<string, ReadonlyMap<string, KeptObject>>();
  const sources = new Map<string, string>();
  const clusters = views.map((v) => v.cluster);
  /** What the planners read of each cluster's render (the drain check, the SLOs' clusters). */
  const rendered: Record<string, Resource[]> = {};
  for (const v of views) {
    for (const [f, text] of v.sources) sources.set(f, text);
    if (v.planned) rendered[v.cluster.name] = [...v.planned];
    objects.set(v.cluster.name, v.objects);
  }
  for (const f of new Set(views.flatMap((v) => v.withheld)))
    if (sources.has(f)) sources.set(f, '# (source withheld: a secretGenerator reads this file)\n');
  const envs = fleet
    ? fleet.spec.environments.map((env) => ({
        name: env.name,
        branch: env.branch,
        lastCommit: inp.isGit ? lastCommit(inp.root, env.branch) : undefined,
        clusters: fleet.spec.clusters.filter((c) => c.environment === env.name).map((c) => c.name),
      }))
    : [{ name: 'clusters', clusters: clusters.map((c) => c.name) }];
  return {
    overview: {
      fleet: fleet?.metadata.name ?? basename(inp.root),
      root: inp.root,
      environments: envs,
      clusters: clusters.map(({ kustomizations, helmReleases: _charts, ...rest }) => ({
        ...rest,
        kustomizationCount: kustomizations.length,
        objectCount: objects.get(rest.name)?.size ?? 0,
      })),
    },
    clusters,
    findings,
    promotions: fleet && inp.promotions ? inp.promotions(inp.root, fleet, session) : [],
    upgrade:
      fleet && inp.upgrade
        ? inp.upgrade(inp.root, fleet, rendered)
        : {
            available: false,
            note: fleet
              ? 'No cluster state: run `aksfleet ui --state FILE` with `az aks show -o json` output.'
              : 'Not an aksfleet repository (no fleet.yaml).',
          },
    slos: fleet && inp.slos ? withRenderedOn(inp.slos(fleet), rendered) : [],
    objects,
    sources,
  };
}
