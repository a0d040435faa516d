/**
 * The console's kept objects (kept-object.ts): what `/api/object` answers is the object's YAML as
 * `toYaml` writes it from the object itself, for every kind of value a parse gives (-0, NaN, the
 * infinities, bigints, integer-like keys, nulls, non-ASCII text), in the answer's key order; the
 * same object applied by several clusters is kept once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toYaml } from '../yaml/emit.js';
import { parseYamlDocuments } from '../yaml/parse.js';
import { parseGoYaml } from '../yaml/go-yaml.js';
import { consoleObject, KeptObjects, maskKey } from './kept-object.js';
import { maskObject } from '../resources/mask.js';

const NONE = { secretValues: [] };

const tricky = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'x', labels: { '10': 'ten', '2': 'two', b: 'b', a: 'a' } },
  data: { minus: -0, nan: Number.NaN, inf: Number.POSITIVE_INFINITY, ninf: Number.NEGATIVE_INFINITY },
  spec: { big: 12345678901234567890123n, none: null, list: [1, 'two', [3], { four: 4 }], text: 'é ✓ "q"\nline' },
};

test('kept object: the YAML served is the one written from the object itself, in the answer key order', () => {
  const store = new KeptObjects();
  const k = store.keep(
    { id: 'ConfigMap/x', cluster: 'c', kustomization: undefined },
    tricky,
    { file: 'a.yaml' },
    NONE,
    maskKey(NONE),
  );
  const o = consoleObject(k);
  assert.equal(o.yaml, toYaml(tricky));
  assert.match(o.yaml, /minus: -0\n/);
  assert.match(o.yaml, /big: 12345678901234567890123\n/);
  assert.deepEqual(Object.keys(o), ['id', 'cluster', 'kustomization', 'yaml', 'file']);
  assert.equal(
    JSON.stringify(o),
    JSON.stringify({ id: 'ConfigMap/x', cluster: 'c', kustomization: undefined, yaml: toYaml(tricky), file: 'a.yaml' }),
  );
});

test('kept object: objects as the YAML parses give them come back as the same YAML', () => {
  const text = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: y, annotations: {"1": one, z: last}}',
    'data: {octal: 0o17, hex: 0x1F, float: 1.50, exp: 1e3, neg: -0.0, t: true, s: yes}',
    'binaryData: {}',
    'big: 123456789012345678901234567890',
    '',
  ].join('\n');
  const docs = [
    ...parseYamlDocuments(text, 'a.yaml').map((d) => d.value),
    ...parseYamlDocuments(text, 'a.yaml', { version: '1.1' }).map((d) => d.value),
    ...parseGoYaml(text, 'a.yaml').map((d) => d.value),
  ];
  const store = new KeptObjects();
  for (const d of docs)
    assert.equal(consoleObject(store.keep({ id: 'x', cluster: 'c' }, d, {}, NONE, maskKey(NONE))).yaml, toYaml(d));
});

test('kept objects: the same object on two clusters is kept once; retain forgets the others', () => {
  const store = new KeptObjects();
  const a = store.keep({ id: 'ConfigMap/x', cluster: 'a' }, structuredClone(tricky), { line: 1 }, NONE, maskKey(NONE));
  const b = store.keep({ id: 'ConfigMap/x', cluster: 'b' }, structuredClone(tricky), { line: 2 }, NONE, maskKey(NONE));
  const other = store.keep({ id: 'ConfigMap/z', cluster: 'b' }, { ...tricky, kind: 'Other' }, {}, NONE, maskKey(NONE));
  assert.equal(a.data, b.data, 'one copy');
  assert.notEqual(a.data, other.data);
  assert.equal(store.size, 2);
  assert.equal(consoleObject(b).cluster, 'b');
  assert.equal(consoleObject(b).line, 2);
  store.retain([other]);
  assert.equal(store.size, 1);
  const again = store.keep({ id: 'ConfigMap/z', cluster: 'c' }, { ...tricky, kind: 'Other' }, {}, NONE, maskKey(NONE));
  assert.equal(again.data, other.data, 'the retained copy is shared with the next');
});

test('kept objects: each object masked with the values of its cluster Secrets, once per set of values', () => {
  const store = new KeptObjects();
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { url: 'u', token: 'tok-123' } };
  const secret = { secretValues: ['tok-123'] };
  const a = store.keep({ id: 'ConfigMap/c', cluster: 'a' }, cm, {}, secret, maskKey(secret));
  const b = store.keep({ id: 'ConfigMap/c', cluster: 'b' }, structuredClone(cm), {}, NONE, maskKey(NONE));
  assert.equal(consoleObject(a).yaml, toYaml(maskObject(cm, secret)));
  assert.doesNotMatch(consoleObject(a).yaml, /tok-123/);
  assert.match(consoleObject(b).yaml, /token: tok-123/, 'no Secret value on cluster b: nothing to mask');
  const again = store.keep({ id: 'ConfigMap/c', cluster: 'c' }, structuredClone(cm), {}, secret, maskKey(secret));
  assert.equal(again.data, a.data);
  assert.equal(store.size, 2);
  assert.ok(!a.data.includes('tok-123'), 'the unmasked value is not kept');
});
