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
    throw new CelEvalError(`error converting YAML to JSON: ${(e as Error).message.replace(/^cannot parse YAML: /, 'yaml: ')}`);
  }
  return docs.length === 0 ? null : goAnyToCel(docs[0]!.value);
}

export function registerKyvernoYaml(env: CelRegistrar): void {
  env.registerType(YAML_TYPE, YamlLib);
  env.registerFunction(`${YAML_TYPE}.parse(string): dyn`, (_y: YamlLib, s: string) => yamlParse(s));
}
