/**
 * A repository that names no Kubernetes version (no --kube-version, render.kubeVersion in
 * .aksfleet.yaml or fleet spec) is judged at the newest minor AKS has made GA by the check's day
 * (data/aks-versions.json), and `check` says so once on stderr, with how to name it; a removed API
 * says the version was assumed. (mspnp/aks-baseline's history: 148 removed-API errors over 36
 * cluster-commits were judged at 1.37 without a word on where 1.37 came from.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { runCli } from '../cli/testing/run-cli.js';
import { fluxKustomization, gitRepository, tempDir, writeTree } from '../cli/testing/fixture-repos.js';
import { assumedMinor } from '../schemas/k8s-openapi.js';

const PDB =
  'apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: web\n  namespace: apps\nspec:\n ' +
  ' minAvailable: 1\n  selector:\n    matchLabels:\n      app: web\n';

async function check(files: Record<string, string>, args: string[], today: string) {
  const dir = tempDir();
  try {
    writeTree(dir, {
      'clusters/prod/sync.yaml': `${gitRepository('flux-system', 'https://github.com/example/fleet')}---\n${fluxKustomization('flux-system', 'flux-system', './clusters/prod')}`,
      'clusters/prod/pdb.yaml': PDB,
      ...files,
    });
    const r = await runCli(['check', dir, '--format', 'json', ...args], { env: { AKSFLEET_TODAY: today } });
    const j = JSON.parse(r.out) as { findings: { rule: string; message: string }[] };
    return { err: r.err, removed: j.findings.filter((f) => f.rule === 'object-schema').map((f) => f.message) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('assumedMinor: the newest minor AKS has made GA by that day (1.37 GA 2026-10-31, 1.36 GA 2026-06-30)', () => {
  assert.equal(assumedMinor('2026-12-07'), '1.37');
  assert.equal(assumedMinor('2026-10-30'), '1.36');
  assert.equal(assumedMinor('2026-07-01'), '1.36');
  assert.equal(assumedMinor('2026-06-29'), '1.35');
});

test(
  'check: no version named: judged at the newest GA AKS minor of the day, said once on stderr; named: nothing ' +
    'assumed',
  async () => {
    const r = await check({}, [], '2026-12-07');
    assert.deepEqual(r.removed, [
      'policy/v1beta1 PodDisruptionBudget is no longer served since Kubernetes 1.25 (Kubernetes 1.37 assumed: ' +
        'no version is named)',
    ]);
    assert.match(
      r.err,
      /^info: no Kubernetes version is named for cluster prod: objects were judged against the schemas of Kubernetes 1\.37 \(the newest minor AKS offers on 2026-12-07\), so APIs removed before it are errors; name it with --kube-version V or render\.kubeVersion in \.aksfleet\.yaml$/m,
    );
    assert.equal(r.err.split('\n').filter((l) => l.startsWith('info: no Kubernetes version')).length, 1);
    // Before 1.37's GA day, 1.36.
    assert.match(
      (await check({}, [], '2026-09-01')).err,
      /Kubernetes 1\.36 \(the newest minor AKS offers on 2026-09-01\)/,
    );
    // Named on the command line or in .aksfleet.yaml: that version, no note.
    for (const [files, args] of [
      [{}, ['--kube-version', '1.24']],
      [{ '.aksfleet.yaml': 'render:\n  kubeVersion: "1.24"\n' }, []],
    ] as const) {
      const named = await check(files, [...args], '2026-12-07');
      assert.deepEqual(named.removed, []);
      assert.doesNotMatch(named.err, /no Kubernetes version is named/);
    }
  },
);
