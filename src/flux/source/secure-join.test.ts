import { test } from 'node:test';
import assert from 'node:assert/strict';
import { secureJoinRel } from './secure-join.js';

test('secureJoinRel: rooted at the artifact, as securejoin.SecureJoin(artifact, p)', () => {
  const cases: [string, string][] = [
    ['./charts/app', 'charts/app'],
    ['charts/app/', 'charts/app'],
    ['/charts/kah-common/', 'charts/kah-common'], // an absolute chart path is the artifact's (onedr0p/home-ops 2021)
    ['../../charts/app', 'charts/app'],
    ['a/../../b', 'b'],
    ['.', ''],
    ['/', ''],
    ['', ''],
  ];
  for (const [p, want] of cases) assert.equal(secureJoinRel(p), want, p);
});

test("a HelmRelease chart path from this repository's GitRepository that starts with / or climbs with .. renders from inside the artifact", async () => {
  const { MemoryRepoFs } = await import('../../repo/repo-fs.js');
  const { buildCluster } = await import('../with-engines.js');
  const { demoChartFiles, memoryChartStore } = await import('../helmrelease/testing.js');
  const chart = Object.fromEntries(Object.entries(demoChartFiles('0.1.0')).map(([k, v]) => [`charts/demo/${k}`, v]));
  const hr = (name: string, path: string) =>
    `---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ${name}\n` +
    `  namespace: apps\nspec:\n  chart:\n    spec:\n      chart: ${path}\n      sourceRef:\n` +
    `        kind: GitRepository\n        name: flux-system\n        namespace: flux-system\n`;
  const fs = new MemoryRepoFs({
    ...chart,
    'clusters/c1/release.yaml': hr('rooted', '/charts/demo/') + hr('climbing', '../../charts/demo'),
  });
  const b = buildCluster(fs, { path: 'clusters/c1', helm: { store: memoryChartStore([]) } });
  assert.deepEqual(
    b.helmReleases.map((h) => [h.id, h.status, h.chart?.location]),
    [
      ['apps/climbing', 'rendered', 'charts/demo'],
      ['apps/rooted', 'rendered', 'charts/demo'],
    ],
  );
});
