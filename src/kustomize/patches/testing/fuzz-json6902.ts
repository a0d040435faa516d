/**
 * Differential fuzzing of applyJson6902 against `kubectl kustomize`: random resources and random
 * operation lists (valid and invalid paths, indices, values), compared object by object (or
 * error/error). Deterministic for a seed. Run by hand:
 *   npx tsx src/kustomize/patches/testing/fuzz-json6902.ts [cases=200] [seed=1]
 * FUZZ_BREAK=1 replaces our result by the input, to show that the comparison can fail.
 */
import { isDeepStrictEqual } from 'node:util';
import { toYaml } from '../../../yaml/emit.js';
import type { KObject } from '../../../resources/resource.js';
import { applyJson6902 } from '../json6902.js';
import { kubectlBuild, kubectlMissing } from './kubectl-oracle.js';
import { mulberry32 } from '../../../seeded-random.js';

const total = Number(process.argv[2] ?? 200);
const rnd = mulberry32(Number(process.argv[3] ?? 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const chance = (p: number): boolean => rnd() < p;

function resource(name: string): KObject {
  const o: KObject = { apiVersion: 'example.com/v1', kind: 'Foo', metadata: { name } };
  if (chance(0.5)) o.metadata!.labels = { a: pick(['1', 'x']) };
  if (chance(0.3)) o.metadata!.annotations = { n: pick(['1', 'y']) };
  const spec: Record<string, unknown> = {};
  if (chance(0.8)) spec.list = Array.from({ length: Math.floor(rnd() * 4) }, (_, i) => pick([i, `s${i}`, { k: i }]));
  if (chance(0.7)) spec.map = { a: pick([1, 'b', true]), b: { c: pick([1, 2]) } };
  if (chance(0.3)) spec.nul = null;
  o.spec = spec;
  return o;
}
// mostly valid paths, some invalid ones
const PATHS = [
  '/spec/list/0',
  '/spec/list/0',
  '/spec/list/1',
  '/spec/list/-',
  '/spec/list/-',
  '/spec/list/3',
  '/spec/list/-1',
  '/spec/list/9',
  '/spec/list/x',
  '/spec/map/a',
  '/spec/map/a',
  '/spec/map/b/c',
  '/spec/map/b/c',
  '/spec/map/zz',
  '/spec/map/zz',
  '/spec/map/b/zz/q',
  '/spec/nul',
  '/spec/nul/x',
  '/spec/new',
  '/spec/new',
  '/metadata/labels/a',
  '/metadata/labels/b',
  '/metadata/annotations/z',
  '/metadata/annotations/z',
  '/metadata/annotations',
  '/spec',
  'spec/map',
  '/spec/list/0/k',
  '/spec/map/b~1c',
  '',
];
const VALUES = [1, 'v', true, null, { x: 1 }, [1, 2], '1'];
function op(): Record<string, unknown> {
  const kind = pick(['add', 'add', 'remove', 'replace', 'move', 'copy', 'test']);
  const o: Record<string, unknown> = { op: kind, path: pick(PATHS) };
  if (kind === 'move' || kind === 'copy') o.from = pick(PATHS);
  if (kind === 'add' || kind === 'replace' || kind === 'test') o.value = pick(VALUES);
  if (o.path === '' && kind !== 'test' && kind !== 'replace') o.path = '/spec/new';
  if (o.path === '' && kind === 'replace')
    o.value = { apiVersion: 'example.com/v1', kind: 'Foo', metadata: { name: 'x' } };
  return o;
}

interface Case {
  resource: KObject;
  ops: Record<string, unknown>[];
}
const cases: Case[] = Array.from({ length: total }, (_, i) => ({
  resource: resource(`r${i}`),
  ops: Array.from({ length: 1 + Math.floor(rnd() * 2) }, op),
}));

const missing = kubectlMissing();
if (missing) {
  console.error(`kubectl missing: ${missing}`);
  process.exit(2);
}
let agree = 0;
let errorsBoth = 0;
const diffs: string[] = [];
for (const c of cases) {
  const name = c.resource.metadata!.name!;
  const r = kubectlBuild([c.resource], [{ text: JSON.stringify(c.ops), target: { kind: 'Foo', name } }]);
  let ours: unknown;
  try {
    ours = process.env.FUZZ_BREAK ? c.resource : applyJson6902(c.resource, c.ops, 'p.json');
  } catch (e) {
    ours = { error: (e as Error).message };
  }
  const oErr = ours !== null && typeof ours === 'object' && 'error' in ours;
  if (!r.ok && oErr) {
    agree++;
    errorsBoth++;
  } else if (r.ok && !oErr && isDeepStrictEqual(r.objects[0], ours)) agree++;
  else
    diffs.push(
      `resource:\n${toYaml(c.resource)}ops: ${JSON.stringify(c.ops)}\n` +
        `kubectl: ${r.ok ? '\n' + toYaml(r.objects[0]) : r.error}\nours:\n${toYaml(ours)}`,
    );
}
console.log(
  `fuzz-json6902: ${agree}/${cases.length} cases agree with kubectl kustomize (${errorsBoth} are errors in both)`,
);
for (const d of diffs.slice(0, 4)) console.log(`---- disagreement\n${d}`);
process.exit(diffs.length ? 1 : 0);
