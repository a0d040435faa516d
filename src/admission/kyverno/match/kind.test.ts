/**
 * Kind selectors and wildcards with Kyverno's own tables (v1.15.2, read mechanically):
 * pkg/utils/kube/kind_test.go TestParseKindSelector and ext/wildcard/match_test.go TestMatch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wildcardMatch } from '../wildcard/match.js';
import { checkKind, parseKindSelector } from './kind.js';

const KIND_SELECTORS: readonly [string, string, string, string, string][] = [
  ['*', '*', '*', '*', ''],
  ['*.*', '*', '*', '*', '*'],
  ['*/*', '*', '*', '*', '*'],
  ['Pod', '*', '*', 'Pod', ''],
  ['v1/Pod', '*', 'v1', 'Pod', ''],
  ['batch/*/CronJob', 'batch', '*', 'CronJob', ''],
  ['storage.k8s.io/v1/CSIDriver', 'storage.k8s.io', 'v1', 'CSIDriver', ''],
  ['tekton.dev/v1beta1/TaskRun/status', 'tekton.dev', 'v1beta1', 'TaskRun', 'status'],
  ['v1/Pod.status', '*', 'v1', 'Pod', 'status'],
  ['v1/Pod/status', '*', 'v1', 'Pod', 'status'],
  ['Pod.status', '*', '*', 'Pod', 'status'],
  ['Pod/status', '*', '*', 'Pod', 'status'],
  ['apps/v1/Deployment/scale', 'apps', 'v1', 'Deployment', 'scale'],
  ['v1/ReplicationController/scale', '*', 'v1', 'ReplicationController', 'scale'],
  ['*/ReplicationController/scale', '*', '*', 'ReplicationController', 'scale'],
  ['*/Deployment/scale', '*', '*', 'Deployment', 'scale'],
  ['*/Deployment.scale', '*', '*', 'Deployment', 'scale'],
  ['apps/v1/Deployment.scale', 'apps', 'v1', 'Deployment', 'scale'],
  ['v1.demo/v1/Demo', 'v1.demo', 'v1', 'Demo', ''],
  ['*/scale', '*', '*', '*', 'scale'],
  ['Pod/*', '*', '*', 'Pod', '*'],
  ['*/*/*', '*', '*', '*', '*'],
  ['*/*/*/*', '*', '*', '*', '*'],
  ['*/*/*/*/*', '', '', '', ''],
];
const WILDCARDS: readonly [string, string, boolean][] = [
  ['*', 's3:GetObject', true],
  ['', 's3:GetObject', false],
  ['', '', true],
  ['s3:*', 's3:ListMultipartUploadParts', true],
  ['s3:ListBucketMultipartUploads', 's3:ListBucket', false],
  ['s3:ListBucket', 's3:ListBucket', true],
  ['s3:ListBucketMultipartUploads', 's3:ListBucketMultipartUploads', true],
  ['my-bucket/oo*', 'my-bucket/oo', true],
  ['my-bucket/In*', 'my-bucket/India/Karnataka/', true],
  ['my-bucket/In*', 'my-bucket/Karnataka/India/', false],
  ['my-bucket/In*/Ka*/Ban', 'my-bucket/India/Karnataka/Ban', true],
  ['my-bucket/In*/Ka*/Ban', 'my-bucket/India/Karnataka/Ban/Ban/Ban/Ban/Ban', true],
  ['my-bucket/In*/Ka*/Ban', 'my-bucket/India/Karnataka/Area1/Area2/Area3/Ban', true],
  ['my-bucket/In*/Ka*/Ban', 'my-bucket/India/State1/State2/Karnataka/Area1/Area2/Area3/Ban', true],
  ['my-bucket/In*/Ka*/Ban', 'my-bucket/India/Karnataka/Bangalore', false],
  ['my-bucket/In*/Ka*/Ban*', 'my-bucket/India/Karnataka/Bangalore', true],
  ['my-bucket/*', 'my-bucket/India', true],
  ['my-bucket/oo*', 'my-bucket/odo', false],
  ['my-bucket?/abc*', 'mybucket/abc', false],
  ['my-bucket?/abc*', 'my-bucket1/abc', true],
  ['my-?-bucket/abc*', 'my--bucket/abc', false],
  ['my-?-bucket/abc*', 'my-1-bucket/abc', true],
  ['my-?-bucket/abc*', 'my-k-bucket/abc', true],
  ['my??bucket/abc*', 'mybucket/abc', false],
  ['my??bucket/abc*', 'my4abucket/abc', true],
  ['my-bucket?abc*', 'my-bucket/abc', true],
  ['my-bucket/abc?efg', 'my-bucket/abcdefg', true],
  ['my-bucket/abc?efg', 'my-bucket/abc/efg', true],
  ['my-bucket/abc????', 'my-bucket/abc', false],
  ['my-bucket/abc????', 'my-bucket/abcde', false],
  ['my-bucket/abc????', 'my-bucket/abcdefg', true],
  ['my-bucket/abc?', 'my-bucket/abc', false],
  ['my-bucket/abc?', 'my-bucket/abcd', true],
  ['my-bucket/abc?', 'my-bucket/abcde', false],
  ['my-bucket/mnop*?', 'my-bucket/mnop', false],
  ['my-bucket/mnop*?', 'my-bucket/mnopqrst/mnopqr', true],
  ['my-bucket/mnop*?', 'my-bucket/mnopqrst/mnopqrs', true],
  ['my-bucket/mnop*?', 'my-bucket/mnop', false],
  ['my-bucket/mnop*?', 'my-bucket/mnopq', true],
  ['my-bucket/mnop*?', 'my-bucket/mnopqr', true],
  ['my-bucket/mnop*?and', 'my-bucket/mnopqand', true],
  ['my-bucket/mnop*?and', 'my-bucket/mnopand', false],
  ['my-bucket/mnop*?and', 'my-bucket/mnopqand', true],
  ['my-bucket/mnop*?', 'my-bucket/mn', false],
  ['my-bucket/mnop*?', 'my-bucket/mnopqrst/mnopqrs', true],
  ['my-bucket/mnop*??', 'my-bucket/mnopqrst', true],
  ['my-bucket/mnop*qrst', 'my-bucket/mnopabcdegqrst', true],
  ['my-bucket/mnop*?and', 'my-bucket/mnopqand', true],
  ['my-bucket/mnop*?and', 'my-bucket/mnopand', false],
  ['my-bucket/mnop*?and?', 'my-bucket/mnopqanda', true],
  ['my-bucket/mnop*?and', 'my-bucket/mnopqanda', false],
  ['my-?-bucket/abc*', 'my-bucket/mnopqanda', false],
];

test(`TestParseKindSelector: ${KIND_SELECTORS.length} upstream selectors`, () => {
  for (const [input, ...want] of KIND_SELECTORS) assert.deepEqual(parseKindSelector(input), want, input);
});

test(`ext/wildcard TestMatch: ${WILDCARDS.length} upstream cases`, () => {
  for (const [pattern, text, matched] of WILDCARDS)
    assert.equal(wildcardMatch(pattern, text), matched, `${pattern} ~ ${text}`);
});

test('a hostile wildcard pattern stays fast enough to finish (no exponential backtracking)', () => {
  assert.equal(wildcardMatch(`${'*a'.repeat(40)}b`, 'a'.repeat(5000)), false);
});

test('checkKind: group/version/kind/subresource with wildcards', () => {
  const deploy = { group: 'apps', version: 'v1', kind: 'Deployment' };
  assert.equal(checkKind(['Deployment'], deploy, '', false), true);
  assert.equal(checkKind(['apps/v1/Deployment'], deploy, '', false), true);
  assert.equal(checkKind(['batch/v1/Deployment'], deploy, '', false), false);
  assert.equal(checkKind(['Deployment/scale'], deploy, '', false), false);
  assert.equal(checkKind(['Deployment/scale'], deploy, 'scale', false), true);
  assert.equal(checkKind(['*'], deploy, '', false), true);
});
