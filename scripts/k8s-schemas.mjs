#!/usr/bin/env node
/**
 * Makes data/k8s-schemas/v1.NN.json.gz (one per Kubernetes minor) from the JSON schemas that the
 * PyPI package `kubernetes-validate` ships (its `kubernetes-json-schema/v1.NN.0-local-strict/_definitions.json`:
 * the Kubernetes OpenAPI of that release as JSON Schema 2020-12, every object closed with
 * `additionalProperties: false`). See data/k8s-schemas/README.md for the exact steps.
 *
 * Kept: every definition as published, less its `description` keywords (a property named
 * `description` is kept); `kinds` maps `apiVersion kind` to the definition that carries that
 * x-kubernetes-group-version-kind. Written as compact JSON, gzipped (level 9), deterministic.
 *
 * Usage: node scripts/k8s-schemas.mjs DIR PACKAGE_LABEL MINOR...
 *   DIR: the unpacked `kubernetes_validate/kubernetes-json-schema` folder.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const [dir, label, ...minors] = process.argv.slice(2);
if (!dir || !label || minors.length === 0) {
  console.error('usage: node scripts/k8s-schemas.mjs DIR PACKAGE_LABEL MINOR...');
  process.exit(2);
}
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'data', 'k8s-schemas');
mkdirSync(out, { recursive: true });

/** Drops `description` keywords; inside `properties`, a property named `description` stays. */
function strip(s) {
  if (Array.isArray(s)) return s.map(strip);
  if (s === null || typeof s !== 'object') return s;
  const o = {};
  for (const k of Object.keys(s)) {
    if (k === 'description') continue;
    if ((k === 'properties' || k === '$defs') && s[k] && typeof s[k] === 'object') {
      o[k] = Object.fromEntries(Object.keys(s[k]).map((p) => [p, strip(s[k][p])]));
    } else o[k] = strip(s[k]);
  }
  return o;
}

for (const minor of minors) {
  if (!/^1\.\d+$/.test(minor)) throw new Error(`not a minor: ${minor}`);
  const folder = `v${minor}.0-local-strict`;
  const defs = JSON.parse(readFileSync(join(dir, folder, '_definitions.json'), 'utf8')).$defs;
  const kinds = {};
  for (const name of Object.keys(defs).sort()) {
    for (const gvk of defs[name]['x-kubernetes-group-version-kind'] ?? []) {
      const key = `${gvk.group ? `${gvk.group}/` : ''}${gvk.version} ${gvk.kind}`;
      // A kind listed by several definitions (meta DeleteOptions, WatchEvent): the first name in order.
      kinds[key] ??= name;
    }
  }
  const data = {
    source: `${label} ${folder}/_definitions.json, description keywords dropped`,
    kubernetesMinor: minor,
    kinds: Object.fromEntries(
      Object.keys(kinds)
        .sort()
        .map((k) => [k, kinds[k]]),
    ),
    defs: strip(defs),
  };
  const file = join(out, `v${minor}.json.gz`);
  writeFileSync(file, gzipSync(JSON.stringify(data), { level: 9 }));
  console.log(`${file}: ${Object.keys(kinds).length} kinds, ${Object.keys(defs).length} definitions`);
}
