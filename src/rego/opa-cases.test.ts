/** OPA's own conformance cases (../shared/policies/opa, upstream expectations): our results agree. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';
import { compileRego } from './index.js';
import { loadOpaCases } from './testing/opa-cases.js';

const DIR = join(PACKAGE_ROOT, '..', 'shared', 'policies', 'opa');
const present = existsSync(join(DIR, 'cases.tsv'));
const skip = present ? false : process.env.CI ? false : `OPA's cases ${DIR} are not here`;

test('OPA conformance cases (upstream v0 testdata sample)', { skip }, () => {
  const cases = loadOpaCases(DIR);
  assert.ok(cases.length >= 15, `${cases.length} cases`);
  for (const c of cases) {
    const prog = compileRego(
      c.modules.map((text, i) => ({ file: `${c.file}#${i}`, text })),
      { v0: c.v0 },
    );
    const got = prog.evaluate(c.ref, {
      ...(c.data ? { data: c.data } : {}),
      ...(c.input !== undefined ? { input: c.input } : {}),
    });
    assert.deepEqual(got, c.want, `${c.file}: ${c.note}`);
  }
});
