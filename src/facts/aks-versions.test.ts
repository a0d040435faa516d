import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  aksVersions,
  compareVersions,
  isSupported,
  latestPatch,
  supportedMinors,
  supportProblem,
} from './aks-versions.js';

test('the data file has the documented shape', () => {
  const d = aksVersions();
  assert.equal(d.asOf, '2026-11-25');
  assert.match(d.source, /learn\.microsoft\.com\/azure\/aks\/supported-kubernetes-versions/);
  for (const v of d.versions) {
    assert.ok(v.ga < v.endOfLife, `${v.minor}: GA before end of life`);
    if (v.ltsEndOfLife) assert.ok(v.endOfLife < v.ltsEndOfLife, `${v.minor}: LTS ends after community support`);
    assert.deepEqual([...v.patches].sort(compareVersions), [...v.patches], `${v.minor}: patches ascending`);
  }
  const minors = d.versions.map((v) => v.minor);
  assert.deepEqual([...minors].sort(compareVersions), minors);
});

test('supported minors follow the calendar (N-2, plus the 30-day overlap after a new GA)', () => {
  assert.deepEqual(supportedMinors('2026-11-25'), ['1.34', '1.35', '1.36', '1.37']);
  assert.deepEqual(supportedMinors('2026-12-01'), ['1.35', '1.36', '1.37']);
  assert.deepEqual(supportedMinors('2026-05-01'), ['1.33', '1.34', '1.35']);
  assert.deepEqual(supportedMinors('2026-11-25', { lts: true }), [
    '1.31',
    '1.32',
    '1.33',
    '1.34',
    '1.35',
    '1.36',
    '1.37',
  ]);
});

test('isSupported needs an announced patch of a minor in support', () => {
  assert.equal(isSupported('1.35.6', '2026-11-25'), true);
  assert.equal(
    isSupported('1.33.5', '2026-11-25'),
    false,
    '1.33 left community support in July 2026, and 1.33.5 was never announced',
  );
  assert.equal(isSupported('1.33.13', '2026-11-25'), false);
  assert.equal(isSupported('1.33.13', '2026-11-25', { lts: true }), true);
  assert.equal(isSupported('1.35.99', '2026-11-25'), false);
  assert.equal(isSupported('1.29.7', '2026-11-25'), false);
  assert.match(
    supportProblem('1.33.13', '2026-11-25')!,
    /left AKS community support on 2026-07-31; it is offered under Long Term Support until 2027-07-31/,
  );
  assert.match(supportProblem('1.35.99', '2026-11-25')!, /known AKS patches of 1\.35: 1\.35\.1, .*1\.35\.6/);
  assert.match(supportProblem('1.40.0', '2026-11-25')!, /AKS does not offer Kubernetes 1\.40/);
});

test('latestPatch', () => {
  assert.equal(latestPatch('1.35'), '1.35.6');
  assert.equal(latestPatch('1.34'), '1.34.9');
  assert.equal(latestPatch('1.37'), undefined);
  assert.equal(latestPatch('1.99'), undefined);
});
