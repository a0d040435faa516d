import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskObject, maskResources, maskSourceText, needsMasking, SECRET_MASK, SECRET_MASK_BASE64 } from './mask.js';

test('mask: Secret data and stringData masked, keys kept, input untouched', () => {
  const s = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'c2VjcmV0' }, stringData: { b: 'plain' }, type: 'Opaque' };
  const r = maskObject(s) as any;
  assert.deepEqual(r.data, { a: SECRET_MASK_BASE64 });
  assert.deepEqual(r.stringData, { b: SECRET_MASK });
  assert.equal(r.type, 'Opaque');
  assert.equal(s.data.a, 'c2VjcmV0');
  assert.equal(Buffer.from(SECRET_MASK_BASE64, 'base64').toString(), SECRET_MASK);
});

test('mask: SOPS values masked and sops block removed on any kind', () => {
  const o = { apiVersion: 'x/v1', kind: 'Foo', metadata: { name: 'f' }, spec: { token: 'ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]', list: ['ENC[AES256_GCM,data:q,iv:x]', 'ok'] }, sops: { mac: 'ENC[AES256_GCM,data:m]', version: '3.8' } };
  const r = maskObject(o) as any;
  assert.equal(r.sops, undefined);
  assert.deepEqual(r.spec, { token: SECRET_MASK, list: [SECRET_MASK, 'ok'] });
});

test('mask: other objects are returned as they are', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } };
  assert.equal(needsMasking(cm), false);
  assert.equal(maskObject(cm), cm);
  const rs = [{ object: cm, origin: { file: 'a.yaml' } }];
  assert.equal(maskResources(rs)[0], rs[0]);
});

test('Secret values are masked, keys and line numbers kept', () => {
  const src = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: visible}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  password: aHVudGVyMg==\nstringData:\n  cert: |\n    -----BEGIN-----\n    c2VjcmV0\n    -----END-----\n  token: tok-123\n';
  const out = maskSourceText(src);
  assert.equal(out.split('\n').length, src.split('\n').length);
  for (const secret of ['aHVudGVyMg==', 'c2VjcmV0', 'tok-123', 'BEGIN']) assert.ok(!out.includes(secret), secret);
  assert.match(out, /password: \*\*REDACTED\*\*/);
  assert.match(out, /a: visible/);
  assert.ok(out.includes(SECRET_MASK));
});

test('SOPS values and metadata are masked; an unparsable Secret file is withheld', () => {
  const sops = 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  k: ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:zzz]\n  age:\n  - recipient: age1xyz\n';
  const out = maskSourceText(sops);
  assert.ok(!out.includes('data:abc') && !out.includes('data:zzz'));
  assert.match(maskSourceText('kind: Secret\ndata: [unclosed\n'), /source withheld/);
});
