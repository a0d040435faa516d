// The TemplateSet API (contract.ts): parse/has/names/execute/clone/funcs, options (missingKey,
// delims, funcs) and how Go functions' errors and panics surface. Outputs and messages that Go
// defines are checked against Go's text/template (the gotemplate oracle).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GoError, GoInt, GoTemplateError, goFunc, newTemplateSet } from './index.js';
import { gotemplateOracle, runOracle, runOurs, type TemplateCase } from './testing/oracle.js';

test('options, redefinition and template lookup equal Go', { skip: gotemplateOracle.skip }, () => {
  const cases: TemplateCase[] = [
    {
      templates: { t: '[[.a]] {{.a}} [[- " x " -]] [[template "u" .]]', u: '[[define "v"]]V[[end]]U[[.b.c]]' },
      entry: 't',
      data: { a: 1, b: { c: 2 } },
      delims: ['[[', ']]'],
    },
    { templates: { t: '<%.a%>', u: '<%define "w"%><%end%>' }, entry: 't', data: { a: 'x' }, delims: ['<%', '%>'] },
    { templates: { t: '{{.a}} {{.b.c}} {{index . "a"}}' }, entry: 't', data: { b: {} }, missingkey: 'zero' },
    { templates: { t: '{{.a}}' }, entry: 't', data: { b: 1 }, missingkey: 'error' },
    { templates: { t: '{{.a.b}}' }, entry: 't', data: { a: {} }, missingkey: 'error' },
    { templates: { t: '{{.a.b}}' }, entry: 't', missingkey: 'error' },
    { templates: { t: '{{(typed "a" 1).b}} {{(typed).x}}' }, entry: 't', missingkey: 'zero' },
    {
      templates: { t: '{{template "x"}}', x: 'first', y: '{{define "x"}}second{{end}}' },
      order: ['t', 'x', 'y'],
      entry: 't',
    },
    {
      templates: { t: '{{template "x"}}', x: 'first', y: '{{define "x"}}  {{end}}' },
      order: ['t', 'x', 'y'],
      entry: 't',
    },
    { templates: { t: '{{define "x"}}a{{end}}{{define "x"}}b{{end}}' }, entry: 't' },
    { templates: { t: 'T', u: '{{define "t"}}{{end}}' }, order: ['t', 'u'], entry: 't' },
    { templates: { t: '{{template "nope"}}' }, entry: 't' },
    { templates: { t: '{{fail "boom"}}' }, entry: 't' },
    { templates: { t: '{{boom "oops"}}' }, entry: 't' },
    { templates: { t: '{{(obj "o").Fail}}' }, entry: 't' },
    { templates: { t: '{{undefinedFn 1}}' }, entry: 't' },
    { templates: { t: '{{"a" | printf "%s-%s" "b"}} {{3 | printf "%d"}}' }, entry: 't' },
    { templates: { t: '{{oneArg 3}}' }, entry: 't' },
    { templates: { t: '{{oneArg .x}}' }, entry: 't', data: { x: 1 } },
    { templates: { t: '{{oneArg .x}}' }, entry: 't', data: {} },
    { templates: { t: '{{oneArg nil}}' }, entry: 't' },
    { templates: { t: '{{dddArg 1 "a" "b"}}{{dddArg 2}}{{"z" | dddArg 3 "y"}}' }, entry: 't' },
    { templates: { t: '{{add 1 2 .x}}' }, entry: 't', data: { x: 1 } },
    { templates: { t: '{{add 1 (i64 2)}}' }, entry: 't' },
    { templates: { t: '{{call .}}' }, entry: 't', data: 'x' },
    {
      templates: {
        t:
          '{{len "\\xff\\xfe"}} {{index "a\\xffb" 1}} {{slice "\\xffé" 0 2 | printf "%q %x"}} ' +
          '{{printf "%q %+q %#q %x % X %.1s|%3s|" "a\\xff" "\\xc3" "\\xe9" "\\x80é" "\\xff" "\\xffé" ' +
          '"\\xfe"}} {{js "\\xff<"}} {{urlquery "\\xff "}} {{bytes "\\xff" | printf "%s %q %v"}}',
      },
      entry: 't',
    },
    {
      templates: {
        t:
          '{{.__proto__}} {{.toString}} {{.constructor}} {{index . ' +
          '"__proto__"}} {{range $k, $v := .}}{{$k}}={{$v}};{{end}} {{len .}}',
      },
      entry: 't',
      data: JSON.parse('{"__proto__":{"a":1},"b":2}'),
    },
    { templates: { t: '{{.toString}}' }, entry: 't', data: {}, missingkey: 'error' },
    {
      templates: {
        t:
          '{{html "<a href=\'x\'>&\\"" }} {{js "a\'b\\"c<>&=\\u00e9\\u2028"}} ' +
          '{{urlquery "a b&c=d/é"}} {{html .x 1}} {{js nil}}',
      },
      entry: 't',
    },
  ];
  const want = runOracle(cases);
  cases.forEach((c, i) => assert.deepEqual(runOurs(c), want[i], JSON.stringify(c.templates)));
});

test('has and names list the templates of the set, sorted', () => {
  const set = newTemplateSet();
  set.parse('b', '{{define "a"}}A{{end}}B{{block "c" .}}C{{end}}');
  assert.deepEqual(set.names(), ['a', 'b', 'c']);
  assert.equal(set.has('a'), true);
  assert.equal(set.has('z'), false);
});

test('clone is independent of the original', () => {
  const set = newTemplateSet();
  set.parse('t', 'one');
  const copy = set.clone();
  copy.parse('t', 'two');
  copy.parse('u', 'three');
  copy.funcs({ x: goFunc([], ['string'], () => 'x') });
  assert.equal(set.execute('t', null), 'one');
  assert.equal(copy.execute('t', null), 'two');
  assert.equal(set.has('u'), false);
  assert.throws(
    () => set.parse('v', '{{x}}'),
    (e: unknown) => e instanceof GoTemplateError && e.message === 'template: v:1: function "x" not defined',
  );
});

test('a clone and its original share nothing mutable, whichever changes first, at any depth', () => {
  const set = newTemplateSet({ funcs: { f: goFunc([], ['string'], () => 'f0') } });
  set.parse('t', 'one{{f}}');
  set.execute('t', null);
  const copy = set.clone();
  const copy2 = copy.clone();
  set.parse('t', 'ONE{{f}}');
  set.parse('u', 'U');
  set.funcs({ f: goFunc([], ['string'], () => 'f1') });
  assert.equal(set.execute('t', null), 'ONEf1');
  assert.equal(copy.execute('t', null), 'onef0');
  assert.equal(copy2.execute('t', null), 'onef0');
  assert.equal(copy.has('u'), false);
  copy2.parse('v', '{{template "t"}}');
  assert.equal(copy2.execute('v', null), 'onef0');
  assert.equal(copy.has('v'), false);
  assert.equal(set.has('v'), false);
  // The function map changes after an execution: the next execution sees the new one.
  for (let i = 0; i < 6; i++) {
    copy.funcs({ f: goFunc([], ['string'], () => `g${i}`) });
    assert.equal(copy.execute('t', null), `oneg${i}`);
  }
  assert.equal(copy2.execute('t', null), 'onef0');
  assert.equal(set.execute('t', null), 'ONEf1');
});

test('funcs adds and overrides functions, builtins included', () => {
  const set = newTemplateSet({
    funcs: { twice: goFunc(['int'], ['int'], ([n]) => new GoInt((n as GoInt).value * 2n)) },
  });
  set.parse('t', '{{twice 21}}');
  assert.equal(set.execute('t', null), '42');
  set.funcs({
    len: goFunc(['interface{}'], ['string'], () => 'mine'),
    echo: goFunc(['string'], ['string', 'error'], ([s]) => {
      if (s === 'bad') throw new GoError('bad input');
      return s!;
    }),
  });
  set.parse('u', '{{len 1}} {{echo "ok"}}');
  assert.equal(set.execute('u', null), 'mine ok');
  set.parse('v', '{{echo "bad"}}');
  assert.throws(
    () => set.execute('v', null),
    (e: unknown) =>
      e instanceof GoTemplateError &&
      e.message === 'template: v:1:2: executing "v" at <echo "bad">: error calling echo: bad input',
  );
});

test("executing an unknown template names the set's first template, as Go names the root", {
  skip: gotemplateOracle.skip,
}, () => {
  const c: TemplateCase = { templates: { root: 'x', other: 'y' }, entry: 'root', run: 'missing' };
  assert.deepEqual(runOurs(c), runOracle([c])[0]);
});
