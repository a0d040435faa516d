/**
 * backup.engine azureBackup: Azure Backup for AKS instead of the Velero add-on. The generated
 * Bicep passes our grammar check; the Backup extension and the trusted access binding equal what
 * the Azure SDK's own request serializers send (@azure/arm-kubernetesconfiguration, through its
 * client with an offline HTTP client that captures the request; @azure/arm-containerservice's
 * serializer); the policy carries the fleet's schedule and retention; spec-load refuses what
 * Azure Backup cannot do at its fleet.yaml line; the az script says it cannot build it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BicepExpr, armBody } from '../../src/bicep/index.js';
import { checkBicep } from '../../src/bicep/testing/bicep-grammar.js';
import { parseFleet } from '../../src/spec/load.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { generateInfra } from '../../src/generators/infra/index.js';
import { backupExtensionSdk, trustedAccessSdk } from '../../src/generators/infra/azure-backup.js';
import { fleetErrorOf } from '../../src/spec/testing.js';
import { AZURE_BACKUP, EXAMPLE } from './fixtures.js';

function plain(v: unknown): unknown {
  if (v instanceof BicepExpr) return `<expr ${v.text}>`;
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([, x]) => x !== undefined)
        .map(([k, x]) => [k, plain(x)]),
    );
  return v;
}
const clean = (v: unknown): unknown => JSON.parse(JSON.stringify(v));
const withoutBicepKeys = (body: object) =>
  Object.fromEntries(Object.entries(body).filter(([k]) => !['name', 'scope', 'parent', 'dependsOn'].includes(k)));

function generated(text: string): Map<string, string> {
  const files = new Map(generateInfra(parseFleet(text, 'fleet.yaml')).map((f) => [f.path, f.content]));
  for (const [p, c] of files)
    if (p.endsWith('.bicep') || p.endsWith('.bicepparam'))
      assert.deepEqual(checkBicep(c, p.endsWith('.bicepparam') ? 'bicepparam' : undefined).errors, [], p);
  return files;
}

test(
  'azureBackup: vault and policy in the shared deployment, ' +
    'extension, trusted access and backup instance per cluster',
  () => {
    const files = generated(AZURE_BACKUP);
    const shared = files.get('infra/shared/main.bicep')!;
    assert.match(shared, /module backupVault '\.\.\/modules\/backup-vault\.bicep'/);
    assert.match(shared, /repeatingTimeIntervals: \[\n\s+'R\/2024-01-01T00:30:00\+00:00\/PT6H'/);
    assert.match(shared, /duration: 'P14D'/);
    assert.match(
      files.get('infra/shared/main.bicepparam')!,
      /param backupVaultName = 'bv-contoso'[\s\S]*param backupStorageAccount = 'stcontosoaksbackup'|param backupStorageAccount = 'stcontosoaksbackup'[\s\S]*param backupVaultName = 'bv-contoso'/,
    );
    assert.ok(files.has('infra/modules/backup-vault.bicep'));
    for (const c of ['aks-dev', 'aks-qa', 'aks-prod']) {
      const main = files.get(`infra/clusters/${c}/main.bicep`)!;
      assert.match(main, /module backup '\.\/backup\.bicep'/, c);
      assert.match(
        main,
        /module backupInstance '\.\/backup-instance\.bicep' = \{\n\s+name: 'backup-instance-\$\{clusterName\}'\n\s+scope: resourceGroup\('rg-aks-prod'\)/,
        c,
      );
      assert.match(main, /clusterPrincipalId: controlPlane\.properties\.principalId/, c);
      const backup = files.get(`infra/clusters/${c}/backup.bicep`)!;
      assert.match(backup, /extensionType: 'microsoft\.dataprotection\.kubernetes'/);
      assert.match(backup, /'Microsoft\.DataProtection\/backupVaults\/backup-operator'/);
      assert.match(files.get(`infra/clusters/${c}/backup-instance.bicep`)!, /resourceGroupId: snapshotResourceGroupId/);
      // Private Link environments: the Backup extension reaches its storage through the blob endpoint.
      assert.match(files.get(`infra/clusters/${c}/private-endpoints.bicep`)!, /name: 'stcontosoaksbackup'/);
      assert.match(
        files.get(`infra/az/${c}.sh`)!,
        /Azure Backup for AKS[\s\S]*created by the Bicep deployment only[\s\S]*exit 1\s*$/,
      );
    }
    assert.match(
      files.get('infra/README.md')!,
      /az dataprotection backup-instance list -g rg-aks-prod --vault-name bv-contoso/,
    );
    // The Velero engine (the example) has none of it.
    const velero = generated(EXAMPLE);
    assert.ok(![...velero.keys()].some((p) => /backup-vault|backup\.bicep|backup-instance/.test(p)));
  },
);

const KC = join(PACKAGE_ROOT, 'node_modules/@azure/arm-kubernetesconfiguration/dist/index.js');
const CS = join(PACKAGE_ROOT, 'node_modules/@azure/arm-containerservice/dist/esm/models/models.js');
const skip = existsSync(KC) && existsSync(CS) ? false : 'an Azure SDK package is not installed';

test('the Backup extension body equals what @azure/arm-kubernetesconfiguration sends (its client, offline)', {
  skip,
}, async () => {
  const { SourceControlConfigurationClient } = (await import(
    pathToFileURL(KC).href
  )) as typeof import('@azure/arm-kubernetesconfiguration');
  const { createHttpHeaders } = await import('@azure/core-rest-pipeline');
  let sent: unknown;
  const credential = { getToken: async () => ({ token: 'offline', expiresOnTimestamp: Date.now() + 3_600_000 }) };
  const client = new SourceControlConfigurationClient(credential, '00000000-0000-0000-0000-000000000000', {
    httpClient: {
      sendRequest: async (request) => {
        sent = JSON.parse(String(request.body));
        return {
          status: 200,
          headers: createHttpHeaders(),
          request,
          bodyAsText: JSON.stringify({ properties: { provisioningState: 'Succeeded' } }),
        };
      },
    },
  });
  const model = plain(backupExtensionSdk()) as Parameters<typeof client.extensions.beginCreateAndWait>[5];
  await client.extensions.beginCreateAndWait(
    'rg',
    'Microsoft.ContainerService',
    'managedClusters',
    'aks',
    'azure-aks-backup',
    model,
  );
  assert.deepEqual(
    clean(
      plain(withoutBicepKeys(armBody(backupExtensionSdk(), { scope: new BicepExpr('aks'), name: 'azure-aks-backup' }))),
    ),
    clean(sent),
  );
  assert.ok(
    (sent as { properties: { configurationSettings: Record<string, string> } }).properties.configurationSettings[
      'configuration.backupStorageLocation.config.useAAD'
    ] === 'true',
  );
});

test('the trusted access binding equals @azure/arm-containerservice trustedAccessRoleBindingSerializer', {
  skip,
}, async () => {
  const sdk = (await import(pathToFileURL(CS).href)) as Record<string, (x: unknown) => unknown>;
  assert.deepEqual(
    clean(plain(withoutBicepKeys(armBody(trustedAccessSdk(), { name: 'backup-vault' })))),
    clean(sdk.trustedAccessRoleBindingSerializer!(plain(trustedAccessSdk()))),
  );
});

test('spec load refuses what Azure Backup for AKS cannot do, at the fleet.yaml line', () => {
  const velero = AZURE_BACKUP.replace('velero: { enabled: false,', 'velero: {');
  assert.match(
    fleetErrorOf(velero),
    /^fleet\.yaml:60:\d+: spec\.addons\.velero: backup\.engine azureBackup: the Backup extension runs its own Velero/m,
  );
  const line = AZURE_BACKUP.split('\n').findIndex((l) => l.includes('backup: { engine: azureBackup')) + 1;
  assert.match(
    fleetErrorOf(AZURE_BACKUP.replace('"30 */6 * * *"', '"0 2 * * 1"')),
    new RegExp(
      `^fleet\\.yaml:${line}:\\d+: spec\\.backup\\.schedule: ` +
        `schedule '0 2 \\* \\* 1': Azure Backup for AKS backs up daily`,
      'm',
    ),
  );
  assert.match(
    fleetErrorOf(AZURE_BACKUP.replace('retention: 336h', 'retention: 36h')),
    new RegExp(`^fleet\\.yaml:${line}:\\d+: spec\\.backup\\.retention: retention 36h must be whole days`, 'm'),
  );
  const moved = AZURE_BACKUP.replace(
    'resourceGroup: rg-aks-qa\n      location: uksouth',
    'resourceGroup: rg-aks-qa\n      location: westeurope',
  );
  const qaLine = moved.split('\n').findIndex((l) => l.includes('location: westeurope')) + 1;
  assert.match(
    fleetErrorOf(moved),
    new RegExp(
      `^fleet\\.yaml:${qaLine}:\\d+: spec\\.clusters\\[1\\]\\.location: ` +
        `backup\\.engine azureBackup: the Backup extension needs its storage account`,
      'm',
    ),
  );
  assert.match(
    fleetErrorOf(
      EXAMPLE.replace('\n  # Images must be signed', '\n  backup: { vaultName: bv-x }\n\n  # Images must be signed'),
    ),
    /spec\.backup\.vaultName: vaultName is used by engine azureBackup only/,
  );
});

test(
  'azureBackup fleet: check passes as generated; ' +
    'the backup storage endpoint removed from aks-prod fails prod-private-endpoints (exit 1)',
  async () => {
    const { mkdtempSync, readFileSync: read, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { runCli } = await import('../../src/cli/testing/run-cli.js');
    const dir = mkdtempSync(join(tmpdir(), 'aksfleet-ab-check-'));
    writeFileSync(join(dir, 'fleet.yaml'), AZURE_BACKUP);
    assert.equal((await runCli(['generate', '-f', 'fleet.yaml'], { cwd: dir, env: {} })).code, 0);
    const ok = await runCli(['check', '.'], { cwd: dir, env: {} });
    assert.equal(ok.code, 0, ok.out);
    const pe = join(dir, 'infra/clusters/aks-prod/private-endpoints.bicep');
    const text = read(pe, 'utf8');
    const cut = text
      .replace(/resource backupStorageEndpointDns [\s\S]*?\n\}\n/, '')
      .replace(/resource backupStorageEndpoint [\s\S]*?\n\}\n/, '');
    assert.notEqual(cut, text);
    writeFileSync(pe, cut);
    const bad = await runCli(['check', '.'], { cwd: dir, env: {} });
    assert.equal(bad.code, 1, bad.out);
    assert.match(bad.out, /prod-private-endpoints/);
    assert.match(bad.out, /blob/);
  },
);
