/**
 * `aksfleet build --explain`: the stage history of one object, for a Flux Kustomization (every
 * stage of FLUX_BUILD_STAGES after the one that produced it, postBuild substitution and owner
 * labels attributed) and a HelmRelease (HELMRELEASE_STAGES); usage errors exit 2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './testing/run-cli.js';
import { FLUX_BUILD_STAGES } from '../flux/build/stages.js';
import { HELMRELEASE_STAGES } from '../flux/helmrelease/stages.js';
import { PACKAGE_ROOT } from '../package-root.js';

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'explain-'));
  mkdirSync(join(dir, 'clusters/dev'), { recursive: true });
  mkdirSync(join(dir, 'apps'), { recursive: true });
  writeFileSync(
    join(dir, 'clusters/dev/apps.yaml'),
    [
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'metadata: { name: apps, namespace: flux-system }',
      'spec:',
      '  interval: 10m',
      '  path: ./apps',
      '  prune: true',
      '  sourceRef: { kind: GitRepository, name: flux-system }',
      '  postBuild:',
      '    substitute: { REPLICAS: "3" }',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'apps/kustomization.yaml'),
    'namespace: web\nresources: [deploy.yaml]\ncommonLabels: { team: a }\n',
  );
  writeFileSync(
    join(dir, 'apps/deploy.yaml'),
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: { name: web }',
      'spec:',
      '  replicas: ${REPLICAS}',
      '  template:',
      '    spec:',
      '      containers: [{ name: web, image: nginx:1.27 }]',
      '',
    ].join('\n'),
  );
  return dir;
}

test('build --explain: a Kustomization object, stage by stage', async () => {
  const dir = repo();
  try {
    const r = await runCli(['build', dir, '--path', 'clusters/dev', '--explain', 'deployment/web/web']);
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split('\n');
    assert.equal(lines[0], 'deployment/web/web: produced by Kustomization flux-system/apps, stage kustomize-build');
    const after = FLUX_BUILD_STAGES.map((s) => s.name).slice(
      FLUX_BUILD_STAGES.findIndex((s) => s.name === 'kustomize-build') + 1,
    );
    assert.deepEqual(
      lines.slice(1, 1 + after.length).map((l) => l.trim().split(/\s+/)[0]),
      after,
      'every later stage, in list order',
    );
    const setBy = (path: string) =>
      lines
        .find((l) => l.trim().startsWith(`${path} `))
        ?.trim()
        .split(/\s+/)
        .slice(1)
        .join(' ');
    assert.equal(setBy('spec.replicas'), 'postbuild-substitute (kustomize-build)');
    assert.equal(setBy('metadata.namespace'), 'kustomize-build');
    assert.equal(setBy('metadata.labels.team'), 'kustomize-build');
    assert.equal(setBy('metadata.labels[kustomize.toolkit.fluxcd.io/name]'), 'owner-labels');
    const json = await runCli(['build', dir, '--path', 'clusters/dev', '--explain', 'Deployment/web', '-o', 'json']);
    assert.equal(json.code, 0, json.err);
    const parsed = JSON.parse(json.out) as { traces: { run: string; fields: { path: string; setBy: string }[] }[] };
    assert.equal(parsed.traces.length, 1);
    assert.equal(parsed.traces[0]!.fields.find((f) => f.path === 'spec.replicas')!.setBy, 'postbuild-substitute');
    // The plain build is the same with or without the trace.
    const plain = await runCli(['build', dir, '--path', 'clusters/dev']);
    assert.match(plain.out, /replicas: 3/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('build --explain: a HelmRelease object, through the HelmRelease stages', async () => {
  const r = await runCli([
    'build',
    join(PACKAGE_ROOT, 'examples/helmrelease'),
    '--path',
    'clusters/dev',
    '--chart-source',
    `HelmRepository/flux-system/charts=${join(PACKAGE_ROOT, 'examples/chart')}`,
    '--explain',
    'Deployment/apps/hello',
  ]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Deployment\/apps\/hello: produced by HelmRelease apps\/hello, stage manifests\n/);
  const names = HELMRELEASE_STAGES.map((s) => s.name);
  for (const line of r.out
    .split('\n')
    .slice(1)
    .filter((l) => /^ {2}\S+ +(no change|\d+ field)/.test(l))) {
    assert.ok(names.includes(line.trim().split(/\s+/)[0]!), line);
  }
  assert.match(r.out, /\n {2}metadata\.namespace +release-metadata\n/);
  assert.match(r.out, /\n {2}metadata\.labels\[helm\.toolkit\.fluxcd\.io\/name\] +release-metadata\n/);
});

test('build --explain: a bad target or an object the build lacks is exit 2', async () => {
  const dir = repo();
  try {
    const bad = await runCli(['build', dir, '--path', 'clusters/dev', '--explain', 'Deployment']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--explain takes KIND\/NAME or KIND\/NAMESPACE\/NAME, not 'Deployment'/);
    const none = await runCli(['build', dir, '--path', 'clusters/dev', '--explain', 'Deployment/other/web']);
    assert.equal(none.code, 2);
    assert.match(none.err, /--explain Deployment\/other\/web: the build has no such object/);
    const both = await runCli(['build', dir, '--path', 'clusters/dev', '--explain', 'Deployment/web', '--summary']);
    assert.equal(both.code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
