/**
 * Serves a repository's chart sources locally, for flate and ours alike: finds the HelmRepositories
 * (HTTP, or type oci) and OCIRepositories its HelmReleases read, and the chart and version each
 * asks; every chart found in ../shared/charts is relabelled to that version (a range gets a version
 * inside it) and served: HTTP HelmRepositories from a loopback Helm repository, OCI ones pushed by
 * the real helm 4.2 to Debian's docker-registry on loopback over TLS (self-signed). The source's
 * URL is rewritten in the working copy both sides read (OCI ones also get `insecure: true`: flate
 * 0.6 reads it as "skip TLS verification", pkg/source/oci/client.go resolveTLS, and has no
 * plain-HTTP mode; source-controller reads it as plain HTTP). Ours gets the same unpacked charts
 * through the chart store's mappings (what `--chart-source` gives). Charts in no shared folder are
 * left as the repository names them: flate's fetch fails offline, ours reports them not rendered.
 */
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { selfSignedTls, startRegistry, type Registry } from '../../src/helm/sources/testing/registry.js';
import { chartRepository, serveChartRepository, SHARED_CHARTS } from './chart-repository.js';

type Doc = { kind?: string; metadata?: { name?: string; namespace?: string }; spec?: Record<string, unknown> };

export interface ChartSource {
  readonly file: string;
  /** Kind/namespace/name, as the chart store's mappings key it. */
  readonly id: string;
  readonly url: string;
  /** 'http' HelmRepository, 'oci' HelmRepository, or 'ocirepository' (the URL names the chart). */
  readonly type: 'http' | 'oci' | 'ocirepository';
  readonly charts: { chart: string; version: string }[];
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.name.startsWith('.')
      ? []
      : e.isDirectory()
        ? walk(join(dir, e.name))
        : /\.ya?ml$/.test(e.name)
          ? [join(dir, e.name)]
          : [],
  );
}

/**
 * A concrete version for what a release asks: itself, `N.x` → N.99.0, `>= X.Y.Z[-pre]` → X.Y.Z
 * (the release, inside the range), another range or nothing → the shared chart's own.
 */
export function versionFor(chart: string, asked: string | undefined): string {
  if (asked && /^v?\d+\.\d+\.\d+$/.test(asked)) return asked;
  const m = asked ? /^(\d+)\.x$/.exec(asked) : null;
  if (m) return `${m[1]}.99.0`;
  const atLeast = asked ? /^>=\s*v?(\d+\.\d+\.\d+)(-[\w.]+)?$/.exec(asked) : null;
  if (atLeast) return atLeast[1]!;
  const own =
    /^version:\s*"?v?([^\s"#]+)/m.exec(readFileSync(join(SHARED_CHARTS, chart, 'Chart.yaml'), 'utf8'))?.[1] ?? '1.0.0';
  return own === '0.0.0' ? '1.0.0' : own;
}

/** The chart sources the HelmReleases of ROOT read, with the charts each is asked for. */
export function chartSources(root: string): ChartSource[] {
  const docs = walk(root)
    .flatMap((file) => {
      try {
        return parseAllDocuments(readFileSync(file, 'utf8')).map((d) => ({
          file: relative(root, file),
          doc: d.toJS() as Doc,
        }));
      } catch {
        return [];
      }
    })
    .filter((d) => d.doc && typeof d.doc === 'object');
  const sources: ChartSource[] = docs
    .filter(
      (d) =>
        d.doc.kind === 'HelmRepository' ||
        (d.doc.kind === 'OCIRepository' && String(d.doc.spec?.url ?? '').startsWith('oci://')),
    )
    .map(({ file, doc }) => ({
      file,
      id: `${doc.kind}/${doc.metadata?.namespace ?? ''}/${doc.metadata?.name}`,
      url: String(doc.spec?.url),
      type: doc.kind === 'OCIRepository' ? 'ocirepository' : doc.spec?.type === 'oci' ? 'oci' : 'http',
      charts: [],
    }));
  const add = (id: string, chart: string, version: string) => {
    const s = sources.find((x) => x.id === id);
    if (
      s &&
      existsSync(join(SHARED_CHARTS, chart)) &&
      !s.charts.some((c) => c.chart === chart && c.version === version)
    )
      s.charts.push({ chart, version });
  };
  for (const { doc } of docs.filter((d) => d.doc.kind === 'HelmRelease')) {
    const ns = doc.metadata?.namespace ?? '';
    const spec = (
      doc.spec?.chart as
        | { spec?: { chart: string; version?: string; sourceRef: { kind: string; name: string; namespace?: string } } }
        | undefined
    )?.spec;
    if (spec?.sourceRef && spec.chart)
      add(
        `${spec.sourceRef.kind}/${spec.sourceRef.namespace ?? ns}/${spec.sourceRef.name}`,
        spec.chart,
        versionFor(spec.chart, spec.version),
      );
    const ref = doc.spec?.chartRef as { kind: string; name: string; namespace?: string } | undefined;
    if (ref?.kind === 'OCIRepository') {
      const id = `OCIRepository/${ref.namespace ?? ns}/${ref.name}`;
      const src = docs.find(
        (d) => `${d.doc.kind}/${d.doc.metadata?.namespace ?? ''}/${d.doc.metadata?.name}` === id,
      )?.doc;
      const chart =
        String(src?.spec?.url ?? '')
          .split('/')
          .pop() ?? '';
      const r = (src?.spec?.ref ?? {}) as { tag?: string; semver?: string };
      if (chart) add(id, chart, versionFor(chart, r.tag ?? r.semver));
    }
  }
  return sources.filter((s) => s.charts.length > 0);
}

export interface ServedSources {
  /** Chart store mappings: source id → folder of the relabelled charts. */
  readonly mappings: Record<string, string>;
  readonly sources: readonly ChartSource[];
  stop(): Promise<void>;
}

/** Serves the charts of `sources`, rewriting their URLs in SRC (a working copy). WORK holds the served files. */
export async function serveChartSources(
  src: string,
  work: string,
  sources: readonly ChartSource[],
  helmBin: string,
): Promise<ServedSources> {
  const asked = sources.flatMap((s) => s.charts);
  const { repo, charts } = chartRepository(
    work,
    asked.filter((c, i) => asked.findIndex((x) => x.chart === c.chart && x.version === c.version) === i),
  );
  let proc: ChildProcess | undefined;
  let registry: Registry | undefined;
  const rewrite = (file: string, from: string, to: string, insecure: boolean) => {
    const text = readFileSync(join(src, file), 'utf8');
    assert.ok(text.includes(from), `${file} names ${from}`);
    let out = text.replace(from, to);
    if (insecure)
      out = out.replace(
        new RegExp(`(\\n(\\s*)url: ${to.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\n)`),
        '$1$2insecure: true\n',
      );
    assert.ok(!insecure || out.includes('insecure: true'), `${file}: insecure added`);
    writeFileSync(join(src, file), out);
  };
  try {
    if (sources.some((s) => s.type === 'http')) {
      const served = await serveChartRepository(repo);
      proc = served.proc;
      for (const s of sources.filter((x) => x.type === 'http'))
        rewrite(s.file, s.url, `http://127.0.0.1:${served.port}`, false);
    }
    if (sources.some((s) => s.type !== 'http')) {
      registry = await startRegistry(undefined, undefined, selfSignedTls(work));
      const home = join(work, 'helm-home');
      const env = {
        ...process.env,
        HELM_CONFIG_HOME: join(home, 'config'),
        HELM_CACHE_HOME: join(home, 'cache'),
        HELM_DATA_HOME: join(home, 'data'),
      };
      // Many sources may name one chart (home-ops: 26 OCIRepositories of app-template): push each once.
      const pushed = new Set<string>();
      for (const s of sources.filter((x) => x.type !== 'http')) {
        const path = new URL(s.url.replace(/^oci:/, 'http:')).pathname;
        const parent = s.type === 'ocirepository' ? path.replace(/\/[^/]+$/, '') : path;
        for (const c of s.charts) {
          const key = `${parent}/${c.chart}:${c.version}`;
          if (pushed.has(key)) continue;
          pushed.add(key);
          const r = spawnSync(
            helmBin,
            [
              'push',
              join(repo, `${c.chart}-${c.version}.tgz`),
              `oci://${registry.host}${parent}`,
              '--insecure-skip-tls-verify',
            ],
            { encoding: 'utf8', env },
          );
          assert.equal(r.status, 0, r.stderr);
        }
        rewrite(s.file, s.url, `oci://${registry.host}${path}`, true);
      }
    }
  } catch (e) {
    proc?.kill();
    await registry?.stop();
    throw e;
  }
  // A source without a namespace in its file takes a Kustomization's targetNamespace: map it under each.
  const targets = [
    ...new Set(
      walk(src).flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/^\s*targetNamespace:\s*"?([\w-]+)/gm)].map((m) => m[1]!),
      ),
    ),
  ];
  const ids = sources.flatMap((s) => {
    const [kind, ns, name] = s.id.split('/');
    return ns ? [s.id] : targets.map((t) => `${kind}/${t}/${name}`);
  });
  return {
    mappings: Object.fromEntries(ids.map((id) => [id, charts])),
    sources,
    stop: async () => {
      proc?.kill();
      await registry?.stop();
    },
  };
}
