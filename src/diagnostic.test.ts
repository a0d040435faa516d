import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findingDiagnostic, formatLocation, locationPrefix, severityRank, SEVERITIES } from './diagnostic.js';

test('formatLocation: file:line:col: fieldPath, each part only when its parent is there', () => {
  const full = { file: 'fleet.yaml', line: 3, column: 7, fieldPath: 'spec.clusters[0].name' };
  assert.equal(formatLocation(full), 'fleet.yaml:3:7: spec.clusters[0].name');
  assert.equal(formatLocation({ file: 'a.yaml', line: 3, column: 7 }), 'a.yaml:3:7');
  assert.equal(formatLocation({ file: 'a.yaml', line: 3 }), 'a.yaml:3');
  assert.equal(formatLocation({ file: 'a.yaml', column: 7 }), 'a.yaml', 'a column without a line is not printed');
  assert.equal(formatLocation({ file: 'a.yaml' }), 'a.yaml');
  assert.equal(formatLocation({ line: 3, fieldPath: 'spec' }), 'spec', 'a line without a file is not printed');
  assert.equal(formatLocation({}), '');
  assert.equal(formatLocation(undefined), '');
});

test('locationPrefix: the location and ": ", or nothing', () => {
  assert.equal(locationPrefix({ file: 'a.yaml', line: 1 }), 'a.yaml:1: ');
  assert.equal(locationPrefix({ fieldPath: 'render.sources' }), 'render.sources: ');
  assert.equal(locationPrefix({ file: undefined }), '');
});

test('severity: error > warning > info, listed most serious first', () => {
  assert.deepEqual(SEVERITIES, ['error', 'warning', 'info']);
  assert.deepEqual(
    [...SEVERITIES].sort((a, b) => severityRank(b) - severityRank(a)),
    SEVERITIES,
  );
});

test('findingDiagnostic: the rule is the code, file and line the location', () => {
  const f = {
    rule: 'source-ref-exists',
    severity: 'error',
    message: 'm',
    file: 'a.yaml',
    line: 4,
    hint: 'h',
    cluster: 'c',
  } as const;
  assert.deepEqual(findingDiagnostic(f), {
    severity: 'error',
    code: 'source-ref-exists',
    message: 'm',
    location: { file: 'a.yaml', line: 4 },
    hint: 'h',
  });
  const related = [{ file: 'p.yaml', line: 2, message: 'the policy' }];
  assert.deepEqual(findingDiagnostic({ rule: 'r', severity: 'info', message: 'm', related }), {
    severity: 'info',
    code: 'r',
    message: 'm',
    related,
  });
});
