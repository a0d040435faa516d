// Records src/helm/funcs/cases.expected.json from the helm-engine oracle: npx tsx test/helm-funcs/record.ts
import { writeFileSync } from 'node:fs';
import { CASES } from '../../src/helm/funcs/cases.js';
import { runOracle } from '../../src/helm/funcs/testing.js';
import { oracle } from '../oracles/index.js';
const all = Object.entries(CASES).flatMap(([fam, exprs]) => exprs.map((e) => ({ fam, e })));
const res = runOracle(oracle('helm-engine').path, all.map(({ e }) => ({ templates: { 'templates/t.yaml': `{{ ${e} }}` } })));
const out: Record<string, Record<string, { output: string } | { error: string }>> = {};
all.forEach(({ fam, e }, i) => {
  const r = res[i]!;
  (out[fam] ??= {})[e] = 'error' in r ? { error: r.error } : { output: r.output['oracle/templates/t.yaml']! };
});
writeFileSync(new URL('../../src/helm/funcs/cases.expected.json', import.meta.url), JSON.stringify(out, null, 1) + '\n');
