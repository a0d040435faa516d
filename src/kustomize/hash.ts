/**
 * Name-suffix hashes of generated ConfigMaps and Secrets (kustomize api/hasher), applied once at
 * the top level after every transformer. The JSON is Go encoding/json output; the name is
 * always "" (kustomize looks up the key `metadata/name` literally and finds nothing).
 */
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import type { KObject } from '../resources/resource.js';
import { isPlainObject } from '../resources/resource.js';
import { goJsonMarshal } from '../yaml/go-yaml.js';
import type { ResMap } from './resmap.js';

function nodeValue(v: unknown): unknown {
  if (v === undefined) return '';
  if (v === null) return null;
  if (typeof v === 'object') return v;
  return String(v);
}

export function encodeForHash(obj: KObject): string {
  if (obj.kind === 'ConfigMap') {
    const m: Record<string, unknown> = { kind: 'ConfigMap', name: '', data: nodeValue(obj.data) };
    if (isPlainObject(obj.binaryData)) m.binaryData = obj.binaryData;
    return goJsonMarshal(m);
  }
  if (obj.kind === 'Secret') {
    const m: Record<string, unknown> = {
      kind: 'Secret',
      type: nodeValue(obj.type),
      name: '',
      data: nodeValue(obj.data),
    };
    if (isPlainObject(obj.stringData)) m.stringData = obj.stringData;
    return goJsonMarshal(m);
  }
  throw new InputError(
    `cannot compute a name hash for kind ${String(obj.kind)}: only ConfigMap and Secret are supported`,
  );
}

export function kustomizeHash(obj: KObject): string {
  const hex = createHash('sha256').update(encodeForHash(obj), 'utf8').digest('hex').slice(0, 10);
  return hex.replace(/[013ae]/g, (c) => ({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })[c]!);
}

export function addHashSuffixes(m: ResMap): void {
  for (const r of m.list) {
    if (!r.needsHash) continue;
    const h = kustomizeHash(r.obj);
    r.storePreviousId();
    r.setName(`${r.name}-${h}`);
  }
}
