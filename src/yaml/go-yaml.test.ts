/**
 * go-yaml v3 / v2 reading. The v3 values below are the ones kubectl kustomize (v5.5.0) printed
 * for the same input (see test/conformance/yaml-edges.test.ts, which runs the oracle); the v2
 * values follow go-yaml v2's resolver (kustomization files), also checked with kubectl
 * (`commonLabels: {a: yes}` is a bool and is refused).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goJsonMarshal, goJsonString, parseGoYaml, parseGoTimestamp } from './go-yaml.js';
import { InputError } from '../errors.js';

const v3 = (s: string) => parseGoYaml(s, 't.yaml')[0]!.value;

test('v3 scalars resolve as go-yaml v3 does', () => {
  assert.deepEqual(
    v3(
      'a: 0755\nb: 0b101\nc: 1_000\nd: yes\ne: on\nf: 0o17\n' +
        'g: 0x1F\nh: 1e3\ni: .5\nj: ~\nk: 12:30\nl: "0755"\nm: 1.0\n',
    ),
    {
      a: 493,
      b: 5,
      c: 1000,
      d: 'yes',
      e: 'on',
      f: 15,
      g: 31,
      h: 1000,
      i: 0.5,
      j: null,
      k: '12:30',
      l: '0755',
      m: 1,
    },
  );
});

test('v3 unquoted timestamps become RFC 3339 strings', () => {
  assert.deepEqual(v3('a: 2001-12-14\nb: "2001-12-14"\n'), { a: '2001-12-14T00:00:00Z', b: '2001-12-14' });
  assert.equal(parseGoTimestamp('2001-12-14 21:59:43.10'), '2001-12-14T21:59:43.1Z');
  assert.equal(parseGoTimestamp('2001-13-14'), undefined);
});

test('v3 merge keys, anchors and go-yaml folding of more-indented lines', () => {
  assert.deepEqual(v3('x: &a {p: 1, q: 2}\ny: {<<: *a, q: 3}\n'), { x: { p: 1, q: 2 }, y: { p: 1, q: 3 } });
  assert.deepEqual(v3('f: >-\n  a\n    b\n  c\n'), { f: 'a\n\n  b\nc' });
});

test('v3 errors: duplicate keys, .inf, numeric keys', () => {
  assert.throws(
    () => v3('a: 1\na: 2\n'),
    (e: unknown) => e instanceof InputError && /already defined/.test(e.message) && e.pos?.line === 2,
  );
  assert.throws(() => v3('a: .inf\n'), /unsupported value/);
  assert.throws(() => v3('1: x\n'), /mapping key 1 is a number/);
});

test('v2 (kustomization files) reads YAML 1.1 booleans and keeps timestamps as text', () => {
  assert.deepEqual(parseGoYaml('a: yes\nb: off\nc: 0755\nd: 2001-12-14\n', 'k', { dialect: 'v2' })[0]!.value, {
    a: true,
    b: false,
    c: 493,
    d: '2001-12-14',
  });
});

test('Go encoding/json marshal: sorted keys and HTML escaping', () => {
  assert.equal(
    goJsonMarshal({ b: '<a&b> \u2028', a: [1, 1.5, null, true] }),
    '{"a":[1,1.5,null,true],"b":"\\u003ca\\u0026b\\u003e \\u2028"}',
  );
});

test('Go encoding/json marshal: control characters as Go 1.22+ writes them (\\b and \\f short)', () => {
  // The output of Go 1.26.8's json.Marshal(map[string]string{"k\b": "a\bb\fc\x01\x1f<>&\u2028\u2029\t\n\r\"\\\x7f"}).
  const go = String.raw`{"k\b":"a\bb\fc\u0001\u001f\u003c\u003e\u0026\u2028\u2029\t\n\r\"\\` + '\x7f"}';
  assert.equal(goJsonMarshal({ 'k\b': 'a\bb\fc\x01\x1f<>&\u2028\u2029\t\n\r"\\\x7f' }), go);
});

test('Go encoding/json strings: HTML escaping on (json.Marshal) and off (SetEscapeHTML(false)), invalid UTF-8', () => {
  // Go 1.26.8: json.Marshal(s) and an Encoder with SetEscapeHTML(false) (its newline trimmed), for
  // s = "<a&b> \u2028\u2029", "a\xffb\xc3" and "\xed\xa0\x80|\U0001F600|\ufffd". Our strings hold a byte
  // of invalid UTF-8 as the lone surrogate U+DC00+byte (src/gotemplate/strconv.ts goBytes); Go
  // writes one \ufffd per invalid byte, and a valid U+FFFD as it is.
  const cases: [string, string, string][] = [
    ['<a&b> \u2028\u2029', String.raw`"\u003ca\u0026b\u003e \u2028\u2029"`, String.raw`"<a&b> \u2028\u2029"`],
    ['a\udcffb\udcc3', String.raw`"a\ufffdb\ufffd"`, String.raw`"a\ufffdb\ufffd"`],
    [
      '\udced\udca0\udc80|\u{1F600}|\ufffd',
      String.raw`"\ufffd\ufffd\ufffd|` + '\u{1F600}|\ufffd"',
      String.raw`"\ufffd\ufffd\ufffd|` + '\u{1F600}|\ufffd"',
    ],
  ];
  for (const [s, marshal, raw] of cases) {
    assert.equal(goJsonString(s), marshal, s);
    assert.equal(goJsonString(s, { escapeHTML: true }), marshal, s);
    assert.equal(goJsonString(s, { escapeHTML: false }), raw, s);
  }
});
