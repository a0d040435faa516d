/**
 * The admission request an offline evaluation pretends to receive: group/version/kind and
 * resource of the object, its namespace and name, the operation and the user.
 */

/** Group, version, kind and resource (plural) of an object. */
export interface GroupVersionResource {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly resource: string;
}

/** Kinds whose plural is not Kubernetes' guess (meta.UnsafeGuessKindToResource). */
const IRREGULAR: Record<string, string> = { Endpoints: 'endpoints' };

/** The resource (plural) of a kind, as Kubernetes guesses it for unknown kinds. */
export function resourceOfKind(kind: string): string {
  if (IRREGULAR[kind]) return IRREGULAR[kind];
  const lower = kind.toLowerCase();
  if (lower.endsWith('s')) return `${lower}es`;
  if (lower.endsWith('y')) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

/** The group/version/kind/resource of an object from its apiVersion and kind. */
export function gvrOf(obj: Record<string, unknown>): GroupVersionResource {
  const apiVersion = String(obj.apiVersion ?? '');
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  const version = slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion;
  const kind = String(obj.kind ?? '');
  return { group, version, kind, resource: resourceOfKind(kind) };
}

/** metadata of an object (empty when absent). */
export function metadataOf(obj: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const m = obj?.metadata;
  return m && typeof m === 'object' && !Array.isArray(m) ? (m as Record<string, unknown>) : {};
}

/** The user of the offline request. */
export interface UserInfo {
  readonly username?: string;
  readonly uid?: string;
  readonly groups?: readonly string[];
  readonly extra?: Record<string, readonly string[]>;
}

/** The `request` variable CEL sees (admission.k8s.io/v1 AdmissionRequest, as Kubernetes builds it). */
export function admissionRequest(
  obj: Record<string, unknown>,
  operation: string,
  userInfo: UserInfo = {},
): Record<string, unknown> {
  const g = gvrOf(obj);
  const md = metadataOf(obj);
  const namespace = typeof md.namespace === 'string' ? md.namespace : '';
  const name = typeof md.name === 'string' ? md.name : '';
  return {
    uid: '',
    kind: { group: g.group, version: g.version, kind: g.kind },
    resource: { group: g.group, version: g.version, resource: g.resource },
    requestKind: { group: g.group, version: g.version, kind: g.kind },
    requestResource: { group: g.group, version: g.version, resource: g.resource },
    name,
    namespace,
    operation,
    userInfo: {
      username: userInfo.username ?? '',
      uid: userInfo.uid ?? '',
      groups: [...(userInfo.groups ?? [])],
      ...(userInfo.extra ? { extra: userInfo.extra } : {}),
    },
    dryRun: false,
  };
}
