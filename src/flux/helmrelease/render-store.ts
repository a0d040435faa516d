/**
 * Chart renders kept in a persistent content store (src/content-store.ts) between runs: the key
 * names everything src/helm renderRelease reads (the chart's content digest and name, the merged
 * values, `.Capabilities`, the release name and namespace, the schema switch; the store mixes in
 * the engine digest), written so that two different inputs never give the same key. Values the
 * encoding cannot name exactly (functions, Go structs) are not kept: they render every time.
 *
 * An entry holds the render as renderRelease returns it, less what the loaded chart already
 * holds: the crds/ files are named and taken from the chart again (their bytes are the chart's).
 * A failed render keeps its message (all the stage reports of it).
 */
import type { ContentStore } from '../../content-store.js';
import { GoInt } from '../../gotemplate/value.js';
import type { Chart } from '../../helm/chart/index.js';
import { crdObjects, type RenderedRelease } from '../../helm/template.js';
import { parseGoYaml } from '../../yaml/go-yaml.js';
import { jsonExact } from '../build/build-cache.js';

/** An injective text of a value, or undefined when it holds something without one. */
export function canonicalKey(v: unknown): string | undefined {
  if (v === null) return 'N';
  if (v === undefined) return 'U';
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'string') return `s${JSON.stringify(v)}`;
  if (typeof v === 'number') return `n${Object.is(v, -0) ? '-0' : String(v)}`;
  if (typeof v === 'bigint') return `b${v}`;
  if (v instanceof GoInt) return `i${v.kind}:${v.value}`;
  if (v instanceof Uint8Array) return `y${Buffer.from(v).toString('base64')}`;
  const parts: string[] = [];
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const p = canonicalKey(v[i]);
      if (p === undefined) return undefined;
      parts.push(p);
    }
    return `[${parts.join(',')}]`;
  }
  if (typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return undefined;
  for (const [k, x] of Object.entries(v)) {
    const p = canonicalKey(x);
    if (p === undefined) return undefined;
    parts.push(`${JSON.stringify(k)}:${p}`);
  }
  return `{${parts.join(',')}}`;
}

/** What one render read, as the store's key; undefined when the values cannot be named exactly. */
export interface RenderInputs {
  readonly chartDigest: string;
  readonly chartName: string;
  readonly values: unknown;
  readonly apiVersions: readonly string[];
  readonly kubeVersion: string;
  readonly releaseName: string;
  readonly releaseNamespace: string;
  readonly skipSchema: boolean;
}

export function renderStoreKey(i: RenderInputs): string | undefined {
  const values = canonicalKey(i.values);
  if (values === undefined) return undefined;
  return [
    'helm-render 1',
    i.chartDigest,
    i.chartName,
    values,
    canonicalKey([...i.apiVersions]),
    i.kubeVersion,
    i.releaseName,
    i.releaseNamespace,
    String(i.skipSchema),
  ].join('\0');
}

export type StoredRender = { ok: true; r: RenderedRelease } | { ok: false; message: string };

/** The entry's text: the render without the chart (and the crds/ files by name only). */
export function encodeRender(res: StoredRender): string {
  if (!res.ok) return JSON.stringify({ ok: false, message: res.message });
  const r = res.r;
  return JSON.stringify({
    ok: true,
    releaseName: r.releaseName,
    crds: r.crds.map((c) => c.filename),
    manifests: r.manifests,
    hooks: r.hooks,
  });
}

/** The render an entry holds over the loaded `chart`; undefined when it does not fit the chart or the format. */
export function decodeRender(text: string, chart: Chart): StoredRender | undefined {
  let d: {
    ok?: unknown;
    message?: unknown;
    releaseName?: unknown;
    crds?: unknown;
    manifests?: unknown;
    hooks?: unknown;
  };
  try {
    d = JSON.parse(text) as typeof d;
  } catch {
    return undefined;
  }
  if (d.ok === false) return typeof d.message === 'string' ? { ok: false, message: d.message } : undefined;
  if (
    d.ok !== true ||
    typeof d.releaseName !== 'string' ||
    !Array.isArray(d.crds) ||
    !Array.isArray(d.manifests) ||
    !Array.isArray(d.hooks)
  )
    return undefined;
  const files = new Map(crdObjects(chart, chart.metadata.name).map((c) => [c.filename, c]));
  const crds: { filename: string; data: Uint8Array }[] = [];
  for (const name of d.crds) {
    const f = typeof name === 'string' ? files.get(name) : undefined;
    if (!f) return undefined;
    crds.push(f);
  }
  return {
    ok: true,
    r: {
      chart,
      releaseName: d.releaseName,
      crds,
      manifests: d.manifests as RenderedRelease['manifests'],
      hooks: d.hooks as RenderedRelease['hooks'],
    },
  };
}

/** One YAML document's value and first line (what the HelmRelease stages read of a parse). */
export interface PlainDoc {
  readonly value: unknown;
  readonly line: number;
}

/**
 * The documents of a rendered or crds/ file (Go YAML v3), kept in `store` by the file's name and
 * text: a chart's CRD files (megabytes for kyverno) are parsed once, not per run. A file that
 * does not parse throws as parseGoYaml does (errors are not kept); documents whose values would
 * not survive JSON exactly are not kept either.
 */
export function parsedDocuments(store: ContentStore | undefined, text: string, file: string): PlainDoc[] {
  const key = store ? `go-yaml v3 1\0${file}\0${text}` : undefined;
  const hit = key === undefined ? undefined : store!.get(key);
  if (hit !== undefined) {
    try {
      const docs = JSON.parse(hit) as unknown;
      if (Array.isArray(docs)) return docs as PlainDoc[];
    } catch {
      // an entry of another shape: parsed again below
    }
  }
  const docs = parseGoYaml(text, file, { dialect: 'v3' }).map((d) => ({ value: d.value, line: d.line }));
  if (key !== undefined && docs.every((d) => jsonExact(d.value))) store!.put(key, JSON.stringify(docs));
  return docs;
}
