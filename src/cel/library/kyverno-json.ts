/**
 * Kyverno's `json` library (github.com/kyverno/sdk extensions/cel/libs/json): the variable `json`
 * (type `json.Json`) with `json.unmarshal(string): dyn` (Go encoding/json into `any`: every number
 * a double) and `json.marshal(dyn): string` (Go json.Marshal: keys sorted, `<>&` escaped, ints as
 * ints, doubles as Go prints float64, bytes base64, timestamps RFC 3339).
 */
import { CelEvalError } from '../errors.js';
import { charge, sizeCost } from '../cost.js';
import { CelLibraryValue, Duration, Optional, UnsignedInt, isCelMap, mapEntries } from '../values.js';
import { byteCompare, goJsonNumber, goJsonString } from '../../yaml/go-yaml.js';
import type { CelRegistrar } from './types.js';

export const JSON_TYPE = 'json.Json';

/** The value of the `json` variable. */
export class JsonLib extends CelLibraryValue {}

/** Go `any` data (from encoding/json or sigs.k8s.io/yaml) as CEL values: numbers stay doubles. */
export function goAnyToCel(v: unknown, depth = 0): unknown {
  if (depth > 100) throw new CelEvalError('value nested deeper than 100 levels');
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map((x) => goAnyToCel(x, depth + 1));
  if (v instanceof Map) return new Map([...v].map(([k, x]) => [String(k), goAnyToCel(x, depth + 1)]));
  if (typeof v === 'object')
    return new Map(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, goAnyToCel(x, depth + 1)]));
  return String(v);
}

/**
 * Go's json.Unmarshal error for text JSON.parse refused: end of input, a character after the
 * value, else "looking for beginning of value" (Go words some contexts more precisely).
 */
function goJsonError(text: string, e: Error): string {
  const at = /at position (\d+)/.exec(e.message);
  const token = /Unexpected token '(.)'/.exec(e.message);
  const pos = at ? Number(at[1]) : token ? text.indexOf(token[1]!) : text.length;
  if (pos < 0 || pos >= text.trimEnd().length) return 'unexpected end of JSON input';
  const where = /after JSON/.test(e.message) ? 'after top-level value' : 'looking for beginning of value';
  return `invalid character '${text[pos]}' ${where}`;
}

/** json.unmarshal: JSON text as CEL data (numbers as doubles, as Go decodes into any). */
export function jsonUnmarshal(text: string): unknown {
  charge(sizeCost(text.length));
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new CelEvalError(goJsonError(text, e as Error));
  }
  return goAnyToCel(parsed);
}

/** Go's time.Time JSON form (RFC 3339 with nanoseconds, trailing zeros dropped). */
function goTimeJson(d: Date): string {
  return d
    .toISOString()
    .replace(/\.000Z$/, 'Z')
    .replace(/(\.\d*?)0+Z$/, '$1Z');
}

/** Go json.Marshal of a CEL value as Kyverno's toJsonNative hands it over. */
export function goMarshal(v: unknown, depth = 0): string {
  if (depth > 100) throw new CelEvalError('json: value nested deeper than 100 levels');
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof UnsignedInt) return String((v as unknown as { value: bigint }).value);
  if (typeof v === 'number') {
    if (!Number.isFinite(v))
      throw new CelEvalError(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
    return goJsonNumber(v);
  }
  if (v instanceof Uint8Array) return goJsonString(Buffer.from(v).toString('base64'));
  if (v instanceof Date) return goJsonString(goTimeJson(v));
  if (v instanceof Duration) {
    const { seconds, nanos } = v as unknown as { seconds: bigint; nanos: number };
    return (seconds * 1_000_000_000n + BigInt(nanos)).toString();
  }
  if (Array.isArray(v)) return '[' + v.map((x) => goMarshal(x, depth + 1)).join(',') + ']';
  if (isCelMap(v)) {
    const entries = mapEntries(v).map(([k, x]) => {
      if (typeof k !== 'string')
        throw new CelEvalError(
          `json: failed to convert CEL map to native map: ` +
            `unsupported map key type ${typeof k === 'bigint' ? 'int' : typeof k}`,
        );
      return [k, x] as const;
    });
    entries.sort((a, b) => byteCompare(a[0], b[0]));
    return '{' + entries.map(([k, x]) => goJsonString(k) + ':' + goMarshal(x, depth + 1)).join(',') + '}';
  }
  if (v instanceof Optional) throw new CelEvalError('json: unsupported type: optional');
  throw new CelEvalError(`json: unsupported type: ${(v as object).constructor?.name ?? typeof v}`);
}

export function registerKyvernoJson(env: CelRegistrar): void {
  env.registerType(JSON_TYPE, JsonLib);
  env.registerFunction(`${JSON_TYPE}.unmarshal(dyn): dyn`, (_j: JsonLib, s: unknown) => {
    if (typeof s !== 'string') throw new CelEvalError(`type conversion error from '${celTypeName(s)}' to 'string'`);
    return jsonUnmarshal(s);
  });
  env.registerFunction(`${JSON_TYPE}.marshal(dyn): string`, (_j: JsonLib, v: unknown) => {
    const out = goMarshal(v);
    charge(sizeCost(out.length));
    return out;
  });
}

/** cel-go's name of a value's type, for conversion errors. */
export function celTypeName(v: unknown): string {
  if (v === null) return 'null_type';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'double';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (v instanceof UnsignedInt) return 'uint';
  if (v instanceof Uint8Array) return 'bytes';
  if (Array.isArray(v)) return 'list';
  if (isCelMap(v)) return 'map';
  return 'dyn';
}
