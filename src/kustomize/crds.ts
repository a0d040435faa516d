/**
 * `crds:` (kustomize accumulator.LoadConfigFromCRDs): OpenAPI definition files (a map of Go type
 * name -> {Schema, Dependencies}, JSON or YAML) whose properties carry kustomize extensions are
 * turned into transformer configuration:
 *   x-kubernetes-annotation      -> commonAnnotations fieldSpec
 *   x-kubernetes-label-selector  -> commonLabels fieldSpec
 *   x-kubernetes-identity        -> namePrefix fieldSpec
 *   x-kubernetes-object-ref-api-version + -kind (+ -name-key, default `name`) -> nameReference
 * Only types whose properties include kind, apiVersion and metadata are roots; `$ref`s are
 * followed. The kind is the last `.`-separated part of the type name.
 */
import { InputError } from '../errors.js';
import { isPlainObject } from '../resources/resource.js';
import { parseGoYaml } from '../yaml/go-yaml.js';
import { emptyConfig, mergeConfig, type TransformerConfig } from './fieldspecs/index.js';

type ApiMap = Record<string, { Schema?: { properties?: Record<string, Record<string, unknown>> } }>;

function load(text: string, file: string): ApiMap {
  let v: unknown;
  if (text.trimStart().startsWith('{')) {
    try {
      v = JSON.parse(text);
    } catch (e) {
      throw new InputError(`unable to parse open API definition: ${(e as Error).message}`, { pos: { file } });
    }
  } else v = parseGoYaml(text, file, { dialect: 'v2' })[0]?.value ?? {};
  if (!isPlainObject(v))
    throw new InputError('unable to parse open API definition: expected a map of type names', { pos: { file } });
  return v as ApiMap;
}

function walk(
  cfg: TransformerConfig,
  kind: string,
  m: ApiMap,
  typeName: string,
  path: string[],
  seen: Set<string>,
): void {
  const api = m[typeName];
  if (!api || seen.has(typeName)) return;
  const props = api.Schema?.properties ?? {};
  for (const [prop, p] of Object.entries(props)) {
    if (!isPlainObject(p)) continue;
    const here = [...path, prop];
    const fs = { kind, path: here.join('/'), create: false };
    if (typeof p['x-kubernetes-annotation'] === 'string') cfg.commonAnnotations.push(fs);
    if (typeof p['x-kubernetes-label-selector'] === 'string') cfg.commonLabels.push(fs);
    if (typeof p['x-kubernetes-identity'] === 'string') cfg.namePrefix.push(fs);
    const version = p['x-kubernetes-object-ref-api-version'];
    const refKind = p['x-kubernetes-object-ref-kind'];
    if (typeof version === 'string' && typeof refKind === 'string') {
      const nameKey =
        typeof p['x-kubernetes-object-ref-name-key'] === 'string'
          ? (p['x-kubernetes-object-ref-name-key'] as string)
          : 'name';
      cfg.nameReference.push({
        kind: refKind,
        version,
        fieldSpecs: [{ kind, path: [...here, nameKey].join('/'), create: false }],
      });
    }
    const ref = p.$ref;
    if (typeof ref === 'string' && ref !== '') walk(cfg, kind, m, ref, here, new Set([...seen, typeName]));
  }
}

/** The transformer configuration a CRD definitions file contributes. */
export function configFromCrds(text: string, file: string): TransformerConfig {
  const m = load(text, file);
  let out = emptyConfig();
  for (const [name, api] of Object.entries(m)) {
    const props = api?.Schema?.properties ?? {};
    if (!('kind' in props && 'apiVersion' in props && 'metadata' in props)) continue;
    const kind = name.split('.').pop()!;
    const cfg = emptyConfig();
    walk(cfg, kind, m, name, [], new Set());
    out = mergeConfig(out, cfg);
  }
  return out;
}
