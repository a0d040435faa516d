/**
 * `aksfleet check` over every real Flux repository of the corpus: no crash (exit 0, 1, or 2
 * with a clear message), every output format, byte-identical reruns, and findings that point
 * at files that exist.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers.js';

const CORPUS = '/work/shared/corpus';
const repos = existsSync(CORPUS)
  ? readdirSync(CORPUS)
      .filter((d) => d !== 'README.md')
      .sort()
  : [];

test('corpus is present', (t) => {
  if (!repos.length) t.skip('no corpus at /work/shared/corpus');
  else assert.ok(repos.length >= 5);
});

for (const repo of repos) {
  test(`check ${repo}: no crash, findings name real files, deterministic`, async () => {
    const dir = join(CORPUS, repo);
    const r = await runCli(['check', dir, '--format', 'json']);
    assert.ok([0, 1, 2].includes(r.code), `exit ${r.code}: ${r.err}`);
    assert.ok(!/internal error|at .*\.ts:\d+/.test(r.err), r.err);
    if (r.code === 2) {
      assert.match(r.err, /no cluster found .*use --path/);
      // A repository without Flux sync objects is checked with --path.
      const dirs = readdirSync(dir).filter((d) => !d.includes('.'));
      const p = await runCli(['check', dir, '--path', dirs[0]!, '--format', 'json']);
      assert.ok([0, 1].includes(p.code), p.err);
      return;
    }
    const j = JSON.parse(r.out) as {
      findings: { rule: string; file: string | null; message: string }[];
      clusters: unknown[];
    };
    assert.ok(j.clusters.length > 0);
    for (const f of j.findings) {
      assert.ok(!/rule crashed/.test(f.message), f.message);
      if (f.file) assert.ok(existsSync(join(dir, f.file)), `${f.rule}: ${f.file} does not exist`);
    }
    const again = await runCli(['check', dir, '--format', 'json']);
    assert.equal(again.out, r.out);
    for (const format of ['text', 'sarif', 'junit', 'markdown']) {
      const o = await runCli(['check', dir, '--format', format]);
      assert.equal(o.code, r.code, `${format}: ${o.err}`);
      assert.ok(o.out.length > 0);
    }
  });
}

test('hub and spokes: spokes applied with spec.kubeConfig are checked as their own clusters; hub namespaces that only hold remote Flux objects are not tenants', async (t) => {
  const dir = join(CORPUS, 'fluxcd+flux2-hub-spoke-example');
  if (!existsSync(dir)) {
    t.skip('corpus repository absent');
    return;
  }
  type Out = { clusters: { name: string }[]; findings: { rule: string; cluster: string; resource: string }[] };
  // A plain Flux repository is judged by the generic profile: no tenant-isolation opinion.
  const generic = JSON.parse((await runCli(['check', dir, '--format', 'json'])).out) as Out;
  assert.deepEqual(
    generic.clusters.map((c) => c.name),
    ['hub', 'hub->production/cluster-kubeconfig', 'hub->staging/cluster-kubeconfig'],
  );
  assert.deepEqual(
    generic.findings.filter((f) => f.rule === 'namespace-has-default-deny'),
    [],
  );
  // Asked for (`--profile aks-baseline`, as `.aksfleet.yaml` `profile:` would), the opinion runs.
  const j = JSON.parse((await runCli(['check', dir, '--format', 'json', '--profile', 'aks-baseline'])).out) as Out;
  assert.deepEqual(
    j.clusters.map((c) => c.name),
    ['hub', 'hub->production/cluster-kubeconfig', 'hub->staging/cluster-kubeconfig'],
  );
  const ns = j.findings.filter((f) => f.rule === 'namespace-has-default-deny');
  assert.ok(!ns.some((f) => f.cluster === 'hub'), JSON.stringify(ns));
  assert.ok(ns.some((f) => f.cluster === 'hub->production/cluster-kubeconfig' && f.resource === 'Namespace/podinfo'));
});
