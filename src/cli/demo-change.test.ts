import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { exampleFile } from '../package-root.js';
import { bumpFirstAppImage, bumpImageTag } from './demo-change.js';

test('bumpImageTag: the last number of the tag; digests and tags without a number are left alone', () => {
  assert.equal(bumpImageTag('acrprod123.azurecr.io/api:1.2.3'), 'acrprod123.azurecr.io/api:1.2.4');
  assert.equal(bumpImageTag('localhost:5000/web:v9'), 'localhost:5000/web:v10');
  assert.equal(bumpImageTag('localhost:5000/web'), undefined, 'the port is not a tag');
  assert.equal(bumpImageTag('web:latest'), undefined);
  assert.equal(bumpImageTag('web@sha256:0123456789abcdef'), undefined);
});

test('bumpFirstAppImage on the example fleet: one line changes, the rest of the text (comments, flow maps) is kept', () => {
  const text = readFileSync(exampleFile('fleet.yaml'), 'utf8');
  const c = bumpFirstAppImage(text)!;
  assert.deepEqual(
    { app: c.app, from: c.from, to: c.to },
    { app: 'api', from: 'acrprod123.azurecr.io/api:1.2.3', to: 'acrprod123.azurecr.io/api:1.2.4' },
  );
  const before = text.split('\n');
  const after = c.text.split('\n');
  assert.equal(after.length, before.length);
  const changed = before.flatMap((l, i) => (l === after[i] ? [] : [[l, after[i]]]));
  assert.deepEqual(changed, [
    ['          image: acrprod123.azurecr.io/api:1.2.3', '          image: acrprod123.azurecr.io/api:1.2.4'],
  ]);
  assert.equal(
    (parse(c.text) as { spec: { tenants: { apps: { image: string }[] }[] } }).spec.tenants[0]!.apps[0]!.image,
    c.to,
  );
});

test('bumpFirstAppImage: quoted scalars stay quoted; skips apps it cannot bump; none: undefined', () => {
  const q = bumpFirstAppImage(
    'spec:\n  tenants:\n    - apps:\n        - { name: a, image: "x/a:latest" }\n' +
      '        - { name: b, image: "x/b:2" }\n',
  )!;
  assert.equal(
    q.text,
    'spec:\n  tenants:\n    - apps:\n        - { name: a, image: "x/a:latest" }\n' +
      '        - { name: b, image: "x/b:3" }\n',
  );
  assert.equal(bumpFirstAppImage('spec:\n  tenants: []\n'), undefined);
});
