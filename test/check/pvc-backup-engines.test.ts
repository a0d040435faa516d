/**
 * pvc-namespace-has-backup with both engines: Velero Schedules judge coverage with addons.velero; with
 * backup.engine azureBackup the cluster's backup instance does (as fleet.yaml generates it, or as
 * infra/clusters/<c>/backup-instance.bicep is written), so a PVC namespace is not warned about
 * falsely, and a namespace the instance leaves out is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateInfra } from '../../src/generators/infra/index.js';
import { parseFleet } from '../../src/spec/load.js';
import { AZURE_BACKUP, EXAMPLE } from '../infra/fixtures.js';
import { infraFromFleet, infraFromRepo } from '../../src/checks/infra.js';
import { readBackupInstance } from '../../src/checks/infra-backup.js';
import { rules } from '../../src/checks/registry.js';
import { checkCluster } from '../../src/checks/run.js';
import { contextFromYaml } from '../../src/checks/testing.js';

const rule = rules.find((r) => r.id === 'pvc-namespace-has-backup')!;
const pvc = (ns: string) =>
  `---\napiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: { name: data, namespace: ${ns} }\n` +
  `spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 1Gi } } }\n`;
const azure = parseFleet(AZURE_BACKUP, 'fleet.yaml');
const velero = parseFleet(EXAMPLE, 'fleet.yaml');
const generated = new Map(generateInfra(azure).map((f) => [f.path, f.content]));
const INSTANCE = 'infra/clusters/aks-prod/backup-instance.bicep';

function repo(files: Record<string, string>) {
  const dirs = new Set(
    Object.keys(files).flatMap((p) =>
      p
        .split('/')
        .slice(0, -1)
        .map((_, i, a) => a.slice(0, i + 1).join('/')),
    ),
  );
  return {
    isFile: (p: string) => p in files,
    readFile: (p: string) => files[p]!,
    isDir: (p: string) => dirs.has(p),
    list: (p: string) => [
      ...new Set(
        Object.keys(files)
          .filter((f) => f.startsWith(`${p}/`))
          .map((f) => f.slice(p.length + 1).split('/')[0]!),
      ),
    ],
  };
}

function findings(yaml: string, opts: Parameters<typeof contextFromYaml>[1]) {
  return checkCluster(contextFromYaml(yaml, { cluster: 'aks-prod', ...opts }), { rules: [rule] });
}

test('the generated backup-instance.bicep reads back as what fleet.yaml says: every namespace but the system ones', () => {
  const read = readBackupInstance(generated.get(INSTANCE)!, INSTANCE, 'aks-prod')!;
  const fromFleet = infraFromFleet(azure).backupInstances!.find((b) => b.cluster === 'aks-prod')!;
  assert.deepEqual(read.excludedNamespaces, fromFleet.excludedNamespaces);
  assert.deepEqual(read.excludedNamespaces, [
    'kube-system',
    'kube-public',
    'kube-node-lease',
    'dataprotection-microsoft',
  ]);
  assert.equal(read.includedNamespaces, undefined);
  assert.equal(read.name, 'aks-aks-prod');
  assert.equal(infraFromFleet(velero).backupInstances, undefined, 'Velero: no backup instances');
});

test('pvc-namespace-has-backup, azureBackup: no false warning without a Velero Schedule; a namespace the instance leaves out is reported at the instance', () => {
  // From the fleet spec alone (no infra/ in the repository), and from the generated infra.
  assert.deepEqual(findings(pvc('shop'), { fleet: azure }), []);
  const infra = infraFromRepo(
    infraFromFleet(azure),
    repo({
      [INSTANCE]: generated.get(INSTANCE)!,
      'infra/clusters/aks-prod/main.bicep': generated.get('infra/clusters/aks-prod/main.bicep')!,
    }),
  ).infra;
  assert.deepEqual(findings(pvc('shop'), { fleet: azure, infra }), []);
  // Planted: the instance excludes shop (a hand edit of the generated file).
  const excluded = generated
    .get(INSTANCE)!
    .replace("'dataprotection-microsoft'", "'dataprotection-microsoft'\n              'shop'");
  assert.notEqual(excluded, generated.get(INSTANCE));
  const bad = infraFromRepo(
    infraFromFleet(azure),
    repo({ [INSTANCE]: excluded, 'infra/clusters/aks-prod/main.bicep': '' }),
  ).infra;
  const fs = findings(pvc('shop'), { fleet: azure, infra: bad });
  assert.equal(fs.length, 1, JSON.stringify(fs));
  assert.equal(
    fs[0]!.message,
    'namespace shop holds persistent volumes but the Azure Backup instance aks-aks-prod excludes it',
  );
  assert.equal(fs[0]!.related?.[0]?.file, INSTANCE);
  assert.match(excluded.split('\n')[fs[0]!.related![0]!.line! - 1]!, /excludedNamespaces: \[/);
  // Planted: includedNamespaces names another namespace only.
  const included = generated
    .get(INSTANCE)!
    .replace(
      'excludedNamespaces: [',
      "includedNamespaces: [\n                'app'\n              ]\n              excludedNamespaces: [",
    );
  const inc = infraFromRepo(
    infraFromFleet(azure),
    repo({ [INSTANCE]: included, 'infra/clusters/aks-prod/main.bicep': '' }),
  ).infra;
  assert.deepEqual(
    findings(pvc('shop'), { fleet: azure, infra: inc }).map((f) => f.message),
    [
      'namespace shop holds persistent volumes but the Azure Backup instance aks-aks-prod does not include ' +
        'it (includedNamespaces: app)',
    ],
  );
  assert.deepEqual(findings(pvc('app'), { fleet: azure, infra: inc }), []);
  // A cluster the fleet has no backup instance for.
  assert.deepEqual(
    findings(pvc('shop'), { fleet: azure, cluster: 'elsewhere' } as never).map((f) => f.message),
    [
      'namespace shop holds persistent volumes but backup.engine is azureBackup and cluster elsewhere has no ' +
        'backup instance',
    ],
  );
});

test('pvc-namespace-has-backup, Velero: without a Schedule the namespace is reported, as before', () => {
  assert.deepEqual(
    findings(pvc('shop'), { fleet: velero }).map((f) => f.message),
    ['namespace shop holds persistent volumes but no Velero Schedule backs it up'],
  );
  assert.deepEqual(
    findings(pvc('shop'), { fleet: velero, infra: infraFromFleet(velero) }).map((f) => f.message),
    ['namespace shop holds persistent volumes but no Velero Schedule backs it up'],
  );
});
