/**
 * Turning YAML text into resources as kustomize's resource factory does: go-yaml v3 values,
 * empty documents skipped, `kind` and `metadata.name` required, null list items refused,
 * `*List` kinds with `items` unwrapped (their items go after the file's other documents).
 */
import { InputError } from '../errors.js';
import type { KObject } from '../resources/resource.js';
import { isPlainObject } from '../resources/resource.js';
import { parseGoYaml } from '../yaml/go-yaml.js';
import { KRes } from './resmap.js';

function validate(obj: unknown, file: string, line: number | undefined): KObject | undefined {
  if (obj === null || obj === undefined) return undefined;
  if (!isPlainObject(obj)) {
    throw new InputError(
      `expected a YAML map (a Kubernetes object), got ${Array.isArray(obj) ? 'a list' : 'a scalar'}`,
      { pos: { file, line } },
    );
  }
  if (Object.keys(obj).length === 0) return undefined;
  const kind = obj.kind;
  if (kind === undefined || kind === null || kind === '')
    throw new InputError('missing kind in object', { pos: { file, line }, fieldPath: 'kind' });
  if (typeof kind !== 'string')
    throw new InputError('kind must be a string', { pos: { file, line }, fieldPath: 'kind' });
  if (!kind.endsWith('List')) {
    const md = obj.metadata;
    const name = isPlainObject(md) ? md.name : undefined;
    if (name === undefined || name === null || name === '') {
      throw new InputError(`missing metadata.name in object of kind ${kind}`, {
        pos: { file, line },
        fieldPath: 'metadata.name',
      });
    }
  }
  // kustomize's HasNilEntryInList is a no-op in v5.5.0 and v5.7.1 (it inspects a *yaml.Node as if it were
  // decoded data), so null list items are accepted (verified with kubectl kustomize).
  return obj as KObject;
}

/** Objects of a YAML stream, with the line of each document. */
export function objectsFromText(text: string, file: string): { obj: KObject; line: number }[] {
  const docs = parseGoYaml(text, file, { dialect: 'v3', annotationsAsText: true });
  const queue: { obj: unknown; line: number }[] = docs.map((d) => ({ obj: d.value, line: d.line }));
  const out: { obj: KObject; line: number }[] = [];
  // A read index, not shift(): shifting a long array is linear, and a stream can hold 100,000 documents.
  for (let next = 0; next < queue.length; next++) {
    const { obj, line } = queue[next]!;
    const o = validate(obj, file, line);
    if (!o) continue;
    if (typeof o.kind === 'string' && o.kind.endsWith('List') && 'items' in o) {
      const items = o.items;
      if (items === null || items === undefined) continue;
      if (!Array.isArray(items))
        throw new InputError(`expected array in ${o.kind}/items`, { pos: { file, line }, fieldPath: 'items' });
      for (const it of items) queue.push({ obj: it, line });
      continue;
    }
    out.push({ obj: o, line });
  }
  return out;
}

/** Resources from a file's text; origin carries the file, document line and kustomization dir. */
export function resourcesFromText(text: string, file: string, kustomization: string): KRes[] {
  return objectsFromText(text, file).map(({ obj, line }) => new KRes(obj, { file, line, kustomization }));
}
