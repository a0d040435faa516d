import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactObject, redactResources, SECRET_MASK, SECRET_MASK_BASE64, needsRedaction } from './redact.js';

test('redact: Secret data and stringData masked, keys kept, input untouched', () => {
  const s = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'c2VjcmV0' }, stringData: { b: 'plain' }, type: 'Opaque' };
  const r = redactObject(s) as any;
  assert.deepEqual(r.data, { a: SECRET_MASK_BASE64 });
  assert.deepEqual(r.stringData, { b: SECRET_MASK });
  assert.equal(r.type, 'Opaque');
  assert.equal(s.data.a, 'c2VjcmV0');
  assert.equal(Buffer.from(SECRET_MASK_BASE64, 'base64').toString(), SECRET_MASK);
});

test('redact: SOPS values masked and sops block removed on any kind', () => {
  const o = { apiVersion: 'x/v1', kind: 'Foo', metadata: { name: 'f' }, spec: { token: 'ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]', list: ['ENC[AES256_GCM,data:q,iv:x]', 'ok'] }, sops: { mac: 'ENC[AES256_GCM,data:m]', version: '3.8' } };
  const r = redactObject(o) as any;
  assert.equal(r.sops, undefined);
  assert.deepEqual(r.spec, { token: SECRET_MASK, list: [SECRET_MASK, 'ok'] });
});

test('redact: other objects are returned as they are', () => {
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } };
  assert.equal(needsRedaction(cm), false);
  assert.equal(redactObject(cm), cm);
  const rs = [{ object: cm, origin: { file: 'a.yaml' } }];
  assert.equal(redactResources(rs)[0], rs[0]);
});
