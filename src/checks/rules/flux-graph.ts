/**
 * Flux graph rules: the objects Flux reconciles refer to each other by name (sourceRef,
 * dependsOn, chart sources). A dangling reference or a cycle means a Kustomization that never
 * becomes Ready; these rules find them before merge.
 */
import { formatLocation } from '../../diagnostic.js';
import { apiGroup, type KObject, type Resource } from '../../resources/resource.js';
import { parseYamlDocuments, type ParsedDoc } from '../../yaml/parse.js';
import { resolveRel, type RepoFs } from '../../repo/repo-fs.js';
import { arr, FLUX_HELM_GROUP, FLUX_KUSTOMIZE_GROUP, FLUX_SOURCE_GROUP, hasVariable, obj, str } from '../k8s.js';
import type { CheckContext, ClusterRule } from '../types.js';

const SOURCE_KINDS = ['GitRepository', 'OCIRepository', 'Bucket', 'HelmRepository', 'HelmChart', 'ExternalArtifact'];

function fluxObjects(ctx: CheckContext, kind: string, group: string): Resource[] {
  return ctx.resources.filter((r) => r.object.kind === kind && apiGroup(r.object.apiVersion) === group);
}
function nsOf(o: KObject): string {
  return o.metadata?.namespace ?? 'flux-system';
}
function key(kind: string, ns: string, name: string): string {
  return `${kind}/${ns}/${name}`;
}
/** Some Kustomization of the cluster was not rendered (another repository's source, or a failed build). */
function partlyUnrendered(ctx: CheckContext): boolean {
  return ctx.kustomizations.some((k) => k.skipped === 'not-buildable' || (k.errors?.length ?? 0) > 0);
}

function sourceKeys(ctx: CheckContext): Set<string> {
  const s = new Set<string>();
  for (const r of ctx.resources) {
    const o = r.object;
    if (o.kind && SOURCE_KINDS.includes(o.kind) && apiGroup(o.apiVersion) === FLUX_SOURCE_GROUP && o.metadata?.name) {
      s.add(key(o.kind, nsOf(o), o.metadata.name));
    }
    // An ArtifactGenerator (source.extensions.fluxcd.io) produces ExternalArtifacts by name.
    if (o.kind === 'ArtifactGenerator' && apiGroup(o.apiVersion) === 'source.extensions.fluxcd.io') {
      for (const a of arr(obj(o.spec)?.artifacts)) {
        const n = str(obj(a)?.name);
        if (n) s.add(key('ExternalArtifact', nsOf(o), n));
      }
    }
  }
  return s;
}

/** Kustomizations applied to a remote cluster (spec.kubeConfig) still read sources on this one. */
export const sourceRefExists: ClusterRule = {
  id: 'source-ref-exists',
  scope: 'cluster',
  severity: 'error',
  category: 'flux',
  doc:
    'Every Flux Kustomization names a source (GitRepository, OCIRepository, Bucket) that the cluster defines ' +
    '(flux-system/flux-system, created at bootstrap, is assumed).',
  hint: 'Define the source in the cluster, or fix spec.sourceRef (kind, name, namespace).',
  check(ctx, report) {
    const sources = sourceKeys(ctx);
    for (const r of fluxObjects(ctx, 'Kustomization', FLUX_KUSTOMIZE_GROUP)) {
      const ref = obj(obj(r.object.spec)?.sourceRef);
      if (!ref) {
        report({ resource: r, message: 'spec.sourceRef is missing' });
        continue;
      }
      const kind = str(ref.kind) ?? 'GitRepository';
      const name = str(ref.name) ?? '';
      const ns = str(ref.namespace) ?? nsOf(r.object);
      if (hasVariable(name) || hasVariable(ns)) continue;
      // Created at bootstrap (flux bootstrap, the AKS Flux extension, a FluxInstance), not always in Git.
      if (ns === 'flux-system' && name === 'flux-system') continue;
      if (!sources.has(key(kind, ns, name))) {
        report({
          resource: r,
          message: `spec.sourceRef ${kind}/${ns}/${name} is not defined in cluster ${ctx.cluster}`,
        });
      }
    }
  },
};

function depsOf(o: KObject): { name: string; ns: string }[] {
  return arr(obj(o.spec)?.dependsOn)
    .map((d) => obj(d))
    .filter((d): d is Record<string, unknown> => !!d && typeof d.name === 'string')
    .map((d) => ({ name: d.name as string, ns: str(d.namespace) ?? nsOf(o) }));
}

const DEPENDABLE: readonly [string, string][] = [
  ['Kustomization', FLUX_KUSTOMIZE_GROUP],
  ['HelmRelease', FLUX_HELM_GROUP],
];

export const dependsOnExists: ClusterRule = {
  id: 'depends-on-exists',
  scope: 'cluster',
  severity: 'error',
  category: 'flux',
  doc: 'Every dependsOn of a Kustomization or HelmRelease names an object of the same kind in the cluster.',
  hint: 'Fix the name/namespace in spec.dependsOn, or add the missing object.',
  check(ctx, report) {
    for (const [kind, group] of DEPENDABLE) {
      const objs = fluxObjects(ctx, kind, group);
      const ids = new Set(objs.map((r) => `${nsOf(r.object)}/${r.object.metadata?.name}`));
      for (const r of objs) {
        for (const d of depsOf(r.object)) {
          if (hasVariable(d.name) || hasVariable(d.ns)) continue;
          if (!ids.has(`${d.ns}/${d.name}`))
            report({
              resource: r,
              message: `dependsOn ${kind} ${d.ns}/${d.name} does not exist in cluster ${ctx.cluster}`,
            });
        }
      }
    }
  },
};

export const dependsOnAcyclic: ClusterRule = {
  id: 'depends-on-acyclic',
  scope: 'cluster',
  severity: 'error',
  category: 'flux',
  doc: 'dependsOn edges between Kustomizations (and between HelmReleases) form no cycle.',
  hint: 'Remove one dependsOn edge of the cycle.',
  check(ctx, report) {
    for (const [kind, group] of DEPENDABLE) {
      const objs = fluxObjects(ctx, kind, group);
      const byId = new Map<string, Resource>(
        objs.map((r) => [`${nsOf(r.object)}/${r.object.metadata?.name ?? ''}`, r]),
      );
      const edges = new Map<string, string[]>();
      for (const [id, r] of byId)
        edges.set(
          id,
          depsOf(r.object)
            .map((d) => `${d.ns}/${d.name}`)
            .filter((t) => byId.has(t)),
        );
      const state = new Map<string, 1 | 2>();
      const stack: string[] = [];
      const reported = new Set<string>();
      const visit = (id: string): void => {
        state.set(id, 1);
        stack.push(id);
        for (const t of edges.get(id) ?? []) {
          if (state.get(t) === 1) {
            const cycle = stack.slice(stack.indexOf(t));
            const canon = [...cycle].sort().join(',');
            if (!reported.has(canon)) {
              reported.add(canon);
              const first = [...cycle].sort()[0]!;
              const rot = [...cycle.slice(cycle.indexOf(first)), ...cycle.slice(0, cycle.indexOf(first)), first];
              report({ resource: byId.get(first), message: `dependsOn cycle: ${rot.join(' -> ')}` });
            }
          } else if (!state.has(t)) visit(t);
        }
        stack.pop();
        state.set(id, 2);
      };
      for (const id of [...byId.keys()].sort()) if (!state.has(id)) visit(id);
    }
  },
};

/** GitRepositories whose content is this repository (so their paths can be checked on disk). */
export function localSources(ctx: CheckContext): Set<string> {
  const gits = fluxObjects(ctx, 'GitRepository', FLUX_SOURCE_GROUP);
  const urls = new Set<string>();
  if (ctx.fleet) urls.add(normUrl(ctx.fleet.spec.git.url));
  // The source of the Kustomization that syncs the cluster path itself is this repository.
  for (const r of fluxObjects(ctx, 'Kustomization', FLUX_KUSTOMIZE_GROUP)) {
    const spec = obj(r.object.spec);
    const p = str(spec?.path);
    if (p === undefined || hasVariable(p)) continue;
    let rel: string;
    try {
      rel = resolveRel('', p);
    } catch {
      continue;
    }
    if (rel !== ctx.clusterPath) continue;
    const ref = obj(spec?.sourceRef);
    const g = gits.find(
      (s) => s.object.metadata?.name === ref?.name && nsOf(s.object) === (str(ref?.namespace) ?? nsOf(r.object)),
    );
    const url = str(obj(g?.object.spec)?.url);
    if (url) urls.add(normUrl(url));
  }
  // The source `flux bootstrap` (or the AKS extension, or a FluxInstance) creates is the repository.
  const out = new Set<string>(['flux-system/flux-system']);
  for (const g of gits) {
    const url = str(obj(g.object.spec)?.url);
    if (url && urls.has(normUrl(url))) out.add(`${nsOf(g.object)}/${g.object.metadata?.name}`);
  }
  return out;
}
function normUrl(u: string): string {
  return u
    .replace(/^ssh:\/\/git@([^/]+)\//, 'https://$1/')
    .replace(/^git@([^:]+):/, 'https://$1/')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

/** The repo-relative path of a Kustomization whose source is this repository, or undefined. */
export function localPathOf(ctx: CheckContext, r: Resource, local = localSources(ctx)): string | undefined {
  const spec = obj(r.object.spec);
  const ref = obj(spec?.sourceRef);
  if ((str(ref?.kind) ?? 'GitRepository') !== 'GitRepository') return undefined;
  if (!local.has(`${str(ref?.namespace) ?? nsOf(r.object)}/${str(ref?.name)}`)) return undefined;
  const p = str(spec?.path) ?? './';
  if (hasVariable(p)) return undefined;
  try {
    return resolveRel('', p);
  } catch {
    return undefined;
  }
}

export const kustomizationPathExists: ClusterRule = {
  id: 'kustomization-path-exists',
  scope: 'cluster',
  severity: 'error',
  category: 'flux',
  doc: 'A Kustomization whose source is this repository points spec.path at a directory that exists.',
  hint: 'Fix spec.path (relative to the repository root), or add the directory.',
  check(ctx, report) {
    if (!ctx.fs) return;
    const local = localSources(ctx);
    for (const r of fluxObjects(ctx, 'Kustomization', FLUX_KUSTOMIZE_GROUP)) {
      const p = localPathOf(ctx, r, local);
      if (p === undefined) {
        const raw = str(obj(r.object.spec)?.path);
        if (raw && !hasVariable(raw)) {
          try {
            resolveRel('', raw);
          } catch (e) {
            report({ resource: r, message: `spec.path '${raw}': ${(e as Error).message}` });
          }
        }
        continue;
      }
      if (!ctx.fs.isDir(p))
        report({
          resource: r,
          message: `spec.path '${str(obj(r.object.spec)?.path) ?? './'}' does not exist in the repository (${p || '.'})`,
        });
    }
  },
};

export const kustomizationNameUnique: ClusterRule = {
  id: 'kustomization-name-unique',
  scope: 'cluster',
  severity: 'error',
  category: 'flux',
  doc:
    'No two Flux Kustomizations (or HelmReleases) of a cluster share a namespace/name: the later one would ' +
    'silently replace the earlier.',
  hint: 'Rename one of them.',
  check(ctx, report) {
    for (const [kind, group] of DEPENDABLE) {
      const seen = new Map<string, Resource>();
      for (const r of fluxObjects(ctx, kind, group)) {
        const id = `${nsOf(r.object)}/${r.object.metadata?.name}`;
        const prev = seen.get(id);
        if (prev) {
          if (prev.origin?.file === r.origin?.file && prev.origin?.line === r.origin?.line) continue; // the same document reached twice
          const there = formatLocation({ file: prev.origin?.file ?? '?', line: prev.origin?.line });
          report({ resource: r, message: `${kind} ${id} is also defined in ${there}` });
        } else seen.set(id, r);
      }
    }
  },
};

function chartSourceRef(
  hr: KObject,
): { kind: string; name: string; ns: string; version?: string; field: string } | undefined {
  const spec = obj(hr.spec);
  const chartRef = obj(spec?.chartRef);
  if (chartRef)
    return {
      kind: str(chartRef.kind) ?? 'OCIRepository',
      name: str(chartRef.name) ?? '',
      ns: str(chartRef.namespace) ?? nsOf(hr),
      field: 'spec.chartRef',
    };
  const cs = obj(obj(spec?.chart)?.spec);
  if (!cs) return undefined;
  const ref = obj(cs.sourceRef);
  return {
    kind: str(ref?.kind) ?? 'HelmRepository',
    name: str(ref?.name) ?? '',
    ns: str(ref?.namespace) ?? nsOf(hr),
    version: cs.version === undefined ? undefined : String(cs.version),
    field: 'spec.chart.spec.sourceRef',
  };
}

export const helmChartSourceExists: ClusterRule = {
  id: 'helm-chart-source-exists',
  scope: 'cluster',
  severity: 'error',
  category: 'flux',
  doc: 'Every HelmRelease chart source (chart.spec.sourceRef or chartRef) is defined in the cluster.',
  hint: 'Add the HelmRepository/OCIRepository/GitRepository, or fix the sourceRef.',
  check(ctx, report) {
    const sources = sourceKeys(ctx);
    for (const r of fluxObjects(ctx, 'HelmRelease', FLUX_HELM_GROUP)) {
      const ref = chartSourceRef(r.object);
      if (!ref) {
        report({ resource: r, message: 'neither spec.chart nor spec.chartRef is set' });
        continue;
      }
      if (hasVariable(ref.name) || hasVariable(ref.ns)) continue;
      // A part of the graph that was not rendered may define it: not judged (kustomization-builds reports that part).
      if (!sources.has(key(ref.kind, ref.ns, ref.name)) && !partlyUnrendered(ctx))
        report({
          resource: r,
          message: `${ref.field} ${ref.kind}/${ref.ns}/${ref.name} is not defined in cluster ${ctx.cluster}`,
        });
    }
  },
};

const EXACT_VERSION = /^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]+)?$/;

export const helmChartVersionPinned: ClusterRule = {
  id: 'helm-chart-version-pinned',
  profile: 'aks-baseline',
  scope: 'cluster',
  severity: 'error',
  category: 'flux',
  doc:
    'HelmReleases from a chart repository pin an exact chart version (no range, no missing version, which ' +
    'means latest); OCI chart sources pin a tag or digest.',
  hint: "Set spec.chart.spec.version to an exact version like '1.2.3'.",
  check(ctx, report) {
    for (const r of fluxObjects(ctx, 'HelmRelease', FLUX_HELM_GROUP)) {
      const ref = chartSourceRef(r.object);
      if (ref?.field !== 'spec.chart.spec.sourceRef') continue;
      if (ref.kind === 'GitRepository' || ref.kind === 'Bucket') continue; // version comes from Chart.yaml
      if (ref.version === undefined)
        report({ resource: r, message: 'spec.chart.spec.version is not set: Flux installs the latest chart version' });
      else if (!hasVariable(ref.version) && !EXACT_VERSION.test(ref.version))
        report({ resource: r, message: `chart version '${ref.version}' is a range, not an exact version` });
    }
    for (const r of fluxObjects(ctx, 'OCIRepository', FLUX_SOURCE_GROUP)) {
      const refSpec = obj(obj(r.object.spec)?.ref);
      const semver = str(refSpec?.semver);
      const tag = str(refSpec?.tag);
      if (refSpec?.digest) continue;
      if (semver !== undefined && !EXACT_VERSION.test(semver) && !hasVariable(semver))
        report({
          resource: r,
          message: `spec.ref.semver '${semver}' is a range, not an exact version`,
          severity: 'warning',
          hint: "Pin spec.ref.tag (or spec.ref.semver to an exact version like '1.2.3'), or spec.ref.digest.",
        });
      else if (!semver && (!tag || tag === 'latest'))
        report({
          resource: r,
          message: `OCIRepository follows ${tag ? "tag 'latest'" : "no tag (defaults to 'latest')"}`,
          severity: 'warning',
          hint: 'Pin spec.ref.tag to a version, or spec.ref.digest.',
        });
    }
  },
};

/**
 * Whether the object's `prune: false` line carries a comment giving a reason
 * (`prune: false  # shared CRDs`): a decision written down, not an omission. Read from the
 * object's own document in its file (the render keeps no comments).
 */
export function pruneFalseHasReason(ctx: Pick<CheckContext, 'fs'>, r: Resource): boolean {
  const file = r.origin?.file;
  const fs = ctx.fs;
  if (!file || !fs?.isFile(file)) return false;
  const lines = fs.readFile(file).split(/\r?\n/);
  for (let i = Math.max(0, (r.origin?.line ?? 1) - 1); i < lines.length; i++) {
    if (i > (r.origin?.line ?? 1) - 1 && /^---/.test(lines[i]!)) break;
    const m = /^\s*prune:\s*["']?false["']?\s+#\s*(.*\S)\s*$/.exec(lines[i]!);
    if (m) return m[1]!.length >= 3;
  }
  return false;
}

export const kustomizationPruneEnabled: ClusterRule = {
  id: 'kustomization-prune-enabled',
  scope: 'cluster',
  severity: 'warning',
  category: 'flux',
  doc:
    'Flux Kustomizations set prune: true, so objects removed from Git are removed from the cluster (an ' +
    'explicit `prune: false  # reason` is respected).',
  hint: 'Set spec.prune: true, or say why not in a comment on the line: `prune: false  # shared CRDs, never deleted`.',
  check(ctx, report) {
    for (const r of fluxObjects(ctx, 'Kustomization', FLUX_KUSTOMIZE_GROUP)) {
      const prune = obj(r.object.spec)?.prune;
      if ((prune === false || prune === 'false') && pruneFalseHasReason(ctx, r)) continue;
      if (prune !== true && prune !== 'true')
        report({
          resource: r,
          message: `spec.prune is ${prune === undefined ? 'not set (false)' : String(prune)}: objects deleted from Git stay in the cluster`,
        });
    }
  },
};

export const noSuspendInProd: ClusterRule = {
  id: 'no-suspend-in-prod',
  scope: 'cluster',
  severity: 'error',
  category: 'flux',
  doc:
    'On production clusters no Flux object is committed with suspend: true (a suspended object silently stops ' +
    'reconciling).',
  hint: 'Remove spec.suspend, or suspend at run time with `flux suspend` for an incident.',
  check(ctx, report) {
    if (!ctx.production) return;
    for (const r of ctx.resources) {
      const g = apiGroup(r.object.apiVersion);
      if (!g.endsWith('.toolkit.fluxcd.io')) continue;
      const s = obj(r.object.spec)?.suspend;
      if (s === true || s === 'true')
        report({ resource: r, message: `spec.suspend is true on production cluster ${ctx.cluster}` });
    }
  },
};

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

function isRemote(entry: string): boolean {
  return (
    /^(https?:\/\/|git@|ssh:\/\/|git::|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/.test(entry) ||
    /\?ref=|\/\/.*\?/.test(entry)
  );
}

/** Parsed kustomization files per repository view: every cluster walks the same shared folders. */
const parsedKustomizations = new WeakMap<RepoFs, Map<string, ParsedDoc[] | null>>();

function kustomizationDocs(fs: RepoFs, file: string): ParsedDoc[] | null {
  let m = parsedKustomizations.get(fs);
  if (!m) parsedKustomizations.set(fs, (m = new Map()));
  if (!m.has(file)) {
    try {
      m.set(file, parseYamlDocuments(fs.readFile(file), file));
    } catch {
      m.set(file, null);
    }
  }
  return m.get(file)!;
}

export const noRemoteBases: ClusterRule = {
  id: 'no-remote-bases',
  scope: 'cluster',
  severity: 'warning',
  category: 'flux',
  doc:
    'kustomization.yaml files reached from the cluster refer to local files only: a remote base (URL or git ' +
    'ref) is fetched at reconcile time, is not reviewed in the pull request and cannot be rendered offline.',
  hint:
    'Vendor the remote base into the repository (or pin it to a commit and accept the risk with ' +
    'aksfleet.dev/ignore in .aksfleet.yaml).',
  check(ctx, report) {
    const fs = ctx.fs;
    if (!fs) return;
    const local = localSources(ctx);
    const start = new Set<string>([ctx.clusterPath]);
    for (const r of fluxObjects(ctx, 'Kustomization', FLUX_KUSTOMIZE_GROUP)) {
      const p = localPathOf(ctx, r, local);
      if (p !== undefined) start.add(p);
    }
    const seen = new Set<string>();
    const walk = (dir: string, depth: number): void => {
      if (seen.has(dir) || depth > 30) return;
      seen.add(dir);
      const kfile = KUSTOMIZATION_FILES.map((f) => (dir ? `${dir}/${f}` : f)).find((f) => fs.isFile(f));
      if (!kfile) {
        // Flux generates a kustomization over the directory: subdirectories count too.
        for (const name of fs.list(dir)) {
          const sub = dir ? `${dir}/${name}` : name;
          if (fs.isDir(sub) && !name.startsWith('.')) walk(sub, depth + 1);
        }
        return;
      }
      const docs = kustomizationDocs(fs, kfile);
      if (!docs) return; // the build reports unreadable files
      const doc = docs[0];
      const k = obj(doc?.value);
      if (!doc || !k) return;
      for (const field of ['resources', 'bases', 'components']) {
        arr(k[field]).forEach((e, i) => {
          if (typeof e !== 'string') return;
          if (isRemote(e)) {
            report({
              file: kfile,
              line: doc.posOf([field, i]).line,
              resourceId: `Kustomization(kustomize)/${dir || '.'}`,
              message: `${field}[${i}] '${e}' is a remote base`,
            });
            return;
          }
          let sub: string;
          try {
            sub = resolveRel(dir, e);
          } catch {
            return;
          }
          if (fs.isDir(sub)) walk(sub, depth + 1);
        });
      }
    };
    for (const s of [...start].sort()) walk(s, 0);
  },
};

export const fluxGraphRules: readonly ClusterRule[] = [
  sourceRefExists,
  dependsOnExists,
  dependsOnAcyclic,
  kustomizationPathExists,
  kustomizationNameUnique,
  helmChartSourceExists,
  helmChartVersionPinned,
  kustomizationPruneEnabled,
  noSuspendInProd,
  noRemoteBases,
];
