/**
 * Where a HelmRelease's chart comes from, as helm-controller and source-controller find it:
 * `spec.chart.spec` (a HelmChart template: chart name and version range in a HelmRepository, or a
 * chart path in a GitRepository/Bucket artifact) or `spec.chartRef` (an OCIRepository, or an
 * existing HelmChart). HelmRepository and OCIRepository charts come from the chart store (offline:
 * `--chart-source` folders, the chart cache); GitRepository and Bucket charts from the source
 * artifact this build can read (this repository, or a `--source` mapping).
 */
import { createHash } from 'node:crypto';
import { isPlainObject, type KObject } from '../../resources/resource.js';
import type { ChartFile } from '../../helm/chart/types.js';
import type { ChartRequest, ChartStore, SourceAuth } from '../../helm/sources/types.js';
import { parseHelmignore } from '../../helm/chart/helmignore.js';
import type { ArtifactView } from '../source/artifact-view.js';
import type { SourceRefInfo } from '../build/types.js';
import { secureJoinRel } from '../source/secure-join.js';

/** A chart found: its files, version and digest, where it was found. */
export interface FoundChart {
  readonly files: readonly ChartFile[];
  readonly version: string;
  readonly digest: string;
  readonly location: string;
  /** `Kind/ns/name` of the Flux source. */
  readonly source: string;
  /** Chart files (HelmChart `valuesFiles`) merged over the chart's values.yaml, in order. */
  readonly valuesFiles: readonly string[];
}

export type ChartResolution =
  | { readonly ok: true; readonly chart: FoundChart; readonly name: string }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly name: string;
      readonly fieldPath: string;
      readonly noChartStore?: true;
    };

/** What the resolver needs from the cluster build. */
export interface ChartSourceContext {
  /** A Flux source object of the cluster build (`Kind/ns/name`), if the build has it. */
  readonly findObject: (kind: string, namespace: string, name: string) => KObject | undefined;
  /** The artifact of a GitRepository/Bucket/ExternalArtifact source, when this build can read it. */
  readonly artifact: (ref: SourceRefInfo) => { ok: true; fs: ArtifactView } | { ok: false; reason: string };
  readonly store?: ChartStore;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Record<string, unknown> => (isPlainObject(v) ? v : {});

/** The chart of a HelmRelease (`namespace` is the HelmRelease's). */
export function resolveChart(
  spec: Record<string, unknown>,
  namespace: string,
  ctx: ChartSourceContext,
): ChartResolution {
  const chartRef = obj(spec.chartRef);
  if (Object.keys(chartRef).length > 0) {
    const kind = str(chartRef.kind);
    const ns = str(chartRef.namespace) || namespace;
    const name = str(chartRef.name);
    if (kind === 'OCIRepository') return fromOciRepository(ns, name, ctx);
    if (kind === 'HelmChart') {
      const hc = ctx.findObject('HelmChart', ns, name);
      if (!hc)
        return {
          ok: false,
          name,
          fieldPath: 'spec.chartRef',
          reason: `HelmChart ${ns}/${name} is not in this cluster's build`,
        };
      return fromChartTemplate(obj(hc.spec), ns, ctx, 'spec.chartRef');
    }
    return {
      ok: false,
      name,
      fieldPath: 'spec.chartRef.kind',
      reason: `chartRef kind '${kind}' is not OCIRepository or HelmChart`,
    };
  }
  const tpl = obj(obj(spec.chart).spec);
  if (Object.keys(tpl).length === 0)
    return { ok: false, name: '', fieldPath: 'spec.chart', reason: 'neither spec.chart.spec nor spec.chartRef is set' };
  // The HelmChart helm-controller makes lives in the source's namespace.
  return fromChartTemplate(tpl, namespace, ctx, 'spec.chart.spec');
}

function fromChartTemplate(
  tpl: Record<string, unknown>,
  namespace: string,
  ctx: ChartSourceContext,
  fieldPath: string,
): ChartResolution {
  const chart = str(tpl.chart);
  const ref = obj(tpl.sourceRef);
  const kind = str(ref.kind);
  const ns = str(ref.namespace) || namespace;
  const name = str(ref.name);
  const valuesFiles = Array.isArray(tpl.valuesFiles)
    ? tpl.valuesFiles.filter((v): v is string => typeof v === 'string')
    : str(tpl.valuesFile)
      ? [str(tpl.valuesFile)]
      : [];
  const sourceId = `${kind}/${ns}/${name}`;
  if (kind === 'HelmRepository') {
    const repo = ctx.findObject('HelmRepository', ns, name);
    if (!repo)
      return {
        ok: false,
        name: chart,
        fieldPath: `${fieldPath}.sourceRef`,
        reason: `HelmRepository ${ns}/${name} is not in this cluster's build`,
      };
    const url = str(obj(repo.spec).url);
    const oci = str(obj(repo.spec).type) === 'oci' || url.startsWith('oci://');
    const req: ChartRequest = {
      sourceId,
      sourceKind: 'HelmRepository',
      url: oci && !url.startsWith('oci://') ? `oci://${url}` : url,
      chart,
      version: str(tpl.version) || '*',
      ...(oci && obj(repo.spec).insecure === true ? { insecure: true } : {}),
      ...authOf(obj(repo.spec), 'HelmRepository', oci),
    };
    return fromStore(req, chart, valuesFiles, ctx, `${fieldPath}.sourceRef`);
  }
  if (kind === 'GitRepository' || kind === 'Bucket' || kind === 'ExternalArtifact') {
    const art = ctx.artifact({ kind, namespace: ns, name, id: sourceId });
    if (!art.ok) return { ok: false, name: chart, fieldPath: `${fieldPath}.sourceRef`, reason: art.reason };
    // '/charts/x' and '../x' stay inside the artifact, as source-controller joins them
    const dir = secureJoinRel(chart);
    if (!art.fs.isDir(dir) || !art.fs.isFile(dir === '' ? 'Chart.yaml' : `${dir}/Chart.yaml`)) {
      return {
        ok: false,
        name: chart,
        fieldPath: `${fieldPath}.chart`,
        reason:
          `no chart at '${chart}' in the artifact of ${sourceId} (${art.fs.repoPath(dir) || '.'} has no ` +
          `Chart.yaml)`,
      };
    }
    const files = artifactChartFiles(art.fs, dir);
    return {
      ok: true,
      name: chart,
      chart: {
        files,
        version: chartVersionOf(files),
        digest: filesDigest(files),
        location: art.fs.repoPath(dir),
        source: sourceId,
        valuesFiles,
      },
    };
  }
  return {
    ok: false,
    name: chart,
    fieldPath: `${fieldPath}.sourceRef.kind`,
    reason: `chart source kind '${kind}' is not HelmRepository, GitRepository or Bucket`,
  };
}

function fromOciRepository(ns: string, name: string, ctx: ChartSourceContext): ChartResolution {
  const repo = ctx.findObject('OCIRepository', ns, name);
  if (!repo)
    return {
      ok: false,
      name,
      fieldPath: 'spec.chartRef',
      reason: `OCIRepository ${ns}/${name} is not in this cluster's build`,
    };
  const spec = obj(repo.spec);
  const ref = obj(spec.ref);
  const req: ChartRequest = {
    sourceId: `OCIRepository/${ns}/${name}`,
    sourceKind: 'OCIRepository',
    url: str(spec.url),
    chart: '',
    ...(str(ref.semver) ? { version: str(ref.semver) } : {}),
    ...(str(ref.tag) ? { tag: str(ref.tag) } : {}),
    ...(str(ref.digest) ? { digest: str(ref.digest) } : {}),
    ...(spec.insecure === true ? { insecure: true } : {}),
    ...authOf(spec, 'OCIRepository'),
  };
  return fromStore(req, name, [], ctx, 'spec.chartRef');
}

/** The source's authentication fields (names only: the Secrets are not read). */
export function authOf(
  spec: Record<string, unknown>,
  kind: 'HelmRepository' | 'OCIRepository',
  oci = true,
): { auth?: SourceAuth } {
  const secretRef = str(obj(spec.secretRef).name);
  const certSecretRef = str(obj(spec.certSecretRef).name);
  // HelmRepository's provider only counts for `type: oci` (Flux ignores it otherwise): the caller's URL tells.
  const provider = str(spec.provider);
  const auth: SourceAuth = {
    ...(secretRef ? { secretRef } : {}),
    ...(certSecretRef ? { certSecretRef } : {}),
    ...(kind === 'HelmRepository' && spec.passCredentials === true ? { passCredentials: true } : {}),
    ...(oci && provider && provider !== 'generic' ? { provider } : {}),
  };
  return Object.keys(auth).length ? { auth } : {};
}

function fromStore(
  req: ChartRequest,
  name: string,
  valuesFiles: readonly string[],
  ctx: ChartSourceContext,
  fieldPath: string,
): ChartResolution {
  if (!ctx.store) {
    return {
      ok: false,
      name,
      fieldPath,
      noChartStore: true,
      reason:
        `no chart store: map ${req.sourceId} to a folder of charts with --chart-source ${req.sourceId}=DIR, or ` +
        `give --chart-cache DIR (--fetch-charts fills it from the network)`,
    };
  }
  const hit = ctx.store.lookup(req);
  if (!hit.ok) return { ok: false, name, fieldPath, reason: hit.reason };
  const c = hit.chart;
  return {
    ok: true,
    name,
    chart: {
      files: c.files,
      version: c.version,
      digest: c.digest,
      location: c.location,
      source: req.sourceId,
      valuesFiles,
    },
  };
}

/** The chart folder's files in an artifact (as source-controller packages it: `.helmignore` applied). */
export function artifactChartFiles(fs: ArtifactView, dir: string): ChartFile[] {
  const join = (a: string, b: string) => (a === '' ? b : `${a}/${b}`);
  const ignoreFile = join(dir, '.helmignore');
  const rules = parseHelmignore(fs.isFile(ignoreFile) ? fs.readFile(ignoreFile) : undefined, fs.repoPath(ignoreFile));
  const out: ChartFile[] = [];
  const walk = (abs: string, rel: string): void => {
    for (const name of fs.list(abs)) {
      const a = join(abs, name);
      const r = join(rel, name);
      if (fs.isDir(a)) {
        if (!rules.ignores(r, true)) walk(a, r);
      } else if (!rules.ignores(r, false)) out.push({ name: r, data: fs.readBytes(a) });
    }
  };
  walk(dir, '');
  return out;
}

function chartVersionOf(files: readonly ChartFile[]): string {
  const f = files.find((x) => x.name === 'Chart.yaml');
  const m = f ? /^version:[ \t]*["']?([^"'\s#]+)/m.exec(new TextDecoder().decode(f.data)) : null;
  return m ? m[1]! : '';
}

/** `sha256:` of the files' names and contents in name order (a folder has no archive digest). */
export function filesDigest(files: readonly ChartFile[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    h.update(f.name).update('\0').update(String(f.data.byteLength)).update('\0').update(f.data);
  }
  return `sha256:${h.digest('hex')}`;
}
