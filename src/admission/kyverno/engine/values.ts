/**
 * The Kyverno CLI `Values` file (`--values-file`, cli.kyverno.io/v1alpha1 Values): `globalValues`,
 * `policies[].resources[].values` (per resource), `policies[].rules[].values` (per rule, also for
 * its autogen rules), `namespaceSelector[].labels`.
 */
import { isMap } from '../pattern/go-values.js';

export interface ValuesFile {
  readonly globalValues?: Record<string, unknown>;
  readonly policies?: readonly {
    readonly name?: string;
    readonly rules?: readonly { readonly name?: string; readonly values?: Record<string, unknown> }[];
    readonly resources?: readonly { readonly name?: string; readonly values?: Record<string, unknown> }[];
  }[];
  readonly namespaceSelector?: readonly { readonly name?: string; readonly labels?: Record<string, string> }[];
  readonly subresources?: readonly {
    readonly subresource?: {
      readonly name?: string;
      readonly kind?: string;
      readonly group?: string;
      readonly version?: string;
    };
    readonly parentResource?: {
      readonly name?: string;
      readonly kind?: string;
      readonly group?: string;
      readonly version?: string;
    };
  }[];
}

/**
 * A resource whose kind the values file declares as a subresource (e.g. Scale as
 * `deployments/scale` of Deployment) is matched as its parent kind with that subresource, as the
 * Kyverno CLI does; undefined for other resources.
 */
export function subresourceOf(
  values: ValuesFile,
  apiVersion: string,
  kind: string,
): { gvk: { group: string; version: string; kind: string }; subresource: string } | undefined {
  for (const s of Array.isArray(values.subresources) ? values.subresources.filter(isMap) : []) {
    const sub = isMap(s.subresource) ? s.subresource : undefined;
    const parent = isMap(s.parentResource) ? s.parentResource : undefined;
    if (!sub || !parent || sub.kind !== kind) continue;
    const subApi = sub.group ? `${String(sub.group)}/${String(sub.version ?? '')}` : String(sub.version ?? '');
    if (subApi !== apiVersion) continue;
    const name = String(sub.name ?? '');
    return {
      gvk: {
        group: String(parent.group ?? ''),
        version: String(parent.version ?? ''),
        kind: String(parent.kind ?? ''),
      },
      subresource: name.includes('/') ? name.slice(name.indexOf('/') + 1) : name,
    };
  }
  return undefined;
}

/** Resource-level values (global, then the policy's entry for the resource), or with `rule`, that rule's values too. */
export function valuesFor(values: ValuesFile, policy: string, resource: string): Record<string, unknown>;
export function valuesFor(
  values: ValuesFile,
  policy: string,
  resource: string,
  rule: string,
): { rule: Record<string, unknown> };
export function valuesFor(
  values: ValuesFile,
  policy: string,
  resource: string,
  rule?: string,
): Record<string, unknown> | { rule: Record<string, unknown> } {
  const policies = Array.isArray(values.policies) ? values.policies.filter(isMap) : [];
  if (rule !== undefined) {
    for (const p of policies) {
      if (p.name !== policy) continue;
      for (const r of Array.isArray(p.rules) ? p.rules.filter(isMap) : []) {
        if (r.name === rule || `autogen-${String(r.name)}` === rule || `autogen-cronjob-${String(r.name)}` === rule) {
          return { rule: isMap(r.values) ? { ...r.values } : {} };
        }
      }
    }
    return { rule: {} };
  }
  const out: Record<string, unknown> = { ...(isMap(values.globalValues) ? values.globalValues : {}) };
  for (const p of policies) {
    if (p.name !== policy) continue;
    for (const r of Array.isArray(p.resources) ? p.resources.filter(isMap) : []) {
      if (r.name === resource && isMap(r.values)) Object.assign(out, r.values);
    }
  }
  return out;
}
