/**
 * infra/: the cluster IaC. Bicep modules (one per concern, shared by every cluster), one entry
 * main.bicep + main.bicepparam per cluster (plus its role assignment modules and the script that
 * publishes its outputs to Flux), the shared entry (registry, Key Vault, backups), and the same
 * clusters as az CLI scripts. Pure: fleet in, files out.
 */
import { emitBicep } from '../../bicep/index.js';
import type { Fleet } from '../../spec/schema.js';
import type { GeneratedFile } from '../types.js';
import { aksModuleFile } from './aks.js';
import { acrModuleFile, backupStorageModuleFile, keyVaultModuleFile } from './acr-keyvault.js';
import { backupVaultModuleFile } from './azure-backup.js';
import { azureBackupOn, hasBackupStorage } from '../../spec/backup.js';
import { fluxModuleFile } from './flux.js';
import { hubFile, hubPeeringFile, hubPeeringPath, spokes } from './hub.js';
import { hubOf } from '../../spec/network.js';
import { identityModuleFile } from './identity.js';
import { clusterBicepFiles, sharedFiles } from './main.js';
import { monitoringModuleFile } from './monitoring.js';
import { clusterPlan } from './plan.js';
import { readmeFile } from './readme.js';
import { azScript, publishOutputsScript } from './scripts.js';

export { clusterPlan } from './plan.js';

/** infra/: Bicep modules, one entry + .bicepparam per cluster, and az CLI scripts. */
export function generateInfra(fleet: Fleet): GeneratedFile[] {
  const files: GeneratedFile[] = [
    { path: 'infra/modules/aks.bicep', content: emitBicep(aksModuleFile()) },
    { path: 'infra/modules/identity.bicep', content: emitBicep(identityModuleFile()) },
    { path: 'infra/modules/acr.bicep', content: emitBicep(acrModuleFile()) },
    { path: 'infra/modules/keyvault.bicep', content: emitBicep(keyVaultModuleFile()) },
    { path: 'infra/modules/monitoring.bicep', content: emitBicep(monitoringModuleFile()) },
    ...sharedFiles(fleet),
    readmeFile(fleet),
  ];
  if (hasBackupStorage(fleet))
    files.push({ path: 'infra/modules/backup-storage.bicep', content: emitBicep(backupStorageModuleFile()) });
  if (azureBackupOn(fleet))
    files.push({ path: 'infra/modules/backup-vault.bicep', content: emitBicep(backupVaultModuleFile()) });
  const hub = hubOf(fleet);
  if (hub?.kind === 'ours') files.push({ path: 'infra/hub/main.bicep', content: emitBicep(hubFile(fleet)) });
  if (hub?.kind === 'existing')
    for (const c of spokes(fleet))
      files.push({ path: hubPeeringPath(hub, c), content: emitBicep(hubPeeringFile(c, hub)) });
  if (fleet.spec.gitops.mode === 'extension')
    files.push({ path: 'infra/modules/flux.bicep', content: emitBicep(fluxModuleFile()) });
  for (const cluster of fleet.spec.clusters) {
    const plan = clusterPlan(fleet, cluster);
    files.push(...clusterBicepFiles(fleet, plan), publishOutputsScript(plan), azScript(fleet, plan));
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
