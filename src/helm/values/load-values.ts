/**
 * Values files as Helm reads them (loader.LoadValues, loader.MergeMaps): every YAML document of
 * the file is read as a map through sigs.k8s.io/yaml (YAML 1.1, every number a float64) and the
 * documents are merged, later over earlier, maps recursively.
 */
import { InputError } from '../../errors.js';
import type { GoMap, GoValue } from '../../gotemplate/value.js';
import { parseGoYaml } from '../../yaml/go-yaml.js';
import { has, isTable, setKey } from './copy.js';
import { goJsonKind } from '../json-kind.js';

/** Helm's MergeMaps: `b` over `a`, maps merged recursively, everything else replaced. Returns a new map. */
export function mergeMaps(a: GoMap, b: GoMap): GoMap {
  const out: GoMap = {};
  for (const k of Object.keys(a)) setKey(out, k, a[k]);
  for (const k of Object.keys(b)) {
    const v = b[k];
    const cur = has(out, k) ? out[k] : undefined;
    if (isTable(v) && isTable(cur)) setKey(out, k, mergeMaps(cur, v));
    else setKey(out, k, v as GoValue);
  }
  return out;
}

/** The first number JSON cannot hold (Go's encoding/json refuses +Inf, -Inf, NaN), as Go prints it. */
function nonFinite(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  if (Array.isArray(v)) {
    for (const x of v) {
      const b = nonFinite(x);
      if (b !== undefined) return b;
    }
  } else if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) {
      const b = nonFinite(x);
      if (b !== undefined) return b;
    }
  }
  return undefined;
}

/** Reads a values text (all documents merged). `prefix` is Helm's error context, e.g. `cannot load values.yaml`. */
export function loadValuesText(text: string, file: string, prefix: string): GoMap {
  let docs;
  try {
    docs = parseGoYaml(text, file, { dialect: 'v2' });
  } catch (e) {
    const inf = e instanceof InputError ? /unsupported value: (\S+) \(kustomize cannot encode/.exec(e.message) : null;
    if (inf) {
      const lit = inf[1]!.toLowerCase();
      const go = lit.includes('nan') ? 'NaN' : lit.startsWith('-') ? '-Inf' : '+Inf';
      throw new InputError(
        `${prefix}: cannot unmarshal yaml document: error converting YAML to JSON: json: unsupported value: ${go}`,
        { cause: e },
      );
    }
    if (e instanceof InputError)
      throw new InputError(`${prefix}: error reading yaml document: ${e.message}`, { pos: e.pos, cause: e });
    throw e;
  }
  let values: GoMap = {};
  for (const d of docs) {
    if (!isTable(d.value as GoValue)) {
      throw new InputError(
        `${prefix}: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: ` +
          `cannot unmarshal ${goJsonKind(d.value)} into Go value of type map[string]interface {}`,
        {
          pos: { file, line: d.line, column: d.column },
        },
      );
    }
    const bad = nonFinite(d.value);
    if (bad !== undefined)
      throw new InputError(
        `${prefix}: cannot unmarshal yaml document: error converting YAML to JSON: json: unsupported value: ${bad}`,
        { pos: { file, line: d.line, column: d.column } },
      );
    values = mergeMaps(values, d.value as GoMap);
  }
  return values;
}
