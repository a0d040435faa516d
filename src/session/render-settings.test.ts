/**
 * The render settings through the library API: a session made with `withRenderSettings` gives
 * `checkRepository` and `fluxRenderer` the same sources, vars and helm options the CLI flags give
 * (one model), and the chart store records what it missed for `--fetch-charts`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRepoFs } from '../repo/repo-fs.js';
import { checkRepository } from '../checks/index.js';
import { fluxRenderer } from '../diff/cluster-renderer.js';
import type { ClusterRender } from '../diff/fleet-diff.js';
import { createSession, fluxBuildOptions } from './session.js';
import { recordingChartMisses, renderInputs, renderSettingsOf, withRenderSettings } from './render-settings.js';

const ks = (name: string, source: string, path: string) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n` +
  `  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n` +
  `    name: ${source}\n  path: ${path}\n  postBuild:\n    substituteFrom:\n      - kind: ConfigMap\n` +
  `        name: cluster-vars\n`;
const gitRepo = (name: string, url: string) =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: ${name}\n` +
  `  namespace: flux-system\nspec:\n  url: ${url}\n  ref:\n    branch: main\n`;
const fs = new MemoryRepoFs({
  'clusters/prod/sync.yaml':
    `${gitRepo('flux-system', 'https://example.com/fleet')}---\n` +
    `${ks('flux-system', 'flux-system', './clusters/prod')}`,
  'clusters/prod/apps.yaml': `${gitRepo('apps', 'https://example.com/apps')}---\n${ks('apps', 'apps', './deploy')}`,
  'vendor/apps/deploy/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\ndata:\n  domain: ${DOMAIN}\n',
});

test('library: withRenderSettings gives check and the diff renderer the sources and vars', () => {
  const session = withRenderSettings(createSession(), {
    sources: { 'GitRepository/flux-system/apps': 'vendor/apps' },
    vars: { DOMAIN: 'example.org' },
  });
  assert.deepEqual(renderInputs(session), {
    sources: { 'GitRepository/flux-system/apps': 'vendor/apps' },
    vars: { DOMAIN: 'example.org' },
  });
  const r = checkRepository(fs, { session, keepContexts: true });
  const cm = r.contexts[0]!.resources.find((x) => x.object.kind === 'ConfigMap' && x.object.metadata?.name === 'web');
  assert.equal((cm?.object.data as Record<string, string> | undefined)?.domain, 'example.org');
  assert.ok(!r.findings.some((f) => f.rule === 'kustomization-builds'), JSON.stringify(r.findings));
  const plain = checkRepository(fs, { keepContexts: true });
  assert.ok(
    plain.findings.some((f) => f.rule === 'kustomization-builds'),
    'without the mapping the other repository is not followed',
  );
  const rendered = fluxRenderer({ session })(fs, { name: 'prod', path: 'clusters/prod' }) as ClusterRender;
  assert.equal(rendered.unfollowed.length, 0);
  assert.ok(
    rendered.resources.some(
      (x) => x.object.kind === 'ConfigMap' && (x.object.data as Record<string, string>)?.domain === 'example.org',
    ),
  );
});

test('library: helm settings become the build options; --no-helm; the recording store keeps misses, not mapped sources', () => {
  const off = withRenderSettings(createSession(), { helm: false, kubeVersion: '1.33' });
  assert.equal(fluxBuildOptions(off).helm?.enabled, false);
  assert.equal(fluxBuildOptions(off).helm?.kubeVersion, '1.33');
  assert.equal(renderSettingsOf(off).helm, false);
  const dir = '/nonexistent-aksfleet-cache';
  const on = withRenderSettings(createSession(), { chartCache: dir, fetchCharts: true, unfetched: {} });
  const rec = recordingChartMisses(on);
  const store = rec.session.options.helm!.store!;
  const req = {
    sourceId: 'HelmRepository/flux-system/p',
    sourceKind: 'HelmRepository' as const,
    url: 'https://charts.example.com',
    chart: 'p',
    version: '1.0.0',
  };
  assert.equal(store.lookup(req).ok, false);
  assert.equal(store.lookup(req).ok, false);
  assert.deepEqual(rec.missed(), [req], 'each request once');
  const annotated = withRenderSettings(createSession(), {
    chartCache: dir,
    unfetched: {
      [JSON.stringify([req.sourceId, req.sourceKind, req.url, req.chart, req.version, '', '', false])]:
        'connection refused',
    },
  });
  const a = annotated.options.helm!.store!.lookup(req);
  assert.ok(!a.ok && /; --fetch-charts could not fetch it: connection refused$/.test(a.reason), JSON.stringify(a));
});
