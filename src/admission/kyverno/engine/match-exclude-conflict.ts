/**
 * A rule whose `exclude` removes all that its `match` selects (api/kyverno/v1 rule_types.go
 * `ValidateMatchExcludeConflict`, Kyverno 1.19, run by the policy validation of the CLI and of the
 * admission webhook alike): "Rule is matching an empty set". Ported as written, quirks included:
 * - with `any` on both sides, a `match.any` filter equal to an `exclude.any` filter (Go's
 *   reflect.DeepEqual over the typed filter: unknown fields dropped, an absent list or map is not an
 *   empty one) is a conflict, and nothing else is checked;
 * - with `all` on either side there is never a conflict;
 * - otherwise the top-level `resources` and user filters are compared: every non-empty exclude
 *   field must cover the match's, and then the rule is refused, even when the exclude's only
 *   filters are under `any` (the top-level fields of both sides are then empty).
 */
import { isMap } from '../pattern/go-values.js';
import { wildcardMatch } from '../wildcard/match.js';

type Raw = Record<string, unknown>;
/** A Go slice or map after a typed decode: null for nil (absent or null), else the value. */
type Nil<T> = T | null;

interface Selector {
  readonly matchLabels: Nil<Record<string, string>>;
  readonly matchExpressions: Nil<{ key: string; operator: string; values: Nil<string[]> }[]>;
}
interface Description {
  readonly kinds: Nil<string[]>;
  readonly name: string;
  readonly names: Nil<string[]>;
  readonly namespaces: Nil<string[]>;
  readonly annotations: Nil<Record<string, string>>;
  readonly selector: Selector | null;
  readonly namespaceSelector: Selector | null;
  readonly operations: Nil<string[]>;
}
interface Subject {
  readonly kind: string;
  readonly apiGroup: string;
  readonly name: string;
  readonly namespace: string;
}
interface Filter {
  readonly roles: Nil<string[]>;
  readonly clusterRoles: Nil<string[]>;
  readonly subjects: Nil<Subject[]>;
  readonly resources: Description;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));
const strings = (v: unknown): Nil<string[]> => (Array.isArray(v) ? v.map(str) : null);
/** A Go map as a value with sorted keys, so that equal maps print alike. */
const stringMap = (v: unknown): Nil<Record<string, string>> =>
  isMap(v)
    ? Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, str(v[k])]),
      )
    : null;

function selector(v: unknown): Selector | null {
  if (!isMap(v)) return null;
  return {
    matchLabels: stringMap(v.matchLabels),
    matchExpressions: Array.isArray(v.matchExpressions)
      ? v.matchExpressions.map((e) => {
          const x = isMap(e) ? e : {};
          return { key: str(x.key), operator: str(x.operator), values: strings(x.values) };
        })
      : null,
  };
}

function description(v: unknown): Description {
  const d = isMap(v) ? v : {};
  return {
    kinds: strings(d.kinds),
    name: str(d.name),
    names: strings(d.names),
    namespaces: strings(d.namespaces),
    annotations: stringMap(d.annotations),
    selector: selector(d.selector),
    namespaceSelector: selector(d.namespaceSelector),
    operations: strings(d.operations),
  };
}

/** A ResourceFilter (or the top level of a MatchResources): its UserInfo inline, its `resources`. */
function filter(v: unknown): Filter {
  const f = isMap(v) ? v : {};
  return {
    roles: strings(f.roles),
    clusterRoles: strings(f.clusterRoles),
    subjects: Array.isArray(f.subjects)
      ? f.subjects.map((s) => {
          const x = isMap(s) ? s : {};
          return { kind: str(x.kind), apiGroup: str(x.apiGroup), name: str(x.name), namespace: str(x.namespace) };
        })
      : null,
    resources: description(f.resources),
  };
}

const deepEqual = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const len = (v: readonly unknown[] | Record<string, unknown> | null): number =>
  v === null ? 0 : Array.isArray(v) ? v.length : Object.keys(v).length;
/** sets.Set.HasAll: every item of `items` is in `set`. */
const hasAll = (set: readonly string[] | null, items: readonly string[] | null): boolean =>
  (items ?? []).every((x) => (set ?? []).includes(x));
/** What json.Marshal of a Subject or a LabelSelectorRequirement compares (omitempty: nil and empty alike). */
const subjectKey = (s: Subject): string => JSON.stringify([s.kind, s.apiGroup, s.name, s.namespace]);
const requirementKey = (e: { key: string; operator: string; values: Nil<string[]> }): string =>
  JSON.stringify([e.key, e.operator, e.values ?? []]);

/** Both selectors set: false when the exclude's selector does not cover the match's (so no conflict). */
function selectorCovers(match: Selector, exclude: Selector): boolean {
  const excluded = new Set((exclude.matchExpressions ?? []).map(requirementKey));
  if (excluded.size > 0) {
    if (len(match.matchExpressions) === 0) return false;
    if ((match.matchExpressions ?? []).some((e) => !excluded.has(requirementKey(e)))) return false;
  }
  if (len(exclude.matchLabels) > 0) {
    if (len(match.matchLabels) === 0) return false;
    for (const [k, v] of Object.entries(match.matchLabels ?? {})) if (exclude.matchLabels?.[k] !== v) return false;
  }
  return true;
}

/** Why the rule matches an empty set (Kyverno refuses it), or undefined. */
export function matchExcludeConflict(rule: Raw): string | undefined {
  if (!isMap(rule.exclude)) return undefined;
  const rawMatch = isMap(rule.match) ? rule.match : {};
  const rawExclude = rule.exclude;
  const anyOf = (m: Raw): Filter[] | null => (Array.isArray(m.any) ? m.any.map(filter) : null);
  const matchAny = anyOf(rawMatch);
  const excludeAny = anyOf(rawExclude);
  const allLen = (m: Raw): number => (Array.isArray(m.all) ? m.all.length : 0);
  if (allLen(rawExclude) > 0 || allLen(rawMatch) > 0) return undefined;
  if (len(matchAny) > 0 && len(excludeAny) > 0) {
    for (const [i, m] of (matchAny ?? []).entries())
      for (const [j, e] of (excludeAny ?? []).entries())
        if (deepEqual(m, e)) return `match.any[${i}] and exclude.any[${j}] are the same filter`;
    return undefined;
  }
  const match = filter(rawMatch);
  const exclude = filter(rawExclude);
  // DeepEqual(*exclude, MatchResources{}): nothing at all, not even an empty `any` or `all` list.
  const isNil = (v: unknown): boolean => v === undefined || v === null;
  if (isNil(rawExclude.any) && isNil(rawExclude.all) && deepEqual(exclude, filter({}))) return undefined;
  const [m, e] = [match.resources, exclude.resources];
  if (len(exclude.roles) > 0 && (len(match.roles) === 0 || !hasAll(exclude.roles, match.roles))) return undefined;
  if (
    len(exclude.clusterRoles) > 0 &&
    (len(match.clusterRoles) === 0 || !hasAll(exclude.clusterRoles, match.clusterRoles))
  )
    return undefined;
  const excludedSubjects = new Set((exclude.subjects ?? []).map(subjectKey));
  if (excludedSubjects.size > 0) {
    if (len(match.subjects) === 0) return undefined;
    if ((match.subjects ?? []).some((s) => !excludedSubjects.has(subjectKey(s)))) return undefined;
  }
  if (e.name !== '' && !wildcardMatch(e.name, m.name)) return undefined;
  if (len(e.names) > 0) {
    if (len(m.names) === 0) return undefined;
    for (const mn of m.names ?? [])
      for (const en of e.names ?? [])
        if (wildcardMatch(en, mn)) return `exclude.resources.names '${en}' covers '${mn}'`;
    return undefined;
  }
  if (len(e.namespaces) > 0 && (len(m.namespaces) === 0 || !hasAll(e.namespaces, m.namespaces))) return undefined;
  if (len(e.kinds) > 0 && (len(m.kinds) === 0 || !hasAll(e.kinds, m.kinds))) return undefined;
  if (m.selector && e.selector && !selectorCovers(m.selector, e.selector)) return undefined;
  if (m.namespaceSelector && e.namespaceSelector && !selectorCovers(m.namespaceSelector, e.namespaceSelector))
    return undefined;
  if ((m.selector === null) !== (e.selector === null)) return undefined;
  if ((m.namespaceSelector === null) !== (e.namespaceSelector === null)) return undefined;
  if (m.annotations !== null && e.annotations !== null && !deepEqual(m.annotations, e.annotations)) return undefined;
  if ((m.annotations === null) !== (e.annotations === null)) return undefined;
  return "the exclude's top-level filters cover the match's";
}
