// Smoke tests of the engine's public API; every expectation is checked against Go's text/template
// (the gotemplate oracle) in the same test, so none is invented here.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GoTemplateError, newTemplateSet } from './index.js';
import { gotemplateOracle, runOracle, runOurs, type TemplateCase } from './testing/oracle.js';

const cases: TemplateCase[] = [
  {
    templates: {
      t: 'Hello {{.name | printf "%q"}} {{range $i, $v := .list}}{{$i}}={{$v}},{{end}} {{len .list}} {{index .list 1}}',
    },
    entry: 't',
    data: { name: 'world', list: [1, 'a', null] },
  },
  {
    templates: {
      t: '{{if eq .a 1.0}}yes{{else}}no{{end}} {{.missing}} {{printf "%v %d %5.2f %x" 1e6 3 3.14159 "hi"}}',
    },
    entry: 't',
    data: { a: 1 },
  },
  {
    templates: {
      t: '{{define "x"}}X{{.}}{{end}}{{template "x" 3}} {{block "b" .}}B{{end}} {{with $x := 4}}{{$x}}{{end}}',
    },
    entry: 't',
    data: {},
  },
  { templates: { t: '{{.a.b}}' }, entry: 't', data: { a: null } },
  { templates: { t: '{{range 3}}{{.}}{{end}} {{print 1 2 "a" 3}} {{println 1}}' }, entry: 't' },
  { templates: { t: '{{lt 1 2.0}}' }, entry: 't' },
  { templates: { t: '{{.x.y' }, entry: 't' },
  { templates: { t: '{{.a}}' }, entry: 't', data: {}, missingkey: 'error' },
];

test('smoke cases equal Go text/template', { skip: gotemplateOracle.skip }, () => {
  const want = runOracle(cases);
  cases.forEach((c, i) => assert.deepEqual(runOurs(c), want[i], JSON.stringify(c.templates)));
});

test("parse errors are GoTemplateError with Go's message", () => {
  const set = newTemplateSet();
  assert.throws(
    () => set.parse('t', '{{.x.y'),
    (e: unknown) => e instanceof GoTemplateError && e.message === 'template: t:1: unclosed action',
  );
});
