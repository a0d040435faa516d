/**
 * A Constraint's `spec.match`, as Gatekeeper's matcher (pkg/mutation/match/match.go) applies it:
 * kinds, scope, namespaces, excludedNamespaces (wildcards), labelSelector, namespaceSelector
 * (against the known Namespace), name. Every criterion must hold; an absent one holds.
 */
import { selectorMatches, type LabelSelector } from '../cel-policies/selector.js';
import { wildcardMatches, wildcardMatchesGenerateName } from './wildcard.js';

export interface ConstraintMatch {
  readonly kinds?: readonly { readonly apiGroups?: readonly string[]; readonly kinds?: readonly string[] }[];
  readonly scope?: string;
  readonly namespaces?: readonly string[];
  readonly excludedNamespaces?: readonly string[];
  readonly labelSelector?: LabelSelector;
  readonly namespaceSelector?: LabelSelector;
  readonly name?: string;
}

/** The object under review with what the matcher needs to know about it. */
export interface MatchTarget {
  readonly object: Record<string, unknown>;
  /** The object's Namespace when known (for namespaceSelector). */
  readonly namespace?: Record<string, unknown>;
}

/** `{ matches }`, or `{ error }` when the match cannot be decided (Gatekeeper's ErrMatch). */
export type MatchOutcome =
  | { readonly matches: boolean; readonly error?: undefined }
  | { readonly matches: false; readonly error: string };

const meta = (o: Record<string, unknown> | undefined): Record<string, unknown> =>
  o?.metadata && typeof o.metadata === 'object' && !Array.isArray(o.metadata)
    ? (o.metadata as Record<string, unknown>)
    : {};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const labelsOf = (o: Record<string, unknown> | undefined): Record<string, unknown> => {
  const l = meta(o).labels;
  return l && typeof l === 'object' && !Array.isArray(l) ? (l as Record<string, unknown>) : {};
};

/** Group of an object's apiVersion (`apps/v1` -> `apps`, `v1` -> ''). */
export function groupOf(obj: Record<string, unknown>): string {
  const av = str(obj.apiVersion);
  const i = av.indexOf('/');
  return i >= 0 ? av.slice(0, i) : '';
}

/** A core Namespace (IsNamespace). */
export function isNamespace(obj: Record<string, unknown>): boolean {
  return obj.kind === 'Namespace' && groupOf(obj) === '';
}

function kindsMatch(m: ConstraintMatch, t: MatchTarget): boolean {
  if (!m.kinds || m.kinds.length === 0) return true;
  const kind = str(t.object.kind);
  const group = groupOf(t.object);
  return m.kinds.some((k) => {
    const kinds = k.kinds ?? [];
    const groups = k.apiGroups ?? [];
    return (
      (kinds.length === 0 || kinds.includes('*') || kinds.includes(kind)) &&
      (groups.length === 0 || groups.includes('*') || groups.includes(group))
    );
  });
}

function scopeMatch(m: ConstraintMatch, t: MatchTarget): boolean {
  const hasNamespace = str(meta(t.object).namespace) !== '' || t.namespace !== undefined;
  const ns = isNamespace(t.object);
  if (m.scope === 'Cluster') return ns || !hasNamespace;
  if (m.scope === 'Namespaced') return !ns && hasNamespace;
  return true;
}

/** The namespace the namespace matchers look at ('' for a cluster-scoped object). */
function namespaceName(t: MatchTarget): string {
  if (isNamespace(t.object)) return str(meta(t.object).name);
  if (t.namespace) return str(meta(t.namespace).name);
  return str(meta(t.object).namespace);
}

function namespacesMatch(m: ConstraintMatch, t: MatchTarget): boolean {
  if (!m.namespaces || m.namespaces.length === 0) return true;
  const ns = namespaceName(t);
  if (ns === '') return true;
  return m.namespaces.some((p) => wildcardMatches(p, ns));
}

function excludedNamespacesMatch(m: ConstraintMatch, t: MatchTarget): boolean {
  if (!m.excludedNamespaces || m.excludedNamespaces.length === 0) return true;
  const ns = namespaceName(t);
  if (ns === '') return true;
  return !m.excludedNamespaces.some((p) => wildcardMatches(p, ns));
}

function namespaceSelectorMatch(m: ConstraintMatch, t: MatchTarget): MatchOutcome {
  if (!m.namespaceSelector) return { matches: true };
  if (isNamespace(t.object)) return { matches: selectorMatches(m.namespaceSelector, labelsOf(t.object)) };
  const ns = str(meta(t.object).namespace);
  if (!t.namespace && ns === '') return { matches: true };
  if (!t.namespace)
    return {
      matches: false,
      error: `namespaceSelector needs Namespace '${ns}', which is not among the evaluated resources`,
    };
  return { matches: selectorMatches(m.namespaceSelector, labelsOf(t.namespace)) };
}

function nameMatch(m: ConstraintMatch, t: MatchTarget): boolean {
  if (!m.name) return true;
  const md = meta(t.object);
  return wildcardMatches(m.name, str(md.name)) || wildcardMatchesGenerateName(m.name, str(md.generateName));
}

/** Whether a constraint's match selects the object. */
export function constraintMatches(m: ConstraintMatch | undefined, t: MatchTarget): MatchOutcome {
  if (!m) return { matches: true };
  try {
    if (!kindsMatch(m, t) || !scopeMatch(m, t) || !namespacesMatch(m, t) || !excludedNamespacesMatch(m, t))
      return { matches: false };
    if (m.labelSelector && !selectorMatches(m.labelSelector, labelsOf(t.object))) return { matches: false };
    const nsSel = namespaceSelectorMatch(m, t);
    if (!nsSel.matches) return nsSel;
    return { matches: nameMatch(m, t) };
  } catch (e) {
    return { matches: false, error: `spec.match: ${(e as Error).message}` };
  }
}
