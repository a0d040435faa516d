/**
 * Helm's include/tpl closures on their own: the recursion cap (engine.go recursionMaxNums = 1000,
 * checked against Helm in test/helm-funcs/oracle.test.ts: the 1002nd nested include of a name is
 * refused), its counting per render, our overall depth cap (same message, before the JavaScript
 * stack ends), and the error texts Helm gives. The renderer (src/helm/render/engine.ts) and the
 * function map (helmFuncMap) use these same closures: one include, one tpl.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TemplateSet } from '../../gotemplate/contract.js';
import { GoError, type GoFunc } from '../../gotemplate/value.js';
import { CHART_CASES, INCLUDE_LOOP } from './cases.js';
import { renderChart } from './testing.js';
import { MAX_INCLUDE_DEPTH, includeFunc, newIncludeState } from './template.js';

/** A set whose template "loop" includes itself `depth` times, then returns "end". */
function loopSet(depth: number, include: () => GoFunc): TemplateSet {
  let level = 0;
  const set: Partial<TemplateSet> = {
    execute: (name: string) => {
      if (level >= depth) return 'end';
      level++;
      try {
        return String(include().call([name, null]));
      } finally {
        level--;
      }
    },
  };
  return set as TemplateSet;
}

test('include refuses the 1002nd nested entry of one name, with Helm message', () => {
  let inc: GoFunc;
  const set = loopSet(5000, () => inc);
  inc = includeFunc(() => set, newIncludeState(Infinity));
  assert.throws(
    () => inc.call(['loop', null]),
    (e: unknown) =>
      e instanceof GoError &&
      e.message === 'rendering template has a nested reference name: loop: unable to execute template',
  );
});

test('include allows 1001 nested entries of one name', () => {
  let inc: GoFunc;
  const set = loopSet(1000, () => inc);
  inc = includeFunc(() => set, newIncludeState(Infinity));
  assert.equal(inc.call(['loop', null]), 'end');
});

test('the count is of nested entries: sequential includes are not limited', () => {
  let inc: GoFunc;
  const set = loopSet(900, () => inc);
  const state = newIncludeState(Infinity);
  const counts = state.included;
  inc = includeFunc(() => set, state);
  for (let i = 0; i < 3; i++) assert.equal(inc.call(['loop', null]), 'end');
  assert.equal(counts.get('loop'), 0);
});

const NESTED = (name: string) => `rendering template has a nested reference name: ${name}: unable to execute template`;

test(`our depth cap: the ${MAX_INCLUDE_DEPTH + 1}st nested include/tpl is refused with Helm's message; the depth is back to 0 after`, () => {
  let inc: GoFunc;
  const set = loopSet(5000, () => inc);
  const state = newIncludeState();
  inc = includeFunc(() => set, state);
  assert.throws(
    () => inc.call(['loop', null]),
    (e: unknown) => e instanceof GoError && e.message === NESTED('loop'),
  );
  assert.equal(state.depth, 0);
  assert.equal(state.included.get('loop'), 0);
  // Under the cap nothing changes.
  const shallow = loopSet(MAX_INCLUDE_DEPTH - 1, () => inc);
  inc = includeFunc(() => shallow, newIncludeState());
  assert.equal(inc.call(['loop', null]), 'end');
});

test("with the real engine: include and tpl loops stop with Helm's message, errors keep Helm's wording", () => {
  const loop = renderChart(INCLUDE_LOOP.templates);
  assert.ok(
    'error' in loop && loop.error.endsWith(`error calling include: ${NESTED('loop')}`),
    JSON.stringify(loop).slice(-300),
  );
  // tpl text that includes a define calling tpl again: the shared count stops it too.
  const tplLoop = renderChart({
    'templates/_h.tpl': '{{- define "again" -}}{{ tpl "{{ include \\"again\\" . }}" . }}{{- end -}}',
    'templates/t.yaml': '{{ include "again" . }}',
  });
  assert.ok(
    'error' in tplLoop && /nested reference name: (again|tpl): unable to execute template$/.test(tplLoop.error),
    JSON.stringify(tplLoop).slice(-300),
  );
  const missing = renderChart({ 'templates/t.yaml': '{{ include "nope" . }}' });
  assert.ok(
    'error' in missing &&
      missing.error.endsWith('error calling include: template: no template "nope" associated with template "gotpl"'),
    JSON.stringify(missing),
  );
  const parse = renderChart(CHART_CASES.find((c) => c.name === 'tpl parse error')!.templates);
  assert.ok(
    'error' in parse &&
      /error calling tpl: cannot parse template "\{\{ \.Values\.x ": template: gotpl:1: unclosed action$/.test(
        parse.error,
      ),
    JSON.stringify(parse),
  );
});
