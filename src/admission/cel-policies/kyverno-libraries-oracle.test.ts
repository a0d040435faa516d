/**
 * Kyverno's CEL libraries (src/cel/library/kyverno-*.ts: resource, image data, time,
 * parseServiceAccount, hash, math, json, yaml, image references, transform, gzip, random, x509,
 * globalContext, http) against the real ones, `kyverno apply` 1.19.1 (oracle kyverno-1.19) with a
 * context file: each case is one ValidatingPolicy on one Pod, either a string expression shown
 * through a failing validation's messageExpression (the values must be equal), or a bool
 * validation (the result pass/fail/error must be equal). One CLI run for all cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadOracle } from '../../cel/testing/oracle.js';
import { kyvernoDataOf } from '../kyverno-test.js';
import type { AdmissionContext, PolicyDocument } from '../types.js';
import { compileValidatingPolicies, evaluateValidatingPolicies } from './vpol.js';
import { runTestFile } from '../kyverno-test.js';

const kyverno = await loadOracle('kyverno-1.19');

const CONTEXT = {
  apiVersion: 'cli.kyverno.io/v1alpha1',
  kind: 'Context',
  metadata: { name: 'context' },
  spec: {
    resources: [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'a', namespace: 'default', labels: { app: 'x' } },
        data: { k: 'v' },
      },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'default' }, data: { k: 'w' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny', namespace: 'default' },
        spec: { podSelector: {} },
      },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'h', namespace: 'team' },
        spec: { maxReplicas: 3 },
      },
    ],
    images: [
      {
        image: 'busybox:1.28',
        registry: 'index.docker.io',
        repository: 'library/busybox',
        tag: '1.28',
        config: { architecture: 'amd64', created: '2020-05-01T03:15:12-07:00' },
      },
      { image: 'ghcr.io/x/y@sha256:abc', digest: 'sha256:abc', manifest: { schemaVersion: 2 } },
    ],
  },
};

/** A PEM fixture (src/cel/library/testdata) as a CEL string literal. */
const pem = (name: string): string =>
  JSON.stringify(readFileSync(new URL(`../../cel/library/testdata/${name}`, import.meta.url), 'utf8'));
const DIGEST = `sha256:${'a'.repeat(64)}`;

const POD = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox:1.28' }] },
};

/** [name, kind, expression]: `value` is a string expression, `result` a bool validation. */
const CASES: readonly (readonly [string, 'value' | 'result', string])[] = [
  ['cron', 'value', "time.toCron(timestamp('2026-03-04T05:06:07Z'))"],
  ['cron-sunday', 'value', "time.toCron(timestamp('2026-03-08T23:59:00Z'))"],
  ['truncate-7m', 'value', "string(time.truncate(timestamp('2026-03-04T05:06:07.5Z'), duration('7m')))"],
  ['truncate-24h', 'value', "string(time.truncate(timestamp('2026-03-04T05:06:07Z'), duration('24h')))"],
  ['truncate-zero', 'value', "string(time.truncate(timestamp('2026-03-04T05:06:07Z'), duration('0s')))"],
  ['now-recent', 'value', "string(time.now() > timestamp('2025-01-01T00:00:00Z'))"],
  [
    'sa',
    'value',
    "parseServiceAccount('system:serviceaccount:ns1:sa1').Namespace + '/' + " +
      "parseServiceAccount('system:serviceaccount:ns1:sa1').Name",
  ],
  ['sa-user', 'value', "'[' + parseServiceAccount('bob').Namespace + '/' + parseServiceAccount('bob').Name + ']'"],
  ['sa-no-name', 'value', "'[' + parseServiceAccount('system:serviceaccount:nocolon').Namespace + ']'"],
  ['sa-extra-colon', 'value', "parseServiceAccount('system:serviceaccount:a:b:c').Name"],
  ['sa-prefixed', 'value', "user.parseServiceAccount('system:serviceaccount:n:s').Name"],
  ['get', 'value', "resource.Get('v1', 'configmaps', 'default', 'a').data.k"],
  ['get-missing', 'value', "string(dyn(resource.Get('v1', 'configmaps', 'default', 'nope')) == null)"],
  ['get-wrong-ns', 'value', "string(dyn(resource.Get('v1', 'configmaps', 'other', 'a')) == null)"],
  ['get-cluster-scoped', 'value', "string(dyn(resource.Get('v1', 'configmaps', '', 'c')) == null)"],
  [
    'get-group',
    'value',
    "string(resource.Get('networking.k8s.io/v1', 'networkpolicies', 'default', 'deny').spec.podSelector.size())",
  ],
  ['get-unknown-type', 'value', "string(dyn(resource.Get('v1', 'secrets', 'default', 'a')) == null)"],
  // cel-go types the values of these maps `google.protobuf.Any`, which it does not iterate: dyn() it.
  ['list', 'value', "dyn(resource.List('v1', 'configmaps', 'default').items).map(i, i.metadata.name).join(',')"],
  [
    'list-labels',
    'value',
    "dyn(resource.List('v1', 'configmaps', 'default', {'app': 'x'}).items).map(i, i.metadata.name).join(',')",
  ],
  ['list-empty-ns', 'value', "string(resource.List('v1', 'configmaps', 'nowhere').items.size())"],
  ['list-cluster', 'value', "dyn(resource.List('v1', 'configmaps', '').items).map(i, i.metadata.name).join(',')"],
  [
    'list-hpa',
    'value',
    "string(resource.List('autoscaling/v2', 'horizontalpodautoscalers', 'team').items[0].spec.maxReplicas)",
  ],
  ['get-camel', 'value', "resource.get('v1', 'configmaps', 'default', 'b').data.k"],
  ['image-config', 'value', "image.GetMetadata('busybox:1.28').config.architecture"],
  [
    'image-fields',
    'value',
    "image.GetMetadata('busybox:1.28').registry + '|' + image.GetMetadata('busybox:1.28').repository + '|' + " +
      "image.GetMetadata('busybox:1.28').tag + '|' + image.GetMetadata('busybox:1.28').resolvedImage + '|' + " +
      "image.GetMetadata('busybox:1.28').image",
  ],
  [
    'image-keys',
    'value',
    "['image', 'resolvedImage', 'registry', 'repository', 'tag', 'digest', 'imageIndex', 'manifest', " +
      "'config'].filter(k, k in dyn(image.GetMetadata('ghcr.io/x/y@sha256:abc'))).join(',')",
  ],
  [
    'image-has',
    'value',
    "string(has(image.GetMetadata('busybox:1.28').config.created)) + " +
      "string(has(image.GetMetadata('busybox:1.28').config.Env))",
  ],
  ['image-camel', 'value', "image.getMetadata('ghcr.io/x/y@sha256:abc').digest"],
  ['list-missing-type', 'result', "resource.List('apps/v1', 'deployments', 'default').items.size() == 0"],
  ['image-missing', 'result', "image.GetMetadata('nginx:1').config.architecture == 'amd64'"],
  ['get-pass', 'result', "resource.Get('v1', 'configmaps', 'default', 'a').data.k == 'v'"],
  ['get-fail', 'result', "resource.Get('v1', 'configmaps', 'default', 'a').data.k == 'w'"],
  [
    'created-stale',
    'result',
    "timestamp(image.GetMetadata('busybox:1.28').config.created) > time.now() - duration('4380h')",
  ],
  // hash
  [
    'hash',
    'value',
    "sha1('abc') + ' ' + hash.sha1('') + ' ' + md5('h\u00e9llo') + ' ' + hash.md5('') + ' ' + sha256('') + ' " +
      "' + hash.sha256('x')",
  ],
  // math
  [
    'math-round',
    'value',
    '[math.round(2.5, 0), math.round(-2.5, 0), math.round(1.005, 2), math.round(1234.5678, -2), ' +
      "math.round(0.125, 2), math.round(-0.4, 0)].map(x, string(x)).join(' ')",
  ],
  // cel-go's ext.Math and ext.Encoders, which Kyverno's environment adds
  [
    'math-ext-ints',
    'value',
    "string(math.greatest(1, 2)) + ',' + string(math.least(3, -1, 2)) + ',' + string(math.greatest([4, 9, " +
      "2])) + ',' + string(math.greatest(5)) + ',' + string(math.abs(-3)) + ',' + string(math.sign(-7)) + ',' " +
      "+ string(math.bitAnd(12, 10)) + ',' + string(math.bitOr(12, 10)) + ',' + string(math.bitXor(12, 10)) + " +
      "',' + string(math.bitNot(0)) + ',' + string(math.bitShiftLeft(1, 3)) + ',' + " +
      "string(math.bitShiftRight(-1, 60)) + ',' + string(math.bitShiftLeft(1, 64)) + ',' + " +
      "string(math.bitNot(5u)) + ',' + string(math.bitShiftRight(256u, 4))",
  ],
  [
    'math-ext-doubles',
    'value',
    "string(math.ceil(1.2)) + ',' + string(math.floor(-1.2)) + ',' + string(math.round(2.5)) + ',' + " +
      "string(math.round(-2.5)) + ',' + string(math.trunc(-1.7)) + ',' + string(math.abs(-2.5)) + ',' + " +
      "string(math.sign(-2.5)) + ',' + string(math.sqrt(16)) + ',' + string(math.sqrt(2u)) + ',' + " +
      "string(math.greatest(1.5, 2.5)) + ',' + string(math.isInf(1.0/0.0)) + string(math.isNaN(0.0/0.0)) + " +
      'string(math.isFinite(1.0)) + string(math.greatest(1, 2.5)) + string(math.least(1u, 2u))',
  ],
  ['math-ext-list', 'result', 'math.least([1, 2]) == 1'],
  ['math-ext-overflow', 'result', 'math.abs(-9223372036854775807 - 1) == 0'],
  ['math-ext-shift', 'result', 'math.bitShiftLeft(1, -1) == 0'],
  [
    'base64',
    'value',
    "base64.encode(b'ab') + ' ' + string(base64.decode('YWI=')) + ' ' + string(base64.decode('YWI'))",
  ],
  ['base64-bad', 'result', "base64.decode('!!') == b''"],
  // json
  [
    'json-roundtrip',
    'value',
    `json.marshal(json.unmarshal('{"b":1,"a":[1.5,"x<&>",null,true,{}],"c":1e300,"d":-0.000001,"e":12345678901234567890}'))`,
  ],
  [
    'json-marshal-types',
    'value',
    "json.marshal({'z': dyn(1), 'a': dyn(2.0), 'm': dyn([b'hi']), 't': " +
      "dyn(timestamp('2026-01-02T03:04:05.5Z')), 'n': dyn(null), 'u': dyn(3u), 's': dyn('\u2028')})",
  ],
  ['json-number-double', 'result', `type(json.unmarshal('{"a":1}').a) == double && json.unmarshal('3') == 3.0`],
  ['json-bad', 'result', "json.unmarshal('{') != null"],
  ['json-empty', 'result', "json.unmarshal('') != null"],
  ['json-marshal-inf', 'result', "json.marshal(1.0 / 0.0) != ''"],
  ['json-marshal-int-keys', 'result', "json.marshal({1: 'a'}) != ''"],
  // yaml
  [
    'yaml-parse',
    'value',
    "json.marshal(yaml.parse('a: 1\\nb: [x, 2.5, true, null, yes, 0x10, 010, on]\\nc: {d: e}\\n---\\nz: 1'))",
  ],
  ['yaml-empty', 'value', "json.marshal(yaml.parse(''))"],
  ['yaml-scalars', 'value', `json.marshal(yaml.parse('k: ~\\nm: "1"\\nq: 1e3\\nr: -.5\\ns: 0o17'))`],
  ['yaml-number-double', 'result', "type(yaml.parse('a: 1').a) == double"],
  ['yaml-inf', 'result', "yaml.parse('n: .inf') != null"],
  ['yaml-bad', 'result', "yaml.parse('a: [') != null"],
  // image references
  [
    'image-parts',
    'value',
    `['nginx', 'nginx:1.25', 'docker.io/library/nginx@${DIGEST}', 'ghcr.io/a/b:v1@${DIGEST}', ` +
      `'localhost:5000/x/y', 'registry.example:5000/repo@${DIGEST}', 'gcr.io/p/img:tag', 'docker.io/nginx', ` +
      `'index.docker.io/x/y:z', 'a/b/c/d:e'].map(s, [parseImageReference(s).registry(), ` +
      `parseImageReference(s).repository(), parseImageReference(s).identifier(), ` +
      `parseImageReference(s).identifierWithSeparator(), parseImageReference(s).tag(), ` +
      `parseImageReference(s).digest(), string(parseImageReference(s).containsDigest())].join('|')).join(' ; ')`,
  ],
  ['image-deprecated', 'value', "image('nginx:1').repository() + ' ' + image('quay.io/x/y').registry()"],
  [
    'is-image',
    'value',
    `['nginx', 'Nginx', 'a', 'nginx:', 'nginx:bad tag', 'x/y@sha256:abc', 'x@sha512:${'a'.repeat(64)}', ` +
      `'my.reg/ns/img:1.0', 'a:b:c', 'UPPER.io/x', '', 'nginx@${DIGEST}', 'reg.io:/x', 'h:99999/x', ` +
      `'[::1]:5000/x', 'a b/c', 'x@${DIGEST}@${DIGEST}', 'nginx:${'t'.repeat(129)}'].map(s, ` +
      `string(isImage(s))).join(',')`,
  ],
  ['image-bad', 'result', "parseImageReference('Nginx').registry() == 'x'"],
  [
    'image-equal',
    'result',
    "parseImageReference('nginx') == parseImageReference('nginx') && parseImageReference('nginx') != " +
      "parseImageReference('nginx:1')",
  ],
  // transform
  [
    'list-obj-to-map',
    'value',
    "json.marshal(transform.listObjToMap([{'k':'a'},{'k':'b'}], [{'v': 1},{'w': 2}], 'k', 'v'))",
  ],
  ['list-obj-to-map-pass', 'result', "listObjToMap([{'k':'a'},{'k':'b'}], [{'v': 1},{'v': 2}], 'k', 'v').a == 1"],
  ['list-obj-to-map-lengths', 'result', "listObjToMap([{'k':'a'}], [], 'k', 'v').size() == 0"],
  ['list-obj-to-map-key', 'result', "listObjToMap([{'k': 1}], [{'v': 1}], 'k', 'v').size() == 1"],
  // gzip
  [
    'gzip-roundtrip',
    'value',
    "gzip.decompress(gzip.compress('hello world')) + '|' + gzip.decompress(gzip.compress(''))",
  ],
  ['gzip-short', 'result', "gzip.decompress(b'not gzip') == ''"],
  ['gzip-header', 'result', "gzip.decompress(b'not gzip at all') == ''"],
  // random (values differ run to run: properties only)
  [
    'random',
    'value',
    "[random('[a-z]{5}').matches('^[a-z]{5}$'), random().matches('^[0-9a-z]{8}$'), " +
      "random.random('(ab|cd)+x?[0-9]{2}').matches('^(ab|cd)+x?[0-9]{2}$'), random('[^a-z]{3}').size() == 3, " +
      "random('[[:digit:]]{4}').matches('^[0-9]{4}$'), random('a{2,3}b?|c').matches('^(a{2,3}b?|c)$'), " +
      "random('x*').matches('^x*$')].map(b, string(b)).join(',')",
  ],
  ['random-bad', 'result', "random('[a') != ''"],
  ['random-perl-escape', 'result', "random('\\\\d') != ''"],
  ['random-perl-group', 'result', "random('(?:a)') != ''"],
  // x509
  ['x509-whole', 'value', `sha256(json.marshal(x509.decode(${pem('x509-rsa-extensions.pem')})))`],
  [
    'x509-fields',
    'value',
    `[x509.decode(${pem('x509-rsa-extensions.pem')})].map(c, string(c.Issuer.CommonName) + '|' + ` +
      `string(c.Issuer.Country[0]) + '|' + c.DNSNames.join(',') + '|' + c.IPAddresses.join(',') + '|' + ` +
      `string(c.KeyUsage) + '|' + string(c.IsCA) + '|' + string(c.MaxPathLen) + '|' + string(c.NotBefore) + ` +
      `'|' + string(c.PublicKey.E == 65537.0))[0]`,
  ],
  ['x509-plain', 'value', `json.marshal(x509.decode(${pem('x509-rsa-plain.pem')}))`],
  ['x509-ec', 'result', `x509.decode(${pem('x509-ec.pem')}) != null`],
  [
    'x509-csr',
    'value',
    `sha256(json.marshal(x509.decode(${pem('x509-csr.pem')}))) + ' ' + ` +
      `json.marshal(dyn(x509.decode(${pem('x509-csr.pem')})).URIs)`,
  ],
  ['x509-not-pem', 'result', "x509.decode('nope') != null"],
  ['x509-other-block', 'result', "x509.decode('-----BEGIN FOO-----\\nAAAA\\n-----END FOO-----\\n') != null"],
  [
    'x509-malformed',
    'result',
    "x509.decode('-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n') != null",
  ],
  // globalContext, http, ToGVR: need a cluster or a server
  ['global-context-missing', 'result', "dyn(globalContext.Get('missing')) == null"],
  ['global-context-projection', 'result', "dyn(globalContext.get('missing', 'p')) == null"],
  ['http-get', 'result', "http.Get('http://127.0.0.1:9/x') != null"],
  ['http-post', 'result', "http.Client('').post('http://127.0.0.1:9/x', {'a': 1}) != null"],
  ['to-gvr', 'result', "resource.List(resource.ToGVR('apps/v1', 'Deployment'), 'default').items.size() == 0"],
];

/**
 * Expressions both sides must refuse to compile (one CLI run each: a policy that does not compile
 * stops `kyverno apply` for every policy).
 */
const COMPILE_ERRORS: readonly string[] = [
  // cel-go types the values of resource.List's map `google.protobuf.Any`, which it does not iterate.
  "resource.List('v1', 'configmaps', 'default').items.map(i, i.metadata.name).size() == 1",
  "http.Get('http://127.0.0.1:9/x').all(k, k == '')",
  "x509.decode('') == 1 + ''",
];

/**
 * Known differences, each with its reason:
 * - list-labels: the CLI's context provider (FakeContextProvider.ListResources) ignores the label
 *   selector; the API server that Kyverno asks in a cluster applies it, and so do we.
 * - global-context-*: `kyverno apply` has no way to give GlobalContextEntry data, and its fake
 *   provider answers null for any entry; in a cluster the entry's cached data is read. Without
 *   entries (a test's globalContextEntries) we cannot know it: not evaluable offline.
 * - math-round: math.round(-0.4, 0) is -0.0 on both sides; cel-js' string(double) prints it "0",
 *   cel-go "-0" (the engine's string(double), not the library: see docs/cel.md).
 * - json-marshal-int-keys: cel-js builds a map literal as an object with string keys, so `{1: 'a'}`
 *   reaches json.marshal as `{"1": "a"}`; cel-go keeps the int key and json.marshal refuses it.
 * Randomness: our message says the verdict depends on randomness; that note is removed here.
 * Order: the CLI's provider lists in Go map order (it differs from run to run); the API server
 * lists by name, and so do we. So the names a List case prints are compared as a set.
 */
const KNOWN: readonly string[] = [
  'list-labels: ours V=a, kyverno V=a,b',
  'math-round: ours V=3 -3 1 1200 0.13 0, kyverno V=3 -3 1 1200 0.13 -0',
  'json-marshal-int-keys: ours pass, kyverno error',
  'global-context-missing: ours error, kyverno pass',
  'global-context-projection: ours error, kyverno pass',
];

/** A List case's `V=a,b` with its names sorted (the CLI's order is Go map order). */
function unordered(name: string, v: string | undefined): string | undefined {
  return v !== undefined && name.startsWith('list') && v.startsWith('V=')
    ? `V=${v.slice(2).split(',').sort().join(',')}`
    : v;
}

function policyOf(i: number, kind: 'value' | 'result', expr: string): Record<string, unknown> {
  const validation =
    kind === 'value'
      ? { expression: 'false', messageExpression: `'V=' + (${expr})` }
      : { expression: expr, message: 'M' };
  return {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'ValidatingPolicy',
    metadata: { name: `case-${String(i).padStart(2, '0')}` },
    spec: {
      validationActions: ['Audit'],
      matchConstraints: {
        resourceRules: [
          { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] },
        ],
      },
      validations: [validation],
    },
  };
}

type Outcome = Map<string, string>;

function runApply(dir: string): ReturnType<typeof spawnSync> & { stdout: string; stderr: string } {
  return spawnSync(
    kyverno.path,
    [
      'apply',
      'policies.yaml',
      '--resource',
      'pod.yaml',
      '--context-file',
      'context.yaml',
      '--policy-report',
      '--output-format',
      'json',
    ],
    {
      cwd: dir,
      encoding: 'utf8',
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    },
  ) as ReturnType<typeof spawnSync> & { stdout: string; stderr: string };
}

function theirs(dir: string): Outcome {
  const r = runApply(dir);
  const line = `${r.stdout}`.split('\n').find((l) => l.includes('{"kind":"'));
  assert.ok(line, `kyverno apply printed no report (exit ${r.status}): ${`${r.stdout}${r.stderr}`.slice(0, 2000)}`);
  const report = JSON.parse(line.slice(line.indexOf('{"kind":"'))) as {
    results?: { policy: string; result: string; message?: string }[];
  };
  const out: Outcome = new Map();
  for (const x of report.results ?? [])
    out.set(x.policy, x.result === 'fail' && x.message?.startsWith('V=') ? x.message : x.result);
  return out;
}

function ours(policies: Record<string, unknown>[]): Outcome {
  const docs: PolicyDocument[] = policies.map((object) => ({ object, file: 'policies.yaml' }));
  const { compiled, errors } = compileValidatingPolicies(docs);
  assert.deepEqual(errors, []);
  const ctx: AdmissionContext = { namespaces: new Map(), resources: [POD] };
  const out: Outcome = new Map();
  for (const r of evaluateValidatingPolicies(compiled, POD, ctx, { kyverno: kyvernoDataOf(CONTEXT, new Date()) })) {
    const message = r.message?.replace(/ \(depends on randomness: not deterministic\)$/, '');
    out.set(r.policy, r.result === 'fail' && message?.startsWith('V=') ? message : r.result);
  }
  return out;
}

test("Kyverno's CEL libraries agree with kyverno apply 1.19 fed the same context file", { skip: kyverno.skip }, () => {
  const policies = CASES.map(([, kind, expr], i) => policyOf(i, kind, expr));
  const dir = mkdtempSync(path.join(tmpdir(), 'aksfleet-kyverno-libs-'));
  try {
    const yaml = (docs: readonly object[]): string => docs.map((d) => JSON.stringify(d)).join('\n---\n') + '\n';
    writeFileSync(path.join(dir, 'policies.yaml'), yaml(policies));
    writeFileSync(path.join(dir, 'pod.yaml'), yaml([POD]));
    writeFileSync(path.join(dir, 'context.yaml'), yaml([CONTEXT]));
    const cli = theirs(dir);
    const mine = ours(policies);
    const differ: string[] = [];
    CASES.forEach(([name], i) => {
      const p = `case-${String(i).padStart(2, '0')}`;
      if (unordered(name, cli.get(p)) !== unordered(name, mine.get(p)))
        differ.push(`${name}: ours ${unordered(name, mine.get(p))}, kyverno ${unordered(name, cli.get(p))}`);
    });
    console.log(`kyverno libraries vs kyverno apply 1.19: ${CASES.length - differ.length}/${CASES.length} agree`);
    assert.deepEqual(differ, KNOWN);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const yamlDocs = (docs: readonly object[]): string => docs.map((d) => JSON.stringify(d)).join('\n---\n') + '\n';

test("expressions that cel-go refuses in Kyverno's environment are refused here too (a load error, not a result)", {
  skip: kyverno.skip,
}, () => {
  const differ: string[] = [];
  for (const expr of COMPILE_ERRORS) {
    const policy = policyOf(0, 'result', expr);
    const dir = mkdtempSync(path.join(tmpdir(), 'aksfleet-kyverno-libs-'));
    try {
      writeFileSync(path.join(dir, 'policies.yaml'), yamlDocs([policy]));
      writeFileSync(path.join(dir, 'pod.yaml'), yamlDocs([POD]));
      writeFileSync(path.join(dir, 'context.yaml'), yamlDocs([CONTEXT]));
      const r = runApply(dir);
      const cliRefuses = /failed to compile policy/.test(`${r.stdout}${r.stderr}`);
      const { errors } = compileValidatingPolicies([{ object: policy, file: 'policies.yaml' }]);
      if (cliRefuses !== errors.length > 0)
        differ.push(
          `${expr}: kyverno ${cliRefuses ? 'refuses' : 'accepts'}, ours ${errors.length ? 'refuses' : 'accepts'}`,
        );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(
    `compile errors vs kyverno apply 1.19: ${COMPILE_ERRORS.length - differ.length}/${COMPILE_ERRORS.length} agree`,
  );
  assert.deepEqual(differ, []);
});

test('globalContextEntries of a kyverno-test.yaml feed globalContext.Get as in kyverno test 1.19', {
  skip: kyverno.skip,
}, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'aksfleet-kyverno-gce-'));
  try {
    const policy = {
      apiVersion: 'policies.kyverno.io/v1',
      kind: 'ValidatingPolicy',
      metadata: { name: 'allowed-names' },
      spec: {
        validationActions: ['Deny'],
        matchConstraints: {
          resourceRules: [
            { apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] },
          ],
        },
        validations: [
          {
            expression: "dyn(globalContext.Get('allowed', 'names')).exists(n, n == object.metadata.name)",
            message: 'name not allowed',
          },
          {
            expression: "globalContext.Get('limits').max >= size(object.spec.containers)",
            message: 'too many containers',
          },
          { expression: "dyn(globalContext.Get('absent')) == null", message: 'absent entry is not null' },
          { expression: "dyn(globalContext.Get('deploys', 'count')) == 2", message: 'count' },
        ],
      },
    };
    const pod = (name: string, n: number) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: { containers: Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: 'nginx' })) },
    });
    writeFileSync(path.join(dir, 'policy.yaml'), yamlDocs([policy]));
    writeFileSync(path.join(dir, 'resources.yaml'), yamlDocs([pod('good', 1), pod('bad-name', 1), pod('good2', 3)]));
    writeFileSync(
      path.join(dir, 'deploys.yaml'),
      yamlDocs([
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'x' } },
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'b', namespace: 'y' } },
      ]),
    );
    const expect = (resource: string, result: string) => ({
      policy: 'allowed-names',
      rule: 'allowed-names',
      resources: [resource],
      kind: 'Pod',
      result,
    });
    writeFileSync(
      path.join(dir, 'kyverno-test.yaml'),
      yamlDocs([
        {
          apiVersion: 'cli.kyverno.io/v1alpha1',
          kind: 'Test',
          metadata: { name: 'gce' },
          policies: ['policy.yaml'],
          resources: ['resources.yaml'],
          globalContextEntries: [
            {
              name: 'allowed',
              data: { spec: { names: ['good', 'good2'] } },
              fieldPath: 'spec',
              projections: [{ name: 'names', path: 'names' }],
            },
            { name: 'limits', data: { max: 2 } },
            { name: 'deploys', resourceFiles: ['deploys.yaml'], projections: [{ name: 'count', path: 'length(@)' }] },
          ],
          // Each expectation is the opposite of a plausible mistake: good passes, the rest fail.
          results: [expect('good', 'pass'), expect('bad-name', 'fail'), expect('good2', 'fail')],
        },
      ]),
    );
    const r = spawnSync(kyverno.path, ['test', '.', '-o', 'json', '--remove-color'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 300_000,
    });
    const out = `${r.stdout}`;
    const rows = JSON.parse(out.slice(out.search(/^\[/m), out.search(/^\]/m) + 1)) as {
      RESOURCE?: string;
      RESULT?: string;
      REASON?: string;
    }[];
    const cli = rows.map((x) => `${String(x.RESOURCE).split('/').pop()} ${x.RESULT}`).sort();
    const ours = runTestFile(path.join(dir, 'kyverno-test.yaml'), dir)
      .rows.map((x) => `${x.resource} ${x.ok ? 'Pass' : 'Fail'}`)
      .sort();
    assert.deepEqual(cli, ['bad-name Pass', 'good Pass', 'good2 Pass'], `kyverno test: ${out.slice(0, 1500)}`);
    assert.deepEqual(ours, cli);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
