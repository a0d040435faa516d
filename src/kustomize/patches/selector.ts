/**
 * Patch target selection (`patches[].target`), as kustomize's `resWrangler.Select`:
 * - `group`, `version`, `kind`, `name`, `namespace` are Go RE2 regexes anchored as `^(?:…)$`;
 *   an empty or missing field matches anything; an invalid regex is an error;
 * - name and namespace match if the original *or* the current value matches (the candidate
 *   carries both); namespaces are *effective* namespaces (see effectiveNamespace);
 * - `labelSelector` / `annotationSelector` are Kubernetes label selectors on the current
 *   labels / annotations.
 */
import { InputError } from '../../errors.js';
import { parseLabelSelector, type LabelSelector } from './label-selector.js';
import { compileRe2 } from './re2.js';

export { compileRe2 };

/** kustomize `types.Selector` as written in a kustomization (`target:`). */
export interface PatchSelector {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly annotationSelector?: string;
}

/** What a selector is matched against. */
export interface SelectorCandidate {
  readonly apiVersion: string;
  readonly kind: string;
  /** Current name and previous (original) names. */
  readonly names: readonly string[];
  /** Current and previous *effective* namespaces (see effectiveNamespace). */
  readonly namespaces: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** kustomize's namespace of cluster-scoped objects when matching selectors. */
export const NOT_A_NAMESPACE = '_non_namespaceable_';

/**
 * kustomize `ResId.EffectiveNamespace`: `_non_namespaceable_` for cluster-scoped kinds, `default`
 * for an empty namespace, else the namespace.
 */
export function effectiveNamespace(namespace: string | undefined, clusterScoped: boolean): string {
  if (clusterScoped) return NOT_A_NAMESPACE;
  return namespace === undefined || namespace === '' ? 'default' : namespace;
}

/** The group and version of an apiVersion (`apps/v1` -> apps, v1; `v1` -> '', v1). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/** A compiled target selector. */
export type SelectorMatcher = (c: SelectorCandidate) => boolean;

export type IdField = 'group' | 'version' | 'kind' | 'name' | 'namespace';

/**
 * The id fields of a target selector (patches, replacements) as anchored RE2 regexes; an absent
 * or empty field is left out (it matches anything). `invalid` refuses a bad pattern in the
 * caller's words.
 */
export function idFieldRegexes(
  sel: Readonly<Partial<Record<IdField, unknown>>>,
  invalid: (field: IdField, pattern: unknown, e: Error) => never,
): Partial<Record<IdField, RegExp>> {
  const out: Partial<Record<IdField, RegExp>> = {};
  for (const field of ['group', 'version', 'kind', 'name', 'namespace'] as const) {
    const p = sel[field];
    if (p === undefined || p === null || p === '') continue;
    try {
      out[field] = compileRe2(String(p));
    } catch (e) {
      invalid(field, p, e as Error);
    }
  }
  return out;
}

/**
 * Compiles a selector once (regexes and label selectors). Throws InputError naming the field
 * (`target.name`, …) and `file` when a regex or selector is invalid.
 */
export function compileSelector(sel: PatchSelector, file?: string): SelectorMatcher {
  const pos = file ? { file } : undefined;
  const { group, version, kind, name, namespace } = idFieldRegexes(sel, (field, p, e) => {
    throw new InputError(`invalid regex ${JSON.stringify(p)}: ${e.message}`, {
      pos,
      fieldPath: `target.${field}`,
      cause: e,
    });
  });
  const labels: LabelSelector | undefined = sel.labelSelector
    ? parseLabelSelector(sel.labelSelector, { file, fieldPath: 'target.labelSelector' })
    : undefined;
  const annotations: LabelSelector | undefined = sel.annotationSelector
    ? parseLabelSelector(sel.annotationSelector, { file, fieldPath: 'target.annotationSelector' })
    : undefined;
  return (c) => {
    if (namespace && !c.namespaces.some((n) => namespace.test(n))) return false;
    if (name && !c.names.some((n) => name.test(n))) return false;
    const gv = splitApiVersion(c.apiVersion);
    if (group && !group.test(gv.group)) return false;
    if (version && !version.test(gv.version)) return false;
    if (kind && !kind.test(c.kind)) return false;
    if (labels && !labels.matches(c.labels)) return false;
    if (annotations && !annotations.matches(c.annotations)) return false;
    return true;
  };
}

/** Whether a patch target selector selects a resource. See compileSelector for errors. */
export function selectorMatches(sel: PatchSelector, c: SelectorCandidate, file?: string): boolean {
  return compileSelector(sel, file)(c);
}
