/**
 * `check --changed-since`: the charts a cluster renders (a `--chart-source` folder outside the
 * repository, the chart cache) are inputs of that cluster: editing the chart re-checks the
 * clusters that use it and only those. Real git, the CLI in-process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../cli/testing/run-cli.js';
import { git } from '../git/git.js';
import { demoChartFiles } from '../flux/helmrelease/testing.js';
import { InputSet, QuestionPool } from './inputs.js';
import { chartQuestion, recordingChartStore } from './chart-inputs.js';
import { MemoryRepoFs } from '../repo/repo-fs.js';
import type { ChartStore } from '../helm/sources/index.js';

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

const SOURCE =
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n' +
  '  namespace: flux-system\nspec:\n  url: https://charts.example.com\n';
const RELEASE =
  'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: apps\n' +
  'spec:\n  chart:\n    spec:\n      chart: demo\n      version: "1.2.3"\n      sourceRef:\n' +
  '        kind: HelmRepository\n        name: charts\n        namespace: flux-system\n';
const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n  namespace: default\ndata:\n  a: b\n';

test('InputSet: a chart question is answered by the chart store (digest and version, or why it is missing)', () => {
  const req = {
    sourceId: 'HelmRepository/flux-system/charts',
    sourceKind: 'HelmRepository' as const,
    url: 'https://charts.example.com',
    chart: 'demo',
    version: '1.2.3',
  };
  let digest = 'sha256:aaa';
  const store: ChartStore = {
    lookup: () => ({
      ok: true,
      chart: { files: [], version: '1.2.3', digest, from: 'mapped', location: 'charts/demo' },
    }),
  };
  const pool = new QuestionPool();
  const ids: number[] = [];
  recordingChartStore(store, (q, a) => void ids.push(pool.id(q, a))).lookup(req);
  assert.deepEqual(pool.pairs, [[chartQuestion(req), 'sha256:aaa 1.2.3']]);
  const set = InputSet.fromPool('k', pool, [], new Map([['clusters/dev', ids]]));
  const fs = new MemoryRepoFs({});
  assert.deepEqual([...set.compare(fs, store).changed], []);
  digest = 'sha256:bbb';
  assert.deepEqual([...set.compare(fs, store).changed], ['clusters/dev']);
  assert.deepEqual([...set.compare(fs).changed], ['clusters/dev'], 'no store now: the chart is missing, a change');
});

test('check --changed-since: editing a chart outside the repository re-checks the clusters that render it, only those', async () => {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-chart-inputs-'));
  const repo = join(root, 'repo');
  const charts = join(root, 'charts');
  try {
    write(join(charts, 'demo'), demoChartFiles('1.2.3'));
    write(repo, {
      'clusters/dev/sources.yaml': SOURCE,
      'clusters/dev/release.yaml': RELEASE,
      'clusters/prod/cm.yaml': CM,
    });
    git(repo, ['init', '-q', '-b', 'main']);
    git(repo, ['add', '-A']);
    git(repo, ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'two clusters']);
    const env = { AKSFLEET_TODAY: '2026-12-01' };
    // --path: without a fleet.yaml, discovering every cluster lists the repository root, where the
    // working tree has .git and the commit has not (a repository-wide change on every run).
    const run = (cluster: string) =>
      runCli(
        [
          'check',
          repo,
          '--path',
          `clusters/${cluster}`,
          '--changed-since',
          'HEAD',
          '--chart-source',
          `HelmRepository/flux-system/charts=${charts}`,
          '--format',
          'json',
        ],
        { env },
      );
    for (const c of ['dev', 'prod']) {
      const first = await run(c);
      assert.match(
        first.err,
        /changed since HEAD \([0-9a-f]{12}\): 0 cluster\(s\) to check, the others have the same inputs \(inputs recorded\)/,
        first.err,
      );
      const same = await run(c);
      assert.match(same.err, /: 0 cluster\(s\) to check, the others have the same inputs\n/, same.err);
    }
    // The chart changes (its folder is not in the repository): dev renders it, prod does not.
    const tpl = join(charts, 'demo', 'templates', 'configmap.yaml');
    writeFileSync(tpl, readFileSync(tpl, 'utf8').replace('greeting:', 'salutation:'));
    const dev = await run('dev');
    assert.match(dev.err, /: 1 cluster\(s\) to check, the others have the same inputs\n/, dev.err);
    assert.deepEqual(
      (JSON.parse(dev.out) as { clusters: { name: string }[] }).clusters.map((c) => c.name),
      ['dev'],
    );
    const prod = await run('prod');
    assert.match(prod.err, /: 0 cluster\(s\) to check, the others have the same inputs\n/, prod.err);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
