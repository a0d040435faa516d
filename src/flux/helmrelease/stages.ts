/**
 * One HelmRelease as helm-controller installs it, as an ordered list of named stages
 * (HELMRELEASE_STAGES; the list is what runs, what docs/architecture.md lists and what the
 * session's timings name, under `helm/`):
 *
 *   select -> chart-source -> load-chart -> values -> capabilities -> render -> crds ->
 *   manifests -> post-render -> release-metadata -> origins
 *
 * The chart's render (src/helm renderRelease: values coalescing, schema, templates, install
 * order) is memoised in the session by (chart digest, values, capabilities, release name and
 * namespace, schema switch), so clusters that install the same release render it once.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../../errors.js';
import type { GoMap } from '../../gotemplate/value.js';
import type { Chart } from '../../helm/chart/index.js';
import type { RenderedRelease } from '../../helm/template.js';
import type { ChartStore } from '../../helm/sources/types.js';
import type { Stage, StageTimings } from '../../pipeline/stages.js';
import type { StageObserver } from '../../pipeline/field-trace.js';
import { isPlainObject, type KObject, type Origin, type Resource } from '../../resources/resource.js';
import { deepFreeze } from '../build/clone-data.js';
import type { BuildIssue } from '../build/build-issue.js';
import { resolveChart, type ChartSourceContext, type FoundChart } from './chart-source.js';
import {
  clusterScopedKinds,
  crdApiVersions,
  defaultNamespace,
  kustomizePostRender,
  releaseMetadata,
  type ReleaseObject,
} from './post-render.js';
import { releaseNames, type ReleaseNames } from './release-name.js';
import type { HelmRenderCache, HelmReleaseStatus } from './types.js';
import type { StoredRender } from './render-store.js';
import type { ContentStore } from '../../content-store.js';
import { needEngines, type RenderEngines } from '../build/engines.js';

/** What the cluster build gives every HelmRelease. */
export interface HelmReleaseContext extends ChartSourceContext {
  readonly enabled: boolean;
  /**
   * Chart loading, values and rendering (src/flux/render-engines.ts), needed from the load-chart
   * stage on; none: a HelmRelease whose chart was found throws RenderEnginesNotLoaded.
   */
  readonly engines?: RenderEngines;
  readonly store?: ChartStore;
  readonly kubeVersion?: string;
  readonly cache?: HelmRenderCache;
  /** Renders kept between runs (src/content-store.ts), behind `cache`. */
  readonly renderStore?: ContentStore;
  readonly timings?: StageTimings;
  /** Told after each stage with the objects it holds (`build --explain`). */
  readonly observe?: StageObserver;
  /** `.Capabilities.APIVersions` the cluster's own CRDs add. */
  readonly clusterApiVersions: readonly string[];
  /** `group/Kind` of the cluster's cluster-scoped CRDs. */
  readonly clusterScoped: ReadonlySet<string>;
}

/** One HelmRelease to install. */
export interface HelmReleaseInput {
  readonly object: KObject;
  readonly origin?: Origin;
  /** `namespace/name` of the Flux Kustomization that applies it. */
  readonly kustomization: string;
  readonly chain: readonly string[];
  readonly ctx: HelmReleaseContext;
}

export interface HelmReleaseState {
  readonly input: HelmReleaseInput;
  readonly name: string;
  readonly namespace: string;
  readonly spec: Record<string, unknown>;
  readonly names: ReleaseNames;
  status: HelmReleaseStatus;
  chartName: string;
  found?: FoundChart;
  /** chart-unavailable because no chart store was given at all (no --chart-source, --chart-cache or --fetch-charts). */
  noChartStore?: true;
  chart?: Chart;
  values?: GoMap;
  apiVersions?: string[];
  rendered?: RenderedRelease;
  objects: ReleaseObject[];
  hooks: string[];
  resources: Resource[];
  readonly errors: BuildIssue[];
  readonly warnings: BuildIssue[];
}

export type HelmReleaseStage = Stage<HelmReleaseState>;

const obj = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});
/** The render engines of the context (a chart was found, so they are needed). */
const eng = (s: HelmReleaseState): RenderEngines =>
  needEngines(s.input.ctx.engines, `the chart of HelmRelease ${s.namespace}/${s.name}`);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

function at(s: HelmReleaseState, fieldPath?: string): Omit<BuildIssue, 'message'> {
  return {
    file: s.input.origin?.file,
    line: s.input.origin?.line,
    object: `HelmRelease/${s.namespace}/${s.name}`,
    chain: s.input.chain,
    ...(fieldPath ? { fieldPath } : {}),
  };
}

function fail(s: HelmReleaseState, e: unknown, fieldPath?: string): 'stop' {
  if (!(e instanceof InputError)) throw e;
  return failWith(s, e.message, fieldPath);
}

/** The HelmRelease failed with this message (a build error at the HelmRelease, chart named). */
function failWith(s: HelmReleaseState, message: string, fieldPath?: string): 'stop' {
  const chart = s.chart ? `chart ${s.chart.metadata.name}@${s.chart.metadata.version}: ` : '';
  s.errors.push({ ...at(s, fieldPath), message: `${chart}${message}` });
  s.status = 'failed';
  return 'stop';
}

/** install.crds (default Create); upgrade.crds is for upgrades, which an offline build does not model. */
function crdPolicy(spec: Record<string, unknown>): 'Create' | 'CreateReplace' | 'Skip' {
  const p = str(obj(spec.install).crds);
  return p === 'Skip' || p === 'CreateReplace' ? p : 'Create';
}

const hash = (x: string) => createHash('sha256').update(x).digest('hex');
const stable = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x instanceof Map ? [...x] : x));

const select: HelmReleaseStage = {
  name: 'select',
  does: 'suspended HelmReleases (spec.suspend) and --no-helm stop here (status suspended or disabled)',
  run(s) {
    if (s.spec.suspend === true) {
      s.status = 'suspended';
      s.warnings.push({
        ...at(s, 'spec.suspend'),
        message: 'spec.suspend is true: helm-controller does not reconcile it; not rendered',
      });
      return 'stop';
    }
    if (!s.input.ctx.enabled) {
      s.status = 'disabled';
      return 'stop';
    }
    return undefined;
  },
};

const chartSource: HelmReleaseStage = {
  name: 'chart-source',
  does:
    'the chart: spec.chart.spec (HelmRepository chart and version range, GitRepository/Bucket path) or ' +
    'spec.chartRef (OCIRepository, HelmChart), from the chart store or a source artifact',
  run(s) {
    const r = resolveChart(s.spec, s.namespace, s.input.ctx);
    s.chartName = r.name;
    if (!r.ok) {
      s.status = 'chart-unavailable';
      if (r.noChartStore) s.noChartStore = true;
      s.warnings.push({ ...at(s, r.fieldPath), message: `chart ${r.name || '(unnamed)'} not rendered: ${r.reason}` });
      return 'stop';
    }
    s.found = r.chart;
    return undefined;
  },
};

const loadChart: HelmReleaseStage = {
  name: 'load-chart',
  does: 'the chart loaded from its files (Chart.yaml, values, templates, subcharts), once per digest in the session',
  run(s) {
    const key = `chart\0${s.found!.digest}`;
    const engines = eng(s);
    const cached = s.input.ctx.cache?.get(key) as Chart | undefined;
    try {
      s.chart = cached ?? engines.loadChart(s.found!.files);
    } catch (e) {
      return fail(s, e, 'spec.chart');
    }
    if (!cached) s.input.ctx.cache?.set(key, s.chart);
    return undefined;
  },
};

const values: HelmReleaseStage = {
  name: 'values',
  does:
    "values in Flux's order: the HelmChart's valuesFiles, each valuesFrom (ConfigMap/Secret, valuesKey, " +
    'targetPath, optional), then spec.values',
  run(s) {
    const { loadValuesText, mergeMaps, releaseValues } = eng(s);
    try {
      let base: GoMap = {};
      for (const f of s.found!.valuesFiles) {
        const file =
          s.chart!.files.find((x) => x.name === f.replace(/^\.\//, '')) ??
          (f === 'values.yaml' ? { name: f, data: new Uint8Array() } : undefined);
        if (!file) throw new InputError(`valuesFiles: no file '${f}' in the chart`);
        base = mergeMaps(base, loadValuesText(new TextDecoder().decode(file.data), f, `valuesFiles ${f}`));
      }
      const r = releaseValues(s.input.object, s.input.ctx.findObject);
      for (const w of r.warnings) s.warnings.push({ ...at(s, w.fieldPath), message: w.message });
      s.values = mergeMaps(base, r.values);
    } catch (e) {
      return fail(s, e, 'spec.values');
    }
    return undefined;
  },
};

const capabilities: HelmReleaseStage = {
  name: 'capabilities',
  does:
    ".Capabilities.APIVersions: Helm's built-ins, group/version/Kind of the built-in resources of the " +
    "cluster's Kubernetes minor (as discovery gives them), the CRDs of the cluster's build and the chart's own " +
    'CRDs (helm-controller applies them before rendering)',
  run(s) {
    const engines = eng(s);
    const own = crdPolicy(s.spec) !== 'Skip' ? chartCrdApiVersions(s.chart!, s.input.ctx.renderStore, engines) : [];
    s.apiVersions = [
      ...new Set([...engines.builtinKindVersions(s.input.ctx.kubeVersion), ...s.input.ctx.clusterApiVersions, ...own]),
    ].sort();
    return undefined;
  },
};

/**
 * What a chart's crds/ folders add to `.Capabilities.APIVersions`, once per loaded chart (the
 * session's render memo gives every cluster the same Chart of a digest): parsing the CRD files of
 * kyverno or the Gateway API once per cluster was a fifth of check's CPU with charts on.
 */
const chartCrdApis = new WeakMap<Chart, readonly string[]>();

function chartCrdApiVersions(chart: Chart, store: ContentStore | undefined, engines: RenderEngines): readonly string[] {
  let apis = chartCrdApis.get(chart);
  if (!apis) {
    const all = new Set<string>();
    for (const f of crdFiles(chart)) {
      const parse = (text: string, file: string) => engines.parsedDocuments(store, text, file);
      for (const a of crdFileApiVersions(store, new TextDecoder().decode(f.data), f.name, parse)) all.add(a);
    }
    // crdApiVersions is a sorted set: the union of the files' is the chart's.
    apis = [...all].sort();
    chartCrdApis.set(chart, apis);
  }
  return apis;
}

/**
 * What one CRD file adds to `.Capabilities.APIVersions`, kept in `store` by the file's name and
 * text: a later process reads this short list instead of the file's stored parse (megabytes of
 * CRD schemas for kyverno, which the crds stage parses once more for the objects themselves). A
 * file that does not parse adds nothing (it fails in the crds stage with its message) and is not kept.
 */
export function crdFileApiVersions(
  store: ContentStore | undefined,
  text: string,
  file: string,
  parse: (text: string, file: string) => readonly { readonly value: unknown }[],
): readonly string[] {
  const key = store ? `crd api versions 1\0${file}\0${text}` : undefined;
  const hit = key === undefined ? undefined : store!.get(key);
  if (hit !== undefined) {
    try {
      const apis = JSON.parse(hit) as unknown;
      if (Array.isArray(apis) && apis.every((a) => typeof a === 'string')) return apis as string[];
    } catch {
      // an entry of another shape: made again below
    }
  }
  let docs: readonly { readonly value: unknown }[];
  try {
    docs = parse(text, file);
  } catch {
    return [];
  }
  const apis = crdApiVersions(docs.filter((d) => isPlainObject(d.value)).map((d) => d.value as KObject));
  if (key !== undefined) store!.put(key, JSON.stringify(apis));
  return apis;
}

function crdFiles(chart: Chart, path = chart.metadata.name): { name: string; data: Uint8Array }[] {
  const out: { name: string; data: Uint8Array }[] = [];
  for (const f of chart.files) {
    const ext = f.name.slice(f.name.lastIndexOf('.')).toLowerCase();
    if (f.name.startsWith('crds/') && (ext === '.yaml' || ext === '.yml' || ext === '.json'))
      out.push({ name: `${path}/${f.name}`, data: f.data });
  }
  for (const d of chart.dependencies) out.push(...crdFiles(d, `${path}/charts/${d.metadata.name}`));
  return out;
}

const render: HelmReleaseStage = {
  name: 'render',
  does:
    'the chart rendered in-process (src/helm renderRelease: coalesced values, schema unless ' +
    'install.disableSchemaValidation, templates, install order), memoised in the session',
  run(s) {
    const skipSchema = obj(s.spec.install).disableSchemaValidation === true;
    const kubeVersion = s.input.ctx.kubeVersion;
    const key = `render\0${hash(stable([s.found!.digest, s.values, s.apiVersions, kubeVersion ?? '', s.names.releaseName, s.names.releaseNamespace, skipSchema]))}`;
    // A failure is remembered by its message only: an Error keeps the frames of the stack it was
    // thrown through until its stack is read (their closures hold the whole cluster's build), so a
    // remembered InputError kept every cluster that failed to render alive for the whole run.
    const cached = s.input.ctx.cache?.get(key) as
      | { ok: true; r: RenderedRelease }
      | { ok: false; message: string }
      | undefined;
    let res = cached;
    if (!res) {
      const { renderStoreKey, decodeRender, encodeRender } = eng(s);
      const store = s.input.ctx.renderStore;
      const storeKey = store
        ? renderStoreKey({
            chartDigest: s.found!.digest,
            chartName: s.chart!.metadata.name,
            values: s.values,
            apiVersions: s.apiVersions!,
            kubeVersion: kubeVersion ?? '',
            releaseName: s.names.releaseName,
            releaseNamespace: s.names.releaseNamespace,
            skipSchema,
          })
        : undefined;
      const text = storeKey === undefined ? undefined : store!.get(storeKey);
      const stored = text === undefined ? undefined : decodeRender(text, s.chart!);
      if (stored) res = stored;
      else {
        res = renderNow(s, skipSchema, kubeVersion);
        if (storeKey !== undefined)
          store!.put(
            storeKey,
            encodeRender(res.ok ? res : ({ ok: false, message: res.message } satisfies StoredRender)),
          );
      }
      s.input.ctx.cache?.set(key, res);
    }
    if (!res.ok) return failWith(s, res.message);
    s.rendered = res.r;
    s.hooks = res.r.hooks.map((h) => h.path);
    return undefined;
  },
};

/** renderRelease over the state's chart, values and capabilities; an input error is the result. */
function renderNow(
  s: HelmReleaseState,
  skipSchema: boolean,
  kubeVersion: string | undefined,
): { ok: true; r: RenderedRelease } | { ok: false; message: string } {
  try {
    return {
      ok: true,
      r: eng(s).renderRelease({
        args: [s.names.releaseName, s.chart!.metadata.name],
        chart: s.chart!,
        baseValues: s.values!,
        namespace: s.names.releaseNamespace,
        ...(kubeVersion ? { kubeVersion } : {}),
        apiVersions: s.apiVersions!,
        skipSchemaValidation: skipSchema,
      }),
    };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { ok: false, message: e.message };
  }
}

/**
 * The objects of one rendered file (a crds/ file, a manifest, a hook), parsed once per rendered
 * file and frozen: the session's render memo gives every cluster that installs the same release the
 * same rendered files, so every cluster holds the same objects (no copy per cluster) or gets the
 * same error. The stages after this one copy what they change (post-render builds new objects,
 * release metadata and the release namespace copy the object and its metadata); nothing may write
 * into a shared object, and a write would throw (ES modules are strict): see
 * src/checks/shared-render.test.ts. The error is kept as data and thrown anew (an Error keeps the
 * frames it was thrown through, and with them the first cluster's build, until its stack is read).
 */
const parsedRendered = new WeakMap<object, readonly ReleaseObject[] | ParseFailure>();

interface ParseFailure {
  readonly message: string;
  readonly pos: InputError['pos'];
}

function parseRendered(
  of: object,
  text: string | (() => string),
  file: string,
  template: string,
  s: HelmReleaseState,
): readonly ReleaseObject[] {
  let parsed = parsedRendered.get(of);
  if (!parsed) {
    try {
      parsed = parseObjects(typeof text === 'string' ? text : text(), file, template, s);
      for (const o of parsed) deepFreeze(o);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      parsed = { message: e.message, pos: e.pos };
    }
    parsedRendered.set(of, parsed);
  }
  if ('message' in parsed) throw new InputError(parsed.message, parsed.pos ? { pos: parsed.pos } : {});
  return parsed;
}

function parseObjects(text: string, file: string, template: string, s: HelmReleaseState): ReleaseObject[] {
  return eng(s)
    .parsedDocuments(s.input.ctx.renderStore, text, file)
    .filter((d) => d.value !== null && d.value !== undefined)
    .map((d) => {
      if (!isPlainObject(d.value))
        throw new InputError(`${file}: a document is not an object`, { pos: { file, line: d.line } });
      return { object: d.value as KObject, template };
    });
}

const crds: HelmReleaseStage = {
  name: 'crds',
  does: "the chart's crds/ folders per install.crds (Create and CreateReplace apply them, Skip does not), first",
  run(s) {
    if (crdPolicy(s.spec) === 'Skip') return undefined;
    try {
      for (const f of s.rendered!.crds)
        s.objects.push(...parseRendered(f, () => new TextDecoder().decode(f.data), f.filename, f.filename, s));
    } catch (e) {
      return fail(s, e, 'spec.install.crds');
    }
    return undefined;
  },
};

const manifests: HelmReleaseStage = {
  name: 'manifests',
  does:
    "the rendered manifests in Helm's install order, each with its template, then the hooks an install runs " +
    '(unless install.disableHooks; test hooks only run with `helm test`)',
  run(s) {
    try {
      // Helm writes the release manifest as `---\n# Source: NAME\nCONTENT\n` and installs from it:
      // each document ends with a line break (a block scalar that ends it keeps its final newline;
      // hooks are installed from their own manifest, without one).
      for (const m of s.rendered!.manifests)
        s.objects.push(...parseRendered(m, () => `${m.content}\n`, m.name, m.name, s));
      if (obj(s.spec.install).disableHooks === true) return undefined;
      for (const h of s.rendered!.hooks) {
        if (h.events.every((e) => e === 'test')) continue;
        s.objects.push(...parseRendered(h, h.manifest, h.path, h.path, s).map((o) => ({ ...o, hook: true })));
      }
    } catch (e) {
      return fail(s, e);
    }
    return undefined;
  },
};

/** spec.postRenderStrategy: `nohooks` keeps hooks out of the post-renderers (Helm 3); default `combined` (Helm 4). */
const hooksPostRendered = (spec: Record<string, unknown>) => str(spec.postRenderStrategy) !== 'nohooks';

const postRender: HelmReleaseStage = {
  name: 'post-render',
  does: 'spec.postRenderers: kustomize patches and images over the output (a kustomize build, FIFO order)',
  run(s) {
    try {
      const withHooks = hooksPostRendered(s.spec);
      const held = withHooks ? [] : s.objects.filter((o) => o.hook);
      s.objects = [
        ...kustomizePostRender(withHooks ? s.objects : s.objects.filter((o) => !o.hook), s.spec.postRenderers),
        ...held,
      ];
    } catch (e) {
      return fail(s, e, 'spec.postRenderers');
    }
    return undefined;
  },
};

const releaseMetadataStage: HelmReleaseStage = {
  name: 'release-metadata',
  does:
    "spec.commonMetadata, helm-controller's origin labels (helm.toolkit.fluxcd.io/name, /namespace), the " +
    'release namespace on namespaced objects without one, and the Namespace of install.createNamespace',
  run(s) {
    const hr = { name: s.name, namespace: s.namespace };
    const scoped = new Set([...s.input.ctx.clusterScoped, ...clusterScopedKinds(s.objects.map((o) => o.object))]);
    const withHooks = hooksPostRendered(s.spec);
    s.objects = s.objects.map((o) => ({
      ...o,
      object: defaultNamespace(
        o.hook && !withHooks ? o.object : releaseMetadata(o.object, s.spec.commonMetadata, hr),
        s.names.releaseNamespace,
        scoped,
      ),
    }));
    if (str(s.spec.targetNamespace) !== '' && obj(s.spec.install).createNamespace === true) {
      s.objects.unshift({
        object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: s.names.releaseNamespace } },
        template: '(install.createNamespace)',
      });
    }
    return undefined;
  },
};

const origins: HelmReleaseStage = {
  name: 'origins',
  does: 'each object located at its HelmRelease, with the chart@version and template file',
  run(s) {
    const o = s.input.origin;
    const release = `HelmRelease/${s.namespace}/${s.name}`;
    const chart = `${s.chart!.metadata.name}@${s.chart!.metadata.version}`;
    s.resources = s.objects.map((x) => ({
      object: x.object,
      origin: {
        file: o?.file ?? '',
        ...(o?.line !== undefined ? { line: o.line } : {}),
        ...(s.input.kustomization ? { fluxKustomization: s.input.kustomization } : {}),
        helm: { release, chart, template: x.template },
      },
    }));
    s.status = 'rendered';
    return undefined;
  },
};

/** The stages of one HelmRelease, in order. */
export const HELMRELEASE_STAGES: readonly HelmReleaseStage[] = [
  select,
  chartSource,
  loadChart,
  values,
  capabilities,
  render,
  crds,
  manifests,
  postRender,
  releaseMetadataStage,
  origins,
];

/** A fresh state for one HelmRelease. */
export function helmReleaseState(input: HelmReleaseInput): HelmReleaseState {
  const name = input.object.metadata?.name ?? '';
  const namespace = input.object.metadata?.namespace || 'default';
  const spec = obj(input.object.spec);
  return {
    input,
    name,
    namespace,
    spec,
    names: releaseNames(name, namespace, spec),
    status: 'chart-unavailable',
    chartName: str(obj(obj(spec.chart).spec).chart) || str(obj(spec.chartRef).name),
    objects: [],
    hooks: [],
    resources: [],
    errors: [],
    warnings: [],
  };
}
