/**
 * Finding the cluster entry points of a Flux repository:
 * 1. an aksfleet repo (fleet.yaml at the root): `clusters/<name>` for every cluster of the spec;
 * 2. the `flux bootstrap` convention: every directory `clusters/<name>` (at the root or one level down);
 * 3. any other repo: directories holding Flux Kustomizations that no Flux Kustomization outside
 *    them points at (the roots of the Flux graph).
 */
import * as path from 'node:path';
import type { RepoFs } from '../repo/repo-fs.js';
import { parseYamlDocuments } from '../yaml/parse.js';
import { isPlainObject } from '../resources/resource.js';

export interface ClusterEntry {
  /** A name for the cluster (the directory name, or the spec's cluster name). */
  readonly name: string;
  /** Repo-relative path Flux reconciles for it. */
  readonly path: string;
}

const SKIP_DIRS = new Set(['.git', 'node_modules', '.github', '.aksfleet']);

function walkYaml(fs: RepoFs, dir: string, out: string[], depth = 0): void {
  if (depth > 20) return;
  for (const name of fs.list(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const p = dir ? `${dir}/${name}` : name;
    if (fs.isDir(p)) walkYaml(fs, p, out, depth + 1);
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
}

interface FluxKsRef {
  readonly file: string;
  readonly path: string;
}

function fluxKustomizationsIn(fs: RepoFs, file: string): FluxKsRef[] {
  let text: string;
  try {
    text = fs.readFile(file);
  } catch {
    return [];
  }
  if (!text.includes('kustomize.toolkit.fluxcd.io')) return [];
  const out: FluxKsRef[] = [];
  try {
    for (const d of parseYamlDocuments(text, file)) {
      const v = d.value;
      if (!isPlainObject(v) || v.kind !== 'Kustomization' || typeof v.apiVersion !== 'string' || !v.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')) continue;
      const spec = isPlainObject(v.spec) ? v.spec : {};
      const p = typeof spec.path === 'string' ? spec.path : '';
      out.push({ file, path: path.posix.normalize(p.replace(/^\.?\/*/, '') || '.') });
    }
  } catch {
    // unparsable files are reported by build/check, not here
  }
  return out;
}

/** The clusters of a repository, sorted by path. */
export function discoverClusters(fs: RepoFs, fleetClusterNames?: readonly string[]): ClusterEntry[] {
  if (fleetClusterNames && fleetClusterNames.length > 0) {
    return fleetClusterNames.map((name) => ({ name, path: `clusters/${name}` })).sort((a, b) => (a.path < b.path ? -1 : 1));
  }
  const conventional: ClusterEntry[] = [];
  for (const base of ['clusters', ...fs.list('').filter((d) => fs.isDir(`${d}/clusters`)).map((d) => `${d}/clusters`)]) {
    if (!fs.isDir(base)) continue;
    for (const name of fs.list(base)) {
      const p = `${base}/${name}`;
      if (fs.isDir(p) && hasYaml(fs, p)) conventional.push({ name, path: p });
    }
  }
  const files: string[] = [];
  walkYaml(fs, '', files);
  const refs = files.flatMap((f) => fluxKustomizationsIn(fs, f));
  if (conventional.length > 0) {
    // Keep conventional clusters that are not just the target of another (hub) cluster's Kustomization.
    const roots = graphRoots(refs);
    const hub = conventional.filter((c) => !roots.some((r) => r !== c.path && refs.some((x) => isUnder(x.file, r) && (covers(x.path, c.path) || isUnder(x.path, c.path)))));
    const extra = roots.filter((r) => !conventional.some((c) => isUnder(r, c.path) || isUnder(c.path, r))).map((r) => ({ name: path.posix.basename(r), path: r }));
    return [...hub, ...extra].sort((a, b) => (a.path < b.path ? -1 : 1));
  }
  return graphRoots(refs)
    .map((p) => ({ name: path.posix.basename(p) || 'root', path: p }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
}

function hasYaml(fs: RepoFs, dir: string): boolean {
  const out: string[] = [];
  walkYaml(fs, dir, out);
  return out.length > 0;
}

function isUnder(p: string, dir: string): boolean {
  return dir === '.' || dir === '' || p === dir || p.startsWith(`${dir}/`);
}

/** Does a Kustomization with spec.path `ksPath` reconcile `dir` (the path itself or one of its parents)? */
function covers(ksPath: string, dir: string): boolean {
  return isUnder(dir, ksPath);
}

/** Directories holding Flux Kustomizations that no Kustomization defined outside them reconciles. */
function graphRoots(refs: readonly FluxKsRef[]): string[] {
  const dirs = [...new Set(refs.map((r) => path.posix.dirname(r.file)))].sort();
  const roots = dirs.filter((d) => !refs.some((r) => !isUnder(r.file, d) && covers(r.path, d)));
  // Keep only the outermost of nested roots.
  return roots.filter((d) => !roots.some((o) => o !== d && isUnder(d, o)));
}
