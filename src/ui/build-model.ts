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
import { toYaml } from '../yaml/emit.js';
import {
  maskKustomizationText,
  maskObject,
  maskSourceText,
  maskStrings,
  maskText,
  type MaskContext,
} from '../resources/mask.js';
import { gitRaw } from '../git/git.js';
import { checkRepository, type CheckOptions, type CheckResult } from '../checks/index.js';
import { createSession, type Session } from '../session/session.js';
import { withRenderedOn } from './providers.js';
import type { Fleet } from '../spec/schema.js';
import type {
  ConsoleCluster,
  ConsoleFinding,
  ConsoleFindingCounts,
  ConsoleHelmRelease,
  ConsoleKustomization,
  ConsoleModel,
  ConsoleObject,
  ConsoleObjectRef,
  ConsolePromotion,
  ConsoleSlo,
} from './model.js';

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
  /** The upgrade plan (JSON), when state is available. */
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
function objectsOf(cluster: string, b: ClusterBuild, out: Map<string, ConsoleObject>, masks: MaskContext): void {
  const add = (r: Resource, ks?: string, helmRelease?: string) => {
    const id = resourceId(r.object);
    if (out.has(id)) return;
    out.set(id, {
      id,
      cluster,
      kustomization: ks,
      ...(helmRelease ? { helmRelease, ...(r.origin?.helm ? { template: r.origin.helm.template } : {}) } : {}),
      yaml: toYaml(maskObject(r.object, masks)),
      file: r.origin?.file,
      line: r.origin?.line,
    });
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

function kustomizationsOf(b: ClusterBuild, findings: readonly ConsoleFinding[]): ConsoleKustomization[] {
  return b.kustomizations.map((k) => {
    const helmReleases = helmReleasesOf(b, k.id);
    const ids = new Set(
      [...k.resources, ...b.helmReleases.filter((h) => h.kustomization === k.id).flatMap((h) => h.resources)].map((r) =>
        resourceId(r.object),
      ),
    );
    const worst = findings.filter((f) => f.resource && ids.has(f.resource));
    const status: ConsoleKustomization['status'] = k.suspended
      ? 'suspended'
      : k.errors.length ||
          k.status === 'failed' ||
          worst.some((f) => f.severity === 'error') ||
          helmReleases.some((h) => h.status === 'failed')
        ? 'error'
        : worst.some((f) => f.severity === 'warning') ||
            k.status !== 'built' ||
            helmReleases.some((h) => h.status === 'chart-unavailable')
          ? 'warning'
          : 'ok';
    return {
      id: k.ks,
      name: k.name,
      namespace: k.namespace,
      path: k.path ?? '',
      dependsOn: k.dependsOn.map((d) => `Kustomization/${d}`),
      parent: k.parent ? `Kustomization/${k.parent}` : undefined,
      suspended: k.suspended,
      objectCount: k.resources.length,
      status,
      objects: k.resources.map(objectRef),
      helmReleases,
      errors: [
        ...k.errors.map(issueText),
        ...(k.status === 'not-buildable' ? ['source is not this repository: not rendered offline'] : []),
      ],
    };
  });
}

function counts(fs: readonly ConsoleFinding[]): ConsoleFindingCounts {
  return {
    error: fs.filter((f) => f.severity === 'error').length,
    warning: fs.filter((f) => f.severity === 'warning').length,
    info: fs.filter((f) => f.severity === 'info').length,
  };
}

/** One cluster as the check rendered it, with the repository files its build read. */
export interface RenderedCluster {
  readonly name: string;
  readonly path: string;
  readonly build: ClusterBuild;
  readonly filesRead: readonly string[];
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

/**
 * Checks the repository in the session, keeping each cluster's build (made once, by the check)
 * and the files it read: the findings and the builds the views show come from the same render.
 */
function renderAndCheck(
  disk: RepoFs,
  session: Session,
  check: Pick<CheckOptions, 'platform' | 'policies'> = {},
): { findings: ConsoleFinding[]; rendered: RenderedCluster[] } {
  const rendered: RenderedCluster[] = [];
  const recorders = new Map<string, RecordingRepoFs>();
  const result = checkRepository(disk, {
    ...check,
    session,
    keepContexts: false,
    clusterFs: (c) => recorders.get(c.path) ?? recorders.set(c.path, new RecordingRepoFs(disk)).get(c.path)!,
    onClusterBuild: (c, build) =>
      rendered.push({ name: c.name, path: c.path, build, filesRead: recorders.get(c.path)?.filesRead() ?? [] }),
  });
  return { findings: consoleFindings(result.findings), rendered };
}

/** A cluster to show: rendered, or one of the fleet's clusters that has no folder. */
export interface ClusterEntry {
  readonly name: string;
  readonly path: string;
  readonly r?: RenderedCluster;
}

/** The clusters to show: those rendered, and the fleet's clusters that have no folder (with the reason), by path. */
export function clusterEntries<T extends { readonly name: string; readonly path: string } = RenderedCluster>(
  rendered: readonly T[],
  fleet: Fleet | undefined,
): { name: string; path: string; r?: T }[] {
  const byPath = new Map(rendered.map((r) => [r.path, { name: r.name, path: r.path, r }]));
  const out: { name: string; path: string; r?: T }[] = [...byPath.values()];
  for (const c of fleet?.spec.clusters ?? [])
    if (!byPath.has(`clusters/${c.name}`)) out.push({ name: c.name, path: `clusters/${c.name}` });
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * What the console shows of one cluster: a function of its build, its findings, the fleet spec, the
 * session's substitution variables and the files its build read (`aksfleet ui --watch` keeps it
 * while none of them changes).
 */
export interface ClusterView {
  readonly cluster: ConsoleCluster;
  /** object id -> object */
  readonly objects: ReadonlyMap<string, ConsoleObject>;
  /** The files its build read, masked with its Secrets' values. */
  readonly sources: ReadonlyMap<string, string>;
  /** Files a secretGenerator of its kustomizations reads (withheld from every cluster's sources). */
  readonly withheld: readonly string[];
  /** What the cluster applies (the upgrade planner's drain check, the SLOs' clusters); none when not rendered. */
  readonly rendered?: readonly Resource[];
}

/** The view of one cluster; `findings` are the whole check's (the cluster's are picked by name). */
export function clusterView(
  disk: RepoFs,
  e: ClusterEntry,
  fleet: Fleet | undefined,
  findings: readonly ConsoleFinding[],
  vars: Parameters<typeof substitutedSecretValues>[1],
): ClusterView {
  const spec = fleet?.spec.clusters.find((c) => c.name === e.name);
  const b = e.r?.build;
  const errors: string[] = b
    ? [...b.errors.map(issueText), ...b.root.errors.map(issueText)]
    : [`cluster path '${e.path}' is not a directory of the repository`];
  const masks: MaskContext = { secretValues: b ? substitutedSecretValues(b, vars) : [] };
  const sources = new Map<string, string>();
  const withheld: string[] = [];
  for (const f of e.r?.filesRead ?? []) {
    try {
      let text = maskSourceText(disk.readFile(f), masks);
      if (/(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(f)) {
        const k = maskKustomizationText(text);
        text = k.text;
        const dir = f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '';
        for (const p of k.secretInputs) withheld.push(posix.normalize(dir ? `${dir}/${p}` : p));
      }
      sources.set(f, text);
    } catch {
      // unreadable files are reported by the build
    }
  }
  const objects = new Map<string, ConsoleObject>();
  if (b) objectsOf(e.name, b, objects, masks);
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
    kustomizations: b ? kustomizationsOf(b, mine) : [],
    helmReleases: b ? helmReleasesOf(b, '') : [],
    errors: errors.map((t) => maskText(t, masks)),
  };
  return { cluster, objects, sources, withheld, ...(b ? { rendered: allResources(b) } : {}) };
}

export function buildConsoleModel(inp: ModelInputs): ConsoleModel {
  const disk = new DiskRepoFs(inp.root);
  const session = inp.session ?? createSession();
  const checked = renderAndCheck(disk, session, inp.check);
  const { vars } = renderInputs(session);
  const views = clusterEntries(checked.rendered, inp.fleet).map((e) =>
    clusterView(disk, e, inp.fleet, checked.findings, vars),
  );
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
  const objects = new Map<string, ReadonlyMap<string, ConsoleObject>>();
  const sources = new Map<string, string>();
  const clusters = views.map((v) => v.cluster);
  /** What each cluster applies, for the upgrade planner's drain check (the check's builds). */
  const rendered: Record<string, Resource[]> = {};
  for (const v of views) {
    for (const [f, text] of v.sources) sources.set(f, text);
    if (v.rendered) rendered[v.cluster.name] = [...v.rendered];
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
