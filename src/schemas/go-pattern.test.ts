import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCrds } from './build-crds.js';
import { validateObject } from './validate.js';
import type { KObject } from '../resources/resource.js';

/** A CRD of the cluster's own build whose spec fields carry these patterns. */
function crdWith(patterns: Record<string, string>) {
  const properties = Object.fromEntries(Object.entries(patterns).map(([k, p]) => [k, { type: 'string', pattern: p }]));
  const crd: KObject = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      names: { kind: 'Widget', plural: 'widgets' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties } } } },
        },
      ],
    },
  };
  return buildCrds([{ object: crd, origin: { file: 'crds/widget.yaml', line: 1 } }]);
}

const widget = (spec: Record<string, string>): KObject => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'a' },
  spec,
});
const errs = (crds: ReturnType<typeof buildCrds>, spec: Record<string, string>) =>
  validateObject(widget(spec), '1.35', { crds }).map((p) => `${p.path}: ${p.message}`);

/**
 * Each row: a pattern in RE2 syntax that JavaScript lacks or reads differently, a value Go's
 * regexp.MatchString accepts and one it refuses (from Go's regexp/syntax documentation: inline
 * flags, \z, POSIX classes, \pL, `.` that matches \r, unanchored search).
 */
const ROWS: [name: string, pattern: string, accepted: string, refused: string][] = [
  ['inline flag (?i) (a JS SyntaxError on Node 20)', '^(?i)[a-z]+$', 'AbC', 'a-b'],
  ['\\z: end of text (JS has none)', '^[a-z]+\\z', 'abc', 'abc\n'],
  ['POSIX class [[:alpha:]] (JS reads a class of [:alph)', '^[[:alpha:]]+$', 'abc', 'a:b'],
  ['\\pL: Unicode letter without braces', '^\\pL+$', 'héllo', 'h3llo'],
  ['. matches \\r in Go (not in JS)', '^a.b$', 'a\rb', 'a\nb'],
  ['search anywhere (not anchored)', '[0-9]', 'ab1', 'abc'],
];

test(
  "a build CRD's pattern is compiled and matched as Go's regexp does, " +
    'for RE2 syntax JavaScript lacks or reads differently',
  () => {
    for (const [name, pattern, ok, bad] of ROWS) {
      const crds = crdWith({ f: pattern });
      assert.deepEqual(errs(crds, { f: ok }), [], `${name}: ${JSON.stringify(ok)} matches`);
      assert.deepEqual(
        errs(crds, { f: bad }),
        [`/spec/f: must match pattern "${pattern}"`],
        `${name}: ${JSON.stringify(bad)} does not`,
      );
    }
  },
);

test(
  'a build CRD whose pattern Go refuses (lookahead, backreference) ' +
    'is reported on every object of the kind: never a crash, never a silent pass',
  () => {
    for (const pattern of ['^(?=a)a$', '^(a)\\1$']) {
      const crds = crdWith({ f: pattern, g: '^x$' });
      const out = validateObject(widget({ f: 'a', g: 'x' }), '1.35', { crds });
      assert.equal(out.length, 1, JSON.stringify(out));
      assert.equal(out[0]!.severity, 'error');
      assert.match(
        out[0]!.message,
        /^the schema of CustomResourceDefinition widgets\.example\.com \(crds\/widget\.yaml:1\) does not compile as the API server compiles it \(.*invalid.*\); the API server refuses such a CRD, and its objects were not checked$/,
      );
    }
  },
);
