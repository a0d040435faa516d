/**
 * The normalisation kustomize-controller's apply does where it changes content (fluxcd/pkg
 * ssa/normalize): default `protocol: TCP` on the ports of Pod-template `containers` and of
 * Services, Secret `stringData` folded into `data`, `status` dropped except on CRDs. Only for
 * the built-in API versions the typed scheme knows. Role and ClusterRole are left alone.
 */
import { isPlainObject, type KObject } from '../../resources/resource.js';

const POD_TEMPLATE_PATHS: Record<string, string[]> = {
  'v1/Pod': ['spec'],
  'apps/v1/Deployment': ['spec', 'template', 'spec'],
  'apps/v1/StatefulSet': ['spec', 'template', 'spec'],
  'apps/v1/DaemonSet': ['spec', 'template', 'spec'],
  'apps/v1/ReplicaSet': ['spec', 'template', 'spec'],
  'batch/v1/Job': ['spec', 'template', 'spec'],
  'batch/v1/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/**
 * Copies the plain objects along `path` in `o` (one level each, in place of the originals) and
 * applies `edit` to the last copy; everything else stays shared. Nothing happens when the path
 * does not lead to an object.
 */
function editAt(
  o: Record<string, unknown>,
  path: readonly string[],
  edit: (leaf: Record<string, unknown>) => void,
): void {
  let cur = o;
  for (const p of path) {
    const next = cur[p];
    if (!isPlainObject(next)) return;
    const copy = { ...next };
    cur[p] = copy;
    cur = copy;
  }
  edit(cur);
}

/** `ports` with `protocol: TCP` on the ports without one (changed ports copied), or `ports` itself. */
function defaultProtocol(ports: unknown): unknown {
  if (!Array.isArray(ports)) return ports;
  let changed = false;
  const out = ports.map((p) => {
    if (isPlainObject(p) && (p.protocol === undefined || p.protocol === null || p.protocol === '')) {
      changed = true;
      const q = { ...p };
      q.protocol = 'TCP';
      return q;
    }
    return p;
  });
  return changed ? out : ports;
}

/**
 * The object as kustomize-controller's normalisation leaves it. A new object where something
 * changes (the parts on the changed paths are copied, the rest shared with `obj`), else `obj`.
 */
export function normalize(obj: KObject): KObject {
  const gvk = `${obj.apiVersion}/${obj.kind}`;
  if (obj.apiVersion === 'rbac.authorization.k8s.io/v1' && (obj.kind === 'Role' || obj.kind === 'ClusterRole'))
    return obj;
  const isCrd =
    obj.kind === 'CustomResourceDefinition' &&
    typeof obj.apiVersion === 'string' &&
    obj.apiVersion.startsWith('apiextensions.k8s.io/');
  const podPath = POD_TEMPLATE_PATHS[gvk];
  const needsStatus = !isCrd && 'status' in obj;
  const isService = gvk === 'v1/Service';
  const isSecret = gvk === 'v1/Secret' && isPlainObject(obj.stringData) && Object.keys(obj.stringData).length > 0;
  if (!podPath && !needsStatus && !isService && !isSecret) return obj;
  const o = { ...obj } as KObject & Record<string, unknown>;
  if (needsStatus) delete o.status;
  if (podPath) {
    editAt(o, podPath, (spec) => {
      if (!Array.isArray(spec.containers)) return;
      spec.containers = spec.containers.map((c: unknown) => {
        if (!isPlainObject(c)) return c;
        const ports = defaultProtocol(c.ports);
        return ports === c.ports ? c : { ...c, ports };
      });
    });
  }
  if (isService)
    editAt(o, ['spec'], (spec) => {
      const ports = defaultProtocol(spec.ports);
      if (ports !== spec.ports) spec.ports = ports;
    });
  if (isSecret) {
    const data = isPlainObject(o.data) ? { ...o.data } : {};
    for (const [k, v] of Object.entries(o.stringData as Record<string, unknown>)) {
      data[k] = Buffer.from(typeof v === 'string' ? v : String(v), 'utf8').toString('base64');
    }
    o.data = data;
    delete o.stringData;
  }
  return o;
}
