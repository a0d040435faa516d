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
import { generatedCases, HAND_CASES, type ResourceSetCase } from './testing/cases.js';
import { runOracle, runOurs } from './testing/oracle.js';

const fluxOperator = oracle('flux-operator-0.59');
const GENERATED = 300;

function compare(cases: readonly ResourceSetCase[]): { agree: number; objects: number; refused: number; differences: string[] } {
  let agree = 0;
  let objects = 0;
  let refused = 0;
  const differences: string[] = [];
  for (const c of cases) {
    const theirs = runOracle(fluxOperator.path, c);
    const ours = runOurs(c);
    if (theirs.error !== undefined || ours.error !== undefined) {
      // Both refuse, with the operator's words (the CLI prefixes its errors with a cross).
      if (theirs.error !== undefined && ours.error !== undefined && theirs.error.replace(/^✗ /, '') === ours.error) {
        agree++;
        refused++;
      } else differences.push(`${c.name}: operator ${theirs.error ?? 'expands'}; aksfleet ${ours.error ?? 'expands'}`);
      continue;
    }
    if (isDeepStrictEqual(theirs.objects, ours.objects)) {
      agree++;
      objects += theirs.objects!.length;
    } else {
      differences.push(`${c.name}:\n  operator ${JSON.stringify(theirs.objects)}\n  aksfleet ${JSON.stringify(ours.objects)}`);
    }
  }
  return { agree, objects, refused, differences };
}

test('hand-written ResourceSet shapes expand as the Flux Operator builds them', { skip: fluxOperator.skip }, () => {
  const r = compare(HAND_CASES);
  console.log(`flux-operator hand cases: ${r.agree}/${HAND_CASES.length} agree (${r.objects} objects, ${r.refused} refused by both)`);
  assert.deepEqual(r.differences, []);
  assert.ok(r.objects >= 20 && r.refused >= 3, JSON.stringify(r));
});

test(`${GENERATED} seeded ResourceSet variations expand as the Flux Operator builds them`, { skip: fluxOperator.skip }, () => {
  const cases = generatedCases(GENERATED);
  const r = compare(cases);
  console.log(`flux-operator generated cases: ${r.agree}/${cases.length} agree (${r.objects} objects, ${r.refused} refused by both)`);
  assert.deepEqual(r.differences.slice(0, 5), []);
  assert.ok(r.objects > 300, JSON.stringify(r));
});
