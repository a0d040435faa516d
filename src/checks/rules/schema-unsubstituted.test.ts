/**
 * object-schema and postBuild variables that cannot be substituted offline: a SecretProviderClass
 * whose `parameters` take `${AZURE_TENANT_ID}` from a ConfigMap that exists only in the cluster
 * (the usual AKS workload-identity layout). Flux substitutes a missing variable as empty, which
 * reads back as null; before, `check` without `--vars` reported `must be string` for each such
 * parameter against the SecretProviderClass CRD, an error of the wrong kind: the variable is what
 * is missing, and it is reported as such. (The SecretProviderClass is v1alpha1, whose bundled CRD
 * judges it exactly; a chart's own CRD judges v1 the same way through the cluster's build.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { runCli } from '../../cli/testing/run-cli.js';
import { fluxKustomization, gitRepository, tempDir, writeTree } from '../../cli/testing/fixture-repos.js';
import { pointersHolding } from '../../flux/build/stages.js';

const SPC = `apiVersion: secrets-store.csi.x-k8s.io/v1alpha1
kind: SecretProviderClass
metadata:
  name: kv
  namespace: apps
spec:
  provider: azure
  parameters:
    usePodIdentity: "false"
    clientID: \${WORKLOAD_CLIENT_ID}
    keyvaultName: kv-\${CLUSTER_NAME}
    tenantId: \${AZURE_TENANT_ID}
    objects: |
      array:
        - |
          objectName: tls
          objectType: secret
`;

interface Json {
  findings: { rule: string; severity: string; resource: string | null; message: string; line: number | null }[];
}

async function check(postBuild: string, args: string[] = []): Promise<Json & { code: number }> {
  const dir = tempDir();
  try {
    writeTree(dir, {
      'clusters/prod/sync.yaml': `${gitRepository('flux-system', 'https://github.com/example/fleet')}---\n${fluxKustomization('flux-system', 'flux-system', './clusters/prod')}`,
      'clusters/prod/apps.yaml': fluxKustomization('apps', 'flux-system', './apps', postBuild),
      'apps/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - spc.yaml\n',
      'apps/spc.yaml': SPC,
    });
    const r = await runCli(['check', dir, '--format', 'json', ...args], { env: { AKSFLEET_TODAY: '2026-12-07' } });
    return { code: r.code, ...(JSON.parse(r.out) as Json) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const schemaOf = (j: Json) =>
  j.findings
    .filter((f) => f.rule === 'object-schema' && f.resource === 'SecretProviderClass/apps/kv')
    .map((f) => f.message);

test(
  'check without --vars: ${VAR} parameters from a ConfigMap that lives only in the cluster are not "must be ' +
    'string"; the unknown variables are said',
  async () => {
    const j = await check(
      '  postBuild:\n    substitute:\n      CLUSTER_NAME: prod\n    substituteFrom:\n      - kind: ConfigMap\n ' +
        '       name: cluster-identity\n',
    );
    assert.deepEqual(schemaOf(j), []);
    // Said once, as a warning (the ConfigMap may well exist in the cluster): before, check was silent about it.
    const said = j.findings.filter((f) =>
      /ConfigMap\/flux-system\/cluster-identity is not in the cluster build/.test(f.message),
    );
    assert.deepEqual(
      said.map((f) => [f.rule, f.severity, f.resource]),
      [['postbuild-variables-defined', 'warning', 'Kustomization/flux-system/apps']],
      JSON.stringify(j.findings, null, 1),
    );
    assert.match(
      said[0]!.message,
      /its variables are unknown; 1 object\(s\) use them, not judged where they do; pass --vars FILE/,
    );
  },
);

test(
  'check: a variable known to be unset (every source read) is one postbuild-variables-defined error, not also ' +
    'a schema error; with --allow-missing-vars Flux applies it empty and the schema error is real',
  async () => {
    const postBuild =
      '  postBuild:\n    substitute:\n      CLUSTER_NAME: prod\n      WORKLOAD_CLIENT_ID: ' +
      '00000000-0000-0000-0000-000000000001\n';
    const strict = await check(postBuild);
    assert.deepEqual(schemaOf(strict), []);
    assert.deepEqual(
      strict.findings.filter((f) => f.rule === 'postbuild-variables-defined').map((f) => [f.severity, f.resource]),
      [['error', 'SecretProviderClass/apps/kv']],
    );
    assert.match(strict.findings.find((f) => f.rule === 'postbuild-variables-defined')!.message, /AZURE_TENANT_ID/);
    const lax = await check(postBuild, ['--allow-missing-vars']);
    assert.deepEqual(
      schemaOf(lax).map((m) => m.replace(/ \(schema: .*/, '')),
      ['/spec/parameters/tenantId: must be string'],
    );
  },
);

test('pointersHolding: the values that use one of the variables, as JSON pointers', () => {
  const o = { a: { 'x/y': '${A}', b: ['k', 'pre-${B:=d}'] }, c: 'plain ${C}', d: 1 };
  assert.deepEqual(pointersHolding(o, ['A', 'B']), ['/a/x~1y', '/a/b/1']);
  assert.deepEqual(pointersHolding(o, ['AB']), []);
});
