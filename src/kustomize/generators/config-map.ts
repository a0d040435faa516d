/**
 * `configMapGenerator:` (kustomize ConfigMapGenerator): UTF-8 values go to `data`, other bytes
 * to `binaryData` (base64); generator options merged with `generatorOptions`.
 */
import type { KObject } from '../../resources/resource.js';
import { byteCompare } from '../../yaml/go-yaml.js';
import type { GeneratorArgs, GeneratorOptions } from '../kustomization.js';
import type { Loader } from '../loader.js';
import type { KRes } from '../resmap.js';
import { baseObject, finish, mergeOptions } from './common.js';
import { encodeBase64, isValidUtf8, loadPairs } from './kv.js';

export function generateConfigMap(
  args: GeneratorArgs,
  global: GeneratorOptions | undefined,
  loader: Loader,
  file: string,
  where: string,
  line?: number,
): KRes {
  const obj: KObject = baseObject('ConfigMap', args, where, file);
  const pairs = loadPairs(args, loader, where).sort((a, b) => byteCompare(a.key, b.key));
  for (const p of pairs) {
    if (isValidUtf8(p.bytes)) {
      const data = (obj.data ??= {}) as Record<string, string>;
      data[p.key] = new TextDecoder().decode(p.bytes);
    } else {
      const bin = (obj.binaryData ??= {}) as Record<string, string>;
      bin[p.key] = encodeBase64(p.bytes);
    }
  }
  const r = finish(
    obj,
    args,
    mergeOptions(args.options, global),
    { file, ...(line !== undefined ? { line } : {}), kustomization: loader.root },
    where,
  );
  r.generatedBy = { kind: 'ConfigMapGenerator' };
  return r;
}
