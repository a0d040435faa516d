import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { mergeSameLine } from './same-line.js';
import type { Finding } from './types.js';
import { runCli } from '../cli/testing/run-cli.js';
import { gitRepository, tempDir, writeTree } from '../cli/testing/fixture-repos.js';

const f = (over: Partial<Finding>): Finding => ({
  rule: 'object-schema',
  severity: 'error',
  file: 'deploy/app.yaml',
  line: 7,
  message: 'x: bad',
  cluster: 'hub',
  ...over,
});

test('mergeSameLine: the same finding at the same line for several objects and clusters is one, naming the others', () => {
  const out = mergeSameLine([
    f({ resource: 'Deployment/staging/web' }),
    f({ resource: 'Deployment/production/web' }),
    f({ resource: 'Deployment/web/web', cluster: 'hub->spoke' }),
    f({ resource: 'Deployment/staging/web', line: 8 }),
  ]);
  assert.equal(out.length, 2);
  assert.equal(out[0]!.message, 'x: bad (also Deployment/production/web, Deployment/web/web on cluster hub->spoke)');
  assert.deepEqual(out[0]!.clusters, ['hub', 'hub->spoke']);
  assert.equal(out[0]!.resource, 'Deployment/staging/web');
  assert.equal(out[1]!.line, 8);
  assert.equal(out[1]!.clusters, undefined);
});

test('mergeSameLine: findings that differ in message, rule, severity or place, or have no line, stay apart', () => {
  const list = [
    f({ resource: 'A/a' }),
    f({ resource: 'A/b', message: 'y: bad' }),
    f({ resource: 'A/c', rule: 'other' }),
    f({ resource: 'A/d', severity: 'warning' }),
    f({ resource: 'A/e', file: 'other.yaml' }),
    f({ resource: 'A/f', line: undefined }),
    f({ resource: 'A/g', line: undefined }),
  ];
  assert.deepEqual(mergeSameLine(list), list);
  // The same object and cluster twice (two rules of one context cannot, but two contexts can): said once, no "also".
  assert.deepEqual(mergeSameLine([f({ resource: 'A/a' }), f({ resource: 'A/a' })]), [f({ resource: 'A/a' })]);
});

/**
 * The shape of fluxcd/flux2-hub-spoke-example: a hub applies one folder (`deploy/apps`) into a
 * namespace per spoke (`targetNamespace`) and to a spoke through `spec.kubeConfig`; one typo in
 * that folder was one error per application, all at the same line (6 such pairs in the corpus
 * repository: `check` reported 18 findings, 12 after).
 */
test(
  'check: a hub applying one file several times reports a problem of that file once, with the objects and ' +
    'clusters it concerns',
  async () => {
    const url = 'https://github.com/example/hub';
    const ks = (name: string, extra: string) =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  ` +
      'namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n  ' +
      `  name: flux-system\n  path: ./deploy/apps\n${extra}`;
    const dir = tempDir();
    try {
      writeTree(dir, {
        'hub/sync.yaml': `${gitRepository('flux-system', url)}---\n${ks('flux-system', '').replace('./deploy/apps', './hub')}`,
        'hub/spokes.yaml': [
          ks('apps-staging', '  targetNamespace: staging\n'),
          ks('apps-production', '  targetNamespace: production\n'),
          ks('apps-spoke', '  targetNamespace: web\n  kubeConfig:\n    secretRef:\n      name: spoke-kubeconfig\n'),
        ].join('---\n'),
        'deploy/apps/kustomization.yaml':
          'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - app.yaml\n',
        'deploy/apps/app.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\ndata:\n  a: b\nbinaryDatta: {}\n',
      });
      const r = await runCli(['check', dir, '--format', 'json'], { env: { AKSFLEET_TODAY: '2026-12-07' } });
      const j = JSON.parse(r.out) as { findings: (Finding & { clusters?: string[] })[] };
      const typo = j.findings.filter((x) => x.file === 'deploy/apps/app.yaml' && x.rule === 'object-schema');
      assert.equal(typo.length, 1, JSON.stringify(j.findings, null, 1));
      assert.equal(typo[0]!.line, 7);
      assert.match(typo[0]!.message, /unknown field 'binaryDatta'; did you mean 'binaryData'\?/);
      assert.match(
        typo[0]!.message,
        /\(also ConfigMap\/staging\/web, ConfigMap\/web\/web on cluster hub->flux-system\/spoke-kubeconfig\)$/,
      );
      assert.deepEqual(typo[0]!.clusters, ['hub', 'hub->flux-system/spoke-kubeconfig']);
      // The text report shows it once too.
      const text = await runCli(['check', dir], { env: { AKSFLEET_TODAY: '2026-12-07' } });
      assert.equal(text.out.split('\n').filter((l) => /binaryDatta/.test(l)).length, 1, text.out);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
