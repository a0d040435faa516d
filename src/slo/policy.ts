/**
 * The multi-window, multi-burn-rate alerting policy (Google SRE Workbook, "Alerting on SLOs",
 * the same policy Sloth and Pyrra implement), as data plus the arithmetic behind it.
 *
 * Burn rate: how fast the error budget is spent relative to the SLO window. A burn rate of 1
 * spends exactly the whole budget in the whole window; the observed error ratio over a window
 * equals `burnRate * budget` (budget = 1 - objective).
 *
 * An alert says "at least `budgetConsumed` of the budget was spent within `longWindow`". Spending
 * fraction `c` of the budget in `w` hours, with an SLO window of `W` hours, needs a burn rate of
 *
 *     factor = c * W / w
 *
 * 30d (W = 720h): 2% in 1h -> 14.4, 5% in 6h -> 6, 10% in 1d -> 3, 10% in 3d -> 1.
 * 28d (W = 672h): 2% in 1h -> 13.44, 5% in 6h -> 5.6, 10% in 1d -> 2.8, 10% in 3d -> 0.9333.
 *
 * Each alert also requires the same burn rate over a short window (1/12 of the long window), so it
 * stops firing soon after the burn stops; and pages require a minimum request rate over the long
 * window, so a handful of errors on a quiet service does not wake anyone (it still gets a ticket).
 */

/** A Prometheus duration with one unit, as used by the rules (`5m`, `1h`, `3d`). */
export type Window = '5m' | '30m' | '1h' | '2h' | '6h' | '1d' | '3d' | '28d' | '30d';

/** The SLO windows the spec allows. */
export type SloWindow = '28d' | '30d';

/** Where a burn-rate alert is routed (its `severity` label): not a problem's Severity (src/diagnostic.ts). */
export type AlertSeverity = 'page' | 'ticket';

export interface BurnRateAlert {
  readonly severity: AlertSeverity;
  readonly longWindow: Window;
  readonly shortWindow: Window;
  /** Fraction of the error budget spent within the long window that triggers the alert. */
  readonly budgetConsumed: number;
}

/** The four window pairs, in the order the alert expressions list them. */
export const BURN_RATE_ALERTS: readonly BurnRateAlert[] = [
  { severity: 'page', longWindow: '1h', shortWindow: '5m', budgetConsumed: 0.02 },
  { severity: 'page', longWindow: '6h', shortWindow: '30m', budgetConsumed: 0.05 },
  { severity: 'ticket', longWindow: '1d', shortWindow: '2h', budgetConsumed: 0.1 },
  { severity: 'ticket', longWindow: '3d', shortWindow: '6h', budgetConsumed: 0.1 },
];

/** The windows with an error-ratio recording rule (the SLO window is added per SLO). */
export const ALERT_WINDOWS: readonly Window[] = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];

const UNIT_SECONDS = { m: 60, h: 3600, d: 86400 } as const;

/** Seconds in a one-unit Prometheus duration (`5m` -> 300). */
export function windowSeconds(w: string): number {
  const m = /^(\d+)([mhd])$/.exec(w);
  if (!m) throw new Error(`not a window: ${w}`);
  return Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
}

/** Numbers in rules and tests: rounded to 6 significant digits, so 0.1 * 720 is 72, not 72.00000000000001. */
export function round6(x: number): number {
  return Number(x.toPrecision(6));
}

/** The burn-rate factor of an alert for an SLO window: budgetConsumed * window / longWindow. */
export function burnFactor(sloWindow: SloWindow, alert: BurnRateAlert): number {
  return round6((alert.budgetConsumed * windowSeconds(sloWindow)) / windowSeconds(alert.longWindow));
}

/** The error budget as a ratio: objective 99.9 (percent) -> 0.001. */
export function errorBudget(objectivePercent: number): number {
  return Number(((100 - objectivePercent) / 100).toPrecision(12));
}

/** The objective as a ratio: 99.9 -> 0.999. */
export function objectiveRatio(objectivePercent: number): number {
  return Number((objectivePercent / 100).toPrecision(12));
}

/**
 * Hours until the whole budget is gone at an alert's threshold burn rate (the alert's
 * "exhaustion" time, shown in annotations): window / factor.
 */
export function hoursToExhaustion(sloWindow: SloWindow, alert: BurnRateAlert): number {
  return round6(windowSeconds(sloWindow) / 3600 / burnFactor(sloWindow, alert));
}
