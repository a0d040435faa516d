/**
 * Kyverno's `yaml` library (github.com/kyverno/sdk extensions/cel/libs/yaml): the variable `yaml`
 * (type `yaml.Yaml`) with `yaml.parse(string): dyn`, as sigs.k8s.io/yaml.Unmarshal into `any`
 * (YAML 1.1 through go-yaml v2, converted to JSON and decoded: every number a double, the first
 * document only).
 */
import { CelEvalError } from '../errors.js';
import { charge, sizeCost } from '../cost.js';
import { CelLibraryValue } from '../values.js';
import { parseGoYaml } from '../../yaml/go-yaml.js';
import { goAnyToCel } from './kyverno-json.js';
import type { CelRegistrar } from './types.js';

export const YAML_TYPE = 'yaml.Yaml';

/** The value of the `yaml` variable. */
export class YamlLib extends CelLibraryValue {}

/** yaml.parse: the first YAML document as CEL data (null when there is none). */
export function yamlParse(text: string): unknown {
  charge(sizeCost(text.length));
  let docs;
  try {
    docs = parseGoYaml(text, '<yaml.parse>', { dialect: 'v2' });
  } catch (e) {
    const message = (e as Error).message;
    const special = /unsupported value: ([-+]?)\.(inf|nan)/i.exec(message);
    if (special)
      throw new CelEvalError(
        `error converting YAML to JSON: json: unsupported value: ` +
          `${special[2]!.toLowerCase() === 'nan' ? 'NaN' : special[1] === '-' ? '-Inf' : '+Inf'}`,
      );
    throw new CelEvalError(`error converting YAML to JSON: ${message.replace(/^cannot parse YAML: /, 'yaml: ')}`);
  }
  if (docs.length === 0) return null;
  const bad = nonFinite(docs[0]!.value, 0);
  if (bad !== undefined) throw new CelEvalError(`error converting YAML to JSON: json: unsupported value: ${bad}`);
  return goAnyToCel(docs[0]!.value);
}

/** The first NaN or infinity in the data (JSON cannot carry them), as Go prints it. */
function nonFinite(v: unknown, depth: number): string | undefined {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf';
  if (depth > 100 || v === null || typeof v !== 'object') return undefined;
  for (const x of v instanceof Map ? v.values() : Array.isArray(v) ? v : Object.values(v as object)) {
    const bad = nonFinite(x, depth + 1);
    if (bad !== undefined) return bad;
  }
  return undefined;
}

export function registerKyvernoYaml(env: CelRegistrar): void {
  env.registerType(YAML_TYPE, YamlLib);
  env.registerFunction(`${YAML_TYPE}.parse(string): dyn`, (_y: YamlLib, s: string) => yamlParse(s));
}
