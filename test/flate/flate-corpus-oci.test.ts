/**
 * flate side by side with charts rendered on the corpus repositories whose releases read OCI chart
 * sources (HelmRepository type oci, OCIRepository): their charts found in ../shared/charts are
 * served locally (chart-sources.ts: HTTP ones from a loopback Helm repository, OCI ones from
 * Debian's docker-registry on loopback over self-signed TLS, pushed by the real helm 4.2; the URLs
 * rewritten, OCI sources given `insecure: true`, in the temp copy both sides read). `flate build
 * all` against our cluster build with the same charts as chart-store mappings. Every difference is
 * classified (docs/conformance.md, flate); any other, or a listed class that no longer happens, fails.
 * The shared charts are other versions than the releases ask: each is relabelled to the version
 * asked (a neighbouring version's templates, the repository's own values; chart-repository.ts).
 * fluxcd+flux2-kustomize-helm-example's Kustomizations read ExternalArtifacts, which flate 0.6
 * does not produce: both sides read a copy where they read the Git paths the artifacts stand for
 * (external-artifact.ts), checked equivalent by our build of the unchanged repository.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openChartStore } from '../../src/helm/sources/store.js';
import { registrySkip } from '../../src/helm/sources/testing/registry.js';
import { CORPUS, haveCorpus } from '../flux/corpus.js';
import { inCi, oracle } from '../oracles/index.js';
import { SHARED_CHARTS } from './chart-repository.js';
import { chartSources, serveChartSources } from './chart-sources.js';
import { replaceExternalArtifacts } from './external-artifact.js';
import { compare, keyOf, runFlate, runOurs, type Difference, type OurRun } from './flate.js';

const flate = oracle('flate-0.6');
const helm = oracle('helm-4.2');
const notBuilt =
  !flate.built && !inCi() && process.env.AKSFLEET_ALL_ORACLES !== '1'
    ? 'oracle flate-0.6 is not built (test/oracles/build.sh flate-0.6)'
    : false;
const skip =
  !haveCorpus || !existsSync(SHARED_CHARTS)
    ? 'no corpus or shared charts'
    : notBuilt || flate.skip || helm.skip || registrySkip();

type Doc = { metadata?: { annotations?: Record<string, string> } };

interface Case {
  readonly repo: string;
  readonly path: string;
  readonly allowMissingVars?: boolean;
  /**
   * flate 0.6 does not produce ExternalArtifacts: both sides read a copy where each Kustomization
   * that reads one is given the Git path the artifact stands for (external-artifact.ts); ours on
   * the unchanged repository must apply the same objects (the rewrite changes no input).
   */
  readonly externalArtifacts?: boolean;
  /** Shared charts that neither side renders (kube-prometheus-stack: no vendored subcharts). */
  readonly unrendered?: readonly string[];
  /** Content differences, `kind/namespace/name | field path` → why (docs/conformance.md, flate). */
  readonly known?: Readonly<Record<string, string>>;
  /** flate failures expected (charts in no shared folder: fetches that fail offline). */
  readonly flateFailures: RegExp;
  /** Our build's errors expected (the same charts: not rendered). */
  readonly ourErrors: RegExp;
  /** The classes of differences that must happen (prefixes of cause()). */
  readonly classes: readonly string[];
}

const CASES: readonly Case[] = [
  {
    repo: 'fluxcd+flux2-hub-spoke-example',
    path: 'hub',
    // deploy/apps/podinfo.yaml: chart podinfo, no version, from an OCI HelmRepository. flate renders
    // the production and staging podinfo releases, and also fails a namespace-less HelmRelease
    // podinfo (not an object of our build; where flate takes it from is not established) asking
    // the registry for the tag `latest`; helm-controller defaults the version to `*` (api v2
    // HelmChartTemplateSpec.Version, +kubebuilder:default:=*), the newest semver tag.
    flateFailures:
      /HelmChart\s+podinfo-podinfo-\w+\s+OCIRepository \/podinfo-podinfo-\w+ resolve latest: .*podinfo:latest: not found|HelmRelease\s+podinfo\s+chart source HelmChart\/podinfo-podinfo-\w+ not ready/,
    ourErrors: /^$/,
    classes: ['helm hook', 'root object'],
  },
  ...['clusters/production', 'clusters/staging'].map(
    (path): Case => ({
      repo: 'fluxcd+flux2-kustomize-helm-example',
      path,
      externalArtifacts: true,
      // podinfo (HTTP), cert-manager `1.x` and gateway-helm `>= 1.8.0-rc.0` (OCIRepository): all shared.
      flateFailures: /^$/,
      ourErrors: /^$/,
      // Per cluster: 105 keys in both (94 from charts), 94 equal; 22 hook label paths (cert-manager's
      // hooks), GatewayClass envoy stamped flux-system by flate (1 pair), 4 root objects.
      classes: ['cluster-scoped GatewayClass', 'helm hook', 'root object'],
    }),
  ),
  {
    repo: 'onedr0p+home-ops',
    path: 'kubernetes/flux/cluster',
    allowMissingVars: true,
    // Charts in no shared folder: flate's fetches fail offline (the closed proxy); ours reports them
    // not rendered (warnings). sonarr's Kustomization fails on both sides (the corpus copy has no
    // refresh-series.sh); kube-prometheus-stack's shared chart has no vendored subcharts.
    flateFailures: /proxyconnect|127\.0\.0\.1:9|refresh-series\.sh|kube-prometheus-stack/,
    ourErrors: /refresh-series\.sh|HelmRelease\/o11y\/kube-prometheus-stack: .*missing in charts\/ directory/,
    known: {
      'Service/kube-system/kube-api | spec.ports':
        "ours has ports[0].protocol: TCP: kustomize-controller's apply normalisation; flate prints before it",
      'DNSEndpoint/network/cloudflare-tunnel | spec.endpoints':
        'its only variable source is an in-cluster Secret: flate does not substitute, ours (allowMissingVars) ' +
        'reads the variable as empty',
    },
    unrendered: ['kube-prometheus-stack'],
    // 702 keys in both (194 from charts: app-template 77 over 25 releases), 689 equal.
    classes: ['content', 'content', 'helm hook', 'root object'],
  },
];

/**
 * Cluster-scoped kinds missing from flate 0.6's curated list (pkg/manifest/namespace.go
 * clusterScopedKinds): flate has no RESTMapper and stamps the namespace of the Kustomization or the
 * release on them; the API server applies them without one (their CRD's `scope: Cluster`, or the
 * built-in's), which is what our build prints.
 */
const CLUSTER_SCOPED_NOT_IN_FLATE = new Set(['GatewayClass']);

function cause(c: Case, d: Difference, ours: OurRun, flateByKey: ReadonlyMap<string, Doc>): string | undefined {
  if (d.what === 'content' && c.known?.[`${d.key} | ${d.detail}`]) return `content: ${d.key} ${d.detail}`;
  if (d.what === 'only-ours' && ours.roots.has(d.key))
    return 'root object (read from the --path folder: flate takes it as an input and prints only what it renders)';
  const [kind, ns, name] = d.key.split('/');
  if (CLUSTER_SCOPED_NOT_IN_FLATE.has(kind!)) {
    const scoped = `cluster-scoped ${kind}: flate gives it a namespace (not in its list of cluster-scoped kinds)`;
    if (
      d.what === 'only-ours' &&
      ns === '' &&
      [...flateByKey.keys()].some((k) => k.startsWith(`${kind}/`) && k.endsWith(`/${name}`))
    )
      return scoped;
    if (d.what === 'only-flate' && ns !== '' && ours.objects.some((o) => keyOf(o) === `${kind}//${name}`))
      return scoped;
  }
  if (
    d.what === 'content' &&
    /^metadata\.labels\.helm\.toolkit\.fluxcd\.io\/(name|namespace)$/.test(d.detail) &&
    flateByKey.get(d.key)?.metadata?.annotations?.['helm.sh/hook'] !== undefined
  )
    return (
      "helm hook: ours carries helm-controller's origin labels (postRenderStrategy default `combined` under " +
      'Helm 4), flate 0.6 does not post-render hooks'
    );
  return undefined;
}

for (const c of CASES) {
  test(`flate side by side with OCI chart sources served: ${c.repo} ${c.path}`, {
    skip,
    timeout: 900_000,
  }, async (t) => {
    const root = mkdtempSync(join(tmpdir(), 'aksfleet-flate-oci-'));
    const src = join(root, 'src');
    cpSync(join(CORPUS, c.repo), src, { recursive: true });
    const rewritten = c.externalArtifacts ? replaceExternalArtifacts(src) : [];
    for (const r of rewritten) t.diagnostic(`${r.file} ${r.kustomization}: ${r.from} -> ${r.to}`);
    assert.equal(rewritten.length > 0, c.externalArtifacts === true, 'Kustomizations rewritten from ExternalArtifacts');
    const sources = chartSources(src);
    assert.ok(
      sources.some((s) => s.type !== 'http'),
      `${c.repo}: an OCI chart source with a shared chart`,
    );
    const served = await serveChartSources(src, join(root, 'served'), sources, helm.path);
    try {
      t.diagnostic(
        `served: ` +
          `${sources.map((s) => `${s.id} (${s.type}) ${s.charts.map((x) => `${x.chart}@${x.version}`).join(' ')}`).join('; ')}`,
      );
      const f = runFlate(flate.path, src, c.path, {}, 'all');
      const store = openChartStore({ mappings: served.mappings, cacheDir: join(root, 'empty-cache') });
      const ours = runOurs(src, { path: c.path, allowMissingVars: c.allowMissingVars, helm: { enabled: true, store } });
      if (c.externalArtifacts) {
        // The rewrite stands for the same input: ours on the unchanged repository (the ArtifactGenerator
        // followed) applies the same objects, charts rendered, apart from the rewritten root objects.
        const original = runOurs(join(CORPUS, c.repo), {
          path: c.path,
          allowMissingVars: c.allowMissingVars,
          helm: { enabled: true, store },
        });
        assert.ok(original.fromExternalArtifact.size > 0, 'the unchanged repository reads ExternalArtifacts');
        const applied = (r: OurRun) => r.objects.filter((o) => !r.roots.has(keyOf(o)));
        // The served copy also points the chart sources at loopback (spec.url, spec.insecure): not the rewrite's.
        const served = (d: Difference) =>
          d.what === 'content' &&
          /^(HelmRepository|OCIRepository)\//.test(d.key) &&
          /^spec\.(url|insecure)$/.test(d.detail);
        assert.deepEqual(
          compare(applied(original), applied(ours)).filter((d) => !served(d)),
          [],
          'ExternalArtifact and its Git path apply the same',
        );
        assert.deepEqual(original.errors, ours.errors, 'ExternalArtifact and its Git path: the same errors');
      }
      if (process.env.FLATE_DEBUG)
        t.diagnostic(
          `distinct keys: flate ${new Set(f.objects.map(keyOf)).size}, ours ${new Set(ours.objects.map(keyOf)).size}; ours podinfo-labelled ${ours.objects.filter((o) => (o.metadata?.labels as Record<string, string> | undefined)?.['helm.toolkit.fluxcd.io/name'] === 'podinfo').length}; ours HelmReleases ${ours.objects
            .filter((o) => o.kind === 'HelmRelease')
            .map(keyOf)
            .join(' ')}`,
        );
      const failures = f.stderr.split('\n').filter((l) => /^\s*✗\s+[A-Z]\w+\s+\S+/.test(l));
      if (process.env.FLATE_DEBUG) {
        t.diagnostic(f.stderr);
        for (const e of ours.errors) t.diagnostic(`ours: ${e}`);
      }
      assert.deepEqual(
        failures.filter((l) => !c.flateFailures.test(l)),
        [],
        'unexpected flate failures',
      );
      assert.deepEqual(
        ours.errors.filter((e) => !c.ourErrors.test(e)),
        [],
        'unexpected errors of our build',
      );
      const rendered = (o: { metadata?: { labels?: Record<string, unknown> } }) =>
        o.metadata?.labels?.['helm.toolkit.fluxcd.io/name'] !== undefined;
      const flateByKey = new Map(f.objects.map((o) => [keyOf(o), o as Doc]));
      const oursByKey = new Map(ours.objects.map((o) => [keyOf(o), o]));
      const diffs = compare(f.objects, ours.objects);
      assert.deepEqual(
        diffs.filter((d) => !cause(c, d, ours, flateByKey)).map((d) => `${d.what} ${d.key} ${d.detail}`),
        [],
        'differences with flate not listed',
      );
      const differing = new Set(diffs.map((d) => d.key));
      const both = [...flateByKey.keys()].filter((k) => oursByKey.has(k));
      const fromCharts = both.filter((k) => rendered(oursByKey.get(k)!));
      const byCause = new Map<string, number>();
      for (const d of diffs) {
        const k = cause(c, d, ours, flateByKey)!;
        byCause.set(k, (byCause.get(k) ?? 0) + 1);
      }
      t.diagnostic(
        `flate ${f.objects.length} objects (${f.ms} ms, ${failures.length} expected failures), ours ` +
          `${ours.objects.length} (${ours.ms} ms, ${ours.errors.length} expected errors); ${both.length} in ` +
          `both (${fromCharts.length} from charts), ${both.filter((k) => !differing.has(k)).length} equal`,
      );
      for (const [k, n] of [...byCause].sort()) t.diagnostic(`${n} × ${k}`);
      assert.ok(fromCharts.length > 0, 'objects rendered from charts compared');
      // The releases of the OCI sources rendered on both sides (what this suite is for).
      for (const s of sources.filter((x) => x.type !== 'http'))
        for (const ch of s.charts) {
          const of = (o: { metadata?: { labels?: Record<string, unknown> } }) =>
            o.metadata?.labels?.['helm.sh/chart'] === `${ch.chart}-${ch.version}`;
          const n = both.filter((k) => of(oursByKey.get(k)!)).length;
          t.diagnostic(`${s.id} ${ch.chart}@${ch.version}: ${n} objects in both`);
          if (c.unrendered?.includes(ch.chart))
            assert.ok(n === 0 && !f.objects.some(of), `${ch.chart}@${ch.version} from ${s.id}: rendered by neither`);
          else assert.ok(n > 0 && f.objects.some(of), `${ch.chart}@${ch.version} from ${s.id}: rendered by both`);
        }
      assert.deepEqual(
        [...byCause.keys()].map((k) => k.split(' (')[0]!.split(':')[0]!).sort(),
        [...c.classes].sort(),
        'classes of differences',
      );
    } finally {
      await served.stop();
      rmSync(root, { recursive: true, force: true });
    }
  });
}
