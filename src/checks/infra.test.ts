import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readClusterBicep, readClusterBicepParam } from './infra.js';

const BICEP = `module identities '../../modules/identity.bicep' = {
  name: 'identities-\${clusterName}'
  params: {
    identities: [
      {
        name: 'velero'
        namespace: 'velero'
        serviceAccount: 'velero'
        credentialName: 'aks-dev-velero-velero'
      }
      {
        name: 'id-app-blob'
        namespace: 'app'
        serviceAccount: 'sa-blob'
        credentialName: 'aks-dev-app-sa-blob'
      }
    ]
  }
}
output AZURE_TENANT_ID string = tenant().tenantId
output IDENTITY_CLIENT_ID_VELERO string = identities.outputs.identities[0].clientId
output IDENTITY_CLIENT_ID_ID_APP_BLOB string = identities.outputs.identities[1].clientId
`;

test('readClusterBicep: identities (with lines), outputs and which output is whose client ID', () => {
  const f = readClusterBicep(BICEP, 'main.bicep');
  assert.deepEqual(f.identities, [
    { name: 'velero', namespace: 'velero', serviceAccount: 'velero', line: 5 },
    { name: 'id-app-blob', namespace: 'app', serviceAccount: 'sa-blob', line: 11 },
  ]);
  assert.deepEqual(f.outputs, ['AZURE_TENANT_ID', 'IDENTITY_CLIENT_ID_VELERO', 'IDENTITY_CLIENT_ID_ID_APP_BLOB']);
  assert.deepEqual(f.clientIdOutputs, { IDENTITY_CLIENT_ID_VELERO: 0, IDENTITY_CLIENT_ID_ID_APP_BLOB: 1 });
});

test('readClusterBicepParam: version, pools and private API server with their lines', () => {
  const text = `using './main.bicep'
param kubernetesVersion = '1.35.6'
param systemPool = {
  name: 'system'
  count: 3
  minCount: 3
  maxCount: 10
  orchestratorVersion: '1.35.6'
}
param userPools = [
  {
    name: 'userpool'
    properties: {
      count: 25
      minCount: 2
      maxCount: 10
    }
  }
]
param networkProfile = {
  natGatewayProfile: { managedOutboundIPProfile: {
    count: 2
  } }
}
param apiServerAccessProfile = {
  enablePrivateCluster: false
}
`;
  assert.deepEqual(readClusterBicepParam(text, 'p'), {
    file: 'p',
    kubernetesVersion: '1.35.6',
    versionLine: 2,
    private: false,
    privateLine: 26,
    pools: [
      { name: 'system', count: 3, min: 3, max: 10, orchestratorVersion: '1.35.6', line: 4 },
      { name: 'userpool', count: 25, min: 2, max: 10, line: 12 },
    ],
  });
});
