/**
 * serviceAccountName / serviceAccountNamespace from the request's username, as Kyverno 1.19's
 * AddServiceAccount derives them; each row checked with `kyverno apply --userinfo` (kyverno-1.19,
 * a deny rule whose message prints both variables).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceAccountOf } from './service-account.js';

test('AddServiceAccount: from byte 22 on, split at ":", namespace then name; no prefix check (kyverno apply 1.19)', () => {
  const rows: [string, string, string][] = [
    ['system:serviceaccount:flux-system:kustomize-controller', 'flux-system', 'kustomize-controller'],
    ['alice', '', ''],
    ['', '', ''],
    // longer than the prefix but not a service account: Kyverno still cuts 22 bytes and splits
    ['oidc:someone@example.com:team:dev', 'om', 'team'],
    ['system:serviceaccount:a:b:c', 'a', 'b'],
  ];
  for (const [username, namespace, name] of rows)
    assert.deepEqual(serviceAccountOf(username), { name, namespace }, username);
});
