/**
 * Removes the recorded kubectl results (expect/deleted/error/kubectlError/selected) from a case
 * table so that fill-cases.ts records them again from kubectl.
 * Usage: npx tsx src/kustomize/patches/testing/clear-cases.ts smp|json6902|selector
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, isSeq, isMap } from 'yaml';

const which = process.argv[2];
const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata', `${which}-cases.yaml`);
const doc = parseDocument(readFileSync(file, 'utf8'));
if (!isSeq(doc.contents)) throw new Error('cases file must be a list');
for (const item of doc.contents.items) {
  if (!isMap(item)) continue;
  for (const k of ['expect', 'deleted', 'error', 'kubectlError', 'selected']) item.delete(k);
}
writeFileSync(file, doc.toString({ lineWidth: 0 }));
