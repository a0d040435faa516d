/**
 * `{{ }}` variable substitution (pkg/engine/variables/vars.go): every string leaf and map key of a
 * document is scanned for `{{ expr }}`; a string that is exactly one variable takes the value as it
 * is (any JSON type), otherwise the value is spliced in as text (JSON for non-strings). `\{{` escapes,
 * `{{- expr }}` substitutes without re-scanning the result. Lookup errors propagate (Kyverno reports
 * them as rule errors).
 */
import { goJson, isMap } from '../pattern/go-values.js';

const VARIABLES = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;
const VARIABLE_INIT = /^\{\{(\{[^{}]*\}|[^{}])*\}\}/;
const MAX_ROUNDS = 100;

/** Resolves one variable expression (already trimmed, without braces). */
export type VariableResolver = (variable: string) => unknown;

/** An error while substituting, with the document path where it happened. */
export class SubstitutionError extends Error {}

function findAll(value: string): string[] {
  return Array.from(value.matchAll(VARIABLES), (m) => m[0]);
}

/** True when the string holds at least one `{{ }}` variable. */
export function hasVariables(value: string): boolean {
  return findAll(value).length > 0;
}

function braces(v: string): { variable: string; shallow: boolean } {
  const variable = v.replaceAll('{{', '').replaceAll('}}', '').trim();
  if (variable.startsWith('-')) return { variable: variable.slice(1).trim(), shallow: true };
  return { variable, shallow: false };
}

/** Substitutes the variables of one string. */
export function substituteString(input: string, resolve: VariableResolver, path = '/'): unknown {
  let value = input;
  let vars = findAll(value);
  let rounds = 0;
  while (vars.length > 0) {
    if (++rounds > MAX_ROUNDS)
      throw new SubstitutionError(`variable substitution at ${path} did not end after ${MAX_ROUNDS} rounds`);
    const original = value;
    let shallow = false;
    for (let v of vars) {
      const initial = VARIABLE_INIT.test(v);
      const old = v;
      if (!initial) v = v.slice(1);
      const b = braces(v);
      shallow = b.shallow;
      let sub: unknown;
      try {
        sub = resolve(b.variable);
      } catch (e) {
        throw new SubstitutionError(`failed to resolve ${b.variable} at path ${path}: ${(e as Error).message}`, {
          cause: e,
        });
      }
      if (original === v) return sub;
      const prefix = initial ? '' : old[0]!;
      if (shallow && typeof sub === 'string') sub = sub.replaceAll('{{', '\\{{');
      const text = typeof sub === 'string' ? sub : goJson(sub ?? null);
      value = value.replace(prefix + v, () => prefix + text);
    }
    vars = shallow ? [] : findAll(value);
  }
  return value.replaceAll('\\{{', '{{');
}

/** Substitutes every string leaf and key of a JSON document (returns a new document). */
export function substituteAll(doc: unknown, resolve: VariableResolver, path = ''): unknown {
  if (typeof doc === 'string') return substituteString(doc, resolve, path || '/');
  if (Array.isArray(doc)) return doc.map((x, i) => substituteAll(x, resolve, `${path}/${i}`));
  if (isMap(doc)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(doc)) {
      const key = substituteString(k, resolve, `${path}/${k}`);
      out[typeof key === 'string' ? key : goJson(key)] = substituteAll(v, resolve, `${path}/${k}`);
    }
    return out;
  }
  return doc;
}
