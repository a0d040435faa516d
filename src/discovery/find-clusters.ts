/**
 * Which directories of a repository are clusters (what Flux syncs for one cluster):
 *   1. an aksfleet repository (fleet.yaml at the root): every clusters/<name>/ directory;
 *   2. any Flux repository: every directory synced by a Flux Kustomization defined inside it
 *      whose GitRepository is defined beside it (what `flux bootstrap` writes in
 *      <path>/flux-system/gotk-sync.yaml), and the sync path of a FluxInstance (flux-operator), given
 *      as the object, as the values of a flux-instance chart HelmRelease, or as the values file
 *      its valuesFrom ConfigMap is generated from (configMapGenerator beside it);
 *   3. failing those: every clusters/<name>/ directory (repositories bootstrapped by the AKS
 *      Flux extension keep no sync objects in Git).
 */
import type { RepoFs } from '../repo/repo-fs.js';
import { resolveRel } from '../repo/repo-fs.js';
import { apiGroup, isPlainObject, type KObject } from '../resources/resource.js';
import { parseYamlDocuments } from '../yaml/parse.js';
import { FLUX_KUSTOMIZATION_GROUP as FLUX_KUSTOMIZE_GROUP } from '../flux/types.js';

const FLUX_SOURCE_GROUP = 'source.toolkit.fluxcd.io';
const obj = (v: unknown): Record<string, unknown> | undefined => (isPlainObject(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export interface DiscoveredCluster {
  readonly name: string;
  /** Repo-relative directory. */
  readonly path: string;
  /** How it was found. */
  readonly how: 'fleet' | 'sync' | 'flux-instance' | 'clusters-dir' | 'path';
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '.github', '.terraform', 'dist']);
const MAX_DEPTH = 8;
const MAX_FILES = 20000;

/** YAML files of the repository (depth- and count-limited), repo-relative, sorted. */
export function yamlFiles(fs: RepoFs, dir = ''): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > MAX_DEPTH || out.length >= MAX_FILES) return;
    for (const name of fs.list(d)) {
      if (SKIP_DIRS.has(name) || (name.startsWith('.') && name !== '.aksfleet.yaml')) continue;
      const p = d ? `${d}/${name}` : name;
      if (fs.isDir(p)) walk(p, depth + 1);
      else if (/\.ya?ml$/.test(name) && out.length < MAX_FILES) out.push(p);
    }
  };
  walk(dir, 0);
  return out.sort();
}

function readObjects(fs: RepoFs, file: string): KObject[] {
  try {
    const text = fs.readFile(file);
    // Only files that can hold sync objects are parsed (most of a large repository cannot).
    if (!/GitRepository|FluxInstance|instance:|flux-instance/.test(text)) return [];
    return parseYamlDocuments(text, file)
      .map((d) => d.value)
      .filter(isPlainObject) as KObject[];
  } catch {
    return []; // not our business here: the build reports unreadable files it needs
  }
}

/** A HelmRelease of the Flux Operator's flux-instance chart (its values hold a FluxInstance spec). */
function isFluxInstanceChart(o: KObject): boolean {
  const spec = obj(o.spec);
  return (
    str(obj(obj(spec?.chart)?.spec)?.chart) === 'flux-instance' || str(obj(spec?.chartRef)?.name) === 'flux-instance'
  );
}

/**
 * The `instance.sync` of the values a flux-instance HelmRelease gets through `valuesFrom` from a
 * ConfigMap that the kustomization.yaml beside it generates (configMapGenerator `files`): the
 * Flux Operator layout where the FluxInstance spec is a values file (`values.yaml=./helm/values.yaml`).
 */
function generatedValuesSyncs(fs: RepoFs, dir: string, hr: KObject): Record<string, unknown>[] {
  const names = new Set(
    (Array.isArray(obj(hr.spec)?.valuesFrom) ? (obj(hr.spec)!.valuesFrom as unknown[]) : [])
      .map(obj)
      .filter((v) => str(v?.kind) === 'ConfigMap')
      .map((v) => str(v?.name))
      .filter((n): n is string => !!n),
  );
  if (names.size === 0) return [];
  const out: Record<string, unknown>[] = [];
  try {
    const kfile = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']
      .map((n) => (dir ? `${dir}/${n}` : n))
      .find((f) => fs.isFile(f));
    if (!kfile) return [];
    const k = obj(parseYamlDocuments(fs.readFile(kfile), kfile)[0]?.value);
    const gens = Array.isArray(k?.configMapGenerator) ? (k!.configMapGenerator as unknown[]).map(obj) : [];
    for (const g of gens) {
      if (!names.has(str(g?.name) ?? '')) continue;
      for (const f of Array.isArray(g?.files) ? (g!.files as unknown[]) : []) {
        const src = str(f)?.replace(/^[^=]*=/, '');
        if (!src) continue;
        const file = resolveRel(dir, src);
        for (const d of parseYamlDocuments(fs.readFile(file), file)) {
          const sync = obj(obj(obj(d.value)?.instance)?.sync);
          if (sync) out.push(sync);
        }
      }
    }
  } catch {
    return out; // unreadable or outside the repository: the build reports what it needs
  }
  return out;
}

function nameOf(path: string): string {
  return path.split('/').filter(Boolean).at(-1) ?? 'root';
}

/** The cluster directories of the repository, each with how it was found (see above). */
export function findClusters(fs: RepoFs, opts: { fleet?: boolean } = {}): DiscoveredCluster[] {
  const found = new Map<string, DiscoveredCluster>();
  const add = (path: string, how: DiscoveredCluster['how']) => {
    if (!found.has(path) && fs.isDir(path)) found.set(path, { name: nameOf(path), path, how });
  };
  const clusterDirs = fs.isDir('clusters')
    ? fs.list('clusters').filter((n) => fs.isDir(`clusters/${n}`) && !n.startsWith('.'))
    : [];
  if (opts.fleet) {
    for (const n of clusterDirs) add(`clusters/${n}`, 'fleet');
    return [...found.values()];
  }
  const byDir = new Map<string, { file: string; o: KObject }[]>();
  for (const f of yamlFiles(fs)) {
    const dir = f.includes('/') ? f.slice(0, f.lastIndexOf('/')) : '';
    for (const o of readObjects(fs, f)) (byDir.get(dir) ?? byDir.set(dir, []).get(dir)!).push({ file: f, o });
  }
  for (const [dir, objs] of [...byDir].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const gits = new Set(
      objs
        .filter(({ o }) => o.kind === 'GitRepository' && apiGroup(o.apiVersion) === FLUX_SOURCE_GROUP)
        .map(({ o }) => `${o.metadata?.namespace ?? 'flux-system'}/${o.metadata?.name}`),
    );
    for (const { o } of objs) {
      const spec = obj(o.spec);
      if (o.kind === 'Kustomization' && apiGroup(o.apiVersion) === FLUX_KUSTOMIZE_GROUP) {
        const ref = obj(spec?.sourceRef);
        const refId = `${str(ref?.namespace) ?? o.metadata?.namespace ?? 'flux-system'}/${str(ref?.name)}`;
        if ((str(ref?.kind) ?? 'GitRepository') !== 'GitRepository' || !gits.has(refId)) continue;
        let p: string;
        try {
          p = resolveRel('', str(spec?.path) ?? '');
        } catch {
          continue;
        }
        // Self-sync: the sync objects live inside the directory they sync.
        if (p === '' ? dir === '' || dir === 'flux-system' : dir === p || dir.startsWith(`${p}/`)) add(p, 'sync');
      }
      const sync =
        o.kind === 'FluxInstance'
          ? obj(spec?.sync)
          : o.kind === 'HelmRelease'
            ? obj(obj(obj(spec?.values)?.instance)?.sync)
            : undefined;
      const syncs = [
        sync,
        ...(o.kind === 'HelmRelease' && isFluxInstanceChart(o) ? generatedValuesSyncs(fs, dir, o) : []),
      ];
      for (const sp of syncs.map((x) => str(x?.path))) {
        if (!sp || /\$\{/.test(sp)) continue;
        try {
          add(resolveRel('', sp), 'flux-instance');
        } catch {
          /* ignore */
        }
      }
    }
  }
  // `flux bootstrap` layout whose sync file is not in Git as objects (a placeholder, or ignored):
  // <path>/flux-system/gotk-components.yaml marks <path> as a cluster.
  for (const f of yamlFiles(fs)) {
    const m = /^(?:(.*)\/)?flux-system\/gotk-(components|sync)\.yaml$/.exec(f);
    if (m) add(m[1] ?? '', 'sync');
  }
  if (found.size === 0) for (const n of clusterDirs) add(`clusters/${n}`, 'clusters-dir');
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
