/**
 * Everything `aksfleet generate` writes, from one fleet spec. Each area is a pure generator;
 * this list is the whole output. The writer (src/writer) does the I/O.
 */
import type { Fleet } from '../spec/schema.js';
import type { GeneratedFile } from './types.js';
import { generateFluxRepo } from './flux/index.js';
import { generateInfra } from './infra/index.js';
import { generateSloTests } from './slo/index.js';
import { generateCi } from './ci/index.js';

export type { GeneratedFile } from './types.js';

/** The generators, in order. A path may be produced by one generator only. */
export const generators: readonly { readonly name: string; readonly generate: (fleet: Fleet) => GeneratedFile[] }[] = [
  { name: 'flux-repo', generate: generateFluxRepo },
  { name: 'infra', generate: generateInfra },
  { name: 'slo-tests', generate: generateSloTests },
  { name: 'ci', generate: generateCi },
];

/** All generated files, sorted by path. Throws if two generators claim one path. */
export function generateAll(fleet: Fleet): GeneratedFile[] {
  const byPath = new Map<string, { file: GeneratedFile; by: string }>();
  for (const g of generators) {
    for (const file of g.generate(fleet)) {
      const prev = byPath.get(file.path);
      if (prev) throw new Error(`generators '${prev.by}' and '${g.name}' both write ${file.path}`);
      byPath.set(file.path, { file, by: g.name });
    }
  }
  return [...byPath.values()].map((v) => v.file).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
