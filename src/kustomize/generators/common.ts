/** What ConfigMap and Secret generators share: the base object, options, behavior, hash flag. */
import { InputError } from '../../errors.js';
import type { KObject } from '../../resources/resource.js';
import { byteCompare } from '../../yaml/go-yaml.js';
import type { GeneratorArgs, GeneratorOptions } from '../kustomization.js';
import { KRes, type Behavior } from '../resmap.js';

/** MergeGlobalOptionsIntoLocal: local labels/annotations win; the global flags turn on. */
export function mergeOptions(
  local: GeneratorOptions | undefined,
  global: GeneratorOptions | undefined,
): GeneratorOptions | undefined {
  if (!global) return local;
  const out: GeneratorOptions = { ...(local ?? {}) };
  if (global.labels) out.labels = { ...global.labels, ...(local?.labels ?? {}) };
  if (global.annotations) out.annotations = { ...global.annotations, ...(local?.annotations ?? {}) };
  if (global.disableNameSuffixHash) out.disableNameSuffixHash = true;
  if (global.immutable) out.immutable = true;
  return out;
}

export function baseObject(kind: 'ConfigMap' | 'Secret', args: GeneratorArgs, where: string, file: string): KObject {
  if (!args.name)
    throw new InputError(`${where}: a ${kind === 'ConfigMap' ? 'configmap' : 'secret'} must have a name`, {
      pos: { file },
    });
  const metadata: Record<string, unknown> = { name: args.name };
  if (args.namespace) metadata.namespace = args.namespace;
  return { apiVersion: 'v1', kind, metadata };
}

export function finish(
  obj: KObject,
  args: GeneratorArgs,
  opts: GeneratorOptions | undefined,
  origin: KRes['origin'],
  where: string,
): KRes {
  if (opts?.labels && Object.keys(opts.labels).length > 0) {
    const l: Record<string, string> = {};
    for (const k of Object.keys(opts.labels).sort(byteCompare)) l[k] = opts.labels[k]!;
    obj.metadata!.labels = l;
  }
  if (opts?.annotations && Object.keys(opts.annotations).length > 0) {
    const a: Record<string, string> = {};
    for (const k of Object.keys(opts.annotations).sort(byteCompare)) a[k] = opts.annotations[k]!;
    obj.metadata!.annotations = a;
  }
  if (opts?.immutable) obj.immutable = true;
  const r = new KRes(obj, origin);
  const b = args.behavior ?? '';
  if (b !== '' && b !== 'create' && b !== 'merge' && b !== 'replace') {
    throw new InputError(`${where}: behavior must be one of create, merge or replace, not '${b}'`, {
      pos: { file: origin.file },
    });
  }
  r.behavior = (b || 'create') as Behavior;
  r.behaviorWritten = b !== '';
  r.needsHash = !opts?.disableNameSuffixHash;
  r.buildAnnotated = true;
  return r;
}
