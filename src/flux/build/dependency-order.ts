/**
 * The order in which Flux would reconcile Kustomizations: `dependsOn` first (topological), ties
 * broken by `namespace/name`. Missing dependencies and cycles are reported with the chain.
 */
export interface DependencyNode {
  /** `namespace/name` */
  readonly id: string;
  /** `namespace/name` of each dependency. */
  readonly dependsOn: readonly string[];
}

export interface DependencyOrder {
  /** Ids in reconcile order (nodes on a cycle come last, by name). */
  readonly order: string[];
  /** id -> dependencies not in the graph */
  readonly missing: Map<string, string[]>;
  /** Each cycle as a chain `a -> b -> a`, once. */
  readonly cycles: string[][];
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function dependencyOrder(nodes: readonly DependencyNode[]): DependencyOrder {
  const ids = new Set(nodes.map((n) => n.id));
  const deps = new Map<string, string[]>();
  const missing = new Map<string, string[]>();
  for (const n of nodes) {
    const known = [...new Set(n.dependsOn)].filter((d) => ids.has(d) && d !== n.id);
    const unknown = n.dependsOn.filter((d) => !ids.has(d));
    deps.set(n.id, known);
    if (unknown.length) missing.set(n.id, unknown);
  }
  const done = new Set<string>();
  const order: string[] = [];
  const remaining = new Set([...ids].sort(cmp));
  for (;;) {
    const ready = [...remaining].filter((id) => deps.get(id)!.every((d) => done.has(d)));
    if (ready.length === 0) break;
    const next = ready.sort(cmp)[0]!;
    order.push(next);
    done.add(next);
    remaining.delete(next);
  }
  const cycles: string[][] = [];
  const seen = new Set<string>();
  for (const start of [...remaining].sort(cmp)) {
    // Walk dependencies from `start` until a node repeats: that is a cycle.
    const path: string[] = [];
    const pos = new Map<string, number>();
    let cur: string | undefined = start;
    while (cur !== undefined && !pos.has(cur)) {
      pos.set(cur, path.length);
      path.push(cur);
      cur = deps
        .get(cur)!
        .filter((d) => remaining.has(d))
        .sort(cmp)[0];
    }
    if (cur === undefined) continue;
    const cyc = path.slice(pos.get(cur)!);
    const key = [...cyc].sort(cmp).join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    // Rotate so the chain starts at its smallest id, for a stable message.
    const minAt = cyc.indexOf([...cyc].sort(cmp)[0]!);
    const rotated = [...cyc.slice(minAt), ...cyc.slice(0, minAt)];
    cycles.push([...rotated, rotated[0]!]);
  }
  order.push(...[...remaining].sort(cmp));
  return { order, missing, cycles };
}
