// Safety caps for untrusted templates: nesting, template recursion, output size and deadline end in
// a GoTemplateError, never a stack overflow or a hang. Where Go accepts the input (nesting below our
// caps), the output is checked against Go's text/template (the gotemplate oracle).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GoTemplateError, newTemplateSet } from './index.js';
import { MAX_CONTROL_DEPTH, MAX_PAREN_DEPTH } from './parse.js';
import { WorkBudget } from '../work-budget.js';
import { gotemplateOracle, runOracle, runOurs, type TemplateCase } from './testing/oracle.js';

function goError(f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (e: unknown) => e instanceof GoTemplateError && pattern.test(e.message));
}

test('10,000 nested parentheses: a clean parse error (Go: max expression depth exceeded)', () => {
  const set = newTemplateSet();
  goError(
    () => set.parse('t', '{{' + '('.repeat(10_000) + '1' + ')'.repeat(10_000) + '}}'),
    /^template: t:1: max expression depth exceeded$/,
  );
});

test('10,000 nested ifs: a clean parse error', () => {
  const set = newTemplateSet();
  goError(
    () => set.parse('t', '{{if 1}}'.repeat(10_000) + 'x' + '{{end}}'.repeat(10_000)),
    new RegExp(`^template: t:1: max nesting depth of control structures exceeded \\(${MAX_CONTROL_DEPTH}\\)$`),
  );
});

test('nesting just below the caps gives what Go gives', { skip: gotemplateOracle.skip }, () => {
  const n = MAX_PAREN_DEPTH - 1;
  const m = MAX_CONTROL_DEPTH - 2;
  const cases: TemplateCase[] = [
    { templates: { t: '{{' + '('.repeat(n) + '1' + ')'.repeat(n) + '}}' }, entry: 't' },
    { templates: { t: '{{if 1}}'.repeat(m) + 'x' + '{{end}}'.repeat(m) }, entry: 't' },
    { templates: { t: '{{with .}}'.repeat(m) + '{{.a}}' + '{{end}}'.repeat(m) }, entry: 't', data: { a: 1 } },
    { templates: { t: '{{range .}}'.repeat(m) + '{{.}}' + '{{end}}'.repeat(m) }, entry: 't', data: [[[[1, 2]]]] },
  ];
  const want = runOracle(cases);
  cases.forEach((c, i) => assert.deepEqual(runOurs(c), want[i]));
});

test('endless template recursion stops at maxExecDepth', () => {
  const text = '{{define "r"}}{{template "r" .}}{{end}}{{template "r" .}}';
  const set = newTemplateSet();
  set.parse('main', text);
  goError(
    () => set.execute('main', null),
    /^template: main:1:25: executing "r" at <\{\{template "r" \.\}\}>: exceeded maximum template depth \(1000\)$/,
  );
  const small = newTemplateSet({ limits: { maxExecDepth: 10 } });
  small.parse('main', text);
  goError(() => small.execute('main', null), /exceeded maximum template depth \(10\)$/);
});

test('output larger than maxOutputBytes stops execution', () => {
  const set = newTemplateSet({ limits: { maxOutputBytes: 1000 } });
  set.parse('t', '{{range 100}}0123456789abcdef{{end}}');
  goError(() => set.execute('t', null), /output exceeds the limit of 1000 bytes$/);
  set.parse('u', '{{range 10}}0123456789{{end}}');
  assert.equal(set.execute('u', null).length, 100);
});

test('the output cap counts UTF-8 bytes exactly, whatever the mix of 1- to 4-byte characters', () => {
  // Bytes are counted only once 3 x the UTF-16 units written could pass the cap: the verdict must be
  // the exact count's at every cap around the output's size, and at the same write.
  const text = '{{range 40}}a\u00e9\u20ac\u{1f600}{{.}}{{end}}';
  const full = newTemplateSet().clone();
  full.parse('t', text);
  const want = full.execute('t', null);
  const bytes = Buffer.byteLength(want);
  for (let max = 0; max <= bytes + 12; max++) {
    const set = newTemplateSet({ limits: { maxOutputBytes: max } });
    set.parse('t', text);
    if (bytes <= max) assert.equal(set.execute('t', null), want, `cap ${max}`);
    else goError(() => set.execute('t', null), new RegExp(`output exceeds the limit of ${max} bytes$`));
  }
  // The write that fails is the first one past the cap: the error names its node (its column).
  const pieces = Array.from(
    { length: 60 },
    (_, i) => ['\u20ac\u20ac', 'a', '\u20ac', '\u00e9', '\u{1f600}', 'ab'][i % 6]!,
  );
  const actions = pieces.map((p) => `{{${JSON.stringify(p)}}}`);
  const many = actions.join('');
  for (let max = 0; max <= Buffer.byteLength(pieces.join('')); max++) {
    let k = 0;
    for (let sum = 0; k < pieces.length; k++) if ((sum += Buffer.byteLength(pieces[k]!)) > max) break;
    const set = newTemplateSet({ limits: { maxOutputBytes: max } });
    set.parse('t', many);
    if (k === pieces.length) {
      assert.equal(set.execute('t', null), pieces.join(''));
      continue;
    }
    const col = Buffer.byteLength(actions.slice(0, k).join('')) + 2;
    const want = `template: t:1:${col}: executing "t": output exceeds the limit of ${max} bytes`;
    assert.throws(
      () => set.execute('t', null),
      (e: unknown) => e instanceof GoTemplateError && e.message === want,
    );
  }
});

test('a runaway loop stops at its step budget, with the same message every time', () => {
  const run = (): string => {
    const set = newTemplateSet({ limits: { budget: new WorkBudget({ maxSteps: 100_000 }) } });
    set.parse('t', '{{range 100000000}}{{end}}');
    try {
      set.execute('t', null);
    } catch (e) {
      return (e as Error).message;
    }
    return 'no error';
  };
  const first = run();
  assert.equal(first, 'template: t:1:19: executing "t": execution exceeded 100000 steps (a resource limit)');
  assert.equal(run(), first);
});

test('the time backstop counts running time: an hour-long pause per step does not trip it', () => {
  let wall = 0;
  const clock = { wallMs: () => (wall += 3_600_000), cpuMs: () => 0 };
  const set = newTemplateSet({ limits: { budget: new WorkBudget({ timeoutMs: 1, clock }) } });
  set.parse('t', '{{range 100000}}{{end}}{{"done"}}');
  assert.equal(set.execute('t', null), 'done');
  let cpu = 0;
  const spinning = { wallMs: () => (cpu += 1), cpuMs: () => cpu };
  const runaway = newTemplateSet({ limits: { budget: new WorkBudget({ timeoutMs: 1000, clock: spinning }) } });
  runaway.parse('t', '{{range 100000000}}{{end}}');
  goError(() => runaway.execute('t', null), /execution deadline exceeded \(1000 ms of CPU time, a resource limit\)$/);
});

test('deeply nested data prints without a stack overflow escaping', () => {
  let deep: unknown = 1;
  for (let i = 0; i < 200_000; i++) deep = [deep];
  const set = newTemplateSet();
  set.parse('t', '{{.}}');
  try {
    set.execute('t', deep as never);
  } catch (e) {
    assert.ok(e instanceof GoTemplateError, String(e));
  }
});
