/**
 * `secretGenerator:` (kustomize SecretGenerator): every value base64-encoded into `data`
 * (70-character lines past one line), `type` defaults to Opaque.
 */
import type { KObject } from '../../resources/resource.js';
import { byteCompare } from '../../yaml/go-yaml.js';
import type { GeneratorArgs, GeneratorOptions } from '../kustomization.js';
import type { Loader } from '../loader.js';
import type { KRes } from '../resmap.js';
import { baseObject, finish, mergeOptions } from './common.js';
import { encodeBase64, loadPairs } from './kv.js';

export function generateSecret(
  args: GeneratorArgs,
  global: GeneratorOptions | undefined,
  loader: Loader,
  file: string,
  where: string,
  line?: number,
): KRes {
  const obj: KObject = baseObject('Secret', args, where, file);
  obj.type = args.type || 'Opaque';
  const data: Record<string, string> = {};
  for (const p of loadPairs(args, loader, where).sort((a, b) => byteCompare(a.key, b.key)))
    data[p.key] = encodeBase64(p.bytes);
  obj.data = data;
  const r = finish(
    obj,
    args,
    mergeOptions(args.options, global),
    { file, ...(line !== undefined ? { line } : {}), kustomization: loader.root },
    where,
  );
  r.generatedBy = { kind: 'SecretGenerator' };
  return r;
}
