/**
 * YAML edge cases end to end: go-yaml v3 reading (octal, timestamps, YAML 1.1 words, null list
 * items, annotations kept as text) and go-yaml v2 writing (natural key order, quoting, literal
 * blocks with chomping, 80-column folding, Go float format, non-BMP escapes). `EXPECTED` is the
 * output of `kubectl kustomize` (recorded with kustomize v5.5.0; v5.7.1 prints the same) on INPUT, pasted verbatim; the
 * second test re-runs kubectl when it is installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { MemoryRepoFs } from '../../src/repo/repo-fs.js';
import { buildKustomization } from '../../src/kustomize/index.js';
import { toGoYamlStream } from '../../src/yaml/go-emit.js';
import { kustomizeArgv, kustomizePath, kustomizeSkip, withTempTree } from '../../src/kustomize/testing/oracle.js';

const FILES = { 'kustomization.yaml': 'resources: [cm.yaml]\n', 'cm.yaml': INPUT() };

function INPUT(): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: x
  annotations:
    b: true
    n: 1.0
    o: 0755
  labels:
    octal: 0755
    b: true
data:
  -a: x
  _x: x
  "1": x
  Item1: x
  a-b: x
  a.b: x
  aB: x
  ab: x
  item9: x
  item09: x
  item10: x
  on: "on"
  yes: "yes"
  e: ""
  n: "null"
  t: "true"
  oct: "0755"
  f: "1e3"
  b60: "1:20"
  ts: 2001-12-14
  colon: "a: b"
  hash: "a #b"
  star: "*x"
  lead: " x"
  trail: "x "
  tab: "a\\tb"
  emoji: "😀"
  ls: "a\\u2028b"
  multi: "a\\nb\\n"
  multi2: "a\\nb"
  multi3: "a\\nb\\n\\n"
  multi4: " a\\nb"
  multitrail: "a \\nb"
  long: "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu vvvv"
  longq: "aaaa: bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu vvvv"
  longd: "aaaa\\tbbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu vvvv"
  dash: "- x"
  dash2: "-x"
  q: "it's"
  dq: 'say "hi"'
spec:
  f1: 1.5
  f2: 1e-7
  f3: 1.5e300
  f4: 1234567.5
  f5: 0.0001
  f6: 0.00001
  i1: 99999999999
  list:
  - - a
    - b
  - []
  - {}
  - {a: 1}
  - null
  - [x, {y: [1,2]}]
  nested:
    - a: [1]
      b: {}
  empty: {}
  emptyl: []
  nul: ~
`;
}

const EXPECTED = `apiVersion: v1
data:
  -a: x
  _x: x
  "1": x
  Item1: x
  a-b: x
  a.b: x
  aB: x
  ab: x
  b60: "1:20"
  colon: 'a: b'
  dash: '- x'
  dash2: -x
  dq: say "hi"
  e: ""
  emoji: "\\U0001F600"
  f: "1e3"
  hash: 'a #b'
  item9: x
  item09: x
  item10: x
  lead: ' x'
  long: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo
    pppp qqqq rrrr ssss tttt uuuu vvvv
  longd: "aaaa\\tbbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo
    pppp qqqq rrrr ssss tttt uuuu vvvv"
  longq: 'aaaa: bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo
    pppp qqqq rrrr ssss tttt uuuu vvvv'
  ls: 'a     b'
  multi: |
    a
    b
  multi2: |-
    a
    b
  multi3: |+
    a
    b

  multi4: |2-
     a
    b
  multitrail: "a \\nb"
  "n": "null"
  oct: "0755"
  "on": "on"
  q: it's
  star: '*x'
  t: "true"
  tab: "a\\tb"
  trail: 'x '
  ts: "2001-12-14T00:00:00Z"
  "yes": "yes"
kind: ConfigMap
metadata:
  annotations:
    b: "true"
    "n": "1.0"
    o: "0755"
  labels:
    b: true
    octal: 493
  name: x
spec:
  empty: {}
  emptyl: []
  f1: 1.5
  f2: 1e-07
  f3: 1.5e+300
  f4: 1.2345675e+06
  f5: 0.0001
  f6: 1e-05
  i1: 99999999999
  list:
  - - a
    - b
  - []
  - {}
  - a: 1
  - null
  - - x
    - "y":
      - 1
      - 2
  nested:
  - a:
    - 1
    b: {}
  nul: null
`;

test('YAML edge cases: our build prints exactly what kubectl kustomize prints', () => {
  const got = toGoYamlStream(buildKustomization(new MemoryRepoFs(FILES), '').map((r) => r.object));
  assert.equal(got, EXPECTED);
});

test('YAML edge cases: kubectl still prints the pasted expectation', { skip: kustomizeSkip() }, () => {
  const live = withTempTree(FILES, (root) =>
    execFileSync(kustomizePath(), kustomizeArgv(root), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  assert.equal(live, EXPECTED);
});

// Map keys: quoting, and libyaml's complex keys (`? k` / `: v`) for multi-line keys and keys
// longer than 128 bytes. KEYS_EXPECTED is kubectl kustomize's output for KEYS_INPUT, pasted.
const KEYS_INPUT = `apiVersion: v1
kind: ConfigMap
metadata:
  name: c
data:
  "yes": a
  "1": b
  "a: b": c
  "": d
  " lead": e
  "#x": f
  "k\\u2028y": g
  "tab\\tkey": h
  "long-key-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": i
  "multi\\nline": j
  "😀": k
  "null": l
  "2001-01-01": n
  "- x": p
  "a,b": q
  "[x]": r
  "exactly-128-bytes-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": s
  "exactly-129-bytes-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": t
`;
const KEYS_EXPECTED = `apiVersion: v1
data:
  "": d
  ' lead': e
  '#x': f
  '- x': p
  '[x]': r
  "\\U0001F600": k
  "1": b
  "2001-01-01": "n"
  a,b: q
  'a: b': c
  exactly-128-bytes-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: s
  ? exactly-129-bytes-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
  : t
  ? 'k     y'
  : g
  ? long-key-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
  : i
  ? |-
    multi
    line
  : j
  "null": l
  "tab\\tkey": h
  "yes": a
kind: ConfigMap
metadata:
  name: c
`;
const KEYS_FILES = { 'kustomization.yaml': 'resources: [cm.yaml]\n', 'cm.yaml': KEYS_INPUT };

test('YAML edge cases: map keys print exactly as kubectl kustomize prints them', () => {
  const got = toGoYamlStream(buildKustomization(new MemoryRepoFs(KEYS_FILES), '').map((r) => r.object));
  assert.equal(got, KEYS_EXPECTED);
});

test('YAML edge cases: kubectl still prints the pasted key expectation', { skip: kustomizeSkip() }, () => {
  const live = withTempTree(KEYS_FILES, (root) =>
    execFileSync(kustomizePath(), kustomizeArgv(root), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  assert.equal(live, KEYS_EXPECTED);
});

// kustomize's final JSON -> YAML step: a raw NEL folds into a space (two into a newline); DEL,
// C1 controls and U+FFFE make it fail. Both checked with kubectl kustomize (v5.5.0).
const cmWith = (v: string) => ({
  'kustomization.yaml': 'resources: [cm.yaml]\n',
  'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: ${v}\n`,
});

test('YAML edge cases: NEL folding and refused control characters', () => {
  const out = (v: string) => toGoYamlStream(buildKustomization(new MemoryRepoFs(cmWith(v)), '').map((r) => r.object));
  assert.equal(
    out('"nel\\u0085here"'),
    'apiVersion: v1\ndata:\n  a: nel here\nkind: ConfigMap\nmetadata:\n  name: c\n',
  );
  assert.equal(
    out('"a \\u0085\\u0085 b"'),
    'apiVersion: v1\ndata:\n  a: |-\n    a\n    b\nkind: ConfigMap\nmetadata:\n  name: c\n',
  );
  for (const bad of ['"\\x7F del"', '"\\uFFFE"', '"\\u009F"']) assert.throws(() => out(bad), /control character/);
});

test('YAML edge cases: kubectl agrees on NEL folding and control characters', { skip: kustomizeSkip() }, () => {
  const run = (v: string) =>
    withTempTree(cmWith(v), (root) => {
      try {
        return execFileSync(kustomizePath(), kustomizeArgv(root), {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      } catch {
        return '<error>';
      }
    });
  assert.equal(
    run('"nel\\u0085here"'),
    'apiVersion: v1\ndata:\n  a: nel here\nkind: ConfigMap\nmetadata:\n  name: c\n',
  );
  assert.equal(
    run('"a \\u0085\\u0085 b"'),
    'apiVersion: v1\ndata:\n  a: |-\n    a\n    b\nkind: ConfigMap\nmetadata:\n  name: c\n',
  );
  for (const bad of ['"\\x7F del"', '"\\uFFFE"', '"\\u009F"']) assert.equal(run(bad), '<error>');
});

// A block scalar that ends the file without a line break: go-yaml's scanner keeps only the breaks
// it read, so clip (`|`) and keep (`|+`) give no final newline there (helm's fromYaml, the
// app-template/features case of test/helm/conformance, reads the same way).
const EOF_FILES = (header: string) => ({
  'kustomization.yaml': 'resources: [cm.yaml]\n',
  'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: ${header}\n    <Config><Port>8989</Port></Config>`,
});

test('YAML edge cases: a block scalar that ends the file without a newline has none, as kubectl kustomize reads it', {
  skip: kustomizeSkip(),
}, () => {
  for (const header of ['|', '|+', '>', '|-']) {
    const ours = toGoYamlStream(buildKustomization(new MemoryRepoFs(EOF_FILES(header)), '').map((r) => r.object));
    const live = withTempTree(EOF_FILES(header), (root) =>
      execFileSync(kustomizePath(), kustomizeArgv(root), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    assert.equal(ours, live, header);
    assert.match(live, /a: <Config><Port>8989<\/Port><\/Config>\n/, header);
  }
});
