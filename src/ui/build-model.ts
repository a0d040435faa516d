/**
 * Computes the ConsoleModel from a repository with the library's own functions: discovery,
 * the Flux build, the check rules, the promotion preview, the upgrade planner and the SLO
 * generator. Sections whose input is missing say so instead of failing the console.
 */
import { basename, posix } from 'node:path';
import { DiskRepoFs } from '../repo/repo-fs.js';
import { RecordingRepoFs } from '../repo/recording-fs.js';
import { resourceId, type Resource } from '../resources/resource.js';
import { discoverClusters } from '../discovery/clusters.js';
import { buildCluster } from '../flux/build/build-cluster.js';
import type { ClusterBuild } from '../flux/build/types.js';
import { allResources, formatIssue as issueText, substitutedSecretValues } from '../flux/index.js';
import { toYaml } from '../yaml/emit.js';
import { maskKustomizationText, maskObject, maskSourceText, maskStrings, maskText, type MaskContext } from '../resources/mask.js';
import { gitRaw } from '../git/git.js';
import type { Fleet } from '../spec/schema.js';
import type {
  ConsoleCluster,
  ConsoleFinding,
  ConsoleFindingCounts,
  ConsoleKustomization,
  ConsoleModel,
  ConsoleObject,
  ConsolePromotion,
  ConsoleSlo,
} from './model.js';

export interface ModelInputs {
  readonly root: string;
  readonly isGit: boolean;
  readonly fleet?: Fleet;
  /** Check findings for the repository (the check command's library function). */
  readonly findings?: (root: string) => ConsoleFinding[];
  /** Promotion previews between consecutive environments. */
  readonly promotions?: (root: string, fleet: Fleet) => ConsolePromotion[];
  /** The upgrade plan (JSON), when state is available. */
  readonly upgrade?: (root: string, fleet: Fleet, rendered: Readonly<Record<string, readonly Resource[]>>) => ConsoleModel['upgrade'];
  /** SLOs with their alerts. */
  readonly slos?: (fleet: Fleet) => ConsoleSlo[];
  /** Values for cluster-only postBuild variables. */
  readonly vars?: Readonly<Record<string, string>>;
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

function objectsOf(cluster: string, b: ClusterBuild, out: Map<string, ConsoleObject>, masks: MaskContext): void {
  const add = (r: Resource, ks?: string) => {
    const id = resourceId(r.object);
    if (out.has(id)) return;
    out.set(id, { id, cluster, kustomization: ks, yaml: toYaml(maskObject(r.object, masks)), file: r.origin?.file, line: r.origin?.line });
  };
  for (const r of b.root.resources) add(r);
  for (const k of b.kustomizations) for (const r of k.resources) add(r, k.ks);
}

function kustomizationsOf(b: ClusterBuild, findings: readonly ConsoleFinding[]): ConsoleKustomization[] {
  return b.kustomizations.map((k) => {
    const ids = new Set(k.resources.map((r) => resourceId(r.object)));
    const worst = findings.filter((f) => f.resource && ids.has(f.resource));
    const status: ConsoleKustomization['status'] = k.suspended
      ? 'suspended'
      : k.errors.length || k.status === 'failed' || worst.some((f) => f.severity === 'error')
        ? 'error'
        : worst.some((f) => f.severity === 'warning') || k.status !== 'built'
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
      objects: k.resources.map((r) => ({ id: resourceId(r.object), kind: r.object.kind ?? '', file: r.origin?.file, line: r.origin?.line })),
      errors: [...k.errors.map(issueText), ...(k.status === 'not-buildable' ? ['source is not this repository: not rendered offline'] : [])],
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

export function buildConsoleModel(inp: ModelInputs): ConsoleModel {
  const disk = new DiskRepoFs(inp.root);
  const fleet = inp.fleet;
  const entries = discoverClusters(disk, fleet?.spec.clusters.map((c) => c.name));
  // URL userinfo in any finding's text masked, as in every check report (src/resources/mask.ts).
  const findings = inp.findings ? (maskStrings(inp.findings(inp.root)) as ConsoleFinding[]) : [];
  const objects = new Map<string, Map<string, ConsoleObject>>();
  const sources = new Map<string, string>();
  const clusters: ConsoleCluster[] = [];
  const withheld = new Set<string>();
  /** What each cluster applies, for the upgrade planner's drain check (built once, here). */
  const rendered: Record<string, Resource[]> = {};
  for (const e of entries) {
    const spec = fleet?.spec.clusters.find((c) => c.name === e.name);
    const rec = new RecordingRepoFs(disk);
    let b: ClusterBuild | undefined;
    const errors: string[] = [];
    try {
      b = buildCluster(rec, { path: e.path, vars: inp.vars, allowMissingVars: true });
      errors.push(...b.errors.map(issueText), ...b.root.errors.map(issueText));
    } catch (err) {
      errors.push((err as Error).message);
    }
    const masks: MaskContext = { secretValues: b ? substitutedSecretValues(b, inp.vars) : [] };
    for (const f of rec.filesRead()) {
      try {
        let text = maskSourceText(disk.readFile(f), masks);
        if (/(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(f)) {
          const k = maskKustomizationText(text);
          text = k.text;
          const dir = f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '';
          for (const p of k.secretInputs) withheld.add(posix.normalize(dir ? `${dir}/${p}` : p));
        }
        sources.set(f, text);
      } catch {
        // unreadable files are reported by the build
      }
    }
    const om = new Map<string, ConsoleObject>();
    if (b) {
      objectsOf(e.name, b, om, masks);
      rendered[e.name] = allResources(b);
    }
    objects.set(e.name, om);
    const mine = findings.filter((f) => f.cluster === e.name);
    clusters.push({
      name: e.name,
      environment: spec?.environment,
      path: e.path,
      kubernetesVersion: spec?.kubernetesVersion,
      location: spec?.location,
      pools: spec
        ? [spec.systemPool, ...spec.userPools].map((p) => ({ name: p.name, mode: p.mode, vmSize: p.vmSize, count: p.count, min: p.autoscale?.min, max: p.autoscale?.max }))
        : [],
      findings: counts(mine),
      kustomizations: b ? kustomizationsOf(b, mine) : [],
      errors: errors.map((t) => maskText(t, masks)),
    });
  }
  for (const f of withheld) if (sources.has(f)) sources.set(f, '# (source withheld: a secretGenerator reads this file)\n');
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
      clusters: clusters.map(({ kustomizations, ...rest }) => ({
        ...rest,
        kustomizationCount: kustomizations.length,
        objectCount: objects.get(rest.name)?.size ?? 0,
      })),
    },
    clusters,
    findings,
    promotions: fleet && inp.promotions ? inp.promotions(inp.root, fleet) : [],
    upgrade: fleet && inp.upgrade ? inp.upgrade(inp.root, fleet, rendered) : { available: false, note: fleet ? 'No cluster state: run `aksfleet ui --state FILE` with `az aks show -o json` output.' : 'Not an aksfleet repository (no fleet.yaml).' },
    slos: fleet && inp.slos ? inp.slos(fleet) : [],
    objects,
    sources,
  };
}
