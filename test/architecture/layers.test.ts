/**
 * The folders of src/ are layers (issue #20, 4; docs/architecture.md): a folder imports only
 * folders of lower layers, so there is no folder cycle, and no file imports itself back through
 * others. A new folder fails this test until it is given its layer below.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { folderOf, imports, sourceFiles, SRC } from './imports.js';
import { LAYERS } from './layers.js';

const layerOf = new Map(LAYERS.flatMap((fs, i) => fs.map((f) => [f, i] as const)));

test('layers: every folder of src/ has a layer', () => {
  const folders = [...new Set(sourceFiles().map(folderOf))];
  assert.ok(folders.length > 20);
  assert.deepEqual(
    folders.filter((f) => !layerOf.has(f)),
    [],
    'give each new folder its line in LAYERS',
  );
});

test('layers: folders import only lower layers (type-only imports count)', () => {
  const bad = new Map<string, string[]>();
  for (const i of imports()) {
    const a = folderOf(i.from);
    const b = folderOf(i.to);
    if (a === b) continue;
    if ((layerOf.get(a) ?? -1) > (layerOf.get(b) ?? Infinity)) continue;
    const key = `${a} -> ${b}`;
    bad.set(key, [...(bad.get(key) ?? []), `${i.from} imports ${i.to}${i.typeOnly ? ' (type)' : ''}`]);
  }
  assert.deepEqual(Object.fromEntries(bad), {});
});

test('layers: no file imports itself back (type-only imports count)', () => {
  const graph = new Map<string, Set<string>>();
  for (const i of imports()) {
    assert.ok(existsSync(join(SRC, i.to)), `${i.from} imports ${i.to}, which is not there`);
    graph.set(i.from, (graph.get(i.from) ?? new Set()).add(i.to));
  }
  const cycles = stronglyConnected(graph).map((c) => c.sort().join(' '));
  assert.deepEqual(cycles, []);
});

/** Tarjan's strongly connected components with more than one node. */
function stronglyConnected(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1) out.push(c);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v);
  return out;
}
