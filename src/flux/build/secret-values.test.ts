import { test } from 'node:test';
import assert from 'node:assert/strict';
import { substitutedSecretValues } from './secret-values.js';
import type { ClusterBuild } from './types.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (name: string, ns: string | undefined, data: Record<string, string>) => ({
  object: {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, ...(ns ? { namespace: ns } : {}) },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
  },
});

function build(): ClusterBuild {
  return {
    root: {
      path: 'clusters/c',
      resources: [
        secret('vars', 'flux-system', { A: 'sub-value\n', B: 'other' }),
        secret('nons', undefined, { C: 'default-ns' }),
        secret('hr-values', 'apps', {
          'values.yaml': 'db:\n  password: chart-secret\n  port: 5432\n',
          token: 'path-token',
        }),
      ],
      errors: [],
      warnings: [],
    },
    kustomizations: [
      {
        id: 'flux-system/apps',
        resources: [],
        substitution: {
          variables: [],
          substituteFrom: [
            { ref: 'Secret/flux-system/vars', index: 0, status: 'found' },
            { ref: 'ConfigMap/flux-system/cm', index: 1, status: 'found' },
            { ref: 'Secret/default/nons', index: 2, status: 'found' },
          ],
        },
      },
      {
        id: 'flux-system/remote',
        resources: [],
        substitution: {
          variables: [],
          substituteFrom: [{ ref: 'Secret/flux-system/cluster-only', index: 0, status: 'from-vars-file' }],
        },
      },
    ],
    errors: [],
    helmReleases: [
      {
        kustomization: '',
        resources: [],
        object: {
          apiVersion: 'helm.toolkit.fluxcd.io/v2',
          kind: 'HelmRelease',
          metadata: { name: 'r', namespace: 'apps' },
          spec: {
            valuesFrom: [
              { kind: 'Secret', name: 'hr-values' },
              { kind: 'Secret', name: 'hr-values', valuesKey: 'token', targetPath: 'auth.token' },
              { kind: 'ConfigMap', name: 'x' },
            ],
          },
        },
      },
    ],
  } as unknown as ClusterBuild;
}

test('substitutedSecretValues: substituteFrom Secrets (as written and as substituted), --vars for a missing Secret, HelmRelease valuesFrom Secrets', () => {
  const v = substitutedSecretValues(build(), { FROM_FILE: 'vars-file-value' });
  for (const want of [
    'sub-value\n',
    'sub-value',
    'other',
    'default-ns',
    'vars-file-value',
    'chart-secret',
    'path-token',
  ])
    assert.ok(v.includes(want), want);
  assert.ok(!v.includes('5432'), 'numbers are not strings of the values file');
  assert.deepEqual(substitutedSecretValues({ ...build(), kustomizations: [], helmReleases: [] }), []);
});
