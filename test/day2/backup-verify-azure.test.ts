/**
 * `aksfleet backup verify` with backup.engine azureBackup: from recorded `az dataprotection job list`
 * and `backup-instance list` JSON (test/day2/fixtures/README.md), per cluster the newest successful
 * backup job within the policy's period, a restore job within the month, failed jobs reported,
 * protection configured and the tenant namespaces covered. Each check passes on aks-dev as recorded
 * and fails on a planted regression.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AZURE_BACKUP } from '../infra/fixtures.js';
import { run } from './cli.js';

const root = process.env.AKSFLEET_ROOT ?? process.cwd();
const JOBS = join(root, 'test/day2/fixtures/az-backup-jobs.json');
const INSTANCES = join(root, 'test/day2/fixtures/az-backup-instances.json');
const NOW = '2026-11-25T06:00:00Z';

type Json = {
  name: string;
  properties: Record<string, unknown> & {
    protectionStatus?: { status: string };
    policyInfo?: { policyParameters: { backupDatasourceParametersList: { excludedNamespaces: string[] }[] } };
  };
};
const jobs = (): Json[] => JSON.parse(readFileSync(JOBS, 'utf8'));
const instances = (): Json[] => JSON.parse(readFileSync(INSTANCES, 'utf8'));

function workdir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-bva-'));
  writeFileSync(join(dir, 'fleet.yaml'), AZURE_BACKUP);
  return dir;
}

async function verify(dir: string, j: unknown, inst: unknown, ...more: string[]) {
  writeFileSync(join(dir, 'jobs.json'), JSON.stringify(j, null, 2));
  writeFileSync(join(dir, 'instances.json'), JSON.stringify(inst, null, 2));
  return run(
    ['backup', 'verify', '--backups', 'jobs.json', '--instances', 'instances.json', '--now', NOW, ...more],
    dir,
  );
}

test(
  'azureBackup: per cluster backup instance; dev fresh; qa too old with failed jobs after; ' +
    'prod restore test too old and a failed one after; exit 1',
  async () => {
    const dir = workdir();
    const r = await run(['backup', 'verify', '--backups', JOBS, '--instances', INSTANCES, '--now', NOW], dir);
    assert.equal(r.code, 1, r.err);
    assert.match(
      r.out,
      /^# Backup verification, Azure Backup for AKS, vault bv-contoso \(2026-11-25T06:00:00\.000Z, backups at most 0\.5 days old, restore tests at most 31\)/,
      'every 6 hours: one period plus one more',
    );
    assert.match(
      r.out,
      /\| aks-dev \| aks-aks-dev \| 1b5c3a0e-0000-4000-8000-000000000002 \| 2026-11-25T00:31:40Z \| 0\.2 \| 1b5c3a0e-0000-4000-8000-000000000003 \| 14\.9 \| ok \|/,
    );
    assert.match(
      r.out,
      /\| aks-qa \| aks-aks-qa \| [^|]+ \| 2026-11-24T12:31:52Z \| 0\.7 \| [^|]+ \| 4\.8 \| FAIL: newest successful backup is 0\.7 days old \(limit 0\.5\); backup jobs after it failed: 1b5c3a0e-0000-4000-8000-000000000005 \(Failed, started 2026-11-24T18:30:03Z: UserErrorExtensionNotReachable: The backup extension on the cluster did not respond\.\), 1b5c3a0e-0000-4000-8000-000000000006 \(Failed/,
    );
    assert.match(
      r.out,
      /\| aks-prod \| aks-aks-prod \| [^|]+ \| 2026-11-25T00:32:13Z \| 0\.2 \| [^|]+ \| 35\.9 \| FAIL: last restore test is 35\.9 days old \(limit 31: restores are tested monthly\); restore jobs after it failed: [^|]*UserErrorRestoreNamespaceExists/,
    );
    assert.match(r.err, /2 clusters failed: aks-prod, aks-qa/);
    assert.doesNotMatch(
      r.out,
      /velero|\| Namespace \|/i,
      'speaks Azure Backup terms (clusters and backup instances), not Velero namespaces',
    );
    const json = await run(
      [
        'backup',
        'verify',
        '--backups',
        JOBS,
        '--instances',
        INSTANCES,
        '--now',
        NOW,
        '--format',
        'json',
        '--cluster',
        'aks-dev',
      ],
      dir,
    );
    assert.equal(json.code, 0, json.err);
    const doc = JSON.parse(json.out) as {
      engine: string;
      vault: string;
      maxAgeDays: number;
      clusters: { cluster: string; ageDays: number; restoreAgeDays: number; problems: string[] }[];
    };
    assert.equal(doc.engine, 'azureBackup');
    assert.equal(doc.vault, 'bv-contoso');
    assert.deepEqual(
      doc.clusters.map((c) => [c.cluster, c.ageDays, c.restoreAgeDays, c.problems]),
      [['aks-dev', 0.2, 14.9, []]],
    );
  },
);

test('azureBackup: each check fails on a planted regression of aks-dev (passing as recorded)', async () => {
  const dir = workdir();
  const dev = (j: Json[]) => j.filter((x) => x.properties.dataSourceName === 'aks-dev');
  const base = await verify(dir, dev(jobs()), instances(), '--cluster', 'aks-dev');
  assert.equal(base.code, 0, base.out + base.err);
  const fails = async (j: Json[], inst: Json[], re: RegExp, ...more: string[]) => {
    const r = await verify(dir, j, inst, '--cluster', 'aks-dev', ...more);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, re);
    assert.match(r.err, /1 cluster failed: aks-dev/);
  };
  // Too old: a day later, the newest successful backup is 1.2 days old.
  await fails(
    dev(jobs()),
    instances(),
    /newest successful backup is 1\.2 days old \(limit 0\.5\)/,
    '--now',
    '2026-11-26T06:00:00Z',
  );
  // No successful backup: both backup jobs failed.
  const failed = dev(jobs()).map((x) =>
    x.properties.operationCategory === 'Backup' ? { ...x, properties: { ...x.properties, status: 'Failed' } } : x,
  );
  await fails(
    failed,
    instances(),
    /no successful backup job \(1b5c3a0e-0000-4000-8000-000000000001 \(Failed, started 2026-11-24T18:30:05Z\), /,
  );
  // A failed backup job after the newest success is reported (the one before it stays the newest success).
  const later = dev(jobs()).map((x) =>
    x.name.endsWith('0002') ? { ...x, properties: { ...x.properties, status: 'Failed' } } : x,
  );
  await fails(
    later,
    instances(),
    /backup jobs after it failed: 1b5c3a0e-0000-4000-8000-000000000002 \(Failed, started 2026-11-25T00:30:04Z\)/,
  );
  // No restore test.
  await fails(
    dev(jobs()).filter((x) => x.properties.operationCategory !== 'Restore'),
    instances(),
    /no restore job \(test\) of it/,
  );
  // Protection not configured.
  const broken = instances().map((i) =>
    i.name === 'aks-aks-dev'
      ? {
          ...i,
          properties: {
            ...i.properties,
            protectionStatus: {
              status: 'ProtectionError',
              errorDetails: { code: 'UserErrorTrustedAccessMissing', message: 'Trusted access is not enabled.' },
            },
          },
        }
      : i,
  );
  await fails(
    dev(jobs()),
    broken,
    /backup instance aks-aks-dev: protection ProtectionError \(UserErrorTrustedAccessMissing: Trusted access is not enabled\.\)/,
  );
  // A tenant namespace excluded from the instance.
  const excl = instances().map((i) => {
    if (i.name !== 'aks-aks-dev') return i;
    const c = JSON.parse(JSON.stringify(i)) as Json;
    c.properties.policyInfo!.policyParameters.backupDatasourceParametersList[0]!.excludedNamespaces.push('app');
    return c;
  });
  await fails(dev(jobs()), excl, /backup instance aks-aks-dev leaves out tenant namespaces: app/);
  // The instance is missing from the vault.
  await fails(
    dev(jobs()),
    instances().filter((i) => i.name !== 'aks-aks-dev'),
    /no backup instance aks-aks-dev in the vault/,
  );
  // No job of the cluster at all.
  await fails([], instances(), /no backup job of backup instance aks-aks-dev; no restore job \(test\) of it/);
});

test(
  'azureBackup: without --instances the instances are not checked, ' +
    'said on stderr; without a fleet, the jobs name the clusters (31 days)',
  async () => {
    const dir = workdir();
    const r = await run(['backup', 'verify', '--backups', JOBS, '--now', NOW, '--cluster', 'aks-dev'], dir);
    assert.equal(r.code, 0, r.err);
    assert.match(
      r.err,
      /note: backup instances not checked \(give --instances with the output of 'az dataprotection backup-instance list -g rg-aks-prod --vault-name bv-contoso -o json'\)/,
    );
    const bare = mkdtempSync(join(tmpdir(), 'aksfleet-bva-nofleet-'));
    const n = await run(['backup', 'verify', '--backups', JOBS, '--now', NOW], bare);
    assert.equal(n.code, 1);
    assert.match(n.out, /backups at most 31 days old/);
    assert.match(n.out, /\| aks-dev \| aks-aks-dev \| .* \| ok \|/);
    assert.match(n.out, /\| aks-qa \| .* FAIL: backup jobs after it failed/);
    assert.match(n.err, /note: no fleet file: checking the backup instances the jobs name/);
  },
);

test('azureBackup: bad input is exit 2 with file and position; --instances with a Velero fleet is a usage error', async () => {
  const dir = workdir();
  writeFileSync(join(dir, 'j.json'), '[\n  {"name": "x", "properties": {"status": "Completed"}}\n]\n');
  const r = await run(['backup', 'verify', '--backups', 'j.json', '--now', NOW], dir);
  assert.equal(r.code, 2);
  assert.match(
    r.err,
    /j\.json:2:3: \[0\]: expected properties\.operationCategory and properties\.status \(az dataprotection job list -o json\)/,
  );
  writeFileSync(join(dir, 'obj.json'), '{"items": []}\n');
  const o = await run(['backup', 'verify', '--backups', 'obj.json', '--now', NOW], dir);
  assert.equal(o.code, 2);
  assert.match(o.err, /obj\.json:1:1: .*expected the JSON array that 'az dataprotection job list -o json' prints/);
  const velero = await run(
    [
      'backup',
      'verify',
      '--backups',
      JOBS,
      '--instances',
      INSTANCES,
      '-f',
      join(root, 'examples/fleet.yaml'),
      '--now',
      NOW,
    ],
    dir,
  );
  assert.equal(velero.code, 2);
  assert.match(
    velero.err,
    /--instances \(az dataprotection backup-instance list\) applies to backup\.engine azureBackup/,
  );
  const unknown = await run(['backup', 'verify', '--backups', JOBS, '--cluster', 'aks-nope', '--now', NOW], dir);
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /--cluster: no cluster 'aks-nope' in the fleet \(clusters: aks-dev, aks-qa, aks-prod\)/);
});

test(
  'azureBackup --live runs az dataprotection job list and backup-instance ' +
    'list on the fleet vault (stub az); az failing is exit 2 with its message',
  async () => {
    const dir = workdir();
    const bin = join(dir, 'bin');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'az'),
      `#!/bin/sh\necho "$*" >> "${join(dir, 'az.log')}"\ncase "$*" in\n` +
        `  "dataprotection job list -g rg-aks-prod --vault-name bv-contoso -o json") cat "${JOBS}" ;;\n` +
        `  "dataprotection backup-instance list -g rg-aks-prod ` +
        `--vault-name bv-contoso -o json") cat "${INSTANCES}" ;;\n` +
        `  *) echo "ERROR: unexpected: $*" >&2; exit 3 ;;\nesac\n`,
    );
    chmodSync(join(bin, 'az'), 0o755);
    const r = await run(['backup', 'verify', '--live', '--now', NOW, '--cluster', 'aks-dev'], dir, {
      PATH: `${bin}:${process.env.PATH}`,
    });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /\| aks-dev \| aks-aks-dev \| .* \| ok \|/);
    assert.doesNotMatch(r.err, /instances not checked/);
    assert.deepEqual(readFileSync(join(dir, 'az.log'), 'utf8').trim().split('\n'), [
      'dataprotection job list -g rg-aks-prod --vault-name bv-contoso -o json',
      'dataprotection backup-instance list -g rg-aks-prod --vault-name bv-contoso -o json',
    ]);
    writeFileSync(join(dir, 'fleet.yaml'), AZURE_BACKUP.replace('vaultName: bv-contoso', 'vaultName: bv-other'));
    const bad = await run(['backup', 'verify', '--live', '--now', NOW], dir, { PATH: `${bin}:${process.env.PATH}` });
    assert.equal(bad.code, 2);
    assert.match(
      bad.err,
      /az dataprotection job list -g rg-aks-prod --vault-name bv-other -o json failed: ERROR: unexpected/,
    );
  },
);
