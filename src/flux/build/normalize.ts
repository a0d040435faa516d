/**
 * The normalisation kustomize-controller's apply does where it changes content (fluxcd/pkg
 * ssa/normalize): default `protocol: TCP` on the ports of Pod-template `containers` and of
 * Services, Secret `stringData` folded into `data`, `status` dropped except on CRDs. Only for
 * the built-in API versions the typed scheme knows. Role and ClusterRole are left alone.
 */
import { cloneJson, isPlainObject, type KObject } from '../../resources/resource.js';

const POD_TEMPLATE_PATHS: Record<string, string[]> = {
  'v1/Pod': ['spec'],
  'apps/v1/Deployment': ['spec', 'template', 'spec'],
  'apps/v1/StatefulSet': ['spec', 'template', 'spec'],
  'apps/v1/DaemonSet': ['spec', 'template', 'spec'],
  'apps/v1/ReplicaSet': ['spec', 'template', 'spec'],
  'batch/v1/Job': ['spec', 'template', 'spec'],
  'batch/v1/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function at(o: unknown, path: string[]): unknown {
  let cur = o;
  for (const p of path) {
    if (!isPlainObject(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
}

function defaultProtocol(ports: unknown): boolean {
  let changed = false;
  if (!Array.isArray(ports)) return false;
  for (const p of ports) {
    if (isPlainObject(p) && (p.protocol === undefined || p.protocol === null || p.protocol === '')) {
      p.protocol = 'TCP';
      changed = true;
    }
  }
  return changed;
}

export function normalize(obj: KObject): KObject {
  const gvk = `${obj.apiVersion}/${obj.kind}`;
  if (obj.apiVersion === 'rbac.authorization.k8s.io/v1' && (obj.kind === 'Role' || obj.kind === 'ClusterRole')) return obj;
  const isCrd = obj.kind === 'CustomResourceDefinition' && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('apiextensions.k8s.io/');
  const podPath = POD_TEMPLATE_PATHS[gvk];
  const needsStatus = !isCrd && 'status' in obj;
  const isService = gvk === 'v1/Service';
  const isSecret = gvk === 'v1/Secret' && isPlainObject(obj.stringData) && Object.keys(obj.stringData).length > 0;
  if (!podPath && !needsStatus && !isService && !isSecret) return obj;
  const o = cloneJson(obj) as KObject & Record<string, unknown>;
  if (needsStatus) delete o.status;
  if (podPath) {
    const spec = at(o, podPath);
    if (isPlainObject(spec) && Array.isArray(spec.containers)) {
      for (const c of spec.containers) if (isPlainObject(c)) defaultProtocol(c.ports);
    }
  }
  if (isService) defaultProtocol(at(o, ['spec', 'ports']));
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
