/**
 * flate side by side with the add-on HelmReleases rendered (`flate build all` against our cluster
 * build with a chart store): the fleet `aksfleet generate` writes from examples/fleet.yaml, each
 * cluster. Each release's chart comes from ../shared/charts, relabelled to the version the release
 * pins: flate reads it from a local Helm repository on 127.0.0.1 (each HTTP HelmRepository URL
 * rewritten to it in the copy both sides read), ours through the chart store's mappings (what
 * `--chart-source` gives). The HelmRepository of type oci (envoy-gateway's gateway-helm on
 * docker.io) is left as generated here: flate's fetch fails offline and ours reports the release
 * not rendered (flate-oci.test.ts serves it from a loopback registry). Every difference is
 * classified (docs/conformance.md, flate); any other, or a listed one that no longer happens, fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { openChartStore } from '../../src/helm/sources/store.js';
import { registrySkip, selfSignedTls, startRegistry } from '../../src/helm/sources/testing/registry.js';
import { inCi, oracle } from '../oracles/index.js';
import { chartRepository, serveChartRepository, SHARED_CHARTS } from './chart-repository.js';
import { CLUSTER_SCOPED_WITHOUT_CRD, OUTPUTS, OUTPUTS_CONFIGMAP, writeExampleFleet } from './example-fleet.js';
import { compare, keyOf, runFlate, runOurs, type Difference, type OurRun } from './flate.js';

const flate = oracle('flate-0.6');
const notBuilt =
  !flate.built && !inCi() && process.env.AKSFLEET_ALL_ORACLES !== '1'
    ? 'oracle flate-0.6 is not built (test/oracles/build.sh flate-0.6)'
    : false;
const helm = oracle('helm-4.2');
const skip = !existsSync(SHARED_CHARTS) ? 'no shared charts' : notBuilt || flate.skip || helm.skip || registrySkip();

type Doc = {
  kind?: string;
  metadata?: {
    name?: string;
    namespace?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
};

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : [],
  );
}

interface Source {
  readonly file: string;
  readonly id: string;
  readonly url: string;
  readonly oci: boolean;
  readonly charts: { chart: string; version: string }[];
}

/** The generated HelmRepositories and the charts (name, version) the HelmReleases ask of each. */
function chartSources(root: string): Source[] {
  const docs = walk(root).flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8')).map((d) => ({ file: relative(root, file), doc: d.toJS() as Doc })),
  );
  const sources = docs
    .filter((d) => d.doc?.kind === 'HelmRepository')
    .map(({ file, doc }) => ({
      file,
      id: `HelmRepository/${doc.metadata!.namespace}/${doc.metadata!.name}`,
      url: String(doc.spec!.url),
      oci: doc.spec!.type === 'oci',
      charts: [] as { chart: string; version: string }[],
    }));
  for (const { doc } of docs.filter((d) => d.doc?.kind === 'HelmRelease')) {
    const spec = (
      doc.spec!.chart as {
        spec: { chart: string; version: string; sourceRef: { kind: string; name: string; namespace?: string } };
      }
    ).spec;
    const id = `${spec.sourceRef.kind}/${spec.sourceRef.namespace ?? doc.metadata!.namespace}/${spec.sourceRef.name}`;
    const s = sources.find((x) => x.id === id);
    assert.ok(s, `${id} (asked by HelmRelease ${doc.metadata!.namespace}/${doc.metadata!.name}) is generated`);
    s.charts.push({ chart: spec.chart, version: spec.version });
  }
  return sources;
}

const HOOK_LABEL = /^metadata\.labels\.helm\.toolkit\.fluxcd\.io\/(name|namespace)$/;

/** Why a difference is expected, or undefined. */
function cause(d: Difference, ours: OurRun, flateByKey: ReadonlyMap<string, Doc>): string | undefined {
  if (d.what === 'only-ours' && ours.roots.has(d.key))
    return 'root object (read from the --path folder: flate takes it as an input and prints only what it renders)';
  const [kind, ns, name] = d.key.split('/');
  if (CLUSTER_SCOPED_WITHOUT_CRD.has(kind!)) {
    if (
      d.what === 'only-ours' &&
      ns === '' &&
      [...flateByKey.keys()].some((k) => k.startsWith(`${kind}/`) && k.endsWith(`/${name}`))
    )
      return `cluster-scoped ${kind}: flate gives it a namespace (not in its list of cluster-scoped kinds)`;
    if (d.what === 'only-flate' && ns !== '' && ours.objects.some((o) => keyOf(o) === `${kind}//${name}`))
      return `cluster-scoped ${kind}: flate gives it a namespace (not in its list of cluster-scoped kinds)`;
  }
  if (
    d.what === 'content' &&
    HOOK_LABEL.test(d.detail) &&
    flateByKey.get(d.key)?.metadata?.annotations?.['helm.sh/hook'] !== undefined
  )
    return (
      "helm hook: ours carries helm-controller's origin labels (postRenderStrategy default `combined` under " +
      'Helm 4), flate 0.6 does not post-render hooks'
    );
  return undefined;
}

/**
 * flate failures expected: kube-prometheus-stack, whose shared chart has no vendored subcharts
 * (kube-state-metrics, prometheus-node-exporter, grafana, prometheus-windows-exporter): flate
 * renders without them and fails on a nil pointer (templates/prometheus/clusterrole.yaml), ours
 * stops at Helm's dependency check; neither renders it.
 */
const EXPECTED_FLATE_FAILURE =
  /HelmRelease\s+monitoring\/kube-prometheus-stack\s+helm template monitoring\/kube-prometheus-stack: kube-prometheus-stack\/templates\/prometheus\/clusterrole\.yaml/;
const EXPECTED_OUR_ERROR =
  /HelmRelease\/monitoring\/kube-prometheus-stack: chart kube-prometheus-stack@[\d.]+: .*missing in charts\/ directory: kube-state-metrics, prometheus-node-exporter, grafana, prometheus-windows-exporter/;

test('flate side by side with charts rendered: the generated example fleet, each cluster', {
  skip,
  timeout: 900_000,
}, async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-flate-fleet-charts-'));
  const src = join(root, 'src');
  const clusters = writeExampleFleet(src);
  const sources = chartSources(src);
  const used = sources.filter((s) => s.charts.length > 0);
  const http = used.filter((s) => !s.oci);
  const oci = used.filter((s) => s.oci);
  assert.ok(http.length >= 6 && oci.length >= 1, `${http.length} HTTP and ${oci.length} OCI chart sources`);
  const { repo, charts } = chartRepository(
    join(root, 'served'),
    used.flatMap((s) => s.charts),
  );
  const { port, proc } = await serveChartRepository(repo);
  const registry = await startRegistry(undefined, undefined, selfSignedTls(root));
  try {
    for (const s of http) {
      const text = readFileSync(join(src, s.file), 'utf8');
      assert.ok(text.includes(s.url), `${s.file} names ${s.url}`);
      writeFileSync(join(src, s.file), text.replace(s.url, `http://127.0.0.1:${port}`));
    }
    // OCI: the packaged chart pushed by the real helm 4.2 to the loopback registry, served over TLS
    // with a self-signed certificate, the HelmRepository pointed at it with `insecure: true`: flate
    // 0.6 reads `insecure` as "skip TLS verification" (pkg/source/oci/client.go resolveTLS) and has
    // no plain-HTTP mode, where source-controller reads it as plain HTTP; TLS serves both readings' intent.
    const helmHome = join(root, 'helm-home');
    const helmEnv = {
      ...process.env,
      HELM_CONFIG_HOME: join(helmHome, 'config'),
      HELM_CACHE_HOME: join(helmHome, 'cache'),
      HELM_DATA_HOME: join(helmHome, 'data'),
    };
    for (const s of oci) {
      const path = new URL(s.url.replace(/^oci:/, 'http:')).pathname;
      for (const c of s.charts) {
        const r = spawnSync(
          helm.path,
          [
            'push',
            join(repo, `${c.chart}-${c.version}.tgz`),
            `oci://${registry.host}${path}`,
            '--insecure-skip-tls-verify',
          ],
          { encoding: 'utf8', env: helmEnv },
        );
        assert.equal(r.status, 0, r.stderr);
      }
      const text = readFileSync(join(src, s.file), 'utf8');
      assert.ok(/\n  type: oci\n/.test(text) && text.includes(s.url), `${s.file} names ${s.url}`);
      writeFileSync(
        join(src, s.file),
        text
          .replace(s.url, `oci://${registry.host}${path}`)
          .replace('\n  type: oci\n', '\n  type: oci\n  insecure: true\n'),
      );
    }
    const store = openChartStore({
      mappings: Object.fromEntries(used.map((s) => [s.id, charts])),
      cacheDir: join(root, 'empty-cache'),
    });
    let compared = 0;
    let equal = 0;
    let fromCharts = 0;
    const byCause = new Map<string, number>();
    for (const cl of clusters) {
      const path = `clusters/${cl}`;
      const f = runFlate(flate.path, src, path, { [`${path}/aksfleet-outputs.yaml`]: OUTPUTS_CONFIGMAP }, 'all');
      const ours = runOurs(src, { path, vars: OUTPUTS, helm: { enabled: true, store } });
      const failures = f.stderr.split('\n').filter((l) => /^\s*✗\s+[A-Z]\w+\s+\S+/.test(l));
      if (process.env.FLATE_DEBUG) {
        t.diagnostic(f.stderr);
        for (const e of ours.errors) t.diagnostic(`ours: ${e}`);
      }
      assert.deepEqual(
        failures.filter((l) => !EXPECTED_FLATE_FAILURE.test(l)),
        [],
        `${cl}: unexpected flate failures`,
      );
      assert.deepEqual(
        ours.errors.filter((e) => !EXPECTED_OUR_ERROR.test(e)),
        [],
        `${cl}: unexpected errors of our build`,
      );
      const rendered = (o: Doc) => o.metadata?.labels?.['helm.toolkit.fluxcd.io/name'] !== undefined;
      const flateByKey = new Map(f.objects.map((o) => [keyOf(o), o as Doc]));
      const oursByKey = new Map(ours.objects.map((o) => [keyOf(o), o as Doc]));
      const diffs = compare(f.objects, ours.objects);
      assert.deepEqual(
        diffs.filter((d) => !cause(d, ours, flateByKey)).map((d) => `${d.what} ${d.key} ${d.detail}`),
        [],
        `${cl}: differences with flate not listed`,
      );
      const differing = new Set(diffs.map((d) => d.key));
      const both = [...flateByKey.keys()].filter((k) => oursByKey.has(k));
      compared += both.length;
      equal += both.filter((k) => !differing.has(k)).length;
      fromCharts += both.filter((k) => rendered(oursByKey.get(k)!)).length;
      for (const d of diffs) {
        const k = cause(d, ours, flateByKey)!;
        byCause.set(k, (byCause.get(k) ?? 0) + 1);
      }
      t.diagnostic(
        `${cl}: flate ${f.objects.length} objects (${f.ms} ms, ${failures.length} expected failures), ours ` +
          `${ours.objects.length} (${ours.ms} ms, ${ours.errors.length} errors); ${both.length} in both, ` +
          `${diffs.length} differences`,
      );
      for (const e of ours.errors) t.diagnostic(`  ours: ${e}`);
      for (const l of failures) t.diagnostic(`  flate: ${l.trim()}`);
    }
    t.diagnostic(
      `${clusters.length} clusters, ${compared} objects in both (${fromCharts} from charts), ${equal} equal`,
    );
    // Each listed class still happens (a class that goes away fails: the list in docs/conformance.md is exact).
    assert.deepEqual(
      [...byCause.keys()].map((k) => k.split(':')[0]).sort(),
      [
        'cluster-scoped CSIDriver',
        'cluster-scoped GatewayClass',
        'helm hook',
        'root object (read from the --path folder',
      ],
      'classes of differences',
    );
    assert.ok(fromCharts > 500, `only ${fromCharts} objects from charts compared`);
    for (const [k, n] of [...byCause].sort()) t.diagnostic(`${n} × ${k}`);
  } finally {
    proc.kill();
    await registry.stop();
    rmSync(root, { recursive: true, force: true });
  }
});
