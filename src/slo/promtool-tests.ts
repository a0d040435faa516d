/**
 * promtool unit tests (`promtool test rules`) for one SLO's rules. Each scenario feeds synthetic
 * counters at a 1-minute scrape interval and asserts the alerts at chosen minutes. The minutes
 * come from the burn-rate arithmetic (policy.ts), never from running Prometheus:
 *
 * - fast burn: 6h of clean traffic (so every page window holds real history), then errors at
 *   `r` (20% for a 99.9% SLO). The 1h error ratio reaches the page threshold `f*b` after
 *   k* = 60min * f*b / r (4.32 min for 14.4 * 0.1% / 20%); the 5m window is over it sooner.
 *   With the first whole minute after k* as F: no page at F - 2, a page at F + 1 (one minute of
 *   slack for rate() extrapolation; promtool pages exactly at F for both example SLOs).
 * - healthy: errors at a tenth of the budget (0.01% for 99.9%) for 1d1h: nothing fires, and the
 *   recorded ratio and remaining budget are what the arithmetic says.
 * - quiet: 2 requests a minute with 10% errors, below minRequestsPerSecond: the burn conditions
 *   alone would page (asserted on the recorded series), yet no page; a ticket instead.
 * - slow burn: 3d of clean traffic, then a burn between the ticket and page factors (4.5x for
 *   30d); every window reaches at most that rate, so no page ever; the ticket fires once 10% of the
 *   budget is spent: k* = long window * factor / burn (960 min for 1d * 3 / 4.5). No ticket at
 *   0.9 k*, a ticket two 4-minute steps after k* (it fires at the first step past k*).
 * - never failed (availability): no error series exists at all; the ratio is 0, not empty.
 * - absent: the metric stops after 30 min; 5 min of staleness lookback plus the alert's
 *   `for: 10m` later SLOMetricAbsent fires.
 */
import type { Slo } from '../spec/schema.js';
import {
  ALERT_NAMES,
  ABSENT_FOR,
  RECORD,
  identityLabels,
  identitySelector,
  leMatcher,
  sloMatchers,
  type AlertingRule,
  type RuleGroup,
  type SloTarget,
} from './rules.js';
import { BURN_RATE_ALERTS, burnFactor, errorBudget, windowSeconds } from './policy.js';
import { counterValues, labelsSatisfying, num, satisfiesAll, seriesName, valueFor, type Segment } from './series.js';
import type { LabelMatcher } from './promql.js';

export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

export interface AlertTest {
  readonly eval_time: string;
  readonly alertname: string;
  readonly exp_alerts: readonly { exp_labels: Record<string, string>; exp_annotations: Record<string, string> }[];
}

export interface ExprTest {
  readonly expr: string;
  readonly eval_time: string;
  readonly exp_samples: readonly { labels: string; value: number }[];
}

export interface TestGroup {
  readonly name: string;
  readonly interval: string;
  readonly input_series: readonly InputSeries[];
  readonly alert_rule_test: readonly AlertTest[];
  readonly promql_expr_test?: readonly ExprTest[];
}

export interface PromtoolTestFile {
  readonly rule_files: readonly string[];
  readonly evaluation_interval: string;
  readonly tests: readonly TestGroup[];
}

/** Requests per minute of a normal service in the scenarios (10/s). */
const BUSY_PER_MIN = 600;
/** Requests per minute of the quiet service (the task's "2 requests a minute"). */
const QUIET_PER_MIN = 2;

const m = (minutes: number) => `${minutes}m`;

/** Scrape and evaluation step (minutes) of the short scenarios. */
export const SHORT_STEP = 1;
/** Scrape and evaluation step (minutes) of the scenarios with 3 days of history. */
export const LONG_STEP = 4;
/** The fast-burn scenario's error ratio is capped so that the page comes at least this many minutes in. */
const FAST_MIN = 4;
/** Minutes rounded to the long step. */
const onStep = (x: number, dir: 'up' | 'down') =>
  (dir === 'up' ? Math.ceil(x / LONG_STEP) : Math.floor(x / LONG_STEP)) * LONG_STEP;
const minutesOf = (w: string) => windowSeconds(w) / 60;

/** Per-minute traffic of one scenario phase: total requests and the error ratio. */
interface Phase {
  readonly minutes: number;
  readonly perMin: number;
  readonly errorRatio: number;
}

/** Label sets for good and bad requests of an availability SLO. */
function availabilityLabels(slo: Slo): { good: Record<string, string>; bad: Record<string, string> } {
  const { selector, errorSelector } = sloMatchers(slo);
  const base = labelsSatisfying(selector);
  const bad = labelsSatisfying(errorSelector, base);
  const good = { ...base };
  const first: LabelMatcher | undefined = errorSelector[0];
  if (first) {
    const v = valueFor(first, true);
    if (v === undefined)
      throw new Error(`cannot find a label value that fails ${first.name}${first.op}"${first.value}"`);
    good[first.name] = v;
  }
  if (
    !satisfiesAll(good, selector) ||
    !satisfiesAll(bad, selector) ||
    !satisfiesAll(bad, errorSelector) ||
    (errorSelector.length > 0 && satisfiesAll(good, errorSelector))
  ) {
    throw new Error('the selector and errorSelector leave no label set for good and bad requests');
  }
  return { good, bad };
}

/** Input series for a list of phases (and an optional trailing gap with no samples). */
function inputSeries(slo: Slo, step: number, phases: readonly Phase[], gapMinutes = 0): InputSeries[] {
  // The first phase's first sample is at minute 0, so it has `minutes / step` samples after it.
  const seg = (f: (p: Phase) => number): Segment[] => [
    ...phases.map((p) => ({ steps: Math.ceil(p.minutes / step), increment: f(p) * step })),
    ...(gapMinutes > 0 ? [{ steps: Math.ceil(gapMinutes / step), missing: true as const }] : []),
  ];
  if (slo.kind === 'availability') {
    const { good, bad } = availabilityLabels(slo);
    const out = [
      { series: seriesName(slo.metric, good), values: counterValues(seg((p) => p.perMin * (1 - p.errorRatio))) },
    ];
    if (slo.errorSelector.trim() !== '')
      out.push({ series: seriesName(slo.metric, bad), values: counterValues(seg((p) => p.perMin * p.errorRatio)) });
    return out;
  }
  const { selector } = sloMatchers(slo);
  const base = labelsSatisfying(selector);
  const le = leMatcher(slo.thresholdSeconds ?? 0);
  const leValue = le.op === '=' ? le.value : String(slo.thresholdSeconds);
  return [
    {
      series: seriesName(`${slo.metric}_bucket`, { ...base, le: leValue }),
      values: counterValues(seg((p) => p.perMin * (1 - p.errorRatio))),
    },
    {
      series: seriesName(`${slo.metric}_bucket`, { ...base, le: '+Inf' }),
      values: counterValues(seg((p) => p.perMin)),
    },
    { series: seriesName(`${slo.metric}_count`, base), values: counterValues(seg((p) => p.perMin)) },
  ];
}

function alertRule(groups: readonly RuleGroup[], name: string): AlertingRule {
  for (const g of groups) for (const r of g.rules) if ('alert' in r && r.alert === name) return r;
  throw new Error(`no alert ${name}`);
}

/** The labels Prometheus gives `absent(sel)`: its equality matchers. */
function absentLabels(slo: Slo): Record<string, string> {
  const { selector } = sloMatchers(slo);
  const ms = slo.kind === 'latency' ? [...selector, leMatcher(slo.thresholdSeconds ?? 0)] : selector;
  const out: Record<string, string> = {};
  const seen = new Map<string, number>();
  for (const x of ms) seen.set(x.name, (seen.get(x.name) ?? 0) + 1);
  for (const x of ms) if (x.op === '=' && x.name !== '__name__' && seen.get(x.name) === 1) out[x.name] = x.value;
  return out;
}

function expect(
  groups: readonly RuleGroup[],
  alertname: string,
  evalMinutes: number,
  fires: boolean,
  extraLabels: Record<string, string> = {},
): AlertTest {
  const rule = alertRule(groups, alertname);
  return {
    eval_time: m(evalMinutes),
    alertname,
    exp_alerts: fires
      ? [{ exp_labels: { ...extraLabels, ...rule.labels }, exp_annotations: { ...rule.annotations } }]
      : [],
  };
}

/** `{a="b",...}` sorted, as promtool prints sample labels. */
function sampleLabels(labels: Readonly<Record<string, string>>): string {
  return seriesName('', labels);
}

/** `abs(x - want) <= tol` as 1/0, with the SLO's identity labels. */
function approx(t: SloTarget, record: string, want: number, relTol: number, evalMinutes: number): ExprTest {
  return {
    expr: `abs(${record}${identitySelector(t)} - ${num(want)}) <= bool ${num(Math.abs(want) * relTol)}`,
    eval_time: m(evalMinutes),
    exp_samples: [{ labels: sampleLabels(identityLabels(t)), value: 1 }],
  };
}

/** `x op threshold` as 1/0 (`bool`), with the SLO's identity labels. */
function holds(t: SloTarget, record: string, op: '>' | '<', threshold: number, evalMinutes: number): ExprTest {
  return {
    expr: `${record}${identitySelector(t)} ${op} bool ${num(threshold)}`,
    eval_time: m(evalMinutes),
    exp_samples: [{ labels: sampleLabels(identityLabels(t)), value: 1 }],
  };
}

/** What the scenarios of one SLO could not cover, and why (written to the README). */
export interface SkippedScenario {
  readonly slo: string;
  readonly scenario: string;
  readonly reason: string;
}

/**
 * Two test files: `short` scrapes and evaluates every minute (fast burn, quiet, absent: at most
 * 6h of data); `long` every LONG_STEP minutes (healthy runs a day, slow burn needs 3 days of history;
 * promtool's cost grows with evaluations x samples in the 30d range: 1-minute steps over 3 days
 * take a minute per scenario, 4-minute steps a few seconds). Every window still holds at least
 * two samples at 4 minutes (5m: t-4m and t), so every recording rule has a value.
 */
export function sloPromtoolTests(
  t: SloTarget,
  groups: readonly RuleGroup[],
  rulesFile: string,
): { short: PromtoolTestFile; long: PromtoolTestFile; skipped: SkippedScenario[] } {
  const slo = t.slo;
  const b = errorBudget(slo.objective);
  const [page1, page2, ticket1, ticket2] = BURN_RATE_ALERTS as [
    (typeof BURN_RATE_ALERTS)[0],
    (typeof BURN_RATE_ALERTS)[0],
    (typeof BURN_RATE_ALERTS)[0],
    (typeof BURN_RATE_ALERTS)[0],
  ];
  const fPage = burnFactor(slo.window, page1);
  const fPage2 = burnFactor(slo.window, page2);
  const tests: TestGroup[] = [];
  const long: TestGroup[] = [];
  const skipped: SkippedScenario[] = [];
  const P = ALERT_NAMES.page;
  const T = ALERT_NAMES.ticket;
  const A = ALERT_NAMES.absent;

  // Fast burn.
  // 20% errors, or twice the page threshold when that is more; but never so much that the 1h
  // window crosses within FAST_MIN minutes (a 99.99% SLO pages on 2% errors), so "not before" has room.
  const rFast = Math.min(
    Math.max(0.2, Math.min(1, 2 * fPage * b)),
    (minutesOf(page1.longWindow) * fPage * b) / FAST_MIN,
  );
  if (fPage * b * 1.3 >= rFast) {
    skipped.push({
      slo: slo.name,
      scenario: 'fast burn',
      reason: `a ${page1.longWindow} page needs an error ratio above ${num(fPage * b)}, too close to 100%`,
    });
  } else {
    const H = minutesOf('6h');
    const kStar = (minutesOf(page1.longWindow) * fPage * b) / rFast;
    // Alerts are evaluated each minute: the first chance to page is the first minute after k*.
    const first = Math.floor(kStar) + 1;
    const before = H + Math.max(1, first - 2);
    const after = H + first + 1;
    tests.push({
      name:
        `${slo.name}: fast burn (${num(rFast * 100)}% errors after 6h clean) ` +
        `pages after ${num(kStar)} min, not at ${before - H} min`,
      interval: m(SHORT_STEP),
      input_series: inputSeries(slo, SHORT_STEP, [
        { minutes: H, perMin: BUSY_PER_MIN, errorRatio: 0 },
        { minutes: after - H + 5, perMin: BUSY_PER_MIN, errorRatio: rFast },
      ]),
      alert_rule_test: [
        expect(groups, P, H - 1, false),
        expect(groups, P, before, false),
        expect(groups, P, after, true),
        expect(groups, A, after, false),
      ],
      promql_expr_test: [approx(t, RECORD.errorRatio('5m'), rFast, 0.05, after)],
    });
  }

  // Healthy.
  const rHealthy = b / 10;
  const end = minutesOf('1d') + 60;
  long.push({
    name: `${slo.name}: healthy (${num(rHealthy * 100)}% errors, burn rate 0.1) raises nothing for 1d1h`,
    interval: m(LONG_STEP),
    input_series: inputSeries(slo, LONG_STEP, [
      { minutes: end + LONG_STEP, perMin: BUSY_PER_MIN, errorRatio: rHealthy },
    ]),
    alert_rule_test: [12, 60, 360, minutesOf('1d'), end].flatMap((at) => [
      expect(groups, P, at, false),
      expect(groups, T, at, false),
      expect(groups, A, at, false),
    ]),
    promql_expr_test: [
      ...(slo.kind === 'latency' && slo.thresholdSeconds !== undefined && 0.95 <= 1 - rHealthy
        ? [
            // The seed's p95 rule: 95% of requests fall in the threshold bucket, whose lower bound is 0,
            // so histogram_quantile interpolates linearly: threshold * 0.95 / (1 - errorRatio).
            {
              expr:
                `abs(${RECORD.latencyP95}${identitySelector(t).slice(0, -1)},quantile="0.95"} - ` +
                `${num((slo.thresholdSeconds * 0.95) / (1 - rHealthy))}) ` +
                `<= bool ${num(slo.thresholdSeconds * 0.001)}`,
              eval_time: m(120),
              exp_samples: [{ labels: sampleLabels({ ...identityLabels(t), quantile: '0.95' }), value: 1 }],
            },
          ]
        : []),
      approx(t, RECORD.errorRatio('1h'), rHealthy, 0.02, 120),
      approx(t, RECORD.errorRatio(slo.window), rHealthy, 0.02, end),
      approx(t, RECORD.budgetRemaining, 0.9, 0.01, end),
    ],
  });

  // Quiet.
  const minRps = slo.minRequestsPerSecond;
  const quietPerMin = Math.min(QUIET_PER_MIN, (minRps * 60) / 2);
  const rQuiet = Math.max(0.1, Math.min(1, 2 * fPage * b));
  if (minRps <= 0) {
    skipped.push({
      slo: slo.name,
      scenario: 'quiet service',
      reason: 'minRequestsPerSecond is 0: the SLO pages at any traffic',
    });
  } else if (fPage * b * 1.3 >= rQuiet) {
    skipped.push({
      slo: slo.name,
      scenario: 'quiet service',
      reason: `a page needs an error ratio above ${num(fPage * b)}, too close to 100%`,
    });
  } else {
    const at = [10, 60, 370];
    tests.push({
      name:
        `${slo.name}: quiet service (${num(quietPerMin)} requests/min, ` +
        `${num(rQuiet * 100)}% errors) never pages but gets a ticket`,
      interval: m(SHORT_STEP),
      input_series: inputSeries(slo, SHORT_STEP, [{ minutes: 375, perMin: quietPerMin, errorRatio: rQuiet }]),
      alert_rule_test: [...at.map((x) => expect(groups, P, x, false)), expect(groups, T, 370, true)],
      promql_expr_test: [
        // Without the traffic guard both page conditions would hold:
        holds(t, RECORD.errorRatio(page1.shortWindow), '>', fPage * b, 370),
        holds(t, RECORD.errorRatio(page1.longWindow), '>', fPage * b, 370),
        holds(t, RECORD.errorRatio(page2.shortWindow), '>', fPage2 * b, 370),
        holds(t, RECORD.errorRatio(page2.longWindow), '>', fPage2 * b, 370),
        // ...but the traffic is below the guard.
        holds(t, RECORD.requests(page1.longWindow), '<', minRps, 370),
        holds(t, RECORD.requests(page2.longWindow), '<', minRps, 370),
      ],
    });
  }

  // Slow burn: between the highest ticket factor and the lowest page factor.
  const fT1 = burnFactor(slo.window, ticket1);
  const fT2 = burnFactor(slo.window, ticket2);
  const burn = (Math.max(fT1, fT2) + Math.min(fPage, fPage2)) / 2;
  const rSlow = burn * b;
  if (rSlow >= 1) {
    skipped.push({
      slo: slo.name,
      scenario: 'slow burn',
      reason: `a ${num(burn)}x burn needs an error ratio of ${num(rSlow)}`,
    });
  } else {
    const H = minutesOf('3d');
    const kStar = Math.min((minutesOf(ticket1.longWindow) * fT1) / burn, (minutesOf(ticket2.longWindow) * fT2) / burn);
    // At 4-minute steps the ratio crosses the threshold at the first step after k*.
    const before = H + onStep(kStar * 0.9, 'down');
    const after = H + onStep(kStar, 'up') + 2 * LONG_STEP;
    long.push({
      name:
        `${slo.name}: slow burn (${num(burn)}x, ${num(rSlow * 100)}% errors after 3d clean) ` +
        `opens a ticket after ${num(kStar)} min, not at ${before - H} min, and never pages`,
      interval: m(LONG_STEP),
      input_series: inputSeries(slo, LONG_STEP, [
        { minutes: H, perMin: BUSY_PER_MIN, errorRatio: 0 },
        { minutes: after - H + LONG_STEP, perMin: BUSY_PER_MIN, errorRatio: rSlow },
      ]),
      alert_rule_test: [
        expect(groups, T, H + 60, false),
        expect(groups, T, before, false),
        expect(groups, T, after, true),
        ...[H + 12, H + 60, H + 360, before, after].map((x) => expect(groups, P, x, false)),
      ],
      promql_expr_test: [approx(t, RECORD.errorRatio('6h'), rSlow, 0.02, after)],
    });
  }

  // A service that never failed has no error series at all: the ratio is 0, not empty.
  if (slo.kind === 'availability' && slo.errorSelector.trim() !== '') {
    const good = inputSeries(slo, SHORT_STEP, [{ minutes: 65, perMin: BUSY_PER_MIN, errorRatio: 0 }]).slice(0, 1);
    tests.push({
      name: `${slo.name}: no error series yet (a service that never failed): error ratio 0, full budget`,
      interval: m(SHORT_STEP),
      input_series: good,
      alert_rule_test: [expect(groups, P, 60, false), expect(groups, T, 60, false), expect(groups, A, 60, false)],
      promql_expr_test: [
        {
          expr: `${RECORD.errorRatio('1h')}${identitySelector(t)} == bool 0`,
          eval_time: m(60),
          exp_samples: [{ labels: sampleLabels(identityLabels(t)), value: 1 }],
        },
        {
          expr: `${RECORD.budgetRemaining}${identitySelector(t)} == bool 1`,
          eval_time: m(60),
          exp_samples: [{ labels: sampleLabels(identityLabels(t)), value: 1 }],
        },
      ],
    });
  }

  // Absent.
  const forMin = minutesOf(ABSENT_FOR);
  const stopAt = 30;
  tests.push({
    name: `${slo.name}: the metric disappears at ${stopAt}m; ${A} fires after 5m staleness + for ${ABSENT_FOR}`,
    interval: m(SHORT_STEP),
    input_series: inputSeries(slo, SHORT_STEP, [{ minutes: stopAt, perMin: BUSY_PER_MIN, errorRatio: 0 }], 60),
    alert_rule_test: [
      expect(groups, A, stopAt - 5, false),
      expect(groups, A, stopAt + 5 + forMin - 2, false),
      expect(groups, A, stopAt + 5 + forMin + 2, true, absentLabels(slo)),
      expect(groups, P, stopAt + 5 + forMin + 2, false),
    ],
  });

  return {
    short: { rule_files: [rulesFile], evaluation_interval: m(SHORT_STEP), tests },
    long: { rule_files: [rulesFile], evaluation_interval: m(LONG_STEP), tests: long },
    skipped,
  };
}
