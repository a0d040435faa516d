/**
 * Kyverno's JMESPath functions and the interpreter's semantics. The table rows are read mechanically
 * from Kyverno's pkg/engine/jmespath/functions_test.go (v1.15.2: each expression is searched on ""
 * and compared with the expected result); the NotFound cases follow kyverno/go-jmespath's
 * interpreter (a missing key is an error only where a plain path lets it escape).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NotFoundError, searchJmesPath } from './interpreter.js';
import { KYVERNO_FUNCTIONS } from './kyverno-functions.js';

interface Row {
  readonly test: string;
  readonly expr: string;
  readonly want: unknown;
}

const ROWS: readonly Row[] = [
  { test: 'Test_Compare', expr: "compare('a', 'a')", want: 0 },
  { test: 'Test_Compare', expr: "compare('a', 'b')", want: -1 },
  { test: 'Test_Compare', expr: "compare('b', 'a')", want: 1 },
  { test: 'Test_EqualFold', expr: "equal_fold('Go', 'go')", want: true },
  { test: 'Test_EqualFold', expr: "equal_fold('a', 'b')", want: false },
  { test: 'Test_EqualFold', expr: "equal_fold('1', 'b')", want: false },
  {
    test: 'Test_Replace',
    expr: "replace('Lorem ipsum dolor sit amet', 'ipsum', 'muspi', `-1`)",
    want: 'Lorem muspi dolor sit amet',
  },
  {
    test: 'Test_Replace',
    expr: "replace('Lorem ipsum ipsum ipsum dolor sit amet', 'ipsum', 'muspi', `-1`)",
    want: 'Lorem muspi muspi muspi dolor sit amet',
  },
  {
    test: 'Test_Replace',
    expr: "replace('Lorem ipsum ipsum ipsum dolor sit amet', 'ipsum', 'muspi', `1`)",
    want: 'Lorem muspi ipsum ipsum dolor sit amet',
  },
  { test: 'Test_ToUpper', expr: "to_upper('abc')", want: 'ABC' },
  { test: 'Test_ToUpper', expr: "to_upper('123')", want: '123' },
  { test: 'Test_ToUpper', expr: "to_upper('a#%&123Bc')", want: 'A#%&123BC' },
  { test: 'Test_ToLower', expr: "to_lower('ABC')", want: 'abc' },
  { test: 'Test_ToLower', expr: "to_lower('123')", want: '123' },
  { test: 'Test_ToLower', expr: "to_lower('a#%&123Bc')", want: 'a#%&123bc' },
  { test: 'Test_PathCanonicalize', expr: "path_canonicalize('///')", want: '/' },
  {
    test: 'Test_PathCanonicalize',
    expr: "path_canonicalize('///var/run/containerd/containerd.sock')",
    want: '/var/run/containerd/containerd.sock',
  },
  {
    test: 'Test_PathCanonicalize',
    expr: "path_canonicalize('/var/run///containerd/containerd.sock')",
    want: '/var/run/containerd/containerd.sock',
  },
  {
    test: 'Test_PathCanonicalize',
    expr: "path_canonicalize('/var/run///containerd////')",
    want: '/var/run/containerd',
  },
  { test: 'Test_PathCanonicalize', expr: "path_canonicalize('/run///')", want: '/run' },
  { test: 'Test_PathCanonicalize', expr: "path_canonicalize('/run/../etc')", want: '/etc' },
  { test: 'Test_PathCanonicalize', expr: "path_canonicalize('///etc*')", want: '/etc*' },
  { test: 'Test_PathCanonicalize', expr: "path_canonicalize('/../../')", want: '/' },
  { test: 'Test_PathCanonicalize', expr: "path_canonicalize('C:\\Windows\\\\..')", want: 'C:\\' },
  { test: 'Test_PathCanonicalize', expr: "path_canonicalize('C:\\Windows\\\\...')", want: 'C:\\Windows\\...' },
  {
    test: 'Test_PathCanonicalize',
    expr: "path_canonicalize('C:\\Users\\USERNAME\\\\\\Downloads')",
    want: 'C:\\Users\\USERNAME\\Downloads',
  },
  {
    test: 'Test_PathCanonicalize',
    expr: "path_canonicalize('C:\\Users\\\\USERNAME\\..\\Downloads')",
    want: 'C:\\Users\\Downloads',
  },
  { test: 'Test_Truncate', expr: "truncate('Lorem ipsum dolor sit amet', `5`)", want: 'Lorem' },
  { test: 'Test_Truncate', expr: "truncate('Lorem ipsum ipsum ipsum dolor sit amet', `11`)", want: 'Lorem ipsum' },
  {
    test: 'Test_Truncate',
    expr: "truncate('Lorem ipsum ipsum ipsum dolor sit amet', `40`)",
    want: 'Lorem ipsum ipsum ipsum dolor sit amet',
  },
  { test: 'Test_Truncate', expr: "truncate('Lorem ipsum', `2.6`)", want: 'Lo' },
  { test: 'Test_Truncate', expr: "truncate('Lorem ipsum', `0`)", want: '' },
  { test: 'Test_Truncate', expr: "truncate('Lorem ipsum', `-1`)", want: '' },
  { test: 'Test_SemverCompare', expr: "semver_compare('4.1.3','>=4.1.x')", want: true },
  { test: 'Test_SemverCompare', expr: "semver_compare('4.1.3','!4.x.x')", want: false },
  { test: 'Test_ImageNormalize', expr: "image_normalize('nginx')", want: 'docker.io/nginx:latest' },
  { test: 'Test_ImageNormalize', expr: "image_normalize('docker.io/nginx')", want: 'docker.io/nginx:latest' },
  {
    test: 'Test_ImageNormalize',
    expr: "image_normalize('docker.io/library/nginx')",
    want: 'docker.io/library/nginx:latest',
  },
  {
    test: 'Test_ImageNormalize',
    expr: "image_normalize('ghcr.io/library/nginx')",
    want: 'ghcr.io/library/nginx:latest',
  },
  { test: 'Test_ImageNormalize', expr: "image_normalize('ghcr.io/nginx')", want: 'ghcr.io/nginx:latest' },
  { test: 'Test_ImageNormalize', expr: "image_normalize('ghcr.io/nginx:latest')", want: 'ghcr.io/nginx:latest' },
  { test: 'Test_ImageNormalize', expr: "image_normalize('ghcr.io/nginx:1.2')", want: 'ghcr.io/nginx:1.2' },
  { test: 'Test_IsExternalURL', expr: "is_external_url('http://localhost')", want: false },
  { test: 'Test_IsExternalURL', expr: "is_external_url('http://127.0.0.1')", want: false },
  { test: 'Test_IsExternalURL', expr: "is_external_url('http://172.16.1.1')", want: false },
  { test: 'Test_IsExternalURL', expr: "is_external_url('http://10.1.1.1')", want: false },
  { test: 'Test_IsExternalURL', expr: "is_external_url('http://192.168.0.1')", want: false },
  { test: 'Test_IsExternalURL', expr: "is_external_url('http://google.com')", want: true },
  { test: 'Test_IsExternalURL', expr: "is_external_url('http://8.8.8.8')", want: true },
  { test: 'Test_IsExternalURL', expr: "is_external_url('http://245.48.83.160')", want: true },
  { test: 'Test_IsExternalURL', expr: "is_external_url('http://[2001:db8::ff00:42:8329]')", want: true },
];

const search = (expr: string, data: unknown = ''): unknown => searchJmesPath(expr, data, KYVERNO_FUNCTIONS);

// Test_PathCanonicalize's Windows rows run upstream only when runtime.GOOS == "windows".
const PORTABLE = ROWS.filter((r) => !r.expr.includes('C:\\'));

test(`functions_test.go: ${PORTABLE.length} upstream expressions`, () => {
  const wrong: string[] = [];
  assert.equal(ROWS.length - PORTABLE.length, 4);
  for (const r of PORTABLE) {
    let got: unknown;
    try {
      got = search(r.expr);
    } catch (e) {
      got = `error: ${(e as Error).message}`;
    }
    if (JSON.stringify(got) !== JSON.stringify(r.want))
      wrong.push(`${r.test}: ${r.expr} want ${JSON.stringify(r.want)} got ${JSON.stringify(got)}`);
  }
  assert.deepEqual(wrong, []);
});

test('more of functions_test.go: split, regex, label_match, items, object_from_lists, base64, to_boolean, semver ranges', () => {
  assert.deepEqual(search("split('Hello there', ' ')"), ['Hello', 'there']);
  assert.equal(search("regex_match('^[0-9]+$', '1234')"), true);
  assert.equal(search("regex_match('[0-9]+', `123`)"), true);
  assert.equal(search("pattern_match('12*', `123`)"), true);
  assert.equal(search("regex_replace_all('([Hh]e|G)l', 'Hello, World!', '${1}G')"), 'HeGlo, World!');
  assert.equal(search("regex_replace_all_literal('[Hh]el?', 'Hello, World!', 'G')"), 'Glo, World!');
  assert.equal(search('label_match(`{"dev": "ops"}`, `{"dev": "ops", "foo": "bar"}`)'), true);
  assert.equal(search('label_match(`{"dev": "ops", "foo": "bar"}`, `{"dev": "ops"}`)'), false);
  assert.deepEqual(search('items(`{"key1":"value1","key2":"value2"}`, `"key"`, `"value"`)'), [
    { key: 'key1', value: 'value1' },
    { key: 'key2', value: 'value2' },
  ]);
  assert.deepEqual(search('object_from_lists(`["key1","key2"]`, `["value1","value2"]`)'), {
    key1: 'value1',
    key2: 'value2',
  });
  assert.equal(search("base64_decode('SGVsbG8sIHdvcmxkIQ==')"), 'Hello, world!');
  assert.equal(search("base64_encode('Hello, world!')"), 'SGVsbG8sIHdvcmxkIQ==');
  assert.equal(search("to_boolean('TRUE')"), true);
  assert.equal(search("semver_compare('4.1.3','!4.x.x')"), false);
  assert.equal(search("semver_compare('1.8.6','>1.0.0 <2.0.0')"), true);
  assert.equal(search("semver_compare('2.1.5','<2.0.0 || >=3.0.0')"), false);
  assert.equal(search("trim_prefix('abc', 'a')"), 'bc');
  assert.equal(search("sum(['1Gi', '512Mi'])") !== undefined, true);
});

test('a missing key is an error in a plain path only; functions, ||, projections and pipes make it null', () => {
  const data = { request: { object: { metadata: { name: 'x', labels: { a: 'b' } }, spec: null } } };
  assert.throws(() => search('request.object.metadata.labels.team', data), NotFoundError);
  assert.throws(() => search('request.object.metadata.annotations.x', data), /Unknown key "annotations" in path/);
  assert.equal(search("request.object.metadata.labels.team || 'none'", data), 'none');
  assert.equal(search('length(request.object.metadata.labels.team || `[]`)', data), 0);
  assert.equal(search('request.object.spec.containers', data), null, 'a field of null is null, not an error');
  assert.deepEqual(search('request.object.metadata.labels.* | sort(@)', data), ['b']);
  assert.equal(search('to_string(request.object.metadata.nope)', data), 'null');
});

test('hostile expressions end: deep nesting and large projections hit the caps', () => {
  const deep = `${'['.repeat(300)}a${']'.repeat(300)}`;
  assert.throws(() => search(deep, { a: 1 }));
  const inner = Array.from({ length: 1100 }, (_, i) => i);
  const data = { xs: Array.from({ length: 1100 }, () => ({ ys: inner })) };
  assert.throws(() => search('xs[*].ys[*].to_string(@)', data), /budget/);
});
