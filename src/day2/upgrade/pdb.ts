/**
 * PodDisruptionBudgets that block node drains: an upgrade cordons and drains every node of a
 * pool, and the eviction API refuses to evict a pod while its PDB allows no disruption.
 * A PDB blocks when `maxUnavailable` is 0 (or 0%), when `minAvailable` is 100%, or when
 * `minAvailable` is at least the replicas of the workloads it selects. Pure: objects in, findings out.
 */
import { isPlainObject, resourceId, type KObject, type Resource } from '../../resources/resource.js';
import { labelSelectorMatches } from '../../resources/label-selector.js';
import type { Finding } from './types.js';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);
const PDB_KIND = 'PodDisruptionBudget';

function intOrPercent(v: unknown): { n: number; percent: boolean } | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return { n: v, percent: false };
  if (typeof v === 'string') {
    const m = /^(\d+)(%?)$/.exec(v.trim());
    if (m) return { n: Number(m[1]), percent: m[2] === '%' };
  }
  return undefined;
}

function templateLabels(o: KObject): Record<string, string> {
  const spec = o.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined;
  return spec?.template?.metadata?.labels ?? {};
}

/** Whether `drainBlockers` reads the object (a PDB or a workload): it ignores every other. */
export function readByDrainCheck(o: KObject): boolean {
  return o.kind === PDB_KIND || WORKLOAD_KINDS.has(o.kind ?? '');
}

/** Findings for the PDBs among `resources` that would block a drain, for one cluster. */
export function drainBlockers(resources: readonly Resource[], cluster: string): Finding[] {
  const out: Finding[] = [];
  const workloads = resources.filter((r) => WORKLOAD_KINDS.has(r.object.kind ?? ''));
  for (const r of resources) {
    const o = r.object;
    if (o.kind !== PDB_KIND) continue;
    const spec = isPlainObject(o.spec) ? (o.spec as Record<string, unknown>) : {};
    const ns = o.metadata?.namespace ?? 'default';
    const id = resourceId(o);
    const at = { file: r.origin?.file, line: r.origin?.line };
    const maxU = intOrPercent(spec.maxUnavailable);
    const minA = intOrPercent(spec.minAvailable);
    const push = (message: string) =>
      out.push({
        rule: 'pdb-blocks-drain',
        severity: 'error',
        cluster,
        resource: id,
        ...(at.file ? { file: at.file } : {}),
        ...(at.line ? { line: at.line } : {}),
        message,
        hint:
          'allow at least one disruption (maxUnavailable: 1, or minAvailable below the replica count) ' +
          'before the upgrade, or the drain of the node running these pods never finishes',
      });
    if (maxU && maxU.n === 0) {
      push(
        `${id} has maxUnavailable: ${JSON.stringify(spec.maxUnavailable)}; ` +
          `no pod it selects can be evicted, so draining their nodes blocks`,
      );
      continue;
    }
    if (!minA) continue;
    if (minA.percent) {
      if (minA.n >= 100)
        push(`${id} has minAvailable: ${JSON.stringify(spec.minAvailable)}; no pod it selects can be evicted`);
      continue;
    }
    // policy/v1: a PDB without a selector selects no pod; an empty one ({}) every pod of its namespace.
    const matched = workloads.filter(
      (w) =>
        (w.object.metadata?.namespace ?? 'default') === ns &&
        labelSelectorMatches(spec.selector, templateLabels(w.object), 'nothing'),
    );
    if (matched.length === 0) continue; // nothing to compare with: the selected pods are not in the rendered repo
    const replicas = matched.reduce((s, w) => {
      const rep = (w.object.spec as { replicas?: unknown } | undefined)?.replicas;
      return s + (typeof rep === 'number' ? rep : 1);
    }, 0);
    if (minA.n >= replicas) {
      push(
        `${id} has minAvailable: ${minA.n} and the workloads it selects ` +
          `(${matched.map((w) => resourceId(w.object)).join(', ')}) run ${replicas} ` +
          `replica${replicas === 1 ? '' : 's'}; no pod can be evicted`,
      );
    }
  }
  return out;
}
