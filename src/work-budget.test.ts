// The caps of one evaluation: a step cap that gives the same answer on any machine, and a time
// backstop that counts running (CPU) time, so that a paused process never trips it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkBudget, threadCpuMs, type EngineClock } from './work-budget.js';

/** A clock the test moves: `pause` moves wall time only, `run` both. */
function fakeClock(): EngineClock & { pause(ms: number): void; run(ms: number): void } {
  let wall = 0;
  let cpu = 0;
  return {
    wallMs: () => wall,
    cpuMs: () => cpu,
    pause: (ms) => {
      wall += ms;
    },
    run: (ms) => {
      wall += ms;
      cpu += ms;
    },
  };
}

test('the step cap passes at maxSteps + 1, on any clock', () => {
  const b = new WorkBudget({ maxSteps: 1000 });
  let passed;
  let n = 0;
  while (passed === undefined && n < 10_000) {
    passed = b.step();
    n++;
  }
  assert.equal(passed, 'steps');
  assert.equal(n, 1001);
});

test('a pause of an hour does not trip a 1 s backstop', () => {
  const clock = fakeClock();
  const b = new WorkBudget({ timeoutMs: 1000, clock, sampleEvery: 1 });
  for (let i = 0; i < 100; i++) {
    clock.pause(3_600_000);
    clock.run(1);
    assert.equal(b.step(), undefined, `step ${i}`);
  }
});

test('running time trips the backstop: after the wall limit, the limit again in CPU', () => {
  const clock = fakeClock();
  const b = new WorkBudget({ timeoutMs: 1000, clock, sampleEvery: 1 });
  clock.pause(5000);
  assert.equal(b.step(), undefined, 'a pause alone');
  clock.run(999);
  assert.equal(b.step(), undefined, '999 ms of CPU after the wall limit');
  clock.run(1);
  assert.equal(b.step(), 'time');
  const spinning = fakeClock();
  const s = new WorkBudget({ timeoutMs: 1000, clock: spinning, sampleEvery: 1 });
  let ms = 0;
  while (s.step() === undefined && ms < 10_000) {
    spinning.run(1);
    ms++;
  }
  assert.equal(ms, 2000, 'a runaway stops after twice the limit of its own time');
});

test('the clock is read only every sampleEvery steps, and the CPU clock only once the wall time is up', () => {
  let walls = 0;
  let cpus = 0;
  const clock: EngineClock = { wallMs: () => (walls++, 0), cpuMs: () => (cpus++, 0) };
  const b = new WorkBudget({ timeoutMs: 1000, clock, sampleEvery: 256 });
  for (let i = 0; i < 256 * 10; i++) b.step();
  assert.equal(walls, 11);
  assert.equal(cpus, 0);
});

test('threadCpuMs counts this thread running, not sleeping', () => {
  const t0 = threadCpuMs();
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
  const slept = threadCpuMs() - t0;
  const t1 = threadCpuMs();
  const p1 = process.cpuUsage();
  const end = performance.now() + 300;
  while (performance.now() < end);
  const ran = threadCpuMs() - t1;
  const p = process.cpuUsage(p1);
  const processRan = (p.user + p.system) / 1000;
  assert.ok(slept < 60, `slept: ${slept} ms of CPU`);
  // Of the process's CPU time (GC and compiler threads too, on a loaded machine maybe little), most is this thread's.
  assert.ok(ran <= processRan + 20 && ran >= processRan * 0.6 - 20, `ran ${ran} ms, the process ${processRan} ms`);
  assert.ok(ran > 0, 'some of the spin ran');
});
