/**
 * Resource selection for `patches[].target` (kustomize's resWrangler.Select) and the label /
 * annotation selectors of `replacements`, through the patches module: group, version, kind,
 * name and namespace are RE2-style regexes anchored as `^(?:...)$`; name and namespace match the
 * original OR the current value (namespaces compared as kustomize's effective namespaces).
 */
import type { Selector } from './kustomization.js';
import { compileSelector, parseLabelSelector } from './patches/index.js';
import { effectiveNamespace, type KRes } from './resmap.js';

function stringMap(m: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) out[k] = v === null || v === undefined ? '' : String(v);
  return out;
}

/** resWrangler.Select. */
export function selectResources(list: readonly KRes[], sel: Selector, file?: string): KRes[] {
  const match = compileSelector(sel, file);
  return list.filter((r) => {
    const cur = r.curId();
    const org = r.orgId();
    return match({
      apiVersion: typeof r.obj.apiVersion === 'string' ? r.obj.apiVersion : '',
      kind: r.gvk.kind,
      names: [org.name, cur.name],
      namespaces: [effectiveNamespace(org), effectiveNamespace(cur)],
      labels: stringMap(r.labels()),
      annotations: stringMap(r.annotations()),
    });
  });
}

/** Whether a Kubernetes label selector (`a=b,c in (x,y),!d`) matches a resource's labels or annotations. */
export function labelSelectorMatches(selector: string, values: Record<string, unknown>, file?: string): boolean {
  return parseLabelSelector(selector, { file }).matches(stringMap(values));
}
