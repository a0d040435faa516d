/**
 * Test helpers: seeded variations of a valid object for the kubeconform differentials (built-in
 * kinds in src/schemas/kubeconform.test.ts, ecosystem CRDs in test/schemas/ecosystem-kubeconform).
 */
import type { KObject } from '../../resources/resource.js';

export type Path = (string | number)[];

/** Every path inside `v` (keys and list indexes), parents before children. */
export function paths(v: unknown, at: Path = [], out: Path[] = []): Path[] {
  if (at.length) out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

/** A typo as people make them: a letter dropped, doubled, or two swapped. */
export function typo(name: string, r: () => number): string {
  const i = Math.floor(r() * name.length);
  const how = Math.floor(r() * 3);
  if (how === 0 && name.length > 2) return name.slice(0, i) + name.slice(i + 1);
  if (how === 1) return name.slice(0, i + 1) + name[i] + name.slice(i + 1);
  if (i + 1 < name.length) return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
  return `${name}s`;
}

/**
 * One seeded variation: a field renamed by a typo, an unknown field, a value of another type, or a
 * field removed, at a path `varied` accepts (kubeconform reads some fields before any schema).
 */
export function mutate(obj: KObject, r: () => number, varied: (p: Path) => boolean): { obj: KObject; what: string } {
  const copy = structuredClone(obj) as Record<string, unknown>;
  const all = paths(copy).filter(varied);
  if (all.length === 0) return { obj, what: 'as is' };
  const p = all[Math.floor(r() * all.length)]!;
  let parent = copy as Record<string | number, unknown>;
  for (const k of p.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
  const last = p.at(-1)!;
  const what = Math.floor(r() * 4);
  if (what === 0 && typeof last === 'string') {
    const name = typo(last, r);
    parent[name] = parent[last];
    delete parent[last];
    return { obj: copy as KObject, what: `typo ${p.join('.')} -> ${name}` };
  }
  if (what === 1 && !Array.isArray(parent)) {
    parent.unexpectedField = 'x';
    return { obj: copy as KObject, what: `unknown field at ${p.slice(0, -1).join('.')}` };
  }
  if (what === 3 && !Array.isArray(parent)) {
    delete parent[last];
    return { obj: copy as KObject, what: `removed ${p.join('.')}` };
  }
  const values = [42, -1, 1.5, 'text', true, [], {}, ['a'], { k: 1 }];
  const v = values[Math.floor(r() * values.length)];
  parent[last] = v;
  return { obj: copy as KObject, what: `${p.join('.')} = ${JSON.stringify(v)}` };
}
