/**
 * Issue #26: the reference architecture's workload identity example (the seed's Deployment,
 * ServiceAccount and two NetworkPolicies, as a Flux repository: test/fixtures/references-seed)
 * yields both mistakes that pass `kubectl apply` and break at run time, each at its file and line;
 * the corrected repository yields neither.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkRepository } from '../../src/checks/index.js';
import { MemoryRepoFs } from '../../src/repo/repo-fs.js';
import { runCli } from './helpers.js';

const DIR = join(import.meta.dirname, '../fixtures/references-seed');
const REFERENCE_RULES = ['network-policy-selectors-match', 'namespace-allows-dns', 'downward-api-fields-set'];

function files(dir: string, root = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) Object.assign(out, files(p, root));
    else out[relative(root, p)] = readFileSync(p, 'utf8');
  }
  return out;
}

for (const platform of ['aks', 'kubernetes']) {
  test(`seed example (--platform ${platform}): DNS egress to a label nobody carries, and a fieldRef to an annotation of the ServiceAccount`, async () => {
    const r = await runCli(['check', DIR, '--platform', platform, '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    const j = JSON.parse(r.out) as { findings: { rule: string; file: string; line: number; message: string }[] };
    const got = j.findings
      .filter((f) => REFERENCE_RULES.includes(f.rule))
      .map((f) => `${f.rule} ${f.file}:${f.line}`)
      .sort();
    assert.deepEqual(got, [
      'downward-api-fields-set apps/app/deployment.yaml:20',
      // At the cause (issue #17, 5; #26, 3): the DNS rule that misses CoreDNS; the default deny and the Namespace
      // related.
      'namespace-allows-dns apps/app/network-policies.yaml:18',
      'network-policy-selectors-match apps/app/network-policies.yaml:19',
    ]);
    const msg = (rule: string) => j.findings.find((f) => f.rule === rule)!.message;
    assert.match(
      msg('network-policy-selectors-match'),
      /namespaceSelector kube-system=true selects no namespace; namespace kube-system \((AKS|Kubernetes) built-in\) is selected by kubernetes.io\/metadata.name: kube-system/,
    );
    assert.match(
      msg('namespace-allows-dns'),
      /no NetworkPolicy allows DNS to the kube-system pods k8s-app=kube-dns on 53\/UDP and 53\/TCP \(for Deployment api\): NetworkPolicy allow-dns-and-egress-gw spec.egress\[0\] opens 53\/UDP and 53\/TCP, but to\[0\].namespaceSelector kube-system=true does not select namespace kube-system \(its labels: kubernetes.io\/metadata.name=kube-system\)$/,
    );
    const dns = j.findings.find((f) => f.rule === 'namespace-allows-dns') as unknown as {
      related: { file: string; line: number; message: string }[];
    };
    assert.deepEqual(
      dns.related.map((r) => `${r.file}:${r.line} ${r.message}`),
      [
        'apps/app/network-policies.yaml:1 NetworkPolicy default-deny denies egress to every destination it ' +
          'does not allow',
        'apps/app/namespace.yaml:1 namespace app',
      ],
    );
    assert.match(
      msg('downward-api-fields-set'),
      /AZURE_CLIENT_ID reads metadata.annotations\['azure.workload.identity\/client-id'\], which the pod template does not set .*ServiceAccount app\/sa-blob carries it/,
    );
  });
}

test('seed example, corrected (kubernetes.io/metadata.name: kube-system; the client ID from the pod template annotation): no reference finding', () => {
  const fixed = files(DIR);
  fixed['apps/app/network-policies.yaml'] = fixed['apps/app/network-policies.yaml']!.replace(
    '{ kube-system: "true" }',
    '{ kubernetes.io/metadata.name: kube-system }',
  );
  fixed['apps/app/deployment.yaml'] = fixed['apps/app/deployment.yaml']!.replace(
    'metadata: { labels: { app: api } }',
    'metadata: { labels: { app: api }, annotations: { azure.workload.identity/client-id: ' +
      '00000000-0000-0000-0000-000000000001 } }',
  );
  const r = checkRepository(new MemoryRepoFs(fixed), { today: '2026-11-25', platform: 'aks' });
  assert.deepEqual(
    r.findings.filter((f) => REFERENCE_RULES.includes(f.rule)),
    [],
  );
  // The same repository without the fix still has them (the edit is what makes the difference).
  const broken = checkRepository(new MemoryRepoFs(files(DIR)), { today: '2026-11-25', platform: 'aks' });
  assert.equal(broken.findings.filter((f) => REFERENCE_RULES.includes(f.rule)).length, 3);
});

test('--platform takes aks or kubernetes; anything else is a usage error (exit 2)', async () => {
  const r = await runCli(['check', DIR, '--platform', 'eks']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--platform must be one of aks, kubernetes, not 'eks'/);
});
