/**
 * A streaming check (`keepContexts: false`, what `aksfleet check` runs) keeps findings, not
 * clusters: the heap left after a forced GC grows by far less than a cluster's build for each
 * cluster checked. The fleet: clusters of 150 ConfigMaps each and a HelmRelease whose chart
 * fails to render with values of its own cluster, so that every cluster leaves one failed render
 * in the session's render memo. Until 2026-12-07 the memo kept the render's InputError, whose
 * unformatted stack held the frames it was thrown through and with them the whole build of every
 * such cluster (0.6 MB a cluster with the synthetic fleet's charts, 1.5 GB peak at 1000
 * clusters); this test measured 280 KB a cluster then, and 0 to 5 KB with the fix (bound:
 * 100 KB). Memory, not time: nothing here is timed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryRepoFs } from '../repo/repo-fs.js';
import { createSession } from '../session/session.js';
import { demoChartFiles, memoryChartStore } from '../flux/helmrelease/testing.js';
import { checkRepository } from './index.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const N = 12;
const SOURCES =
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: flux-system\nspec:\n  url: https://charts.example.com\n';
const release = (cluster: string) =>
  'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: demo\n  namespace: apps\nspec:\n' +
  '  interval: 10m\n  chart:\n    spec:\n      chart: demo\n      version: "1.2.3"\n      sourceRef:\n' +
  `        kind: HelmRepository\n        name: charts\n        namespace: flux-system\n  values:\n    boom: true\n` +
  `    greeting: ${cluster}\n`;
const configMaps = (cluster: string) =>
  Array.from(
    { length: 150 },
    (_, i) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${cluster}-settings-${i}\n  namespace: apps\ndata:\n` +
      Array.from({ length: 8 }, (_, k) => `  key${k}: value ${k} of ${i} in ${cluster}\n`).join(''),
  ).join('---\n');

const files: Record<string, string> = {};
for (let c = 0; c < 2 * N + 1; c++) {
  const name = `c${String(c).padStart(3, '0')}`;
  files[`clusters/${name}/sources.yaml`] = SOURCES;
  files[`clusters/${name}/release.yaml`] = release(name);
  files[`clusters/${name}/settings.yaml`] = configMaps(name);
}

test('a streaming check keeps findings, not the builds of clusters whose chart failed to render', () => {
  // No build memo: it keeps each folder it built, these clusters' own folders too, up to its
  // bound of entries (src/flux/build/build-memo.ts), by design; what is measured is the rest.
  const session = createSession({
    buildMemo: false,
    helm: {
      store: memoryChartStore([
        { sourceId: 'HelmRepository/flux-system/charts', chart: 'demo', version: '1.2.3', files: demoChartFiles() },
      ]),
    },
  });
  const heap: number[] = [];
  let built = 0;
  const res = checkRepository(new MemoryRepoFs(files), {
    keepContexts: false,
    session,
    today: '2026-11-25',
    // Told before each cluster's rules: after N and after 2N clusters checked, the heap kept.
    onClusterBuild: () => {
      built++;
      if (built === N + 1 || built === 2 * N + 1) {
        gc();
        heap.push(process.memoryUsage().heapUsed);
      }
    },
  });
  assert.equal(res.clusters.length, 2 * N + 1);
  // Each cluster's chart failed to render (so each left a failed render in the memo).
  const failed = res.findings.filter((f) => f.message.includes('boom requested'));
  assert.equal(new Set(failed.map((f) => f.cluster)).size, 2 * N + 1, 'every cluster reports its failed render');
  assert.equal(session.renderCache.stats().entries >= 2 * N + 1, true, 'one render memo entry per cluster');
  const perCluster = (heap[1]! - heap[0]!) / N;
  assert.ok(
    perCluster < 100_000,
    `heap kept per cluster checked: ${Math.round(perCluster / 1000)} KB (findings only should be a few KB)`,
  );
});
