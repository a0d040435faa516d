import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isSecretPath,
  secretValuesOf,
  maskObject,
  maskResources,
  maskSourceText,
  maskText,
  needsMasking,
  SECRET_MASK,
  SECRET_MASK_BASE64,
} from './mask.js';

test('mask: Secret data and stringData masked, keys kept, input untouched', () => {
  const s = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    data: { a: 'c2VjcmV0' },
    stringData: { b: 'plain' },
    type: 'Opaque',
  };
  const r = maskObject(s) as any;
  assert.deepEqual(r.data, { a: SECRET_MASK_BASE64 });
  assert.deepEqual(r.stringData, { b: SECRET_MASK });
  assert.equal(r.type, 'Opaque');
  assert.equal(s.data.a, 'c2VjcmV0');
  assert.equal(Buffer.from(SECRET_MASK_BASE64, 'base64').toString(), SECRET_MASK);
});

test('mask: SOPS values masked and sops block removed on any kind', () => {
  const o = {
    apiVersion: 'x/v1',
    kind: 'Foo',
    metadata: { name: 'f' },
    spec: { token: 'ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]', list: ['ENC[AES256_GCM,data:q,iv:x]', 'ok'] },
    sops: { mac: 'ENC[AES256_GCM,data:m]', version: '3.8' },
  };
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
  const src =
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: visible}\n---\napiVersion: v1\n' +
    'kind: Secret\nmetadata:\n  name: s\ndata:\n  password: aHVudGVyMg==\nstringData:\n  cert: |\n' +
    '    -----BEGIN-----\n    c2VjcmV0\n    -----END-----\n  token: tok-123\n';
  const out = maskSourceText(src);
  assert.equal(out.split('\n').length, src.split('\n').length);
  for (const secret of ['aHVudGVyMg==', 'c2VjcmV0', 'tok-123', 'BEGIN']) assert.ok(!out.includes(secret), secret);
  assert.match(out, /password: \*\*REDACTED\*\*/);
  assert.match(out, /a: visible/);
  assert.ok(out.includes(SECRET_MASK));
});

test('SOPS values and metadata are masked; an unparsable Secret file is withheld', () => {
  const sops =
    'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n' +
    '  k: ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:zzz]\n  age:\n' +
    '  - recipient: age1xyz\n';
  const out = maskSourceText(sops);
  assert.ok(!out.includes('data:abc') && !out.includes('data:zzz'));
  assert.match(maskSourceText('kind: Secret\ndata: [unclosed\n'), /source withheld/);
});

test('mask: a Secret inside a List, as an object and as source text', () => {
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, stringData: { t: 'in-list-value' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'seen' } },
    ],
  };
  const o = maskObject(list) as any;
  assert.deepEqual(o.items[0].stringData, { t: SECRET_MASK });
  assert.deepEqual(o.items[1].data, { a: 'seen' });
  const src =
    'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Secret\n    metadata: {name: s}\n' +
    '    data:\n      t: aW4tbGlzdC12YWx1ZQ==\n  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c}, ' +
    'data: {a: seen}}\n';
  const out = maskSourceText(src);
  assert.ok(!out.includes('aW4tbGlzdC12YWx1ZQ=='), out);
  assert.match(out, /a: seen/);
  assert.equal(out.split('\n').length, src.split('\n').length);
});

test('mask: a Secret written as one-line JSON (the kind has no `kind:` text)', () => {
  const src = '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "j"}, "data": {"k": "anNvbi12YWx1ZQ=="}}\n';
  const out = maskSourceText(src);
  assert.ok(!out.includes('anNvbi12YWx1ZQ=='), out);
  assert.match(out, /"k": \*\*REDACTED\*\*/);
});

test('mask: the whole sops block (every key group) goes, nested ENC values included', () => {
  const src = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata: {name: s}',
    'data:',
    '  k: ENC[AES256_GCM,data:aaa,iv:x,tag:y,type:str]',
    'sops:',
    '  mac: ENC[AES256_GCM,data:mmm,iv:x,tag:y,type:str]',
    '  age:',
    '    - recipient: age1x',
    '      enc: |',
    '        -----BEGIN AGE ENCRYPTED FILE-----',
    '        age-payload',
    '        -----END AGE ENCRYPTED FILE-----',
    '  pgp: [{fp: F, enc: pgp-payload}]',
    '  kms: [{arn: a, enc: kms-payload}]',
    '  gcp_kms: [{resource_id: r, enc: gcp-payload}]',
    '  azure_kv: [{vault_url: "https://v", name: k, version: "1", enc: azkv-payload}]',
    '  hc_vault: [{vault_address: "https://h", engine_path: e, key_name: k, enc: hcv-payload}]',
    '',
  ].join('\n');
  const out = maskSourceText(src);
  for (const p of [
    'aaa',
    'mmm',
    'age-payload',
    'pgp-payload',
    'kms-payload',
    'gcp-payload',
    'azkv-payload',
    'hcv-payload',
  ])
    assert.ok(!out.includes(p), `${p} in\n${out}`);
  assert.equal(out.split('\n').length, src.split('\n').length);
  const o = maskObject({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c' },
    sops: { age: [{ enc: 'age-payload' }] },
  }) as any;
  assert.equal(o.sops, undefined);
});

test('mask: duplicate keys or aliases in a file with secrets withhold it; unparsable too', () => {
  assert.match(maskSourceText('kind: Secret\ndata: {a: x}\ndata: {a: y}\n'), /source withheld/);
  assert.match(
    maskSourceText('kind: Secret\nmetadata:\n  annotations: {x: &v hidden-value}\nstringData:\n  t: *v\n'),
    /source withheld/,
  );
  assert.match(maskSourceText('{"kind": "Secret", "data": {"a": "x"'), /source withheld/);
  // No secret, no change.
  const cm = 'kind: ConfigMap\ndata: {a: b}\n';
  assert.equal(maskSourceText(cm), cm);
});

test('mask: URL userinfo in every string and text, ssh git user kept', () => {
  const cases: [string, string][] = [
    ['https://user:tok3n@github.com/o/r.git', 'https://**REDACTED**@github.com/o/r.git'],
    ['https://tok3n@github.com/o/r', 'https://**REDACTED**@github.com/o/r'],
    ['git clone http://u:p@ss@host:8080/x and more', 'git clone http://**REDACTED**@host:8080/x and more'],
    ['oci://u:p@registry.example.com/charts', 'oci://**REDACTED**@registry.example.com/charts'],
    ['ssh://git@github.com/o/r', 'ssh://git@github.com/o/r'],
    ['git@github.com:o/r.git', 'git@github.com:o/r.git'],
    ['mail me@example.com or https://example.com/a@b', 'mail me@example.com or https://example.com/a@b'],
  ];
  for (const [given, want] of cases) assert.equal(maskText(given), want, given);
  // Credentials in the query: an Azure SAS signature, a presigned URL, a token parameter.
  const query: [string, string][] = [
    [
      'https://st.blob.core.windows.net/c/x.tgz?sv=2022-11-02&se=2026-12-31&sp=r&sig=AbC%2Bdef%3D',
      'https://st.blob.core.windows.net/c/x.tgz?sv=2022-11-02&se=2026-12-31&sp=r&sig=**REDACTED**',
    ],
    [
      'https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=deadbeef',
      'https://b.s3.amazonaws.com/k?X-Amz-Credential=**REDACTED**&X-Amz-Signature=**REDACTED**',
    ],
    ['https://h/charts/index.yaml?token=t0k3n#top', 'https://h/charts/index.yaml?token=**REDACTED**#top'],
    ['https://h/x?page=2&sort=name', 'https://h/x?page=2&sort=name'],
    ['a=b and designation=x', 'a=b and designation=x'],
  ];
  for (const [given, want] of query) assert.equal(maskText(given), want, given);
  const b = maskObject({
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'Bucket',
    metadata: { name: 'b' },
    spec: { endpoint: 'https://st.blob.core.windows.net/?sig=s3cr3t' },
  }) as any;
  assert.equal(b.spec.endpoint, 'https://st.blob.core.windows.net/?sig=**REDACTED**');
  const o = maskObject({
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'g' },
    spec: { url: 'https://x:secret-tok@h/r' },
  }) as any;
  assert.equal(o.spec.url, 'https://**REDACTED**@h/r');
  assert.match(
    maskSourceText('# clone https://x:secret-tok@h/r\nkind: ConfigMap\n'),
    /# clone https:\/\/\*\*REDACTED\*\*@h\/r/,
  );
});

test('mask: values known to come from Secrets are masked inside any string; short ones are not searched for', () => {
  const ctx = { secretValues: ['s3cr3t-value', 'ab', 'quote"d\\value'] };
  const o = maskObject(
    {
      kind: 'ConfigMap',
      metadata: { name: 'c', annotations: { a: 'x-s3cr3t-value-y' } },
      data: { ab: 'ab', q: 'quote"d\\value' },
    },
    ctx,
  ) as any;
  assert.equal(o.metadata.annotations.a, 'x-**REDACTED**-y');
  assert.equal(o.data.ab, 'ab');
  assert.equal(o.data.q, SECRET_MASK);
  // In JSON text the value is escaped: the escaped form is masked too.
  assert.equal(maskText(JSON.stringify({ q: 'quote"d\\value' }), ctx), '{"q":"**REDACTED**"}');
});

test('mask: isSecretPath reads diff paths', () => {
  const s = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { 'a.b': 'eA==', c: 'eA==' } };
  assert.equal(isSecretPath(s, 'data["a.b"]'), true);
  assert.equal(isSecretPath(s, 'data.c'), true);
  assert.equal(isSecretPath(s, 'data'), true);
  assert.equal(isSecretPath(s, 'metadata.name'), false);
});

test('mask: secretValuesOf reads the same Secrets (Lists too), data as written and decoded', () => {
  const list = {
    apiVersion: 'v1',
    kind: 'List',
    items: [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's' },
        data: { a: Buffer.from('decoded-a').toString('base64') },
        stringData: { b: 'plain-b' },
      },
    ],
  };
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { x: 'not-secret' } };
  assert.deepEqual(
    secretValuesOf([list, cm]),
    [Buffer.from('decoded-a').toString('base64'), 'decoded-a', 'plain-b'].sort(),
  );
});
