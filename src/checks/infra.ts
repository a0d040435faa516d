/**
 * The Azure-side facts the IaC<->GitOps rules compare with. aksfleet's infra/ is generated
 * from fleet.yaml, so the fleet spec is the authoritative description of what infra creates:
 * clusters (version, pools, private API), the fleet registry and Key Vault, and one
 * federated credential per workload identity per cluster the tenant runs on (subject
 * system:serviceaccount:<ns>:<sa>, issuer = that cluster's OIDC issuer).
 */
import { environmentOf, identityClientIdVar, identityNamespace, registryLoginServer, tenantsOn } from '../model/fleet-model.js';
import type { Fleet } from '../spec/schema.js';
import type { ParsedDoc } from '../yaml/parse.js';
import type { InfraInfo, InfraIdentity } from './types.js';

/** The symbolic OIDC issuer of a cluster (the URL is only known once the cluster exists). */
export function oidcIssuerOf(cluster: string): string {
  return `oidc-issuer(${cluster})`;
}

export function infraFromFleet(fleet: Fleet, file = 'fleet.yaml', doc?: ParsedDoc): InfraInfo {
  const line = (path: (string | number)[]) => doc?.posOf(path).line;
  const clusters = fleet.spec.clusters.map((c, i) => ({
    name: c.name,
    environment: c.environment,
    production: environmentOf(fleet, c).production,
    private: c.apiServer.private,
    kubernetesVersion: c.kubernetesVersion,
    oidcIssuer: oidcIssuerOf(c.name),
    pools: [c.systemPool, ...c.userPools].map((p) => ({
      name: p.name, count: p.count, min: p.autoscale?.min, max: p.autoscale?.max, orchestratorVersion: p.orchestratorVersion,
    })),
    file,
    line: line(['spec', 'clusters', i]),
  }));
  const identities = new Map<string, InfraIdentity & { federatedCredentials: { cluster: string; issuer: string; subject: string }[] }>();
  fleet.spec.tenants.forEach((t, ti) => {
    t.workloadIdentities.forEach((wi, wi_i) => {
      let ident = identities.get(wi.identityName);
      if (!ident) {
        ident = { name: wi.identityName, clientIdRefs: [`\${${identityClientIdVar(wi)}}`], federatedCredentials: [], file, line: line(['spec', 'tenants', ti, 'workloadIdentities', wi_i]) };
        identities.set(wi.identityName, ident);
      }
      for (const c of fleet.spec.clusters) {
        if (!tenantsOn(fleet, c).includes(t)) continue;
        ident.federatedCredentials.push({ cluster: c.name, issuer: oidcIssuerOf(c.name), subject: `system:serviceaccount:${identityNamespace(t, wi)}:${wi.serviceAccount}` });
      }
    });
  });
  return {
    file,
    clusters,
    registryLoginServer: registryLoginServer(fleet),
    keyVaultName: fleet.spec.keyVault.name,
    tenantId: fleet.spec.tenantId,
    identities: [...identities.values()],
  };
}
