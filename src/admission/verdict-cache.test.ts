/**
 * What the verdict cache keeps and under which key: units that read more than the object, its
 * Namespace and the request are never kept (or, for what a run answers once, only in the run);
 * every input changes the key; a kept verdict comes back as it was made; errors and results
 * marked not deterministic are made every time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContentStore } from '../content-store.js';
import type { AdmissionContext, PolicyDocument, PolicyResult } from './types.js';
import {
  VerdictCache,
  decodeVerdict,
  encodeVerdict,
  objectDigest,
  unitCacheability,
  unitKey,
  verdictKey,
  verdictUnits,
} from './verdict-cache.js';

const kyverno = (name: string, rule: Record<string, unknown>): PolicyDocument => ({
  object: {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name },
    spec: { rules: [{ name: 'r', match: { any: [{ resources: { kinds: ['Pod'] } }] }, ...rule }] },
  },
  file: 'p.yaml',
  line: 1,
});
const pattern = { validate: { pattern: { metadata: { labels: { team: '?*' } } } } };

test('unitCacheability: what reads other objects, the network, the clock or randomness is not kept', () => {
  assert.deepEqual(unitCacheability([kyverno('plain', pattern)]), { memo: true, persist: true });
  const never = [
    kyverno('ctx', { context: [{ name: 'c', configMap: { name: 'x', namespace: 'y' } }], ...pattern }),
    kyverno('api', { validate: { deny: { conditions: { any: [{ key: "{{ random('[a-z]') }}" }] } } } }),
    kyverno('clone', { generate: { clone: { name: 'x', namespace: 'y' } } }),
    {
      object: {
        apiVersion: 'templates.gatekeeper.sh/v1',
        kind: 'ConstraintTemplate',
        metadata: { name: 'uniq' },
        spec: { targets: [{ rego: 'package x\nviolation[{"msg": m}] { data.inventory.namespace[_] ; m := "x" }' }] },
      },
      file: 't.yaml',
    },
    { object: { apiVersion: 'example.com/v1', kind: 'Policy', metadata: { name: 'other' } }, file: 'o.yaml' },
  ];
  for (const d of never) {
    const c = unitCacheability([d]);
    assert.equal(c.memo, false, JSON.stringify(d.object));
    assert.equal(c.persist, false);
    assert.ok(c.why);
  }
  // One run answers these once; another run may not: kept in the run only.
  const runOnly = [
    kyverno('verify', { verifyImages: [{ imageReferences: ['*'] }] }),
    kyverno('clock', { validate: { deny: { conditions: { any: [{ key: '{{ time_now_utc() }}' }] } } } }),
  ];
  for (const d of runOnly) assert.deepEqual(unitCacheability([d]).persist, false);
  for (const d of runOnly) assert.deepEqual(unitCacheability([d]).memo, true);
  // A unit is as cacheable as its least cacheable document.
  assert.equal(unitCacheability([kyverno('plain', pattern), never[0]!]).memo, false);
});

test('verdictUnits: Kyverno policies one by one unless one mutates; other engines whole', () => {
  const a = kyverno('a', pattern);
  const b = kyverno('b', pattern);
  assert.deepEqual(verdictUnits('kyverno', [a, b]), [[a], [b]]);
  const m = kyverno('m', { mutate: { patchStrategicMerge: { metadata: { labels: { x: 'y' } } } } });
  assert.deepEqual(verdictUnits('kyverno', [a, m, b]), [[a, m, b]]);
  assert.deepEqual(verdictUnits('validating-admission-policy', [a, b]), [[a, b]]);
});

const ctx = (labels: Record<string, string>, extra: Partial<AdmissionContext> = {}): AdmissionContext => ({
  namespaces: new Map([['apps', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps', labels } }]]),
  resources: [],
  ...extra,
});
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'apps' }, spec: { x: 1, y: 2 } };

const key = (unit: string, o: Record<string, unknown>, c: AdmissionContext) => verdictKey(unit, objectDigest(o, c));

test('verdictKey: every input of a verdict changes it, what is not one does not', () => {
  const unit = unitKey('kyverno', [kyverno('a', pattern)]);
  const base = key(unit, pod, ctx({ team: 'a' }));
  const changed = [
    key(unitKey('kyverno', [kyverno('a', { validate: { pattern: { spec: { x: 2 } } } })]), pod, ctx({ team: 'a' })),
    key(unitKey('kyverno', [{ ...kyverno('a', pattern), line: 2 }]), pod, ctx({ team: 'a' })),
    key(unitKey('gatekeeper', [kyverno('a', pattern)]), pod, ctx({ team: 'a' })),
    key(unit, pod, ctx({ team: 'b' })),
    key(unit, pod, ctx({ team: 'a' }, { operation: 'UPDATE' })),
    key(unit, pod, ctx({ team: 'a' }, { values: { policies: [] } })),
    key(unit, { ...pod, spec: { x: 1, y: 3 } }, ctx({ team: 'a' })),
    // The same object in another key order: messages may show the order, so another key.
    key(unit, { ...pod, spec: { y: 2, x: 1 } }, ctx({ team: 'a' })),
  ];
  for (const k of changed) assert.notEqual(k, base);
  assert.equal(new Set(changed).size, changed.length);
  // Other Namespaces, the time cap and the cluster's other objects are not inputs.
  const other = ctx({ team: 'a' }, { timeoutMs: 5, resources: [pod] });
  (other.namespaces as Map<string, Record<string, unknown>>).set('other', { metadata: { name: 'other' } });
  assert.equal(key(unit, pod, other), base);
});

const result = (r: Partial<PolicyResult> = {}): PolicyResult => ({
  policy: 'a',
  rule: 'r',
  resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'apps', name: 'p' },
  result: 'fail',
  message: 'needs a team',
  enforcing: true,
  source: { file: 'p.yaml', line: 1 },
  ...r,
});

test('encodeVerdict / decodeVerdict: a verdict comes back as it was; what is not one is a miss', () => {
  const v = [result(), result({ result: 'pass', message: undefined })];
  assert.equal(encodeVerdict(decodeVerdict(encodeVerdict(v))!), encodeVerdict(v));
  for (const bad of ['', '{', '{}', '[{"policy":1}]', 'null']) assert.equal(decodeVerdict(bad), undefined);
});

class MemoryStore implements ContentStore {
  readonly entries = new Map<string, string>();
  get(key: string) {
    return this.entries.get(key);
  }
  put(key: string, text: string) {
    this.entries.set(key, text);
  }
}

test('VerdictCache: the memo, then the store, then the engine; errors and random results made every time', () => {
  const store = new MemoryStore();
  let runs = 0;
  const keepAll = () => true;
  const made = (r: PolicyResult[]) => () => (runs++, r);
  const first = new VerdictCache(new Map(), store);
  assert.deepEqual(first.verdict('k', true, made([result()]), keepAll), [result()]);
  assert.deepEqual(first.verdict('k', true, made([]), keepAll), [result()]);
  assert.equal(runs, 1);
  assert.equal(store.entries.size, 1);
  // A later run: from the store, no evaluation.
  const later = new VerdictCache(new Map(), store);
  assert.deepEqual(later.verdict('k', true, made([]), keepAll), [result()]);
  assert.deepEqual(later.counts, { memo: 0, stored: 1, evaluated: 0 });
  // Not persisted: the store is neither read nor written.
  assert.deepEqual(new VerdictCache(new Map(), store).verdict('k', false, made([]), keepAll), []);
  assert.equal(store.entries.size, 1);
  // What the caller does not keep (an error) and what says it is not deterministic: every time.
  const noisy = new VerdictCache(new Map(), store);
  runs = 0;
  const random = [result({ message: 'x (depends on randomness: not deterministic)' })];
  noisy.verdict('r', true, made(random), keepAll);
  noisy.verdict('r', true, made(random), keepAll);
  noisy.verdict('e', true, made([result({ result: 'error' })]), () => false);
  noisy.verdict('e', true, made([result({ result: 'error' })]), () => false);
  assert.equal(runs, 4);
  assert.deepEqual([...store.entries.keys()], ['k']);
});
