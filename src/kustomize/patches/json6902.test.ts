import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { InputError } from '../../errors.js';
import type { KObject } from '../../resources/resource.js';
import { applyJson6902, parseJson6902 } from './json6902.js';
import { classifyPatch } from './patch-kind.js';
import { describeVerifiedTable, loadCases, type Json6902Case } from './testing/cases.js';

const cases = loadCases<Json6902Case>('json6902');

/** What the engine does with a `patches: - path:` entry with a target. */
function ours(c: Json6902Case): Record<string, unknown> {
  try {
    if (classifyPatch(c.ops, 'patch.yaml') !== 'json6902') return { error: true, why: 'classified as smp' };
    const ops = parseJson6902(c.ops, 'patch.yaml');
    return { expect: applyJson6902(parse(c.resource) as KObject, ops, 'patch.yaml') };
  } catch (e) {
    if (e instanceof InputError) return { error: true };
    throw e;
  }
}

function recorded(c: Json6902Case): Record<string, unknown> {
  return c.error ? { error: true } : { expect: c.expect };
}

describeVerifiedTable('applyJson6902: table verified with kubectl kustomize', 'json6902', cases, {
  minimum: 40,
  hasExpectation: (c) => 'expect' in c || !!c.error,
  ours,
  recorded,
});

describe('applyJson6902: API contract', () => {
  const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1 } };
  it('errors are InputErrors naming the file and the op index', () => {
    assert.throws(
      () =>
        applyJson6902(
          dep,
          [
            { op: 'add', path: '/a/b', value: 1 },
            { op: 'remove', path: '/nope' },
          ],
          'p.yaml',
        ),
      (e: unknown) =>
        e instanceof InputError &&
        e.pos?.file === 'p.yaml' &&
        e.fieldPath === '[0]' &&
        /operation 0 \(add\)/.test(e.message),
    );
    assert.throws(
      () =>
        applyJson6902(
          dep,
          [
            { op: 'test', path: '/spec/replicas', value: 1 },
            { op: 'remove', path: '/nope' },
          ],
          'p.yaml',
        ),
      (e: unknown) => e instanceof InputError && e.fieldPath === '[1]' && /nonexistent key: nope/.test(e.message),
    );
  });
  it('never mutates its inputs', () => {
    const t = structuredClone(dep);
    const ops = [
      { op: 'add', path: '/spec/x', value: { a: [1] } },
      { op: 'add', path: '/spec/x/a/-', value: 2 },
    ];
    const o = structuredClone(ops);
    const out = applyJson6902(t, ops);
    assert.deepStrictEqual(t, dep);
    assert.deepStrictEqual(ops, o);
    assert.deepStrictEqual(out.spec, { replicas: 1, x: { a: [1, 2] } });
  });
  it('sees the build annotations kustomize carries, and drops them afterwards', () => {
    const out = applyJson6902(dep, [{ op: 'copy', from: '/metadata/annotations', path: '/spec/seen' }]);
    assert.deepStrictEqual(out.spec, {
      replicas: 1,
      seen: {
        'internal.config.kubernetes.io/previousKinds': 'Deployment',
        'internal.config.kubernetes.io/previousNames': 'd',
        'internal.config.kubernetes.io/previousNamespaces': 'default',
      },
    });
    assert.equal(out.metadata?.annotations, undefined);
  });
  it('without build annotations, add to a missing parent is an error', () => {
    assert.throws(
      () =>
        applyJson6902(dep, [{ op: 'add', path: '/metadata/annotations/a', value: 'x' }], 'p', { buildAnnotations: {} }),
      InputError,
    );
    assert.throws(() => applyJson6902(dep, [{ op: 'add', path: '/metadata/labels/a', value: 'x' }], 'p'), InputError);
  });
  it('parses YAML ops as YAML 1.1 and JSON ops as JSON', () => {
    assert.deepStrictEqual(parseJson6902('- {op: add, path: /a, value: yes}\n', 'p'), [
      { op: 'add', path: '/a', value: true },
    ]);
    assert.deepStrictEqual(parseJson6902('[{"op": "add", "path": "/a", "value": "yes"}]', 'p'), [
      { op: 'add', path: '/a', value: 'yes' },
    ]);
    assert.throws(
      () => parseJson6902('[{"op": ', 'p.json'),
      (e: unknown) => e instanceof InputError && e.pos?.file === 'p.json',
    );
    assert.throws(() => parseJson6902('a: b\n', 'p.yaml'), InputError);
  });
});

describe('applyJson6902: values from the YAML layer', () => {
  it('compares big integers in test operations', () => {
    const big = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      spec: { n: 12345678901234567890n },
    } as unknown as KObject;
    assert.doesNotThrow(() => applyJson6902(big, [{ op: 'test', path: '/spec/n', value: 12345678901234567890n }]));
    assert.throws(() => applyJson6902(big, [{ op: 'test', path: '/spec/n', value: 1 }]), InputError);
  });
});
