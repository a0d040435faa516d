/**
 * infra/modules/identity.bicep: the user-assigned identities of one cluster and, for each, the
 * federated credential that trusts the cluster's OIDC issuer for exactly one service account.
 */
import type { FederatedIdentityCredential, Identity } from '@azure/arm-msi';
import { armBody, expr, interp, type BicepFile, type BicepObject, type Bicepable } from '../../bicep/index.js';
import { GENERATED, resource } from './common.js';
import type { ClusterPlan } from './plan.js';

/** The audience Azure AD token exchange expects for workload identity federation. */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

export function identityModuleFile(): BicepFile {
  const uami: Bicepable<Identity> = { location: expr('location'), tags: expr('tags') };
  const fic: Bicepable<FederatedIdentityCredential> = {
    issuer: expr('oidcIssuerUrl'),
    subject: interp`system:serviceaccount:${expr('identity.namespace')}:${expr('identity.serviceAccount')}`,
    audiences: [TOKEN_EXCHANGE_AUDIENCE],
  };
  return {
    header: [
      GENERATED,
      'Workload identities of one cluster: user-assigned identities and their federated credentials.',
    ],
    declarations: [
      { kind: 'param', name: 'location', type: 'string', default: expr('resourceGroup().location') },
      { kind: 'param', name: 'tags', type: 'object', default: {} },
      {
        kind: 'param',
        name: 'clusterName',
        type: 'string',
        description: 'The cluster whose service accounts the credentials trust.',
      },
      {
        kind: 'param',
        name: 'oidcIssuerUrl',
        type: 'string',
        description: "The cluster's OIDC issuer URL (aks module output).",
      },
      {
        kind: 'param',
        name: 'identities',
        type: 'array',
        description: 'One entry per service account: { name, namespace, serviceAccount, credentialName }.',
      },
      resource(
        'uami',
        'Microsoft.ManagedIdentity/userAssignedIdentities',
        armBody(uami, { name: expr('identity.name') }),
        { loop: { item: 'identity', over: expr('identities') } },
      ),
      resource(
        'federatedCredential',
        'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials',
        armBody(fic, { parent: expr('uami[i]'), name: expr('identity.credentialName') }),
        {
          loop: { item: 'identity', index: 'i', over: expr('identities') },
          decorators: ['batchSize(1)'],
          comment: [
            'Subject system:serviceaccount:<namespace>:<serviceAccount>, ' +
              'issuer = this cluster, audience api://AzureADTokenExchange.',
            'Credentials of one identity cannot be written concurrently, hence batchSize(1).',
          ],
        },
      ),
      {
        kind: 'output',
        name: 'identities',
        type: 'array',
        value: expr(
          '[for (identity, i) in identities: {\n  name: identity.name\n' +
            '  clientId: uami[i].properties.clientId\n  principalId: uami[i].properties.principalId\n}]',
        ),
      },
    ],
  };
}

/** The `identities` parameter value for one cluster (same order as plan.identities). */
export function identityParam(plan: ClusterPlan): BicepObject[] {
  return plan.identities.map((i) => ({
    name: i.name,
    namespace: i.namespace,
    serviceAccount: i.serviceAccount,
    credentialName: i.credentialName,
  }));
}
