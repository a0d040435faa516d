/** Generated-name hashes: Go's encoding/json of the data, as kustomize v5.8.1 (built with Go 1.26) hashes it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kustomizeHash } from './hash.js';

test('a ConfigMap whose data holds \\b and \\f hashes as kustomize v5.8.1 names it (Go 1.22+ writes them short)', () => {
  // `kustomize build` of the kustomize-5.8 oracle on configMapGenerator literals ["a=x\by\fz"]
  // names it c-bkb8mh62kg; with \u0008/\u000c in the hashed JSON it was c-g96c262ft9.
  assert.equal(
    kustomizeHash({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'x\by\fz' } }),
    'bkb8mh62kg',
  );
});
