/**
 * The render options: one model for every command that renders clusters (build, check, diff,
 * promote, ui) and for the library API. It is plain data (it crosses to `check --jobs` workers):
 *
 * | field            | flag                                  | `.aksfleet.yaml` `render:` |
 * |------------------|---------------------------------------|----------------------------|
 * | sources          | `--source KIND/NS/NAME=PATH`          | `sources`                  |
 * | vars             | `--vars FILE`                         | `vars`                     |
 * | allowMissingVars | `--allow-missing-vars`                | `allowMissingVars`         |
 * | chartSources     | `--chart-source KIND/NS/NAME=DIR`     | `chartSources`             |
 * | chartCache       | `--chart-cache DIR`                   | `chartCache`               |
 * | helm             | `--no-helm` (false)                   | `helm`                     |
 * | kubeVersion      | `--kube-version V`                    | `kubeVersion`              |
 * | clusterObjects   | `--values-from FILE`                  | `valuesFrom`               |
 * | fetchCharts      | `--fetch-charts` (flag only)          | -                          |
 *
 * The CLI reads files and resolves paths (src/cli/render-options.ts); here the settings become
 * a session (`withRenderSettings`) and the session gives each build its inputs (`renderInputs`).
 */
import { openChartStore, type ChartRequest, type ChartStore } from '../helm/sources/index.js';
import { withHelm, type RenderSettings, type Session } from './session.js';

export type { RenderSettings } from './session.js';

/** What a Flux build takes from the settings besides the engine options (`fluxBuildOptions`). */
export interface RenderInputs {
  readonly sources?: Readonly<Record<string, string>>;
  readonly vars?: Readonly<Record<string, string>>;
  readonly allowMissingVars?: boolean;
}

/**
 * `base` overridden by `over` field by field (the CLI: `.aksfleet.yaml` under the flags); the
 * maps (`sources`, `vars`, `chartSources`) merge entry by entry, `over`'s entries winning.
 */
export function mergeRenderSettings(base: RenderSettings, over: RenderSettings): RenderSettings {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    const prev = out[k];
    out[k] =
      (k === 'sources' || k === 'vars' || k === 'chartSources') && prev !== undefined
        ? { ...(prev as object), ...(v as object) }
        : v;
  }
  return out as RenderSettings;
}

/**
 * The same session (memos, caches, diagnostics) rendering with these settings: the chart store
 * is opened here (so a `--jobs` worker opens its own from the same data).
 */
export function withRenderSettings(session: Session, s: RenderSettings, root?: string): Session {
  const extra = {
    ...(s.kubeVersion !== undefined ? { kubeVersion: s.kubeVersion } : {}),
    ...(s.clusterObjects ? { clusterObjects: s.clusterObjects } : {}),
  };
  const mappings = s.chartSources ?? {};
  const helm =
    s.helm === false
      ? { enabled: false, ...extra }
      : s.chartCache === undefined && Object.keys(mappings).length === 0
        ? { enabled: true, ...extra }
        : {
            enabled: true,
            store: openChartStore({
              mappings,
              ...(s.chartCache !== undefined ? { cacheDir: s.chartCache } : {}),
              ...(root !== undefined ? { root } : {}),
            }),
            ...extra,
          };
  const unfetched = s.unfetched ?? {};
  const annotated =
    'store' in helm && Object.keys(unfetched).length ? { ...helm, store: annotatedStore(helm.store, unfetched) } : helm;
  const h = withHelm(session, annotated);
  return { ...h, options: { ...h.options, render: s } };
}

/** The settings a session renders with (none: the defaults). */
export function renderSettingsOf(session: Session): RenderSettings {
  return session.options.render ?? {};
}

/** The build inputs of the session's settings (`buildCluster(fs, { ...renderInputs(s), ...fluxBuildOptions(s) })`). */
export function renderInputs(session: Session): RenderInputs {
  const s = renderSettingsOf(session);
  return {
    ...(s.sources && Object.keys(s.sources).length ? { sources: s.sources } : {}),
    ...(s.vars ? { vars: s.vars } : {}),
    ...(s.allowMissingVars !== undefined ? { allowMissingVars: s.allowMissingVars } : {}),
  };
}

/** The identity of a chart request (what a store and a fetcher answer alike). */
export function chartRequestKey(req: ChartRequest): string {
  return JSON.stringify([
    req.sourceId,
    req.sourceKind,
    req.url,
    req.chart,
    req.version ?? '',
    req.tag ?? '',
    req.digest ?? '',
    req.insecure === true,
  ]);
}

/** A store whose misses say why `--fetch-charts` could not bring the chart. */
function annotatedStore(inner: ChartStore, unfetched: Readonly<Record<string, string>>): ChartStore {
  return {
    lookup(req) {
      const a = inner.lookup(req);
      const why = unfetched[chartRequestKey(req)];
      return !a.ok && why !== undefined
        ? { ok: false, reason: `${a.reason}; --fetch-charts could not fetch it: ${why}` }
        : a;
    },
  };
}

/**
 * The same session whose chart store records the requests it could not answer from the cache
 * (mapped sources aside: a `--chart-source` folder is the only place their charts come from),
 * for `--fetch-charts`. Without a store (or with `--no-helm`) nothing is recorded.
 */
export function recordingChartMisses(session: Session): { readonly session: Session; missed(): ChartRequest[] } {
  const store = session.options.helm?.store;
  const missed = new Map<string, ChartRequest>();
  if (!store || session.options.helm?.enabled === false) return { session, missed: () => [] };
  const mapped = renderSettingsOf(session).chartSources ?? {};
  const recording: ChartStore = {
    lookup(req) {
      const a = store.lookup(req);
      if (!a.ok && mapped[req.sourceId] === undefined) missed.set(chartRequestKey(req), req);
      return a;
    },
  };
  return {
    session: withHelm(session, { ...session.options.helm, store: recording }),
    missed: () => [...missed.values()],
  };
}
