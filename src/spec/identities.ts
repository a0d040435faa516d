/**
 * The workload identities a fleet implies beyond the tenants' own (`spec.tenants[].workloadIdentities`)
 * and the Flux variable each identity's client ID goes under. The spec's rules (rules.ts) reject
 * two identities of one cluster that share a name or that variable; the IaC writes the variables
 * (model/fleet-model.ts OUTPUTS_CONFIGMAP) and the Flux repo reads them.
 */
import type { Fleet, WorkloadIdentity } from './schema.js';

/** Variable holding the client ID of a workload identity (`IDENTITY_CLIENT_ID_<NAME>`). */
export function identityClientIdVar(wi: WorkloadIdentity): string {
  return `IDENTITY_CLIENT_ID_${wi.identityName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The service account of Ratify's chart (`serviceAccount.name`), whose identity reads signatures from the registry. */
export const RATIFY_SERVICE_ACCOUNT = 'ratify-admin';

/**
 * Workload identities of the platform add-ons (enabled ones only): Velero (writes backups to
 * the backup storage account), cert-manager (ready for DNS-01 on Azure DNS) and, with the
 * Gatekeeper engine, Ratify (reads image signatures from the fleet registry: AcrPull). The IaC creates
 * them (Velero's needs Storage Blob Data Contributor on addons.velero.storageAccount; cert-manager's
 * needs DNS Zone Contributor on a zone when DNS-01 is used) and writes their client IDs under
 * `identityClientIdVar(...)` in the outputs ConfigMap; the Flux repo annotates the add-ons'
 * service accounts with `${IDENTITY_CLIENT_ID_VELERO}` and `${IDENTITY_CLIENT_ID_CERT_MANAGER}`.
 */
export function platformIdentities(fleet: Fleet): WorkloadIdentity[] {
  const a = fleet.spec.addons;
  const out: WorkloadIdentity[] = [];
  if (a.certManager.enabled)
    out.push({ serviceAccount: 'cert-manager', namespace: 'cert-manager', identityName: 'cert-manager', roles: [] });
  if (a.velero.enabled) out.push({ serviceAccount: 'velero', namespace: 'velero', identityName: 'velero', roles: [] });
  if (a.policy.enabled && a.policy.engine === 'gatekeeper')
    out.push({
      serviceAccount: RATIFY_SERVICE_ACCOUNT,
      namespace: 'gatekeeper-system',
      identityName: 'ratify',
      roles: [],
    });
  return out;
}
