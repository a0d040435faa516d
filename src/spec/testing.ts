/**
 * Shared by the fleet-spec tests (src/spec/load.test.ts, test/infra/spec-azure.test.ts): edits
 * of the example fleet.yaml and the error a refused fleet gives.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { exampleFile } from '../package-root.js';
import { parseFleet } from './load.js';

/** The example fleet.yaml as text. */
export const exampleFleetText = readFileSync(exampleFile('fleet.yaml'), 'utf8');

/**
 * The example with the n-th (0-based) occurrence of `from` (which must exist) replaced by `to`;
 * returns the text and the 1-based line of the edit.
 */
export function editExample(from: string, to: string, nth = 0): { text: string; line: number } {
  let i = -1;
  for (let k = 0; k <= nth; k++) {
    i = exampleFleetText.indexOf(from, i + 1);
    assert.ok(i >= 0, `fixture text not found: ${from} (#${nth})`);
  }
  return {
    text: exampleFleetText.slice(0, i) + to + exampleFleetText.slice(i + from.length),
    line: exampleFleetText.slice(0, i).split('\n').length,
  };
}

/** The formatted InputError a fleet text is refused with (fails the test if it is accepted). */
export function fleetErrorOf(text: string): string {
  try {
    parseFleet(text, 'fleet.yaml');
  } catch (e) {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    return e.format();
  }
  assert.fail('expected the fleet to be refused');
}
