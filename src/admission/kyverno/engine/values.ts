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
}

/** Resource-level values (global, then the policy's entry for the resource), or with `rule`, that rule's values too. */
export function valuesFor(values: ValuesFile, policy: string, resource: string): Record<string, unknown>;
export function valuesFor(values: ValuesFile, policy: string, resource: string, rule: string): { rule: Record<string, unknown> };
export function valuesFor(values: ValuesFile, policy: string, resource: string, rule?: string): Record<string, unknown> | { rule: Record<string, unknown> } {
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
