/**
 * IaC <-> GitOps rules (aksfleet repositories: fleet.yaml and infra/). What the Azure side
 * creates (federated credentials, identities, Key Vault, registry, clusters) must match what
 * the Flux side refers to, or pods fail at run time with token or mount errors.
 */
import { compareVersions, minorOf, supportProblem } from '../../facts/aks-versions.js';
import { apiGroup } from '../../resources/resource.js';
import { dirAnchor, isKind, obj, str } from '../k8s.js';
import { fleetRegistry, globCovers, verifiedImagePatterns } from './images.js';
import { WI_CLIENT_ID } from './workloads.js';
import type { CheckContext, ClusterRule, InfraCluster, RepoRule } from '../types.js';

export function subjectOf(ns: string, sa: string): string {
  return `system:serviceaccount:${ns}:${sa}`;
}

function infraCluster(ctx: CheckContext): InfraCluster | undefined {
  return ctx.infra?.clusters.find((c) => c.name === ctx.cluster);
}

export const serviceAccountHasFederatedCredential: ClusterRule = {
  id: 'service-account-has-federated-credential',
  scope: 'cluster',
  severity: 'error',
  category: 'iac',
  doc:
    "Every workload-identity ServiceAccount has a federated credential in infra with the cluster's OIDC issuer " +
    'and subject system:serviceaccount:<namespace>:<name>, on the identity whose client ID it names.',
  hint:
    'Add the workload identity to the tenant in fleet.yaml (workloadIdentities) and regenerate, or fix the ' +
    'annotation.',
  check(ctx, report) {
    const ic = infraCluster(ctx);
    if (!ctx.infra || !ic) return;
    for (const r of ctx.resources) {
      if (!isKind(r.object, 'ServiceAccount', '')) continue;
      const clientId = r.object.metadata?.annotations?.[WI_CLIENT_ID];
      if (!clientId) continue;
      const ns = r.object.metadata?.namespace ?? 'default';
      const subject = subjectOf(ns, r.object.metadata?.name ?? '');
      const byId = ctx.infra.identities.filter((i) => i.clientIdRefs.includes(clientId));
      if (byId.length === 0) {
        report({
          resource: r,
          message: `client ID '${clientId}' is not the client ID of any managed identity in ${ctx.infra.file}`,
        });
        continue;
      }
      const ok = byId.some((i) =>
        i.federatedCredentials.some(
          (f) => f.cluster === ctx.cluster && f.issuer === ic.oidcIssuer && f.subject === subject,
        ),
      );
      if (!ok)
        report({
          resource: r,
          message: `identity ${byId.map((i) => i.name).join(', ')} has no federated credential for ${subject} on cluster ${ctx.cluster}'s issuer`,
        });
    }
  },
};

export const federatedCredentialHasServiceAccount: ClusterRule = {
  id: 'federated-credential-has-service-account',
  scope: 'cluster',
  severity: 'warning',
  category: 'iac',
  doc:
    'Every federated credential infra creates for this cluster matches a ServiceAccount in the render ' +
    'annotated with that identity (an unused credential is a dangling trust).',
  hint: 'Remove the workload identity from fleet.yaml, or add the ServiceAccount.',
  check(ctx, report) {
    if (!ctx.infra || !infraCluster(ctx)) return;
    const sas = new Map<string, string>();
    for (const r of ctx.resources) {
      if (!isKind(r.object, 'ServiceAccount', '')) continue;
      const id = r.object.metadata?.annotations?.[WI_CLIENT_ID];
      if (id) sas.set(subjectOf(r.object.metadata?.namespace ?? 'default', r.object.metadata?.name ?? ''), id);
    }
    const releases = ctx.resources.filter(
      (r) => r.object.kind === 'HelmRelease' && apiGroup(r.object.apiVersion) === 'helm.toolkit.fluxcd.io',
    );
    for (const ident of ctx.infra.identities) {
      for (const f of ident.federatedCredentials) {
        if (f.cluster !== ctx.cluster) continue;
        const at = {
          file: f.file ?? ident.file ?? ctx.infra.file,
          line: f.file ? f.line : ident.line,
          resourceId: `ManagedIdentity/${ident.name}`,
        };
        const id = sas.get(f.subject);
        if (id !== undefined) {
          if (!ident.clientIdRefs.includes(id))
            report({
              ...at,
              message: `ServiceAccount for ${f.subject} names client ID '${id}', not identity ${ident.name}`,
            });
          continue;
        }
        // A chart (HelmRelease) creates the ServiceAccount: its values must pass the client ID.
        const ns = f.subject.split(':')[2];
        const charts = releases.filter(
          (r) => (str(obj(r.object.spec)?.targetNamespace) ?? r.object.metadata?.namespace) === ns,
        );
        if (
          charts.some((r) =>
            ident.clientIdRefs.some((ref) => JSON.stringify(obj(r.object.spec)?.values ?? {}).includes(ref)),
          )
        )
          continue;
        report({
          ...at,
          message: charts.length
            ? `federated credential for ${f.subject} on cluster ${ctx.cluster}: no ServiceAccount, and the values of HelmRelease ${charts.map((c) => c.object.metadata?.name).join(', ')} do not pass identity ${ident.name}'s client ID`
            : `federated credential for ${f.subject} on cluster ${ctx.cluster} has no ServiceAccount with a ` +
              `${WI_CLIENT_ID} annotation`,
        });
      }
    }
  },
};

export const secretProviderClassMatchesInfra: ClusterRule = {
  id: 'secret-provider-class-matches-infra',
  scope: 'cluster',
  severity: 'error',
  category: 'iac',
  doc:
    "Every Azure SecretProviderClass names the fleet's Key Vault and tenant, and a clientID of a managed " +
    'identity infra creates.',
  hint: 'Use the variables aksfleet generates (${KEY_VAULT_NAME}, ${IDENTITY_CLIENT_ID_...}) or the values from infra.',
  check(ctx, report) {
    const infra = ctx.infra;
    if (!infra) return;
    for (const r of ctx.resources) {
      if (r.object.kind !== 'SecretProviderClass' || apiGroup(r.object.apiVersion) !== 'secrets-store.csi.x-k8s.io')
        continue;
      const spec = obj(r.object.spec) ?? {};
      if (spec.provider !== 'azure') continue;
      const p = obj(spec.parameters) ?? {};
      const kv = str(p.keyvaultName);
      const cid = str(p.clientID) ?? str(p.userAssignedIdentityID);
      const tenant = str(p.tenantId) ?? str(p.tenantID);
      if (infra.keyVaultName && kv !== undefined && kv !== infra.keyVaultName && kv !== '${KEY_VAULT_NAME}')
        report({ resource: r, message: `keyvaultName '${kv}' is not the fleet Key Vault '${infra.keyVaultName}'` });
      if (cid !== undefined && !infra.identities.some((i) => i.clientIdRefs.includes(cid)))
        report({
          resource: r,
          message: `clientID '${cid}' is not the client ID of any managed identity in ${infra.file}`,
        });
      if (infra.tenantId && tenant !== undefined && tenant !== infra.tenantId && tenant !== '${AZURE_TENANT_ID}')
        report({ resource: r, message: `tenantId '${tenant}' is not the fleet tenant '${infra.tenantId}'` });
    }
  },
};

export const signaturePolicyUsesFleetRegistry: ClusterRule = {
  id: 'signature-policy-uses-fleet-registry',
  scope: 'cluster',
  severity: 'error',
  category: 'iac',
  doc:
    "Kyverno verifyImages patterns name the fleet's ACR (or a registry allowed in .aksfleet.yaml): a policy " +
    'for another registry verifies nothing the fleet runs.',
  hint: "Set imageReferences to ['<fleet ACR login server>/*'].",
  check(ctx, report) {
    if (!ctx.infra && !ctx.fleet) return;
    const reg = fleetRegistry(ctx);
    if (!reg) return;
    const allowed = [reg, ...ctx.config.allowedRegistries];
    for (const p of verifiedImagePatterns(ctx)) {
      if (/\$\{/.test(p.pattern)) continue;
      if (!allowed.some((a) => globCovers(p.pattern, a) || p.pattern.toLowerCase().startsWith(`${a.toLowerCase()}/`))) {
        report({
          resource: p.resource,
          message: `verifyImages pattern '${p.pattern}' does not cover the fleet registry ${reg}`,
        });
      }
    }
  },
};

export const prodClusterPrivate: RepoRule = {
  id: 'prod-cluster-private',
  scope: 'repo',
  severity: 'error',
  category: 'iac',
  doc: 'Production clusters have a private API server (no public endpoint).',
  hint: 'Set apiServer.private: true on the cluster in fleet.yaml.',
  check(ctx, report) {
    for (const c of ctx.infra?.clusters ?? []) {
      if (c.production && c.private === false)
        report({
          file: c.file ?? ctx.infra!.file,
          line: c.privateLine ?? c.line,
          resourceId: `ManagedCluster/${c.name}`,
          message: `production cluster ${c.name} has a public API server`,
        });
    }
  },
};

export const kubernetesVersionSupported: RepoRule = {
  id: 'kubernetes-version-supported',
  scope: 'repo',
  severity: 'error',
  category: 'iac',
  doc:
    'Cluster and node pool Kubernetes versions are pinned to a patch AKS offers and supports today ' +
    '(data/aks-versions.json), and pools are not newer than the control plane nor more than 3 minors older.',
  hint: "Pin a supported patch (see 'aksfleet upgrade plan').",
  check(ctx, report) {
    for (const c of ctx.infra?.clusters ?? []) {
      const at = {
        file: c.file ?? ctx.infra!.file,
        line: c.versionLine ?? c.line,
        resourceId: `ManagedCluster/${c.name}`,
      };
      const v = c.kubernetesVersion;
      if (!v) {
        report({ ...at, message: `cluster ${c.name} does not pin kubernetesVersion` });
        continue;
      }
      if (!/^\d+\.\d+\.\d+$/.test(v)) {
        report({ ...at, message: `cluster ${c.name} kubernetesVersion '${v}' is not pinned to a patch` });
        continue;
      }
      const problem = supportProblem(v, ctx.today);
      if (problem) report({ ...at, message: `cluster ${c.name}: ${problem}` });
      for (const p of c.pools) {
        const pv = p.orchestratorVersion;
        if (!pv) continue;
        const pat = { ...at, line: p.line ?? at.line };
        if (compareVersions(pv, v) > 0)
          report({ ...pat, message: `pool ${p.name} version ${pv} is newer than the control plane ${v}` });
        else if (
          compareVersions(minorOf(v), minorOf(pv)) > 0 &&
          Number(minorOf(v).split('.')[1]) - Number(minorOf(pv).split('.')[1]) > 3
        )
          report({
            ...pat,
            message: `pool ${p.name} version ${pv} is more than 3 minors behind the control plane ${v}`,
          });
      }
    }
  },
};

export const autoscalerBounds: RepoRule = {
  id: 'autoscaler-bounds',
  scope: 'repo',
  severity: 'error',
  category: 'iac',
  doc: 'For every autoscaled node pool, min <= count <= max.',
  hint: 'Set count between autoscale min and max.',
  check(ctx, report) {
    for (const c of ctx.infra?.clusters ?? []) {
      for (const p of c.pools) {
        if (p.min === undefined || p.max === undefined) continue;
        if (p.min > p.max || p.count < p.min || p.count > p.max) {
          report({
            file: c.file ?? ctx.infra!.file,
            line: p.line ?? c.line,
            resourceId: `ManagedCluster/${c.name}`,
            message: `pool ${p.name}: count ${p.count}, min ${p.min}, max ${p.max} break min <= count <= max`,
          });
        }
      }
    }
  },
};

export const clustersMatchInfra: RepoRule = {
  id: 'clusters-match-infra',
  scope: 'repo',
  severity: 'error',
  category: 'iac',
  doc: 'Every cluster in infra has a Flux path clusters/<name>/, and every clusters/<name>/ is a cluster in infra.',
  hint: 'Run aksfleet generate after adding or removing a cluster in fleet.yaml.',
  check(ctx, report) {
    const infra = ctx.infra;
    if (!infra) return;
    const paths = new Set(ctx.clusters.map((c) => c.path));
    for (const c of infra.clusters) {
      if (!paths.has(`clusters/${c.name}`))
        report({
          file: c.file ?? infra.file,
          line: c.line,
          resourceId: `ManagedCluster/${c.name}`,
          message: `cluster ${c.name} has no Flux path clusters/${c.name}/`,
        });
    }
    const names = new Set(infra.clusters.map((c) => c.name));
    for (const c of ctx.clusters) {
      if (c.path.startsWith('clusters/') && !names.has(c.name))
        report({
          file: dirAnchor(ctx.fs, c.path),
          resourceId: `cluster/${c.name}`,
          message: `clusters/${c.name}/ is not a cluster in ${infra.file}`,
        });
    }
  },
};

export const iacClusterRules: readonly ClusterRule[] = [
  serviceAccountHasFederatedCredential,
  federatedCredentialHasServiceAccount,
  secretProviderClassMatchesInfra,
  signaturePolicyUsesFleetRegistry,
];
export const iacRepoRules: readonly RepoRule[] = [
  prodClusterPrivate,
  kubernetesVersionSupported,
  autoscalerBounds,
  clustersMatchInfra,
];
