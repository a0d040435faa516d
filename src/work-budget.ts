/**
 * The caps of one evaluation (a Kyverno policy on an object, a CEL expression, a Rego query, a
 * chart's templates): a deterministic work budget (steps, counted by the engine) that stops
 * runaway input with the same result on any machine, and a time backstop far above what healthy
 * input needs, for work the steps do not see (one huge built-in call).
 *
 * The backstop counts time the evaluation actually ran, not time it waited: a process descheduled
 * for an hour on a loaded CI runner must give the report it gives on an idle laptop. It is passed
 * when, after `timeoutMs` of wall time, the thread has spent `timeoutMs` more of CPU time: a
 * runaway stops after between one and two `timeoutMs` of its own running; a pause alone (however
 * long) never trips it. Only the wall clock (cheap) is read until the wall time is up; the CPU
 * clock is read after that, and again only when the wall time says it could be up.
 */
import { readFileSync } from 'node:fs';

/** The clocks of a backstop; tests pass their own (a pause is a wall jump with no CPU). */
export interface EngineClock {
  /** Monotonic wall time, ms. */
  wallMs(): number;
  /** CPU time of the running thread, ms (of the whole process where the runtime cannot tell threads apart). */
  cpuMs(): number;
}

const usageMs = (u: { user: number; system: number }): number => (u.user + u.system) / 1000;

/**
 * This thread's CPU time: `process.threadCpuUsage` (Node 23.9+), else Linux's
 * `/proc/thread-self/stat` (utime + stime, 10 ms ticks), else the process's, which `--jobs`
 * workers share (so there the backstop may fire up to N times early; the step budgets do not).
 */
export function threadCpuMs(): number {
  const p = process as { threadCpuUsage?: () => { user: number; system: number } };
  if (typeof p.threadCpuUsage === 'function') return usageMs(p.threadCpuUsage());
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]);
    if (Number.isFinite(ticks)) return ticks * 10;
  } catch {
    // not Linux: the process's CPU time below
  }
  return usageMs(process.cpuUsage());
}

/** The clocks of the running thread. */
export const threadClock: EngineClock = { wallMs: () => performance.now(), cpuMs: threadCpuMs };

/** Which cap a budget passed. */
export type CapPassed = 'steps' | 'time';

export interface WorkBudgetOptions {
  /** Steps allowed (the engine says what a step is). @default Infinity */
  readonly maxSteps?: number;
  /** The time backstop, ms of running time (above). @default Infinity */
  readonly timeoutMs?: number;
  /** @default threadClock */
  readonly clock?: EngineClock;
  /** The backstop's clock is sampled every this many steps. @default 256 */
  readonly sampleEvery?: number;
}

/** One evaluation's budget: count steps with `step`, or inline (`++b.steps >= b.next && b.check()`). */
export class WorkBudget {
  steps = 0;
  /** The step count at which `check` must run next (the step cap or the next clock sample). */
  next: number;
  readonly maxSteps: number;
  readonly timeoutMs: number;
  private readonly clock: EngineClock;
  private readonly sampleEvery: number;
  private nextWall: number;
  private cpuFrom: number | undefined;

  constructor(opts: WorkBudgetOptions = {}) {
    this.maxSteps = opts.maxSteps ?? Number.POSITIVE_INFINITY;
    this.timeoutMs = opts.timeoutMs ?? Number.POSITIVE_INFINITY;
    this.clock = opts.clock ?? threadClock;
    this.sampleEvery = Math.max(1, opts.sampleEvery ?? 256);
    this.nextWall = Number.isFinite(this.timeoutMs) ? this.clock.wallMs() + this.timeoutMs : Number.POSITIVE_INFINITY;
    this.next = this.nextCheck();
  }

  /** Counts `n` steps; the cap passed, if any. */
  step(n = 1): CapPassed | undefined {
    this.steps += n;
    return this.steps >= this.next ? this.check() : undefined;
  }

  /** The cap passed, if any (the step cap first: it is the one that does not depend on the machine). */
  check(): CapPassed | undefined {
    if (this.steps > this.maxSteps) return 'steps';
    this.next = this.nextCheck();
    return this.timeUp() ? 'time' : undefined;
  }

  private nextCheck(): number {
    const sample = Number.isFinite(this.timeoutMs) ? this.steps + this.sampleEvery : Number.POSITIVE_INFINITY;
    return Math.min(this.maxSteps + 1, sample);
  }

  private timeUp(): boolean {
    if (this.nextWall === Number.POSITIVE_INFINITY) return false;
    const wall = this.clock.wallMs();
    if (wall < this.nextWall) return false;
    const cpu = this.clock.cpuMs();
    if (this.cpuFrom === undefined) {
      this.cpuFrom = cpu;
      this.nextWall = wall + this.timeoutMs;
      return false;
    }
    const used = cpu - this.cpuFrom;
    if (used >= this.timeoutMs) return true;
    // A thread spends CPU no faster than wall time passes: no need to read the CPU clock before then.
    this.nextWall = wall + (this.timeoutMs - used);
    return false;
  }
}
