/**
 * Whether a rule applies to a resource (pkg/engine/utils/match.go MatchesResourceDescription):
 * `match`/`exclude` with `any`, `all` or a bare resource filter; kinds, names, namespaces,
 * annotations, label and namespace selectors, operations, and roles/clusterRoles/subjects (which
 * `match` ignores when no user info is given, as the CLI does).
 */
import { isMap } from '../pattern/go-values.js';
import { wildcardMatch } from '../wildcard/match.js';
import { checkKind, gvkOf, type Gvk } from './kind.js';
import { selectorMatches } from './selector.js';

/** The requester, as a `kyverno test` user-info file gives it. */
export interface RequestInfo {
  readonly roles?: readonly string[];
  readonly clusterRoles?: readonly string[];
  readonly userInfo?: { readonly username?: string; readonly groups?: readonly string[] };
}

export interface MatchInput {
  readonly resource: Record<string, unknown>;
  readonly namespaceLabels: Readonly<Record<string, string>>;
  readonly operation: string;
  readonly subresource: string;
  /** The kind matched against, when it is not the resource's own (a subresource's parent). */
  readonly gvk?: Gvk;
  readonly requestInfo?: RequestInfo;
  /** The namespace of a namespaced Policy (it only applies there). */
  readonly policyNamespace?: string;
}

type Filter = Record<string, unknown>;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const isEmptyObject = (v: unknown): boolean =>
  v === undefined || v === null || (isMap(v) && Object.values(v).every(isEmptyValue));
function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isMap(v)) return Object.values(v).every(isEmptyValue);
  return false;
}

function metadata(r: Record<string, unknown>): Record<string, unknown> {
  return isMap(r.metadata) ? r.metadata : {};
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isMap(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** Splits a filter (`{resources, subjects, roles, clusterRoles}`) into its description and user info. */
function parts(filter: Filter): { desc: Record<string, unknown>; user: Record<string, unknown> } {
  const desc = isMap(filter.resources) ? filter.resources : {};
  const user: Record<string, unknown> = {};
  for (const k of ['roles', 'clusterRoles', 'subjects']) if (filter[k] !== undefined) user[k] = filter[k];
  return { desc, user };
}

function isEmptyRequestInfo(info: RequestInfo | undefined): boolean {
  return (
    !info ||
    ((info.roles ?? []).length === 0 &&
      (info.clusterRoles ?? []).length === 0 &&
      !info.userInfo?.username &&
      (info.userInfo?.groups ?? []).length === 0)
  );
}

/** The reasons a condition block does not match (empty: it matches). */
function blockErrors(desc: Record<string, unknown>, user: Record<string, unknown>, m: MatchInput, gvk: Gvk): string[] {
  const ops = strings(desc.operations);
  if (ops.length > 0 && !ops.includes(m.operation)) return ['operation does not match'];
  const errs: string[] = [];
  const meta = metadata(m.resource);
  const kinds = strings(desc.kinds);
  if (kinds.length > 0 && !checkKind(kinds, gvk, m.subresource, true))
    errs.push(`kind does not match ${kinds.join(' ')}`);
  const name =
    typeof meta.name === 'string' && meta.name !== ''
      ? meta.name
      : typeof meta.generateName === 'string'
        ? meta.generateName
        : '';
  if (typeof desc.name === 'string' && desc.name !== '' && !wildcardMatch(desc.name, name))
    errs.push('name does not match');
  const names = strings(desc.names);
  if (names.length > 0 && !names.some((n) => wildcardMatch(n, name))) errs.push('none of the names match');
  const namespaces = strings(desc.namespaces);
  if (namespaces.length > 0) {
    const ns = gvk.kind === 'Namespace' ? name : typeof meta.namespace === 'string' ? meta.namespace : '';
    if (!namespaces.some((n) => wildcardMatch(n, ns))) errs.push('namespace does not match');
  }
  const annotations = stringMap(desc.annotations);
  if (Object.keys(annotations).length > 0) {
    const actual = stringMap(meta.annotations);
    const ok = Object.entries(annotations).every(([k, v]) =>
      Object.entries(actual).some(([k1, v1]) => wildcardMatch(k, k1) && wildcardMatch(v, v1)),
    );
    if (!ok) errs.push('annotations does not match');
  }
  if (desc.selector !== undefined && desc.selector !== null) {
    try {
      if (!selectorMatches(desc.selector, stringMap(meta.labels))) errs.push('selector does not match');
    } catch (e) {
      errs.push(`failed to parse selector: ${(e as Error).message}`);
    }
  }
  if (desc.namespaceSelector !== undefined && desc.namespaceSelector !== null) {
    if (gvk.kind === 'Namespace') errs.push('namespace selector is not applicable for namespace resource');
    else if (gvk.kind !== '') {
      try {
        if (!selectorMatches(desc.namespaceSelector, m.namespaceLabels))
          errs.push('namespace selector does not match labels');
      } catch (e) {
        errs.push(`failed to parse namespace selector: ${(e as Error).message}`);
      }
    }
  }
  const info = m.requestInfo ?? {};
  const roles = strings(user.roles);
  if (roles.length > 0 && !(info.roles ?? []).some((r) => roles.includes(r)))
    errs.push('user info does not match roles for the given conditionBlock');
  const clusterRoles = strings(user.clusterRoles);
  if (clusterRoles.length > 0 && !(info.clusterRoles ?? []).some((r) => clusterRoles.includes(r)))
    errs.push('user info does not match clustersRoles for the given conditionBlock');
  const subjects = Array.isArray(user.subjects) ? user.subjects.filter(isMap) : [];
  if (subjects.length > 0 && !subjectsMatch(subjects, info.userInfo ?? {}))
    errs.push('user info does not match subject for the given conditionBlock');
  return errs;
}

function subjectsMatch(
  subjects: Record<string, unknown>[],
  user: { username?: string; groups?: readonly string[] },
): boolean {
  const username = user.username ?? '';
  return subjects.some((s) => {
    const name = typeof s.name === 'string' ? s.name : '';
    switch (s.kind) {
      case 'ServiceAccount':
        return wildcardMatch(
          `system:serviceaccount:${typeof s.namespace === 'string' ? s.namespace : ''}:${name}`,
          username,
        );
      case 'Group':
        return (user.groups ?? []).some((g) => wildcardMatch(name, g));
      case 'User':
        return wildcardMatch(name, username);
      default:
        return false;
    }
  });
}

function matchHelper(filter: Filter, m: MatchInput, gvk: Gvk): string[] {
  let { desc, user } = parts(filter);
  if (isEmptyRequestInfo(m.requestInfo)) user = {};
  if (isEmptyObject(desc) && isEmptyObject(user)) return ['match cannot be empty'];
  return blockErrors(desc, user, m, gvk);
}

function excludeHelper(filter: Filter, m: MatchInput, gvk: Gvk): string[] {
  const { desc, user } = parts(filter);
  if (isEmptyObject(desc) && isEmptyObject(user)) return [];
  return blockErrors(desc, user, m, gvk).length === 0
    ? ['resource excluded since one of the criteria excluded it']
    : [];
}

const filters = (v: unknown): Filter[] => (Array.isArray(v) ? v.filter(isMap) : []);

/** Why the rule does not apply to the resource; undefined when it applies. */
export function ruleMatches(rule: Record<string, unknown>, m: MatchInput): string | undefined {
  const gvk = m.gvk ?? gvkOf(m.resource);
  const meta = metadata(m.resource);
  if (m.policyNamespace && m.policyNamespace !== (meta.namespace ?? ''))
    return 'policy and resource namespaces mismatch';
  const reasons: string[] = [];
  const match = isMap(rule.match) ? rule.match : {};
  const any = filters(match.any);
  const all = filters(match.all);
  if (any.length > 0) {
    if (!any.some((f) => matchHelper(f, m, gvk).length === 0)) reasons.push('no resource matched');
  } else if (all.length > 0) {
    for (const f of all) reasons.push(...matchHelper(f, m, gvk));
  } else {
    reasons.push(...matchHelper(match, m, gvk));
  }
  if (reasons.length === 0 && isMap(rule.exclude)) {
    const ex = rule.exclude;
    const exAny = filters(ex.any);
    const exAll = filters(ex.all);
    if (exAny.length > 0) {
      for (const f of exAny) reasons.push(...excludeHelper(f, m, gvk));
    } else if (exAll.length > 0) {
      if (exAll.every((f) => excludeHelper(f, m, gvk).length > 0))
        reasons.push('resource excluded since the combination of all criteria exclude it');
    } else {
      reasons.push(...excludeHelper(ex, m, gvk));
    }
  }
  return reasons.length > 0 ? `rule ${String(rule.name)} not matched: ${reasons.join('; ')}` : undefined;
}
