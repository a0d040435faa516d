// The caps of one evaluation: the runtime cost limit (Kubernetes' PerCallLimit) decides, the same
// way on any machine; the time backstop counts running time, so a paused process is not stopped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CelEvalError, compileCel } from './index.js';

/** A clock paused for an hour between any two readings: wall time flies, no CPU time is spent. */
const pausedClock = (): { wallMs: () => number; cpuMs: () => number } => {
  let wall = 0;
  return { wallMs: () => (wall += 3_600_000), cpuMs: () => 0 };
};

const squares = compileCel('object.l.map(a, object.l.map(b, a + b)).size()', { variables: ['object'] });
const list = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function failure(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return e instanceof CelEvalError ? `${e.kind}: ${e.message}` : `not a CelEvalError: ${String(e)}`;
  }
  return 'no error';
}

test('a runaway expression stops at the cost limit with the same error every time, whatever the clock says', () => {
  const run = () =>
    failure(() => squares.evaluate({ object: { l: list(2000) } }, { timeoutMs: 1, clock: pausedClock() }));
  const first = run();
  assert.equal(first, 'cost: operation cancelled: actual cost limit exceeded');
  assert.equal(run(), first);
});

test('a healthy expression paused for hours is not stopped by the time backstop', () => {
  assert.equal(squares.evaluate({ object: { l: list(300) } }, { timeoutMs: 1, clock: pausedClock() }), 300);
});

test("the time backstop stops what runs, with cel-go's interrupt message", () => {
  let cpu = 0;
  const spinning = { wallMs: () => (cpu += 10), cpuMs: () => cpu };
  const out = failure(() => squares.evaluate({ object: { l: list(300) } }, { timeoutMs: 100, clock: spinning }));
  assert.equal(out, 'timeout: operation interrupted: evaluation time limit exceeded');
});
