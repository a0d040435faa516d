/**
 * Prometheus rules for one SLO: recording rules for the SLI (error ratio and request rate over
 * every alert window and the SLO window), the budget, the seed's p95 latency, and the burn-rate
 * alerts of policy.ts. Pure: same SLO, same rules, same order.
 *
 * Recorded series carry the labels {namespace, tenant, app, slo}; alerts select on all four, so
 * any number of SLOs share one Prometheus without clashing.
 *
 * SLIs:
 * - availability: errors / total from one counter, `metric{selector,errorSelector}` over
 *   `metric{selector}`. A service that never failed has no error series at all, so the
 *   numerator falls back to 0 (`or vector(0)`) instead of leaving the ratio empty.
 * - latency: 1 - (requests faster than the threshold / all requests), from the histogram's
 *   `_bucket{le="<threshold>"}` and `_count`. The threshold must be a bucket boundary; when it
 *   is not, the threshold bucket is absent and SLOMetricAbsent says so.
 */
import type { Slo } from '../spec/schema.js';
import {
  ALERT_WINDOWS,
  BURN_RATE_ALERTS,
  burnFactor,
  errorBudget,
  hoursToExhaustion,
  objectiveRatio,
  round6,
  type BurnRateAlert,
  type AlertSeverity,
} from './policy.js';
import { formatMatchers, isPromQLError, parseMatchers, quote, type LabelMatcher } from './promql.js';

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  readonly name: string;
  readonly interval?: string;
  readonly rules: readonly Rule[];
}

/** Where an SLO lives: identity labels of every recorded series and alert. */
export interface SloTarget {
  readonly tenant: string;
  readonly app: string;
  readonly namespace: string;
  /** The tenant's owner (alert label `owner`, for Alertmanager routing). */
  readonly owner: string;
  readonly slo: Slo;
  /** The app's dashboard path in Grafana (`/d/<uid>`), linked from alerts. */
  readonly dashboardPath?: string;
}

/** Alert names (one per severity, plus the blind-SLO alert). */
export const ALERT_NAMES = {
  page: 'SLOErrorBudgetFastBurn',
  ticket: 'SLOErrorBudgetSlowBurn',
  absent: 'SLOMetricAbsent',
} as const;

/** How long the SLI metric must be missing before SLOMetricAbsent fires. */
export const ABSENT_FOR = '10m';

/** Interval of the group with the whole-window rules (a 28d/30d range is expensive to evaluate). */
export const BUDGET_GROUP_INTERVAL = '5m';

/** Names of the recorded series. */
export const RECORD = {
  errorRatio: (w: string) => `slo:sli_error:ratio_rate${w}`,
  requests: (w: string) => `slo:sli_requests:rate${w}`,
  objective: 'slo:objective:ratio',
  budget: 'slo:error_budget:ratio',
  budgetRemaining: 'slo:error_budget:remaining_ratio',
  /** The seed's recording rule name; the quantile is a label. */
  latencyP95: 'slo:request_latency_seconds:rate5m',
} as const;

export function identityLabels(t: SloTarget): Record<string, string> {
  return { namespace: t.namespace, tenant: t.tenant, app: t.app, slo: t.slo.name };
}

/** `{namespace="app",tenant="app",app="api",slo="api-availability"}` */
export function identitySelector(t: SloTarget): string {
  return `{${Object.entries(identityLabels(t))
    .map(([k, v]) => `${k}=${quote(v)}`)
    .join(',')}}`;
}

/** Metric name plus matchers, without empty braces. */
function vectorSelector(metric: string, ms: readonly LabelMatcher[]): string {
  return ms.length === 0 ? metric : `${metric}{${formatMatchers(ms)}}`;
}

/** The label matcher that picks the threshold bucket. Prometheus 3 writes `le="1.0"` where 2.x scraped `le="1"`. */
export function leMatcher(thresholdSeconds: number): LabelMatcher {
  const s = String(thresholdSeconds);
  if (Number.isInteger(thresholdSeconds)) return { name: 'le', op: '=~', value: `${s}|${s}\\.0` };
  return { name: 'le', op: '=', value: s };
}

/** Parsed selectors of an SLO; throws an Error naming the field when one does not parse. */
export function sloMatchers(slo: Slo): { selector: LabelMatcher[]; errorSelector: LabelMatcher[] } {
  const selector = parseMatchers(slo.selector);
  if (isPromQLError(selector)) throw new Error(`slos[${slo.name}].selector: ${selector.message}`);
  const errorSelector = slo.kind === 'availability' ? parseMatchers(slo.errorSelector) : [];
  if (isPromQLError(errorSelector)) throw new Error(`slos[${slo.name}].errorSelector: ${errorSelector.message}`);
  return { selector, errorSelector };
}

/** The series the SLI reads: the SLO is blind when the first is absent. */
export function sliSeries(slo: Slo): { presence: string; total: string } {
  const { selector } = sloMatchers(slo);
  if (slo.kind === 'availability')
    return { presence: vectorSelector(slo.metric, selector), total: vectorSelector(slo.metric, selector) };
  return {
    presence: vectorSelector(`${slo.metric}_bucket`, [...selector, leMatcher(slo.thresholdSeconds ?? 0)]),
    total: vectorSelector(`${slo.metric}_count`, selector),
  };
}

/** PromQL for the error ratio over a window. */
export function errorRatioExpr(slo: Slo, w: string): string {
  const { selector, errorSelector } = sloMatchers(slo);
  if (slo.kind === 'availability') {
    const errors = vectorSelector(slo.metric, [...selector, ...errorSelector]);
    const total = vectorSelector(slo.metric, selector);
    return `(sum(rate(${errors}[${w}])) or vector(0)) / sum(rate(${total}[${w}]))`;
  }
  if (slo.thresholdSeconds === undefined)
    throw new Error(`slos[${slo.name}].thresholdSeconds: a latency SLO needs thresholdSeconds`);
  const good = vectorSelector(`${slo.metric}_bucket`, [...selector, leMatcher(slo.thresholdSeconds)]);
  const total = vectorSelector(`${slo.metric}_count`, selector);
  return `1 - (sum(rate(${good}[${w}])) / sum(rate(${total}[${w}])))`;
}

/** PromQL for the request rate (requests per second) over a window. */
export function requestRateExpr(slo: Slo, w: string): string {
  return `sum(rate(${sliSeries(slo).total}[${w}]))`;
}

function burnCondition(t: SloTarget, a: BurnRateAlert, guard: boolean): string {
  const sel = identitySelector(t);
  const threshold = `(${burnFactor(t.slo.window, a)} * ${errorBudget(t.slo.objective)})`;
  const parts = [
    `${RECORD.errorRatio(a.shortWindow)}${sel} > ${threshold}`,
    `${RECORD.errorRatio(a.longWindow)}${sel} > ${threshold}`,
  ];
  if (guard) parts.push(`${RECORD.requests(a.longWindow)}${sel} >= ${t.slo.minRequestsPerSecond}`);
  return `(${parts.join(' and ')})`;
}

/** The alert expression of a severity: its window pairs joined by `or`. */
export function burnAlertExpr(t: SloTarget, severity: AlertSeverity): string {
  return BURN_RATE_ALERTS.filter((a) => a.severity === severity)
    .map((a) => burnCondition(t, a, severity === 'page'))
    .join(' or ');
}

function describe(t: SloTarget): string {
  const s = t.slo;
  const what = s.kind === 'availability' ? 'availability' : `latency under ${s.thresholdSeconds}s`;
  return `${t.tenant}/${t.app} SLO ${s.name} (${s.objective}% ${what} over ${s.window})`;
}

function windowsText(severity: AlertSeverity, window: Slo['window']): string {
  return BURN_RATE_ALERTS.filter((a) => a.severity === severity)
    .map(
      (a) =>
        `${burnFactor(window, a)}x over ${a.longWindow} and ${a.shortWindow} (${round6(a.budgetConsumed * 100)}% ` +
        `of the budget in ${a.longWindow}; budget gone in ${hoursToExhaustion(window, a)}h)`,
    )
    .join(', or ');
}

function alertAnnotations(t: SloTarget, summary: string, description: string): Record<string, string> {
  const out: Record<string, string> = { summary, description };
  if (t.slo.runbookUrl) out.runbook_url = t.slo.runbookUrl;
  else out.runbook = runbook(t);
  if (t.dashboardPath) out.dashboard = t.dashboardPath;
  return out;
}

/** The inline runbook used when the SLO has no runbookUrl. */
export function runbook(t: SloTarget): string {
  return (
    'Open the SLO dashboard: the burn-rate panel shows which windows are over their threshold. ' +
    `Check recent changes: flux get kustomizations -A; kubectl -n ${t.namespace} rollout history deploy/${t.app}. ` +
    'Roll back (revert the commit on the environment branch) if a change lines up with the burn, ' +
    `then look at pod restarts (kubectl -n ${t.namespace} get pods), dependencies and node health. ` +
    'A ticket means the budget runs out before the window ends at this rate: plan the fix within days.'
  );
}

/** All rule groups of one SLO, in evaluation order. */
export function sloRuleGroups(t: SloTarget): RuleGroup[] {
  const s = t.slo;
  const labels = identityLabels(t);
  const budget = errorBudget(s.objective);
  const sli: Rule[] = [];
  for (const w of ALERT_WINDOWS) {
    sli.push({ record: RECORD.errorRatio(w), expr: errorRatioExpr(s, w), labels });
    sli.push({ record: RECORD.requests(w), expr: requestRateExpr(s, w), labels });
  }
  if (s.kind === 'latency') {
    const { selector } = sloMatchers(s);
    sli.push({
      record: RECORD.latencyP95,
      expr: `histogram_quantile(0.95, sum by (le) (rate(${vectorSelector(`${s.metric}_bucket`, selector)}[5m])))`,
      labels: { ...labels, quantile: '0.95' },
    });
  }
  const sel = identitySelector(t);
  const budgetRules: Rule[] = [
    { record: RECORD.errorRatio(s.window), expr: errorRatioExpr(s, s.window), labels },
    { record: RECORD.requests(s.window), expr: requestRateExpr(s, s.window), labels },
    { record: RECORD.objective, expr: `vector(${objectiveRatio(s.objective)})`, labels },
    { record: RECORD.budget, expr: `vector(${budget})`, labels },
    { record: RECORD.budgetRemaining, expr: `1 - (${RECORD.errorRatio(s.window)}${sel} / ${budget})`, labels },
  ];
  const alertLabels = (severity: AlertSeverity) => ({ severity, owner: t.owner, ...labels });
  const alerts: Rule[] = [
    {
      alert: ALERT_NAMES.page,
      expr: burnAlertExpr(t, 'page'),
      labels: alertLabels('page'),
      annotations: alertAnnotations(
        t,
        `${describe(t)} is burning its error budget fast`,
        `The error ratio is above the page thresholds (error budget ${round6(budget * 100)}%): ` +
          `${windowsText('page', s.window)}. ` +
          `Pages only above ${s.minRequestsPerSecond} requests/s over the long window.`,
      ),
    },
    {
      alert: ALERT_NAMES.ticket,
      expr: burnAlertExpr(t, 'ticket'),
      labels: alertLabels('ticket'),
      annotations: alertAnnotations(
        t,
        `${describe(t)} is burning its error budget`,
        `The error ratio is above the ticket thresholds (error budget ${round6(budget * 100)}%): ` +
          `${windowsText('ticket', s.window)}.`,
      ),
    },
    {
      alert: ALERT_NAMES.absent,
      expr: `absent(${sliSeries(s).presence})`,
      for: ABSENT_FOR,
      labels: alertLabels('ticket'),
      annotations: alertAnnotations(
        t,
        `${describe(t)} is blind: its metric is missing`,
        `No series matches ${sliSeries(s).presence} for ${ABSENT_FOR}: the burn-rate alerts of this SLO cannot fire. ` +
          'Check that the app runs and is scraped (ServiceMonitor/PodMonitor), and that the metric and selector' +
          (s.kind === 'latency' ? ' (and the threshold: it must be a histogram bucket boundary)' : '') +
          ' match what the app exports.',
      ),
    },
  ];
  const base = `${t.tenant}-${t.app}-${s.name}`;
  // The alerts follow the recording rules they read in the same group: rules of a group run in
  // order, so each alert sees this evaluation's ratios instead of the previous interval's.
  return [
    { name: `${base}-burn-rate`, rules: [...sli, ...alerts] },
    { name: `${base}-budget`, interval: BUDGET_GROUP_INTERVAL, rules: budgetRules },
  ];
}
