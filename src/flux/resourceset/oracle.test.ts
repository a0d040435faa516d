/**
 * Differential test against the Flux Operator's own builder (flux-operator v0.59.0
 * `build resourceset`: internal/inputs and internal/builder, test/oracles `flux-operator-0.59`):
 * on the hand-written shapes and 300 seeded variations, the objects aksfleet expands equal the
 * operator's, in order, and where the operator refuses a ResourceSet, aksfleet does too, with the
 * operator's message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { oracle } from '../../../test/oracles/oracle.mjs';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parseGoYaml } from '../../yaml/go-yaml.js';
import type { KObject } from '../../resources/resource.js';
import { generatedCases, HAND_CASES, operatorTestdataCases, type ResourceSetCase } from './testing/cases.js';
import { runOracle, runOurs } from './testing/oracle.js';

const fluxOperator = oracle('flux-operator-0.59');
const GENERATED = 300;

function compare(cases: readonly ResourceSetCase[]): {
  agree: number;
  objects: number;
  refused: number;
  differences: string[];
} {
  let agree = 0;
  let objects = 0;
  let refused = 0;
  const differences: string[] = [];
  for (const c of cases) {
    const theirs = runOracle(fluxOperator.path, c);
    const ours = runOurs(c);
    if (theirs.error !== undefined || ours.error !== undefined) {
      // Both refuse, with the operator's words (the CLI prefixes its errors with a cross).
      // YAML syntax errors are worded by our YAML reader, not go-yaml: compared up to the reader.
      const words = (m: string) =>
        m
          .replace(/^✗ /, '')
          .replace(/(failed to read object: |failed to read objects from multi-doc YAML: ).*$/s, '$1(YAML error)');
      if (theirs.error !== undefined && ours.error !== undefined && words(theirs.error) === words(ours.error)) {
        agree++;
        refused++;
      } else differences.push(`${c.name}: operator ${theirs.error ?? 'expands'}; aksfleet ${ours.error ?? 'expands'}`);
      continue;
    }
    if (isDeepStrictEqual(theirs.objects, ours.objects)) {
      agree++;
      objects += theirs.objects!.length;
    } else {
      differences.push(
        `${c.name}:\n  operator ${JSON.stringify(theirs.objects)}\n  aksfleet ${JSON.stringify(ours.objects)}`,
      );
    }
  }
  return { agree, objects, refused, differences };
}

test('hand-written ResourceSet shapes expand as the Flux Operator builds them', { skip: fluxOperator.skip }, () => {
  const r = compare(HAND_CASES);
  console.log(
    `flux-operator hand cases: ${r.agree}/${HAND_CASES.length} agree (${r.objects} objects, ${r.refused} ` +
      `refused by both)`,
  );
  assert.deepEqual(r.differences, []);
  assert.ok(r.objects >= 20 && r.refused >= 3, JSON.stringify(r));
});

test(`${GENERATED} seeded ResourceSet variations expand as the Flux Operator builds them`, {
  skip: fluxOperator.skip,
}, () => {
  const cases = generatedCases(GENERATED);
  const r = compare(cases);
  console.log(
    `flux-operator generated cases: ${r.agree}/${cases.length} agree (${r.objects} objects, ${r.refused} ` +
      `refused by both)`,
  );
  assert.deepEqual(r.differences.slice(0, 5), []);
  assert.ok(r.objects > 300, JSON.stringify(r));
});

test("the operator's own testdata expands as the operator builds it", { skip: fluxOperator.skip }, () => {
  fluxOperator.path; // the oracle's build downloads the module source
  const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
  const dir = `${modCache}/github.com/controlplaneio-fluxcd/flux-operator@${fluxOperator.spec.version}`;
  const cases = operatorTestdataCases(
    dir,
    (f) => (existsSync(f) ? readFileSync(f, 'utf8') : undefined),
    (d) => (existsSync(d) ? readdirSync(d) : []),
    (text, file) => parseGoYaml(text, file).map((d) => d.value as KObject),
  );
  const r = compare(cases);
  console.log(
    `flux-operator testdata cases: ${r.agree}/${cases.length} agree (${r.objects} objects, ${r.refused} ` +
      `refused by both)`,
  );
  assert.deepEqual(r.differences, []);
  assert.ok(cases.length >= 20, `${cases.length} cases`);
});
