#!/usr/bin/env node
// Derives data/openapi-k8s-1.21.2-types.json (the field -> type graph that the strategic-merge
// walk needs) from kyaml's bundled Kubernetes v1.21.2 OpenAPI definitions, and cross-checks every
// list strategy/merge key in it against data/merge-keys-k8s-1.21.2.tsv.
//
// Usage: node src/kustomize/patches/tools/gen-openapi-types.mjs BUNDLE.json [OUT.json]
//   BUNDLE.json = gunzip of kubernetes-sigs/kustomize
//   kyaml/openapi/kubernetesapi/data/kubernetes-openapi-union-v1.21.2.bundle-v1.json.gz
//   (sources[0]: kubernetesVersion v1.21.2, sha256 5d171b55e9601912807a870d73ffe70bb306f5889a00e76986042a0f2d7b6bc2).
//
// Output shape (compact, deterministic, keys sorted):
//   kinds: { "<apiVersion> <kind>": "<definition>" }   every built-in kind with a schema
//   types: { "<definition>": { "<field>": FieldRef } }  only definitions from which a list with a
//          patch strategy can be reached; every property of such a definition is listed
//   FieldRef = 0                                  known field, nothing merge-relevant below it
//            | { t: "<definition>" }              object field whose type is in `types`
//            | { m: "<definition>" }              map (additionalProperties) of such a type
//            | { a: "<definition>" | 0 }          list with a patch strategy, and its item type
//              (0 when nothing merge-relevant is below the items). The strategy and merge keys
//              themselves are read at run time from data/merge-keys-k8s-1.21.2.tsv; this script
//              checks that the TSV lists exactly the list fields that have a strategy here.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [bundlePath, outArg] = process.argv.slice(2);
if (!bundlePath) {
  console.error('usage: gen-openapi-types.mjs BUNDLE.json [OUT.json]');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const out = outArg ?? join(root, 'data', 'openapi-k8s-1.21.2-types.json');
const bundle = JSON.parse(readFileSync(bundlePath, 'utf8'));
const defs = bundle.definitions;
const refName = (r) => (r ? r.replace('#/definitions/', '') : undefined);

/** The definition a property points to, and how: direct object, array items, or map values. */
function target(p) {
  if (p.$ref) return { how: 't', def: refName(p.$ref) };
  if (p.type === 'array' && p.items?.$ref) return { how: 'a', def: refName(p.items.$ref) };
  if (p.additionalProperties?.$ref) return { how: 'm', def: refName(p.additionalProperties.$ref) };
  return undefined;
}
/** kyaml reads the strategy only from the property itself, and drops it when the property is a $ref. */
function listStrategy(p) {
  if (p.$ref || p.type !== 'array') return undefined;
  return p['x-kubernetes-patch-strategy'];
}

// Fixed point: S = definitions from which a list with a patch strategy is reachable.
const S = new Set();
let changed = true;
while (changed) {
  changed = false;
  for (const [name, d] of Object.entries(defs)) {
    if (S.has(name)) continue;
    for (const p of Object.values(d.properties ?? {})) {
      const tg = target(p);
      if (listStrategy(p) || (tg && S.has(tg.def))) {
        S.add(name);
        changed = true;
        break;
      }
    }
  }
}

const types = {};
const fromSchema = new Map();
for (const name of [...S].sort()) {
  const fields = {};
  const props = defs[name].properties ?? {};
  for (const f of Object.keys(props).sort()) {
    const p = props[f];
    const tg = target(p);
    const s = listStrategy(p);
    if (s) {
      const keys =
        p['x-kubernetes-list-map-keys'] ??
        (p['x-kubernetes-patch-merge-key'] ? [p['x-kubernetes-patch-merge-key']] : undefined);
      fields[f] = { a: tg && tg.how === 'a' && S.has(tg.def) ? tg.def : 0 };
      fromSchema.set(`${name}\t${f}`, { s, k: keys ?? [] });
    } else if (tg && S.has(tg.def)) {
      fields[f] = tg.how === 'm' ? { m: tg.def } : tg.how === 't' ? { t: tg.def } : 0;
    } else {
      fields[f] = 0;
    }
  }
  types[name] = fields;
}

const kinds = {};
for (const r of [...bundle.resources].sort((a, b) =>
  `${a.apiVersion} ${a.kind}` < `${b.apiVersion} ${b.kind}` ? -1 : 1,
)) {
  kinds[`${r.apiVersion} ${r.kind}`] = r.definition;
}

// Cross-check with the merge-keys TSV (the project's reference table) for list fields.
const tsv = readFileSync(join(root, 'data', 'merge-keys-k8s-1.21.2.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1);
let checked = 0;
const problems = [];
for (const line of tsv) {
  const [def, field, strategy, mergeKey, mapKeys] = line.split('\t');
  const p = defs[def]?.properties?.[field];
  if (!p) {
    problems.push(`TSV ${def}.${field}: not in bundle`);
    continue;
  }
  if (p.type !== 'array') continue; // map-valued strategies (retainKeys/replace on $ref fields) are ignored by kyaml
  const got = fromSchema.get(`${def}\t${field}`);
  const keys = mapKeys ? mapKeys.split(',') : mergeKey ? [mergeKey] : [];
  if (!got) {
    problems.push(`TSV ${def}.${field}: no list strategy derived`);
    continue;
  }
  if (got.s !== strategy || got.k.join(',') !== keys.join(','))
    problems.push(`TSV ${def}.${field}: ${strategy}/${keys} vs ${got.s}/${got.k}`);
  checked++;
}
if (checked !== fromSchema.size) problems.push(`TSV has ${checked} list strategies, schema has ${fromSchema.size}`);
if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
const data = {
  source:
    'kubernetes-sigs/kustomize kyaml/openapi/kubernetesapi/data/' +
    'kubernetes-openapi-union-v1.21.2.bundle-v1.json.gz (Kubernetes v1.21.2 OpenAPI)',
  sourceSha256: bundle.sources?.[0]?.sha256,
  kinds,
  types,
};
writeFileSync(out, JSON.stringify(data) + '\n');
console.log(
  `wrote ${out}: ${Object.keys(kinds).length} kinds, ${S.size} types, ${checked} list strategies (all match the TSV)`,
);
