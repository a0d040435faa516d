import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSourceText, SOURCE_MASK } from './redact-source.js';

test('Secret values are masked, keys and line numbers kept', () => {
  const src = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: visible}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: aHVudGVyMg==\nstringData:\n  cert: |\n    -----BEGIN-----\n    c2VjcmV0\n    -----END-----\n  token: tok-123\n';
  const out = redactSourceText(src);
  assert.equal(out.split('\n').length, src.split('\n').length);
  for (const secret of ['aHVudGVyMg==', 'c2VjcmV0', 'tok-123', 'BEGIN']) assert.ok(!out.includes(secret), secret);
  assert.match(out, /password: \*\*REDACTED\*\*/);
  assert.match(out, /a: visible/);
  assert.ok(out.includes(SOURCE_MASK));
});

test('SOPS values and metadata are masked; an unparsable Secret file is withheld', () => {
  const sops = 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  k: ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:zzz]\n  age:\n  - recipient: age1xyz\n';
  const out = redactSourceText(sops);
  assert.ok(!out.includes('data:abc') && !out.includes('data:zzz'));
  assert.match(redactSourceText('kind: Secret\ndata: [unclosed\n'), /source withheld/);
});
