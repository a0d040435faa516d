import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { InputError } from '../../errors.js';
import type { KObject } from '../../resources/resource.js';
import { applyStrategicMerge } from './strategic-merge.js';
import { describeVerifiedTable, loadCases, type SmpCase } from './testing/cases.js';

const cases = loadCases<SmpCase>('smp');

function ours(c: SmpCase): Record<string, unknown> {
  try {
    const out = applyStrategicMerge(parse(c.resource) as KObject, parse(c.patch) as KObject);
    return out === null ? { deleted: true } : { expect: out };
  } catch (e) {
    if (e instanceof InputError) return { error: true };
    throw e;
  }
}

function recorded(c: SmpCase): Record<string, unknown> {
  if (c.error) return { error: true };
  if (c.deleted) return { deleted: true };
  return { expect: c.expect };
}

describeVerifiedTable('applyStrategicMerge: table verified with kubectl kustomize', 'smp', cases, {
  minimum: 60,
  hasExpectation: (c) => 'expect' in c || !!c.deleted || !!c.error,
  ours,
  recorded,
});

describe('applyStrategicMerge: API contract', () => {
  it('never mutates its inputs', () => {
    for (const c of cases) {
      const target = parse(c.resource) as KObject;
      const patch = parse(c.patch) as KObject;
      const t0 = structuredClone(target);
      const p0 = structuredClone(patch);
      try {
        applyStrategicMerge(target, patch);
      } catch {
        // errors are covered by the table
      }
      assert.deepStrictEqual(target, t0, c.name);
      assert.deepStrictEqual(patch, p0, c.name);
    }
  });
  it('errors name the patch file and the field path', () => {
    const target = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } };
    const patch = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: 'text' };
    assert.throws(
      () => applyStrategicMerge(target, patch, 'overlays/p.yaml'),
      (e: unknown) => e instanceof InputError && e.pos?.file === 'overlays/p.yaml' && e.fieldPath === 'data',
    );
  });
  it('keeps __proto__ as data', () => {
    const target = JSON.parse(
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"__proto__":"x"}}',
    ) as KObject;
    const patch = JSON.parse(
      '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm"},"data":{"constructor":"y"}}',
    ) as KObject;
    const out = applyStrategicMerge(target, patch)!;
    assert.deepStrictEqual(Object.keys(out.data as object).sort(), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(out.data), Object.prototype);
  });
});
