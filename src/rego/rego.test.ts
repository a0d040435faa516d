/**
 * Table tests of the Rego evaluator from OPA's documented semantics. Each case cites the section
 * of https://www.openpolicyagent.org/docs/policy-language (PL) or /docs/policy-reference (PR) it
 * follows; test/rego/opa-differential.test.ts checks the same cases against the real `opa`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRego, RegoFailure } from './index.js';
import { REGO_TABLE } from './testing/table.js';

for (const c of REGO_TABLE) {
  test(`${c.section}: ${c.name}`, () => {
    const run = (): unknown =>
      compileRego([{ file: 'policy.rego', text: c.module }], c.v0 ? { v0: true } : {}).evaluate(
        c.query,
        c.input === undefined ? {} : { input: c.input },
      );
    if (c.error) {
      assert.throws(run, (e: unknown) => {
        assert.ok(e instanceof RegoFailure, String(e));
        assert.equal(e.errors[0]!.code, c.error!.code);
        if (c.error!.message) assert.match(e.message, c.error!.message);
        return true;
      });
    } else {
      assert.deepEqual(run(), c.want);
    }
  });
}

test('PL Modules: parse errors carry file, row (shifted by lineOffset) and column', () => {
  assert.throws(
    () =>
      compileRego(
        [
          {
            file: 'template.yaml',
            text: 'package p\n\nviolation[{"msg": msg}] {\n  msg := sprintf("x", [1]\n}\n',
            lineOffset: 20,
          },
        ],
        { v0: true },
      ),
    (e: unknown) => {
      assert.ok(e instanceof RegoFailure);
      const err = e.errors[0]!;
      assert.equal(err.code, 'rego_parse_error');
      assert.equal(err.file, 'template.yaml');
      assert.equal(err.row, 24);
      assert.equal(err.col, 1);
      assert.match(e.message, /^template\.yaml:24:1: rego_parse_error: /);
      return true;
    },
  );
});

test('every module with a problem is reported at once', () => {
  assert.throws(
    () =>
      compileRego([
        { file: 'a.rego', text: 'package a\np if {' },
        { file: 'b.rego', text: 'package b\np if http.send({"url": "x"})' },
      ]),
    (e: unknown) => {
      assert.ok(e instanceof RegoFailure);
      assert.deepEqual(
        e.errors.map((x) => [x.file, x.code]),
        [['a.rego', 'rego_parse_error']],
      );
      return true;
    },
  );
});

test('PR: network built-ins are compile errors "not supported offline"', () => {
  for (const call of [
    'http.send({"url": "https://example.com"})',
    'opa.runtime()',
    'net.lookup_ip_addr("example.com")',
  ]) {
    assert.throws(
      () => compileRego([{ file: 'n.rego', text: `package n\np := ${call}` }]),
      (e: unknown) =>
        e instanceof RegoFailure &&
        e.errors[0]!.code === 'rego_compile_error' &&
        /not supported offline/.test(e.message) &&
        e.errors[0]!.row === 2,
    );
  }
});

test('caps: the step cap ends an expensive evaluation with eval_cancel_error', () => {
  const prog = compileRego([
    {
      file: 'big.rego',
      text: 'package big\nxs := [i | some i in input]\nn := count([1 | some a in xs; some b in xs; some c in xs])',
    },
  ]);
  const input = Array.from({ length: 100 }, (_, i) => i);
  assert.throws(
    () => prog.evaluate('data.big.n', { input, maxSteps: 10_000 }),
    (e: unknown) =>
      e instanceof RegoFailure && e.errors[0]!.code === 'eval_cancel_error' && e.errors[0]!.file === 'big.rego',
  );
  assert.equal(prog.evaluate('data.big.n', { input: input.slice(0, 10) }), 1000);
});

/** A clock paused for an hour between any two readings: wall time flies, no CPU time is spent. */
const pausedClock = (): { wallMs: () => number; cpuMs: () => number } => {
  let wall = 0;
  return { wallMs: () => (wall += 3_600_000), cpuMs: () => 0 };
};

const quadruple = (): ReturnType<typeof compileRego> =>
  compileRego([
    {
      file: 't.rego',
      text:
        'package t\nxs := [i | some i in input]\n' +
        'n := count([1 | some a in xs; some b in xs; some c in xs; some d in xs])',
    },
  ]);

test('caps: a runaway query stops at the step cap with the same error every time, whatever the clock says', () => {
  const prog = quadruple();
  const input = Array.from({ length: 200 }, (_, i) => i);
  const run = (): string => {
    try {
      prog.evaluate('data.t.n', { input, timeoutMs: 1, maxSteps: 200_000, clock: pausedClock() });
    } catch (e) {
      return e instanceof RegoFailure ? `${e.errors[0]!.code}: ${e.message}` : String(e);
    }
    return 'no error';
  };
  const first = run();
  assert.match(first, /^eval_cancel_error: .*more than 200000 evaluation steps/);
  assert.equal(run(), first);
});

test('caps: a healthy query paused for hours is not stopped by the time backstop', () => {
  const input = Array.from({ length: 12 }, (_, i) => i);
  assert.equal(quadruple().evaluate('data.t.n', { input, timeoutMs: 1, clock: pausedClock() }), 12 ** 4);
});

test('caps: the time backstop (running time) ends an evaluation with eval_cancel_error', () => {
  let cpu = 0;
  const spinning = { wallMs: () => (cpu += 10), cpuMs: () => cpu };
  const input = Array.from({ length: 200 }, (_, i) => i);
  assert.throws(
    () =>
      quadruple().evaluate('data.t.n', {
        input,
        timeoutMs: 50,
        maxSteps: Number.MAX_SAFE_INTEGER,
        clock: spinning,
      }),
    (e: unknown) =>
      e instanceof RegoFailure &&
      e.errors[0]!.code === 'eval_cancel_error' &&
      /timed out after 50 ms of CPU time/.test(e.message),
  );
});

test('regex.match refuses backreferences and lookaround (RE2) and stays linear', () => {
  const prog = compileRego([
    {
      file: 'r.rego',
      text: 'package r\nok if regex.match(input.p, input.s)\nbad if not regex.match(input.p, input.s)',
    },
  ]);
  assert.equal(prog.evaluate('data.r.ok', { input: { p: '(a)\\1', s: 'aa' } }), undefined);
  // A built-in error makes the call undefined (OPA's non-strict mode), so `not` holds.
  assert.equal(prog.evaluate('data.r.bad', { input: { p: '(?=a)', s: 'a' } }), true);
  const t0 = Date.now();
  assert.equal(prog.evaluate('data.r.ok', { input: { p: '^(a+)+$', s: 'a'.repeat(5000) + 'b' } }), undefined);
  assert.ok(Date.now() - t0 < 1000);
});

test('packages are listed sorted', () => {
  const prog = compileRego([
    { file: 'b.rego', text: 'package lib.b\nx := 1' },
    { file: 'a.rego', text: 'package a\ny := 1' },
  ]);
  assert.deepEqual(prog.packages, ['data.a', 'data.lib.b']);
});

test('data documents are merged under the rules and with can replace them', () => {
  const prog = compileRego([
    {
      file: 'd.rego',
      text:
        'package d\nimport rego.v1\nn := count(data.inventory.cluster)\n' +
        'm := x if x := n with data.inventory.cluster as [1]',
    },
  ]);
  assert.equal(prog.evaluate('data.d.n', { data: { inventory: { cluster: { a: 1, b: 2 } } } }), 2);
  assert.equal(prog.evaluate('data.d.m', { data: { inventory: { cluster: { a: 1, b: 2 } } } }), 1);
});

test('caps: bodies and nesting too deep for the stack are errors, not crashes', () => {
  const body = Array.from({ length: 20_000 }, (_, i) => `  x${i} := ${i}`).join('\n');
  assert.throws(
    () => compileRego([{ file: 'deep.rego', text: `package deep\np if {\n${body}\n}` }]).evaluate('data.deep.p'),
    (e: unknown) => e instanceof RegoFailure && ['eval_cancel_error', 'rego_parse_error'].includes(e.errors[0]!.code),
  );
  assert.throws(
    () => compileRego([{ file: 'nest.rego', text: `package nest\np := ${'['.repeat(20_000)}${']'.repeat(20_000)}` }]),
    (e: unknown) => e instanceof RegoFailure && e.errors[0]!.code === 'rego_parse_error',
  );
});
