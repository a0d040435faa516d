/**
 * flate side by side with HelmReleases rendered (`flate build all` against our cluster build with
 * a chart store): the corpus repository Azure+gitops-flux2-kustomize-helm-mt, whose releases read
 * HelmRepositories (HTTP), with its charts taken from ../shared/charts. Both sides get the same
 * charts: flate from a local Helm repository on 127.0.0.1 (index.yaml and packaged charts; the
 * repository's HelmRepository URLs rewritten to it in both copies), ours through the chart store's
 * mappings (what `--chart-source` gives). The shared charts are at other versions than the
 * releases ask; a copy is relabelled to the version asked (the templates are a neighbouring
 * version's, the values the repository's own), as test/check/references-corpus.test.ts does.
 * The bitnami redis chart is in no shared folder: flate's fetch fails (offline), ours reports it
 * not rendered. Every difference is classified (docs/conformance.md, flate); any other fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openChartStore } from '../../src/helm/sources/store.js';
import { CORPUS, haveCorpus } from '../flux/corpus.js';
import { inCi, oracle } from '../oracles/index.js';
import { chartRepository, serveChartRepository, SHARED_CHARTS } from './chart-repository.js';
import { compare, keyOf, runFlate, runOurs, type Difference, type OurRun } from './flate.js';

const flate = oracle('flate-0.6');
const REPO = 'Azure+gitops-flux2-kustomize-helm-mt';
// As flate-corpus.test.ts: never skipped in CI; elsewhere run when flate is built.
const notBuilt =
  !flate.built && !inCi() && process.env.AKSFLEET_ALL_ORACLES !== '1'
    ? 'oracle flate-0.6 is not built (test/oracles/build.sh flate-0.6)'
    : false;
const skip = !haveCorpus || !existsSync(SHARED_CHARTS) ? 'no corpus or shared charts' : notBuilt || flate.skip;

/**
 * The repository's chart sources: the file that declares each, its URL, and the chart (version as the release asks).
 */
const SOURCES = [
  {
    file: 'infrastructure/sources/podinfo.yaml',
    url: 'https://stefanprodan.github.io/podinfo',
    id: 'HelmRepository/cluster-config/podinfo',
    chart: 'podinfo',
    version: '6.14.1',
  },
  {
    file: 'infrastructure/sources/ingress-nginx.yaml',
    url: 'https://kubernetes.github.io/ingress-nginx',
    id: 'HelmRepository/cluster-config/ingress-nginx',
    chart: 'ingress-nginx',
    version: '4.10.1',
  },
] as const;

/** flate failures expected offline: the fetch of the bitnami repository (no shared chart). */
const EXPECTED_FLATE_FAILURE = /charts\.bitnami\.com.*proxyconnect|bitnami-redis.*not ready/;

/** Why a difference is expected, or undefined. */
function cause(
  d: Difference,
  ours: OurRun,
  flateObjects: ReadonlyMap<string, Record<string, unknown>>,
): string | undefined {
  if (d.what === 'only-ours' && ours.roots.has(d.key))
    return 'root object (read from the --path folder: flate takes it as an input and prints only what it renders)';
  if (d.what === 'content' && /^metadata\.labels\.helm\.toolkit\.fluxcd\.io\/(name|namespace)$/.test(d.detail)) {
    const meta = (flateObjects.get(d.key)?.metadata ?? {}) as { annotations?: Record<string, string> };
    if (meta.annotations?.['helm.sh/hook'] !== undefined)
      return (
        "helm hook: ours carries helm-controller's origin labels (postRenderStrategy default `combined`, Helm " +
        '4: hooks go through the post-renderers, helm-controller api v2 HelmReleaseSpec.PostRenderStrategy), ' +
        'flate 0.6 does not post-render hooks'
      );
  }
  return undefined;
}

for (const path of ['clusters/production', 'clusters/staging']) {
  test(`flate side by side with charts rendered: ${REPO} ${path}`, { skip, timeout: 600_000 }, async (t) => {
    const root = mkdtempSync(join(tmpdir(), 'aksfleet-flate-charts-'));
    const { repo, charts } = chartRepository(root, SOURCES);
    const { port, proc } = await serveChartRepository(repo);
    try {
      // The same repository for both sides: the HelmRepository URLs point at the local repository.
      const src = join(root, 'src');
      cpSync(join(CORPUS, REPO), src, { recursive: true });
      const rewritten: Record<string, string> = {};
      for (const s of SOURCES) {
        const text = readFileSync(join(src, s.file), 'utf8');
        assert.ok(text.includes(s.url), `${s.file} names ${s.url}`);
        rewritten[s.file] = text.replace(s.url, `http://127.0.0.1:${port}`);
        writeFileSync(join(src, s.file), rewritten[s.file]!);
      }
      const f = runFlate(flate.path, src, path, {}, 'all');
      const store = openChartStore({
        mappings: Object.fromEntries(SOURCES.map((s) => [s.id, charts])),
        cacheDir: join(root, 'empty-cache'),
      });
      const ours = runOurs(src, { path, helm: { enabled: true, store } });
      const failures = f.stderr.split('\n').filter((l) => /^\s*✗\s+[A-Z]\w+\s+\S+/.test(l));
      assert.deepEqual(
        failures.filter((l) => !EXPECTED_FLATE_FAILURE.test(l)),
        [],
        'unexpected flate failures',
      );
      const rendered = (o: { metadata?: { labels?: Record<string, unknown> } }) =>
        o.metadata?.labels?.['helm.toolkit.fluxcd.io/name'] !== undefined;
      assert.ok(f.objects.filter(rendered).length > 10, 'flate rendered the charts');
      assert.ok(ours.objects.filter(rendered).length > 10, 'we rendered the charts');
      const flateByKey = new Map(f.objects.map((o) => [keyOf(o), o as Record<string, unknown>]));
      const diffs = compare(f.objects, ours.objects);
      const unexplained = diffs.filter((d) => !cause(d, ours, flateByKey)).map((d) => `${d.what} ${d.key} ${d.detail}`);
      assert.deepEqual(
        unexplained,
        [],
        'differences with flate not classified here and in docs/conformance.md (flate)',
      );
      const differing = new Set(diffs.map((d) => d.key));
      const both = f.objects.filter((o) => ours.objects.some((x) => keyOf(x) === keyOf(o)));
      const oursByKey = new Map(ours.objects.map((o) => [keyOf(o), o]));
      const fromCharts = both.filter((o) => rendered(oursByKey.get(keyOf(o))!));
      const hooks = both.filter(
        (o) =>
          (o.metadata as { annotations?: Record<string, string> } | undefined)?.annotations?.['helm.sh/hook'] !==
          undefined,
      );
      const byCause = new Map<string, number>();
      for (const d of diffs)
        byCause.set(cause(d, ours, flateByKey)!, (byCause.get(cause(d, ours, flateByKey)!) ?? 0) + 1);
      t.diagnostic(
        `flate ${f.objects.length} objects (${f.ms} ms, ${failures.length} expected failures), ours ` +
          `${ours.objects.length} (${ours.ms} ms); ${both.length} in both (${fromCharts.length} from charts, ` +
          `${hooks.length} of them hooks), ${both.filter((o) => !differing.has(keyOf(o))).length} equal`,
      );
      for (const [k, n] of byCause) t.diagnostic(`${n} × ${k}`);
    } finally {
      proc.kill();
      rmSync(root, { recursive: true, force: true });
    }
  });
}
