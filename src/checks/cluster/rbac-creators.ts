/**
 * Objects the render's own workloads create at run time: a pod whose ServiceAccount RBAC lets it
 * `create` a resource (a chart's certificate Job writing its webhook Secret, an operator) may
 * make objects of that kind the render does not show. The model cannot know their names, so a
 * reference rule does not conclude that one is missing where such a creator runs.
 * https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 */
import type { Resource } from '../../resources/resource.js';
import { apiGroup } from '../../resources/resource.js';
import { arr, obj, str, type PodTemplate } from '../k8s.js';

/** `secrets` for Secret: the resource name RBAC rules use for a kind. */
export function resourcePlural(kind: string): string {
  const k = kind.toLowerCase();
  if (k.endsWith('s')) return `${k}es`;
  if (k.endsWith('y')) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

interface Grant {
  readonly role: string;
  readonly rules: readonly Record<string, unknown>[];
}

function allows(rules: readonly Record<string, unknown>[], group: string, plural: string): boolean {
  return rules.some((r) => {
    const groups = arr(r.apiGroups).map(String);
    const resources = arr(r.resources).map(String);
    const verbs = arr(r.verbs).map(String);
    return (
      (groups.includes('*') || groups.includes(group)) &&
      (resources.includes('*') || resources.includes(plural)) &&
      (verbs.includes('*') || verbs.includes('create'))
    );
  });
}

/** The rendered roles by `Kind/ns/name` (`ClusterRole//name` for cluster roles). */
function roles(resources: readonly Resource[]): Map<string, Grant> {
  const out = new Map<string, Grant>();
  for (const r of resources) {
    const k = r.object.kind;
    if (apiGroup(r.object.apiVersion) !== 'rbac.authorization.k8s.io' || (k !== 'Role' && k !== 'ClusterRole'))
      continue;
    const ns = k === 'Role' ? (r.object.metadata?.namespace ?? 'default') : '';
    out.set(`${k}/${ns}/${r.object.metadata?.name ?? ''}`, {
      role: `${k} ${r.object.metadata?.name ?? ''}`,
      rules: arr(r.object.rules)
        .map(obj)
        .filter((x): x is Record<string, unknown> => !!x),
    });
  }
  return out;
}

/** A binding of a role to ServiceAccounts: where it grants (a namespace, or every namespace). */
interface Binding {
  readonly grant: Grant;
  readonly namespace?: string;
  readonly serviceAccounts: readonly string[];
  readonly how: string;
}

function bindings(resources: readonly Resource[]): Binding[] {
  const rs = roles(resources);
  const out: Binding[] = [];
  for (const r of resources) {
    const k = r.object.kind;
    if (
      apiGroup(r.object.apiVersion) !== 'rbac.authorization.k8s.io' ||
      (k !== 'RoleBinding' && k !== 'ClusterRoleBinding')
    )
      continue;
    const ns = k === 'RoleBinding' ? (r.object.metadata?.namespace ?? 'default') : undefined;
    const ref = obj(r.object.roleRef) ?? {};
    const grant = rs.get(`${str(ref.kind)}/${str(ref.kind) === 'Role' ? ns : ''}/${str(ref.name)}`);
    if (!grant) continue;
    const sas = arr(r.object.subjects)
      .map(obj)
      .filter((s): s is Record<string, unknown> => s?.kind === 'ServiceAccount')
      .map((s) => `${str(s.namespace) ?? ns ?? 'default'}/${str(s.name) ?? ''}`);
    out.push({ grant, namespace: ns, serviceAccounts: sas, how: `${k} ${r.object.metadata?.name ?? ''}` });
  }
  return out;
}

/**
 * Why objects of `group`/`kind` in `namespace` may be created by a workload of the render (its
 * ServiceAccount may create them), or undefined. Built once per model.
 */
export function runtimeCreators(
  resources: readonly Resource[],
  templates: readonly PodTemplate[],
): (group: string, kind: string, namespace: string) => string | undefined {
  const bs = bindings(resources);
  const used = new Map<string, PodTemplate>();
  for (const t of templates) {
    const sa = str(t.spec.serviceAccountName) ?? str(t.spec.serviceAccount) ?? 'default';
    const key = `${t.namespace}/${sa}`;
    if (!used.has(key)) used.set(key, t);
  }
  const memo = new Map<string, string | undefined>();
  return (group, kind, namespace) => {
    const key = `${group}/${kind}/${namespace}`;
    if (memo.has(key)) return memo.get(key);
    const plural = resourcePlural(kind);
    let why: string | undefined;
    for (const b of bs) {
      if ((b.namespace !== undefined && b.namespace !== namespace) || !allows(b.grant.rules, group, plural)) continue;
      // A cluster-wide grant counts in the workload's own namespace only: a controller allowed to
      // create Secrets everywhere (cert-manager) does so for objects the model already follows.
      const sa = b.serviceAccounts.find(
        (s) => used.has(s) && (b.namespace !== undefined || s.startsWith(`${namespace}/`)),
      );
      if (!sa) continue;
      const t = used.get(sa)!;
      why = `${t.kind} ${t.namespace}/${t.resource.object.metadata?.name ?? ''} runs as ServiceAccount ${sa}, which may create ${plural} in namespace ${namespace} (${b.grant.role} bound by ${b.how})`;
      break;
    }
    memo.set(key, why);
    return why;
  };
}
