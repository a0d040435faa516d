/**
 * The expressions of the Kubernetes CEL libraries' own tests (k8s.io/apiserver/pkg/cel/library
 * *_test.go) and of cel-go's extension tests (ext/*_test.go: strings, lists, sets), each run by
 * our engine and by the cel oracle. Reports N/M agree; the known exceptions are listed so that a
 * regression (or a fix) changes the test.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { agree, describe, loadOracle, runOracle, runOurs, type CelCase } from './oracle.testing.js';
import { goModuleDir, goTestExpressions } from './upstream.testing.js';

const cel = await loadOracle('cel');

function compare(label: string, cases: CelCase[]): { differ: string[]; values: number; errors: number } {
  const theirs = runOracle(cel.path, cases);
  const differ: string[] = [];
  let values = 0;
  let errors = 0;
  cases.forEach((c, i) => {
    const ours = runOurs(c);
    if (!agree(ours, theirs[i])) differ.push(`${c.expr}  ours: ${describe(ours)}  cel-go: ${describe(theirs[i])}`);
    else if ('error' in theirs[i]) errors++;
    else values++;
  });
  console.log(`${label}: ${values + errors}/${cases.length} agree (${values} values, ${errors} both errors)`);
  return { differ, values, errors };
}

/** Type names of the Kubernetes types as identifiers (`net.IP`) are not declared in our checker. */
const K8S_KNOWN: string[] = [
  'type(cidr("192.168.0.0/24")) == net.CIDR  ours: compile error: 1:33: Unknown variable: net  cel-go: true',
  'type(ip("192.168.0.1")) == net.IP  ours: compile error: 1:28: Unknown variable: net  cel-go: true',
];
const EXT_KNOWN: string[] = [];

test('Kubernetes CEL library test expressions agree with cel-go', { skip: cel.skip }, () => {
  const dir = goModuleDir('k8s.io/apiserver', 'v0.35.2');
  assert.ok(dir, 'k8s.io/apiserver v0.35.2 not in the Go module cache');
  const cases = goTestExpressions(`${dir}/pkg/cel/library`).map((e) => ({ expr: e.expr, vars: {} }));
  assert.ok(cases.length > 250, `only ${cases.length} expressions found`);
  const r = compare('k8s.io/apiserver/pkg/cel/library', cases);
  assert.deepEqual(r.differ, K8S_KNOWN);
});

test('cel-go extension test expressions (strings, lists, sets) agree with cel-go', { skip: cel.skip }, () => {
  const dir = goModuleDir('github.com/google/cel-go', 'v0.26.0');
  assert.ok(dir, 'cel-go v0.26.0 not in the Go module cache');
  const cases = goTestExpressions(`${dir}/ext`)
    .filter((e) => /^(strings|lists|sets)_test\.go$/.test(e.file))
    .map((e) => ({ expr: e.expr, vars: {} }));
  const r = compare('cel-go ext strings/lists/sets', cases);
  assert.deepEqual(r.differ, EXT_KNOWN);
});
