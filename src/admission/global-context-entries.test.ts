import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveGlobalContextEntries } from './global-context-entries.js';

const DEPLOYS = [
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'x' } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'b', namespace: 'y' } },
];

test('globalContextEntries: data, resources, resourceFiles, fieldPath and projections as the Kyverno CLI resolves them', () => {
  const files: Record<string, Record<string, unknown>[]> = { '/t/deploys.yaml': DEPLOYS };
  const read = (f: string): Record<string, unknown>[] => files[f] ?? [];
  const m = resolveGlobalContextEntries(
    [
      { name: 'plain', data: { a: 1 } },
      { name: 'picked', data: { spec: { x: [1, 2] } }, fieldPath: 'spec.x' },
      { name: 'inline', resources: DEPLOYS, projections: [{ name: 'names', path: '[].metadata.name' }] },
      { name: 'files', resourceFiles: ['deploys.yaml'], projections: [{ name: 'count', path: 'length(@)' }] },
    ],
    '/t',
    read,
  );
  assert.deepEqual(m.get('plain'), { a: 1 });
  assert.deepEqual(m.get('picked'), [1, 2]);
  assert.deepEqual(m.get('inline'), { names: ['a', 'b'] });
  assert.deepEqual(m.get('files'), { count: 2 });
});

test("globalContextEntries: the CLI's validation errors", () => {
  const read = (): Record<string, unknown>[] => [];
  const bad = (e: unknown, re: RegExp): void => assert.throws(() => resolveGlobalContextEntries([e], '/t', read), re);
  bad({ data: {} }, /name is required/);
  bad({ name: 'x' }, /one of data, resources, or resourceFiles is required/);
  bad({ name: 'x', data: {}, resources: [] }, /mutually exclusive/);
  bad({ name: 'x', data: [1] }, /data must be a JSON object/);
  bad({ name: 'x', resourceFiles: ['../out.yaml'] }, /must not escape the test directory/);
  bad({ name: 'x', resourceFiles: ['/abs.yaml'] }, /must not be absolute/);
  bad({ name: 'x', data: { a: 1 }, projections: [{ name: 'p' }] }, /projection "p": path is required/);
  assert.throws(
    () =>
      resolveGlobalContextEntries(
        [
          { name: 'x', data: {} },
          { name: 'x', data: {} },
        ],
        '/t',
        read,
      ),
    /duplicate name "x"/,
  );
});
