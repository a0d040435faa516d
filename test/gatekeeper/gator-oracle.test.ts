/**
 * Our gator Suite runner against the real `gator verify` (oracle gator-3.23, v3.23.1, with its
 * default `--enable-k8s-native-validation=true`) on every suite of the Gatekeeper library in
 * ../shared/policies/gatekeeper: each case passes or fails alike, and a test that cannot run
 * (template or constraint refused) is refused by both. Known differences are listed with why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { runSuiteFile } from '../../src/admission/gatekeeper/suite.js';
import { inCi, oracle } from '../oracles/index.js';

const LIB = path.join(PACKAGE_ROOT, '..', 'shared', 'policies', 'gatekeeper');
const gator = oracle('gator-3.23');
// Never start the Go build from here outside CI: the lead builds the oracles.
const skip = !existsSync(LIB)
  ? 'no ../shared/policies/gatekeeper'
  : !gator.built && !inCi()
    ? 'gator-3.23 is not built (test/oracles/build.sh gator-3.23)'
    : false;

/** Known differences: `folder test#case` (or `folder test`) -> why. None known. */
const KNOWN: Record<string, string> = {};

/** `test#caseIndex` (or `test` for a test that did not run) -> PASS | FAIL, from `gator verify -v`. */
function gatorOutcomes(dir: string): Map<string, string> {
  const r = spawnSync(gator.path, ['verify', '-v', dir], { encoding: 'utf8', timeout: 120_000 });
  const out = new Map<string, string>();
  let current = '';
  let index = 0;
  for (const line of `${r.stdout}`.split('\n')) {
    const run = /^=== RUN\s+(.+)$/.exec(line);
    if (run) {
      current = run[1]!.trim();
      index = 0;
      continue;
    }
    const c = /^ {4}--- (PASS|FAIL): (.+?)\t/.exec(line);
    if (c) {
      out.set(`${current}#${index++}`, c[1]!);
      continue;
    }
    const t = /^--- (PASS|FAIL): (.+?)\t/.exec(line);
    if (t && index === 0) out.set(t[2]!, t[1]!);
  }
  return out;
}

function ourOutcomes(dir: string): Map<string, string> {
  const o = runSuiteFile(path.join(dir, 'suite.yaml'), PACKAGE_ROOT);
  const out = new Map<string, string>();
  for (const e of o.testErrors) out.set(e.test, 'FAIL');
  for (const r of o.rows) {
    const key = r.caseIndex < 0 ? r.test : `${r.test}#${r.caseIndex}`;
    out.set(key, out.get(key) === 'FAIL' || !r.ok ? 'FAIL' : 'PASS');
  }
  return out;
}

test('gator verify and policy test agree on every case of the Gatekeeper library', { skip }, () => {
  const differ: string[] = [];
  const fixed: string[] = [];
  let cases = 0;
  for (const folder of readdirSync(LIB).sort()) {
    const dir = path.join(LIB, folder);
    if (!existsSync(path.join(dir, 'suite.yaml'))) continue;
    const theirs = gatorOutcomes(dir);
    const ours = ourOutcomes(dir);
    assert.ok(theirs.size > 0, `gator verify printed no case for ${folder}`);
    for (const key of new Set([...theirs.keys(), ...ours.keys()])) {
      cases++;
      const known = KNOWN[`${folder} ${key}`] ?? KNOWN[`${folder} ${key.split('#')[0]}`];
      const same = theirs.get(key) === ours.get(key);
      if (same && known && KNOWN[`${folder} ${key}`]) fixed.push(`${folder} ${key}`);
      if (!same && !known)
        differ.push(`${folder} ${key}: gator ${theirs.get(key) ?? 'absent'}, ours ${ours.get(key) ?? 'absent'}`);
    }
  }
  assert.ok(cases >= 149, `expected the library's 149 cases, got ${cases}`);
  assert.deepEqual(fixed, [], 'known differences that now agree: remove them from KNOWN');
  assert.deepEqual(differ, []);
});
