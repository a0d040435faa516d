/**
 * One Grafana dashboard per app: a row per SLO with its objective, SLI over the SLO window,
 * error budget remaining, alert state, burn rates against the alert thresholds, traffic against
 * the paging guard and, for latency SLOs, the seed's p95. Deterministic JSON (fixed key order,
 * sequential panel ids, a uid derived from tenant and app).
 *
 * The datasource is a dashboard variable written `$datasource`, never `${datasource}`: Flux
 * postBuild substitution rewrites `${...}` in everything it applies.
 */
import { createHash } from 'node:crypto';
import { ALERT_WINDOWS, BURN_RATE_ALERTS, burnFactor, errorBudget } from './policy.js';
import { ALERT_NAMES, RECORD, identitySelector, type SloTarget } from './rules.js';

const DS = { type: 'prometheus', uid: '$datasource' } as const;

/** Grafana uids are at most 40 characters; long names keep a readable prefix and a hash. */
export function dashboardUid(tenant: string, app: string): string {
  const uid = `slo-${tenant}-${app}`;
  if (uid.length <= 40) return uid;
  const h = createHash('sha256').update(`${tenant}/${app}`).digest('hex').slice(0, 8);
  return `${uid.slice(0, 31)}-${h}`;
}

interface Target {
  expr: string;
  legendFormat: string;
}

function target(refId: string, t: Target): Record<string, unknown> {
  return { datasource: DS, expr: t.expr, legendFormat: t.legendFormat, range: true, refId };
}

const REF = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

type Steps = readonly { color: string; value: number | null }[];

function panel(
  id: number,
  type: 'stat' | 'timeseries' | 'gauge' | 'row',
  title: string,
  gridPos: { h: number; w: number; x: number; y: number },
  rest: {
    description?: string;
    unit?: string;
    decimals?: number;
    min?: number;
    max?: number;
    steps?: Steps;
    thresholdLines?: boolean;
    targets?: Target[];
  } = {},
): Record<string, unknown> {
  if (type === 'row') return { collapsed: false, gridPos, id, panels: [], title, type };
  const defaults: Record<string, unknown> = {};
  if (rest.unit) defaults.unit = rest.unit;
  if (rest.decimals !== undefined) defaults.decimals = rest.decimals;
  if (rest.min !== undefined) defaults.min = rest.min;
  if (rest.max !== undefined) defaults.max = rest.max;
  defaults.thresholds = { mode: 'absolute', steps: rest.steps ?? [{ color: 'green', value: null }] };
  if (type === 'timeseries') defaults.custom = { thresholdsStyle: { mode: rest.thresholdLines ? 'line' : 'off' } };
  return {
    datasource: DS,
    description: rest.description ?? '',
    fieldConfig: { defaults, overrides: [] },
    gridPos,
    id,
    options:
      type === 'timeseries'
        ? {
            legend: { displayMode: 'table', placement: 'right', showLegend: true },
            tooltip: { mode: 'multi', sort: 'desc' },
          }
        : { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false } },
    targets: (rest.targets ?? []).map((t, i) => target(REF[i]!, t)),
    title,
    type,
  };
}

/** The dashboard model for an app's SLOs. */
export function sloDashboard(tenant: string, app: string, targets: readonly SloTarget[]): Record<string, unknown> {
  const panels: Record<string, unknown>[] = [];
  let id = 1;
  let y = 0;
  for (const t of targets) {
    const s = t.slo;
    const sel = identitySelector(t);
    const b = errorBudget(s.objective);
    const what = s.kind === 'availability' ? 'availability' : `requests under ${s.thresholdSeconds}s`;
    panels.push(panel(id++, 'row', `${s.name}: ${s.objective}% ${what} over ${s.window}`, { h: 1, w: 24, x: 0, y }));
    y += 1;
    panels.push(
      panel(
        id++,
        'stat',
        'Objective',
        { h: 4, w: 4, x: 0, y },
        {
          unit: 'percentunit',
          decimals: 3,
          targets: [{ expr: `${RECORD.objective}${sel}`, legendFormat: 'objective' }],
        },
      ),
    );
    panels.push(
      panel(
        id++,
        'stat',
        `SLI over ${s.window}`,
        { h: 4, w: 4, x: 4, y },
        {
          unit: 'percentunit',
          decimals: 3,
          steps: [
            { color: 'red', value: null },
            { color: 'green', value: 1 - b },
          ],
          targets: [{ expr: `1 - ${RECORD.errorRatio(s.window)}${sel}`, legendFormat: 'sli' }],
        },
      ),
    );
    panels.push(
      panel(
        id++,
        'gauge',
        'Error budget remaining',
        { h: 4, w: 4, x: 8, y },
        {
          unit: 'percentunit',
          decimals: 1,
          min: 0,
          max: 1,
          steps: [
            { color: 'red', value: null },
            { color: 'orange', value: 0.25 },
            { color: 'green', value: 0.5 },
          ],
          targets: [{ expr: `${RECORD.budgetRemaining}${sel}`, legendFormat: 'remaining' }],
        },
      ),
    );
    panels.push(
      panel(
        id++,
        'stat',
        'Alerts firing',
        { h: 4, w: 12, x: 12, y },
        {
          description:
            `Firing ${ALERT_NAMES.page} (page), ${ALERT_NAMES.ticket} (ticket) ` +
            `and ${ALERT_NAMES.absent} alerts of this SLO.`,
          steps: [
            { color: 'green', value: null },
            { color: 'red', value: 1 },
          ],
          targets: [ALERT_NAMES.page, ALERT_NAMES.ticket, ALERT_NAMES.absent].map((a) => ({
            expr: `count(ALERTS{alertname="${a}",alertstate="firing",${sel.slice(1, -1)}}) or vector(0)`,
            legendFormat: a,
          })),
        },
      ),
    );
    y += 4;
    const factors = BURN_RATE_ALERTS.map((a) => burnFactor(s.window, a));
    panels.push(
      panel(
        id++,
        'timeseries',
        'Burn rate (error ratio / budget)',
        { h: 8, w: 12, x: 0, y },
        {
          description: `Thresholds: ${BURN_RATE_ALERTS.map(
            (a, i) => `${factors[i]}x over ${a.longWindow} and ${a.shortWindow} (${a.severity})`,
          ).join('; ')}.`,
          steps: [
            { color: 'green', value: null },
            ...[...new Set(factors)]
              .sort((p, q) => p - q)
              .map((f, i) => ({ color: ['yellow', 'orange', 'red', 'dark-red'][i] ?? 'red', value: f })),
          ],
          thresholdLines: true,
          targets: ALERT_WINDOWS.map((w) => ({ expr: `${RECORD.errorRatio(w)}${sel} / ${b}`, legendFormat: w })),
        },
      ),
    );
    panels.push(
      panel(
        id++,
        'timeseries',
        'Error budget remaining',
        { h: 8, w: 12, x: 12, y },
        {
          unit: 'percentunit',
          steps: [
            { color: 'red', value: null },
            { color: 'green', value: 0 },
          ],
          thresholdLines: true,
          targets: [{ expr: `${RECORD.budgetRemaining}${sel}`, legendFormat: 'remaining' }],
        },
      ),
    );
    y += 8;
    panels.push(
      panel(
        id++,
        'timeseries',
        'Traffic',
        { h: 8, w: s.kind === 'latency' ? 12 : 24, x: 0, y },
        {
          description: `Pages need at least ${s.minRequestsPerSecond} requests/s over the long alert window.`,
          unit: 'reqps',
          targets: [
            { expr: `${RECORD.requests('5m')}${sel}`, legendFormat: '5m' },
            { expr: `${RECORD.requests('1h')}${sel}`, legendFormat: '1h' },
            { expr: `vector(${s.minRequestsPerSecond})`, legendFormat: 'paging guard' },
          ],
        },
      ),
    );
    if (s.kind === 'latency') {
      panels.push(
        panel(
          id++,
          'timeseries',
          'p95 latency',
          { h: 8, w: 12, x: 12, y },
          {
            unit: 's',
            steps: [
              { color: 'green', value: null },
              { color: 'red', value: s.thresholdSeconds ?? 0 },
            ],
            thresholdLines: true,
            targets: [{ expr: `${RECORD.latencyP95}${sel}`, legendFormat: 'p95' }],
          },
        ),
      );
    }
    y += 8;
  }
  return {
    annotations: { list: [] },
    editable: false,
    graphTooltip: 1,
    links: [],
    panels,
    refresh: '1m',
    schemaVersion: 39,
    tags: ['slo', 'aksfleet', `tenant:${tenant}`],
    templating: {
      list: [
        {
          current: {},
          hide: 0,
          label: 'Data source',
          name: 'datasource',
          options: [],
          query: 'prometheus',
          refresh: 1,
          regex: '',
          type: 'datasource',
        },
      ],
    },
    time: { from: 'now-7d', to: 'now' },
    timepicker: {},
    timezone: 'utc',
    title: `SLOs: ${tenant}/${app}`,
    uid: dashboardUid(tenant, app),
    version: 1,
  };
}

/** The dashboard as the JSON text stored in the ConfigMap. */
export function sloDashboardJson(tenant: string, app: string, targets: readonly SloTarget[]): string {
  return `${JSON.stringify(sloDashboard(tenant, app, targets), null, 2)}\n`;
}
