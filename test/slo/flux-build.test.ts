/**
 * End to end: the whole generated repository built offline per cluster (aksfleet's Flux build,
 * src/flux/build): the PrometheusRules Flux would apply are exactly the rules the generated
 * promtool tests load, and promtool accepts them. Skips the promtool part without promtool.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseFleet } from '../../src/spec/load.js';
import { exampleFile } from '../../src/package-root.js';
import { generateAll } from '../../src/generators/index.js';
import { MemoryRepoFs } from '../../src/repo/repo-fs.js';
import { allErrors, allResources, buildCluster } from '../../src/flux/index.js';
import { toYaml } from '../../src/yaml/emit.js';

const hasPromtool = spawnSync('promtool', ['--version']).status === 0;
const fleet = parseFleet(readFileSync(exampleFile('fleet.yaml'), 'utf8'), 'fleet.yaml');
const files = generateAll(fleet);
const repo = new MemoryRepoFs(Object.fromEntries(files.map((f) => [f.path, f.content])));
const testRules = (slo: string) =>
  parse(files.find((f) => f.path === `tests/slo/app/api/${slo}/rules.yaml`)!.content) as { groups: unknown };

for (const cluster of fleet.spec.clusters.map((c) => c.name)) {
  test(`${cluster}: Flux applies the SLO rules the promtool tests test`, () => {
    const b = buildCluster(repo, { cluster, allowMissingVars: true });
    assert.deepEqual(allErrors(b), []);
    const objs = allResources(b).map((r) => r.object);
    const rules = objs.filter((o) => o.kind === 'PrometheusRule' && o.metadata?.labels?.['aksfleet.dev/slo']);
    assert.deepEqual(
      rules.map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`),
      ['app/slo-api-api-availability', 'app/slo-api-api-latency'],
    );
    for (const o of rules) {
      assert.equal(o.metadata?.labels?.release, 'kube-prometheus-stack');
      assert.deepEqual(
        { groups: (o.spec as { groups: unknown }).groups },
        testRules(o.metadata!.labels!['aksfleet.dev/slo']!),
      );
    }
    const dashboards = objs.filter(
      (o) =>
        o.kind === 'ConfigMap' &&
        o.metadata?.labels?.grafana_dashboard === '1' &&
        o.metadata.name === 'slo-dashboard-api',
    );
    assert.equal(dashboards.length, 1);
    if (!hasPromtool) return;
    const dir = mkdtempSync(join(tmpdir(), 'aksfleet-slo-build-'));
    try {
      for (const o of rules) {
        const file = join(dir, `${o.metadata!.name}.yaml`);
        writeFileSync(file, toYaml({ groups: (o.spec as { groups: unknown }).groups }));
        const r = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stdout + r.stderr);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
