/** `aksfleet backup plan` and `aksfleet backup verify` end to end. */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { namespaceMatches, specCovers, verifyBackups } from '../../src/day2/backup/index.js';
import { validateObject } from '../../src/schemas/validate.js';
import { run } from './cli.js';

const root = process.env.AKSFLEET_ROOT ?? process.cwd();
const fleet = join(root, 'examples/fleet.yaml');
const backups = join(root, 'test/day2/fixtures/backups.json');
const restores = join(root, 'test/day2/fixtures/restores.json');
const NOW = '2026-11-25T06:00:00Z';

test(
  'backup plan from the spec: tenant namespaces covered by the generated tenant schedules; ' +
    'a playbook with a scratch-namespace test restore',
  async () => {
    const r = await run(['backup', 'plan', '-f', fleet]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\| aks-prod \| shop \| \(unknown without the repo\) \| velero\/tenant-shop \|/);
    assert.match(r.out, /\| aks-dev \| app \| \(unknown without the repo\) \| velero\/tenant-app \|/);
    assert.doesNotMatch(r.out, /\| aks-dev \| shop \|/, 'shop is placed on tier=frontend clusters only');
    assert.match(
      r.out,
      /velero restore create "app-restore-test-\$\(date -u \+%Y%m%d\)" --from-schedule tenant-app --include-namespaces app --namespace-mappings app:app-restore-test --exclude-resources httproutes\.gateway\.networking\.k8s\.io,ingresses\.networking\.k8s\.io --wait/,
    );
    assert.match(
      r.out,
      /velero restore create "app-\$\(date -u \+%Y%m%d%H%M\)" --from-schedule tenant-app --include-namespaces app --wait/,
    );
    assert.match(r.out, /kubectl delete namespace app-restore-test/);
    assert.match(r.err, /no clusters\/<name> in the current folder/);
  },
);

test(
  'backup plan from a rendered repo: PVC namespaces without ' +
    'a schedule get one (valid against the Velero CRD), exit 1',
  async () => {
    const repo = mkdtempSync(join(tmpdir(), 'aksfleet-bk-'));
    mkdirSync(join(repo, 'clusters/aks-dev'), { recursive: true });
    writeFileSync(
      join(repo, 'clusters/aks-dev/kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [data.yaml]\n',
    );
    writeFileSync(
      join(repo, 'clusters/aks-dev/data.yaml'),
      [
        'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: files, namespace: data}\n' +
          'spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}',
        'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: pg, namespace: db}\nspec:\n' +
          '  serviceName: pg\n  selector: {matchLabels: {app: pg}}\n' +
          '  template: {metadata: {labels: {app: pg}}, spec: {containers: [{name: pg, image: postgres}]}}\n' +
          '  volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce], ' +
          'resources: {requests: {storage: 1Gi}}}}]',
        'apiVersion: velero.io/v1\nkind: Schedule\nmetadata: {name: db-nightly, namespace: velero}\n' +
          'spec:\n  schedule: "0 1 * * *"\n  template: {includedNamespaces: ["d?"]}',
      ].join('\n---\n'),
    );
    const r = await run(['backup', 'plan', repo, '-f', fleet]);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /\| aks-dev \| data \| PersistentVolumeClaim\/data\/files \| \*\*missing\*\* \|/);
    assert.match(r.out, /\| aks-dev \| db \| StatefulSet\/db\/pg \(volumeClaimTemplates\) \| velero\/db-nightly \|/);
    assert.match(r.err, /1 namespace with volumes and no Velero schedule: aks-dev\/data/);
    const y = await run(['backup', 'plan', repo, '-f', fleet, '--format', 'yaml']);
    assert.equal(y.code, 1, y.err);
    const doc = parse(y.out) as { source: string; clusters: { cluster: string; missing: Record<string, unknown>[] }[] };
    assert.deepEqual(
      doc,
      JSON.parse((await run(['backup', 'plan', repo, '-f', fleet, '--format', 'json'])).out),
      'yaml and json: the same document',
    );
    assert.equal(doc.source, 'repo');
    const schedule = doc.clusters.find((c) => c.cluster === 'aks-dev')!.missing[0]!;
    assert.equal((schedule.metadata as { name: string }).name, 'ns-data');
    assert.deepEqual((schedule.spec as { template: { includedNamespaces: string[] } }).template.includedNamespaces, [
      'data',
    ]);
    assert.deepEqual(
      validateObject(schedule).filter((p) => p.severity === 'error'),
      [],
    );
    // The restore playbook covers db (scheduled) and not data (no schedule yet).
    assert.match(r.out, /#### Namespace db \(Schedule velero\/db-nightly\)/);
    assert.doesNotMatch(r.out, /#### Namespace data /);
  },
);

test(
  'backup plan: the repository defaults to the current folder (as build); ' +
    'a folder without clusters/<name> plans from the spec',
  async () => {
    const repo = mkdtempSync(join(tmpdir(), 'aksfleet-bk-cwd-'));
    mkdirSync(join(repo, 'clusters/aks-dev'), { recursive: true });
    writeFileSync(
      join(repo, 'clusters/aks-dev/kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [pvc.yaml]\n',
    );
    writeFileSync(
      join(repo, 'clusters/aks-dev/pvc.yaml'),
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: files, namespace: data}\n' +
        'spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n',
    );
    const inRepo = await run(['backup', 'plan', '-f', fleet, '--format', 'json'], repo);
    const given = await run(['backup', 'plan', '.', '-f', fleet, '--format', 'json'], repo);
    assert.equal(inRepo.code, 1, inRepo.err);
    assert.equal(inRepo.out, given.out, 'no argument = the current folder');
    assert.equal(inRepo.err, given.err);
    assert.equal((JSON.parse(inRepo.out) as { source: string }).source, 'repo');
    assert.match(inRepo.err, /1 namespace with volumes and no Velero schedule: aks-dev\/data/);

    const empty = mkdtempSync(join(tmpdir(), 'aksfleet-bk-empty-'));
    const spec = await run(['backup', 'plan', '-f', fleet, '--format', 'json'], empty);
    assert.equal(spec.code, 0, spec.err);
    assert.equal((JSON.parse(spec.out) as { source: string }).source, 'spec');
    assert.match(spec.err, /^note: no clusters\/<name> in the current folder: tenant namespaces from the spec/m);
  },
);

test('backup plan --format yaml prints the plan as YAML, also when no schedule is missing', async () => {
  const r = await run(['backup', 'plan', '-f', fleet, '--format', 'yaml']);
  assert.equal(r.code, 0, r.err);
  const doc = parse(r.out) as { source: string; clusters: { cluster: string }[]; notes: string[] };
  assert.equal(doc.source, 'spec');
  assert.deepEqual(
    doc.clusters.map((c) => c.cluster),
    ['aks-dev', 'aks-qa', 'aks-prod'],
  );
  assert.deepEqual(doc, JSON.parse((await run(['backup', 'plan', '-f', fleet, '--format', 'json'])).out));
});

test('backup verify: app fresh; shop too old with a partially failed newer backup; exit 1', async () => {
  const r = await run(['backup', 'verify', '--backups', backups, '-f', fleet, '--now', NOW]);
  assert.equal(r.code, 1, r.err);
  assert.match(r.out, /backups at most 2 days old/, 'daily schedule: 1 day + 1 day slack');
  assert.match(r.out, /\| app \| tenant-app-20261125020012 \| 2026-11-25T02:01:58Z \| 0\.2 \| ok \|/);
  assert.match(
    r.out,
    /\| shop \| tenant-shop-20261120020005 \| 2026-11-20T02:00:51Z \| 5\.2 \| FAIL: newest completed backup is 5\.2 days old \(limit 2\); backups after it did not complete: tenant-shop-20261125020005 \(PartiallyFailed\) \|/,
  );
  assert.match(r.err, /1 namespace failed: shop/);
});

test('backup verify --restores: a monthly restore test per namespace; json output', async () => {
  const r = await run([
    'backup',
    'verify',
    '--backups',
    backups,
    '--restores',
    restores,
    '-f',
    fleet,
    '--cluster',
    'aks-dev',
    '--now',
    NOW,
    '--format',
    'json',
  ]);
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out) as {
    namespaces: { namespace: string; restore?: string; restoreAgeDays?: number; problems: string[] }[];
  };
  assert.deepEqual(
    out.namespaces.map((n) => n.namespace),
    ['app'],
    'aks-dev runs only the app tenant',
  );
  assert.equal(out.namespaces[0]!.restore, 'app-restore-test-20261101');
  assert.equal(out.namespaces[0]!.restoreAgeDays, 23.8);
  const late = await run([
    'backup',
    'verify',
    '--backups',
    backups,
    '--restores',
    restores,
    '-f',
    fleet,
    '--cluster',
    'aks-dev',
    '--now',
    '2026-12-05T00:00:00Z',
    '--max-age',
    '31',
  ]);
  assert.equal(late.code, 1);
  assert.match(late.out, /last restore test is 33\.6 days old \(limit 31: restores are tested monthly\)/);
});

test('backup verify without a fleet: the namespaces the backups name, 31 days', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-bv-'));
  const r = await run(['backup', 'verify', '--backups', backups, '--now', NOW], dir);
  assert.match(r.out, /backups at most 31 days old/);
  assert.match(r.out, /\| app \| .* \| ok \|/);
  assert.match(r.out, /\| shop \| .* FAIL: backups after it did not complete/);
  assert.equal(r.code, 1);
});

test('backup verify: bad input is exit 2 with file and position', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-bv-'));
  writeFileSync(join(dir, 'b.json'), '{"items": [\n  {"kind": "Backup"}\n]}\n');
  const r = await run(['backup', 'verify', '--backups', 'b.json', '--now', NOW], dir);
  assert.equal(r.code, 2);
  assert.match(r.err, /b\.json:2:3: items\[0\]: expected a Velero object with kind and metadata/);
  assert.equal((await run(['backup', 'verify'], dir)).code, 2);
  assert.equal((await run(['backup', 'verify', '--backups', 'b.json', '--max-age', 'soon'], dir)).code, 2);
  assert.equal((await run(['backup', 'verify', '--backups', 'missing.json'], dir)).code, 2);
});

test('namespace patterns and coverage (Velero globs; empty includes mean all; excludes win)', () => {
  assert.ok(namespaceMatches('*', 'x'));
  assert.ok(namespaceMatches('app-?', 'app-1'));
  assert.ok(!namespaceMatches('app-?', 'app-10'));
  assert.ok(namespaceMatches('[ab]pp', 'bpp'));
  assert.ok(specCovers({}, 'any'));
  assert.ok(!specCovers({ includedNamespaces: ['*'], excludedNamespaces: ['kube-*'] }, 'kube-system'));
  const rows = verifyBackups({
    backups: JSON.parse(readFileSync(backups, 'utf8')).items,
    expected: ['data'],
    now: new Date(NOW),
    maxAgeDays: 2,
    maxRestoreAgeDays: 31,
  });
  assert.deepEqual(rows[0]!.problems, ['no completed backup (manual-everything: Failed)']);
});

test(
  'backup verify --live reads through kubectl; ' + "a cluster that cannot be reached is exit 2 with kubectl's message",
  async (t) => {
    const { spawnSync } = await import('node:child_process');
    if (spawnSync('sh', ['-c', 'command -v kubectl']).status !== 0) return t.skip('kubectl not installed');
    const dir = mkdtempSync(join(tmpdir(), 'aksfleet-bv-'));
    // A kubeconfig whose server refuses connections (nothing listens on port 9 of 127.0.0.1).
    writeFileSync(
      join(dir, 'kubeconfig'),
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\n' +
        'contexts: [{name: c, context: {cluster: c, user: u}}]\ncurrent-context: c\n' +
        'users: [{name: u, user: {token: x}}]\n',
    );
    const r = await run(['backup', 'verify', '--live', '--now', NOW], dir, {
      PATH: process.env.PATH,
      KUBECONFIG: join(dir, 'kubeconfig'),
      HOME: dir,
    });
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /kubectl get backups\.velero\.io -A -o json failed: .*(refused|127\.0\.0\.1:9)/);
  },
);

test(
  'backup plan with backup.engine azureBackup: every tenant namespace under the cluster backup instance, ' +
    'an az dataprotection playbook that passes bash -n and shellcheck',
  async () => {
    const { AZURE_BACKUP } = await import('../infra/fixtures.js');
    const dir = mkdtempSync(join(tmpdir(), 'aksfleet-ab-'));
    writeFileSync(join(dir, 'fleet.yaml'), AZURE_BACKUP);
    const r = await run(['backup', 'plan', '-f', join(dir, 'fleet.yaml')], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Azure Backup for AKS, schedule `30 \*\/6 \* \* \*` \(UTC\), kept 336h/);
    assert.match(r.out, /\| aks-prod \| shop \| \(unknown without the repo\) \| bv-contoso\/aks-aks-prod \|/);
    assert.doesNotMatch(r.out, /velero restore/);
    assert.doesNotMatch(r.err, /addons\.velero\.enabled is false/);
    assert.match(
      r.out,
      /jq '\.included_namespaces = \["app"\] \| \.namespace_mappings = \{"app": "app-restore-test"\}/,
    );
    assert.match(
      r.out,
      /az dataprotection backup-instance restore trigger -g "\$VAULT_RG" --vault-name bv-contoso -n aks-aks-prod --restore-request-object restore-request\.json/,
    );
    const blocks = [...r.out.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) =>
      m[1]!.replace('VAULT_RG=<resource group of bv-contoso>', 'VAULT_RG=rg-aks-prod'),
    );
    assert.ok(blocks.length >= 4);
    const script = join(dir, 'playbook.sh');
    writeFileSync(script, `#!/usr/bin/env bash\nset -euo pipefail\n${blocks.join('\n')}`);
    assert.equal(spawnSync('bash', ['-n', script]).status, 0);
    const sc = spawnSync('shellcheck', ['--severity=style', '--format=gcc', script], { encoding: 'utf8' });
    if (!sc.error) assert.equal(sc.status, 0, sc.stdout);
  },
);
