/**
 * A tiny renderer for tests of the git plumbing: every YAML document under the cluster path,
 * plus, for each Flux Kustomization found, every document under its spec.path (recursively).
 * It is not kustomize; tests of rendering semantics use the real engine.
 */
import type { RepoFs } from '../repo/repo-fs.js';
import type { Resource } from '../resources/resource.js';
import { isPlainObject } from '../resources/resource.js';
import { parseYamlDocuments } from '../yaml/parse.js';
import type { ClusterRenderer } from './fleet-diff.js';

function docsUnder(fs: RepoFs, dir: string, out: Resource[]): void {
  for (const name of fs.list(dir)) {
    const p = dir ? `${dir}/${name}` : name;
    if (fs.isDir(p)) docsUnder(fs, p, out);
    else if (/\.ya?ml$/.test(name) && name !== 'kustomization.yaml')
      for (const d of parseYamlDocuments(fs.readFile(p), p))
        if (isPlainObject(d.value)) out.push({ object: d.value, origin: { file: p, line: d.line } });
  }
}

export const followPathsRenderer: ClusterRenderer = (fs, cluster) => {
  const out: Resource[] = [];
  docsUnder(fs, cluster.path, out);
  const seen = new Set([cluster.path]);
  for (let i = 0; i < out.length; i++) {
    const o = out[i]!.object;
    const spec = o.spec;
    if (
      o.kind === 'Kustomization' &&
      String(o.apiVersion).startsWith('kustomize.toolkit.fluxcd.io/') &&
      isPlainObject(spec) &&
      typeof spec.path === 'string'
    ) {
      const p = spec.path.replace(/^\.\//, '').replace(/\/$/, '');
      if (!seen.has(p)) {
        seen.add(p);
        docsUnder(fs, p, out);
      }
    }
  }
  return out;
};
