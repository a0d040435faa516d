/**
 * A HelmRelease's values, merged as helm-controller does (fluxcd/pkg chartutil
 * ChartValuesFromReferences): each `valuesFrom` entry in order (a ConfigMap or Secret of the
 * HelmRelease's namespace; `valuesKey` default `values.yaml`; a `targetPath` sets one path with
 * Helm's --set syntax, `--set-string` for a quoted value or a literal one), then `spec.values` over
 * all of them. A missing reference fails unless `optional`; offline, a reference the build does not
 * hold may live only in the cluster: it is a warning and the render goes on without it.
 */
import { InputError } from '../../errors.js';
import type { GoMap } from '../../gotemplate/value.js';
import { loadValuesText, mergeMaps, parseSetInto, parseSetStringInto } from '../../helm/values/index.js';
import { isPlainObject, type KObject } from '../../resources/resource.js';

export interface ValuesResult {
  readonly values: GoMap;
  readonly warnings: readonly { readonly message: string; readonly fieldPath: string }[];
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The text of `key` in a ConfigMap (data) or Secret (data, base64), or undefined. */
function keyText(o: KObject, key: string): string | undefined {
  if (o.kind === 'Secret') {
    const data = isPlainObject(o.data) ? o.data : {};
    if (typeof data[key] === 'string') return Buffer.from(data[key] as string, 'base64').toString('utf8');
    const sd = isPlainObject(o.stringData) ? o.stringData : {};
    return typeof sd[key] === 'string' ? (sd[key] as string) : undefined;
  }
  const data = isPlainObject(o.data) ? o.data : {};
  return typeof data[key] === 'string' ? (data[key] as string) : undefined;
}

/** helm-controller's ReplacePathValue / ReplacePathLiteralValue. */
function replacePath(values: GoMap, path: string, value: string, literal: boolean): void {
  if (literal) {
    const esc = value.replace(/[\\,[\]{}]/g, (c) => `\\${c}`);
    parseSetStringInto(`${path}=${esc}`, values);
    return;
  }
  const quoted = (value.startsWith("'") && value.endsWith("'")) || (value.startsWith('"') && value.endsWith('"'));
  if (quoted) parseSetStringInto(`${path}=${value.replace(/^['"]+|['"]+$/g, '')}`, values);
  else parseSetInto(`${path}=${value}`, values);
}

/**
 * Merges the HelmRelease's values. `find` looks a ConfigMap/Secret up in the cluster's build (or
 * in what the user gave for objects that live only in the cluster). Throws InputError for values
 * that are not YAML or a path that does not parse.
 */
export function releaseValues(
  hr: KObject,
  find: (kind: string, namespace: string, name: string) => KObject | undefined,
): ValuesResult {
  const spec = isPlainObject(hr.spec) ? hr.spec : {};
  const namespace = hr.metadata?.namespace || 'default';
  const inline: GoMap = isPlainObject(spec.values)
    ? loadValuesText(JSON.stringify(spec.values), 'spec.values', 'spec.values')
    : {};
  const warnings: { message: string; fieldPath: string }[] = [];
  let result: GoMap = {};
  const refs = Array.isArray(spec.valuesFrom) ? spec.valuesFrom : [];
  refs.forEach((raw, i) => {
    const ref = isPlainObject(raw) ? raw : {};
    const kind = str(ref.kind);
    const name = str(ref.name);
    const key = str(ref.valuesKey) || 'values.yaml';
    const fieldPath = `spec.valuesFrom[${i}]`;
    const optional = ref.optional === true;
    if (kind !== 'ConfigMap' && kind !== 'Secret')
      throw new InputError(`${fieldPath}: unsupported values reference kind '${kind}' (ConfigMap or Secret)`, {
        fieldPath,
      });
    const o = find(kind, namespace, name);
    if (!o) {
      if (!optional)
        warnings.push({
          fieldPath,
          message:
            `valuesFrom ${kind} ${namespace}/${name} is not in this cluster's build (if it lives only in the ` +
            `cluster, give it with --values-from FILE); rendered without it`,
        });
      return;
    }
    const text = keyText(o, key);
    if (text === undefined) {
      if (!optional)
        warnings.push({
          fieldPath,
          message:
            `valuesFrom ${kind} ${namespace}/${name} has no key '${key}'; helm-controller would fail this ` +
            `release; rendered without it`,
        });
      return;
    }
    const targetPath = str(ref.targetPath);
    if (targetPath !== '') {
      result = mergeMaps(result, inline);
      try {
        replacePath(result, targetPath, text, ref.literal === true);
      } catch (e) {
        throw new InputError(
          `${fieldPath}: unable to merge value from key '${key}' in ${kind} '${namespace}/${name}' into ` +
            `target path '${targetPath}': ${(e as Error).message}`,
          { fieldPath },
        );
      }
      return;
    }
    result = mergeMaps(
      result,
      loadValuesText(
        text,
        `${kind}/${namespace}/${name}[${key}]`,
        `${fieldPath}: unable to read values from key '${key}' in ${kind} '${namespace}/${name}'`,
      ),
    );
  });
  return { values: mergeMaps(result, inline), warnings };
}
