/**
 * `data.inventory` as Gatekeeper syncs it (frameworks' target handler, pkg/target/target.go
 * ProcessData): cluster-scoped objects under `cluster[groupVersion][kind][name]`, namespaced ones
 * under `namespace[namespace][groupVersion][kind][name]`. Offline every evaluated resource is
 * synced (in a cluster only what the Config / SyncSets name).
 */

type Tree = Record<string, unknown>;

const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

function put(root: Tree, path: readonly string[], value: unknown): void {
  let node = root;
  for (const k of path.slice(0, -1)) {
    const next = obj(node[k]);
    if (next) node = next;
    else {
      const made: Tree = {};
      node[k] = made;
      node = made;
    }
  }
  node[path[path.length - 1]!] = value;
}

/** The inventory of a list of objects (later objects with the same identity win). */
export function inventoryOf(resources: readonly Record<string, unknown>[]): { cluster: Tree; namespace: Tree } {
  const cluster: Tree = {};
  const namespace: Tree = {};
  for (const r of resources) {
    const md = obj(r.metadata);
    const name = md && typeof md.name === 'string' ? md.name : '';
    const gv = typeof r.apiVersion === 'string' ? r.apiVersion : '';
    const kind = typeof r.kind === 'string' ? r.kind : '';
    if (!name || !gv || !kind) continue;
    const ns = md && typeof md.namespace === 'string' ? md.namespace : '';
    if (ns) put(namespace, [ns, gv, kind, name], r);
    else put(cluster, [gv, kind, name], r);
  }
  return { cluster, namespace };
}
