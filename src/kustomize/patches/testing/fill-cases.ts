/**
 * Fills in the kubectl-verified expectations of the patch case tables (testdata/*-cases.yaml)
 * for cases that have none yet, by running the real `kubectl kustomize`. Existing expectations
 * are left alone (the tests compare them with kubectl on every run).
 * Usage: npx tsx src/kustomize/patches/testing/fill-cases.ts smp|json6902|selector
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, isSeq, isMap, type YAMLMap } from 'yaml';
import { kubectlMissing } from './kubectl-oracle.js';
import { runCaseWithKubectl, type AnyCase } from './cases.js';

const which = process.argv[2] as 'smp' | 'json6902' | 'selector';
const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata', `${which}-cases.yaml`);
const missing = kubectlMissing();
if (missing) {
  console.error(`cannot fill: ${missing}`);
  process.exit(2);
}
const doc = parseDocument(readFileSync(file, 'utf8'));
if (!isSeq(doc.contents)) throw new Error('cases file must be a list');
let filled = 0;
doc.contents.items.forEach((item, i) => {
  if (!isMap(item)) return;
  const c = item.toJS(doc) as AnyCase;
  if ('expect' in c || 'deleted' in c || 'error' in c || 'selected' in c) return;
  const r = runCaseWithKubectl(which, c);
  for (const [k, v] of Object.entries(r)) (item as YAMLMap<unknown, unknown>).set(k, doc.createNode(v));
  filled++;
  console.log(`${i}: ${c.name}: ${Object.keys(r).join(',')}`);
});
writeFileSync(file, doc.toString({ lineWidth: 0 }));
console.log(`filled ${filled} case(s) in ${file}`);
