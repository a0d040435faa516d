/**
 * `aksfleet ui` as a process, end to end: the HelmRelease flags reach the console's render
 * (`--chart-source` maps the HelmRepository to a folder of charts, `--kube-version` sets
 * `.Capabilities`), the chart objects are listed under their HelmRelease in the API, and the
 * process stops cleanly on SIGTERM.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { demoChartFiles } from '../../src/flux/helmrelease/testing.js';

function tree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

const RELEASE = [
  'apiVersion: helm.toolkit.fluxcd.io/v2',
  'kind: HelmRelease',
  'metadata:',
  '  name: web',
  '  namespace: apps',
  'spec:',
  '  interval: 10m',
  '  chart:',
  '    spec:',
  '      chart: demo',
  '      version: "1.2.3"',
  '      sourceRef:',
  '        kind: HelmRepository',
  '        name: charts',
  '        namespace: flux-system',
  '  values:',
  '    replicas: 2',
  '',
].join('\n');
const SOURCE =
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n' +
  '  namespace: flux-system\nspec:\n  url: https://charts.example.com\n';

/** Runs the CLI from the sources in a child process until it prints the console's URL. */
function startUi(args: string[]): Promise<{ url: string; stop: () => Promise<{ code: number | null; err: string }> }> {
  const entry =
    `import { main } from ${JSON.stringify(join(PACKAGE_ROOT, 'src/cli/main.ts'))}; ` +
    `main(process.argv.slice(1)).then((c) => { process.exitCode = c; });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', entry, ...args], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no URL within 120 s:\n${err}`));
    }, 120_000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /^(http:\/\/\S+)\n/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: m[1]!,
          stop: async () => {
            child.kill('SIGTERM');
            return { code: await exited, err };
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`ui exited ${code} before listening:\n${err}`));
    });
  });
}

test('ui --chart-source --kube-version: chart objects under their HelmRelease through the API, rendered with the flags', async () => {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-ui-cmd-'));
  const repo = join(root, 'repo');
  const charts = join(root, 'charts');
  tree(repo, { 'clusters/dev/sources.yaml': SOURCE, 'clusters/dev/release.yaml': RELEASE });
  tree(join(charts, 'demo'), demoChartFiles('1.2.3'));
  try {
    const ui = await startUi([
      'ui',
      repo,
      '--port',
      '0',
      '--chart-source',
      `HelmRepository/flux-system/charts=${charts}`,
      '--kube-version',
      '1.31.2',
    ]);
    try {
      const get = async (p: string) => {
        const r = await fetch(new URL(p, ui.url));
        assert.equal(r.status, 200, p);
        return r.json() as Promise<any>;
      };
      const c = await get('/api/cluster?name=dev');
      // No Flux Kustomization at clusters/dev: the HelmRelease is the cluster path's own.
      assert.equal(c.helmReleases.length, 1);
      const h = c.helmReleases[0];
      assert.equal(h.status, 'rendered');
      assert.deepEqual(h.chart, { name: 'demo', version: '1.2.3' });
      assert.ok(
        h.objects.some((o: any) => o.id === 'Deployment/apps/web' && o.template === 'demo/templates/deployment.yaml'),
        JSON.stringify(h.objects),
      );
      const dep = await get('/api/object?cluster=dev&id=Deployment%2Fapps%2Fweb');
      assert.equal(dep.helmRelease, 'HelmRelease/apps/web');
      assert.match(dep.yaml, /replicas: 2/);
      const cm = await get('/api/object?cluster=dev&id=ConfigMap%2Fapps%2Fweb-config');
      assert.match(cm.yaml, /kube: v1\.31\.2/, '--kube-version reached the chart render');
      const fleet = await get('/api/fleet');
      assert.equal(
        fleet.clusters[0].objectCount,
        2 + h.objects.length,
        'the HelmRepository, the HelmRelease and what the chart installs',
      );
    } finally {
      const end = await ui.stop();
      assert.equal(end.code, 0, end.err);
      assert.match(end.err, /aksfleet console for .* \(model built in \d+ ms\)/);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('ui --source --platform --policies: the console renders and checks as check does with the same flags', async () => {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-ui-check-'));
  const repo = join(root, 'repo');
  const policies = join(root, 'policies');
  tree(repo, {
    'clusters/dev/apps.yaml': [
      'apiVersion: source.toolkit.fluxcd.io/v1',
      'kind: GitRepository',
      'metadata:',
      '  name: other',
      '  namespace: flux-system',
      'spec:',
      '  interval: 10m',
      '  url: https://example.com/other.git',
      '  ref:',
      '    branch: main',
      '---',
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'metadata:',
      '  name: apps',
      '  namespace: flux-system',
      'spec:',
      '  interval: 10m',
      '  path: ./',
      '  prune: true',
      '  sourceRef:',
      '    kind: GitRepository',
      '    name: other',
      '    namespace: flux-system',
      '',
    ].join('\n'),
    'other/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\ndata:\n  a: b\n',
    'other/pvc.yaml':
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  namespace: default\nspec:\n' +
      '  storageClassName: premium-nope\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n' +
      '      storage: 1Gi\n',
  });
  tree(policies, {
    'require-team.yaml': [
      'apiVersion: kyverno.io/v1',
      'kind: ClusterPolicy',
      'metadata:',
      '  name: require-team',
      'spec:',
      '  validationFailureAction: Enforce',
      '  rules:',
      '    - name: team-label',
      '      match:',
      '        any:',
      '          - resources:',
      '              kinds: [ConfigMap]',
      '      validate:',
      '        message: a team label is required',
      '        pattern:',
      '          metadata:',
      '            labels:',
      '              team: "?*"',
      '',
    ].join('\n'),
  });
  const findings = async (args: string[]) => {
    const ui = await startUi(['ui', repo, '--port', '0', ...args]);
    try {
      const r = await fetch(new URL('/api/findings', ui.url));
      const c = await fetch(new URL('/api/cluster?name=dev', ui.url));
      return {
        findings: (await r.json()) as { rule: string; resource?: string }[],
        cluster: JSON.stringify(await c.json()),
      };
    } finally {
      const end = await ui.stop();
      assert.equal(end.code, 0, end.err);
    }
  };
  try {
    const withFlags = await findings([
      '--source',
      'GitRepository/flux-system/other=other',
      '--platform',
      'aks',
      '--policies',
      policies,
    ]);
    const rules = (f: { rule: string; resource?: string }[]) => f.map((x) => `${x.rule} ${x.resource ?? ''}`);
    assert.ok(
      withFlags.cluster.includes('ConfigMap/default/web'),
      "--source: the other repository's objects are rendered",
    );
    assert.ok(
      rules(withFlags.findings).includes('storage-class-exists PersistentVolumeClaim/default/data'),
      `--platform aks: AKS built-in StorageClasses known, premium-nope is not one: ` +
        `${rules(withFlags.findings).join('; ')}`,
    );
    assert.ok(
      rules(withFlags.findings).includes('policy:require-team/team-label ConfigMap/default/web'),
      `--policies: ${rules(withFlags.findings).join('; ')}`,
    );
    const without = await findings([]);
    assert.ok(!without.cluster.includes('ConfigMap/default/web'), 'not rendered without --source');
    assert.ok(
      !rules(without.findings).some((r) => r.startsWith('storage-class-exists') || r.startsWith('policy:require-team')),
      rules(without.findings).join('; '),
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('ui: a bad --platform or a missing --policies folder is exit 2, before listening', async () => {
  const { runCli } = await import('../../src/cli/testing/run-cli.js');
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-ui-bad-'));
  try {
    const p = await runCli(['ui', dir, '--port', '0', '--platform', 'eks']);
    assert.equal(p.code, 2, p.all);
    assert.match(p.err, /--platform must be one of aks, kubernetes, not 'eks'/);
    const q = await runCli(['ui', dir, '--port', '0', '--policies', join(dir, 'nope')]);
    assert.equal(q.code, 2, q.all);
    assert.match(q.err, /--policies '.*nope' does not exist/);
    const h = await runCli(['ui', '--help']);
    for (const f of ['--platform', '--policies', '--source', '--vars', '--allow-missing-vars'])
      assert.ok(h.out.includes(f), f);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
