/**
 * `check` on the corpus repositories with the ecosystem CRDs (data/ecosystem-crds): the only
 * object-schema findings are the Flux APIs that Flux 2.8 removed from its CRDs (v1beta2 sources,
 * v2beta2 HelmRelease) in the two example repositories whose copies still use them and carry no CRDs
 * of their own (their gotk-components.yaml is a placeholder); the home-lab repository on current
 * releases (cert-manager 1.21, kube-prometheus-stack 88) has none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { runCli } from '../../src/cli/testing/run-cli.js';
import { CORPUS, haveCorpus } from '../flux/corpus.js';

interface JsonFinding {
  rule: string;
  file?: string;
  line?: number;
  message: string;
  severity: string;
}

async function schemaFindings(repo: string, ...args: string[]): Promise<string[]> {
  const r = await runCli(['check', join(CORPUS, repo), ...args, '--format', 'json']);
  const j = JSON.parse(r.out) as { findings: JsonFinding[] };
  return [
    ...new Set(
      j.findings
        .filter((f) => f.rule === 'object-schema')
        .map((f) => `${f.file}:${f.line} ${f.severity} ${f.message.replace(/ \(github\.com[^)]*\)/, '')}`),
    ),
  ].sort();
}

const skip = haveCorpus ? false : `no corpus at ${CORPUS}`;

test('corpus: object-schema findings are the Flux APIs that Flux 2.9 no longer serves, nothing else', {
  skip,
}, async () => {
  assert.deepEqual(
    await schemaFindings('onedr0p+home-ops', '--path', 'kubernetes/flux/cluster', '--allow-missing-vars'),
    [],
  );
  assert.deepEqual(await schemaFindings('fluxcd+flux2-kustomize-helm-example', '--path', 'clusters/production'), []);
  assert.deepEqual(await schemaFindings('Azure+gitops-flux2-kustomize-helm-mt', '--path', 'clusters/production'), []);
  assert.deepEqual(await schemaFindings('fluxcd+flux2-multi-tenancy', '--path', 'clusters/production'), [
    'infrastructure/kyverno/source.yaml:1 error source.toolkit.fluxcd.io/v1beta2 OCIRepository ' +
      'is not served by the flux CRD aksfleet knows; it serves source.toolkit.fluxcd.io/v1',
  ]);
  const hub = await schemaFindings('fluxcd+flux2-hub-spoke-example', '--path', 'hub');
  assert.equal(hub.length, 6, hub.join('\n'));
  for (const f of hub)
    assert.match(
      f,
      /^deploy\/\S+\.yaml:\d+ error (source\.toolkit\.fluxcd\.io\/v1beta2 HelmRepository|helm\.toolkit\.fluxcd\.io\/v2beta2 HelmRelease) is not served by the flux CRD aksfleet knows; it serves (source\.toolkit\.fluxcd\.io\/v1|helm\.toolkit\.fluxcd\.io\/v2)( \(also [^)]+\))?$/,
    );
});
