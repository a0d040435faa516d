/**
 * One finding where one render says the same thing twice at the same line: a file applied more
 * than once in one cluster's build (a hub that applies `deploy/apps` into a namespace per spoke
 * with `targetNamespace`, or to each spoke through `spec.kubeConfig`) gives one object per
 * application, and each object the same finding at the same file and line. A user reads that as
 * one problem in one place: it is reported once, naming every object and cluster it concerns.
 *
 * Only findings of one cluster path's render are merged (the cluster and its `hub->spoke`
 * contexts): separate clusters of a fleet keep a finding each, as each is its own gate line
 * (`--shard`, `report merge` and per-cluster counts read them so).
 */
import type { Finding } from './types.js';

/** What makes two findings "the same thing at the same line". */
function sameKey(f: Finding): string | undefined {
  if (f.file === undefined || f.line === undefined) return undefined;
  return JSON.stringify([f.rule, f.severity, f.file, f.line, f.message, f.hint ?? null, f.related ?? null]);
}

/**
 * `findings` (of one cluster path's render) with those equal in rule, severity, file, line,
 * message, hint and related places merged into the first: its message says which other objects
 * (and, when they differ, clusters) it also concerns, and `clusters` lists every cluster when
 * there are several. Order kept (the merged finding stands where the first was).
 */
export function mergeSameLine(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = sameKey(f);
    if (k !== undefined) (groups.get(k) ?? groups.set(k, []).get(k)!).push(f);
  }
  const out: Finding[] = [];
  for (const f of findings) {
    const k = sameKey(f);
    const group = k === undefined ? undefined : groups.get(k);
    if (!group || group.length === 1) {
      out.push(f);
      continue;
    }
    if (group[0] !== f) continue;
    const also: string[] = [];
    for (const o of group.slice(1)) {
      const other = o.cluster !== f.cluster ? ` on cluster ${o.cluster ?? '(repository)'}` : '';
      const what = o.resource !== undefined && o.resource !== f.resource ? `${o.resource}${other}` : other.trim();
      if (what && !also.includes(what)) also.push(what);
    }
    const clusters = [...new Set(group.map((o) => o.cluster).filter((c): c is string => c !== undefined))];
    out.push({
      ...f,
      ...(also.length ? { message: `${f.message} (also ${also.join(', ')})` } : {}),
      ...(clusters.length > 1 ? { clusters } : {}),
    });
  }
  return out;
}
