/**
 * sigs.k8s.io/yaml's conversion of a YAML scalar into a Go string field: when the target is a
 * string, a number or boolean is turned into text before JSON decoding (ints in base 10, floats
 * with strconv.FormatFloat(f, 'g', -1, 32): `1.10` becomes "1.1", `1.0` becomes "1"). Helm reads
 * Chart.yaml and manifest heads this way. Returns undefined for maps and lists (a decode error).
 */
import { formatFloat } from '../../gotemplate/float.js';

function float32Shortest(v: number): string {
  const f = Math.fround(v);
  for (let p = 1; p <= 9; p++) {
    const d = Number(f.toPrecision(p));
    if (Math.fround(d) === f) return formatFloat(d, 'g', -1);
  }
  return formatFloat(f, 'g', -1);
}

/** The text a YAML scalar becomes in a Go string field; undefined when it is not a scalar. */
export function yamlScalarAsString(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) return String(v);
    return float32Shortest(v);
  }
  return undefined;
}
