/**
 * `check` end to end (#19 item 13): a typo in a built-in object is an error at its line with a
 * did-you-mean, judged by the Kubernetes minor given with --kube-version; a custom resource is
 * judged by the CRD that a rendered HelmRelease's chart installs (external-dns's crds/, from
 * shared/charts), before any bundled schema.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../../src/cli/testing/run-cli.js';

const SHARED_CHARTS = join(import.meta.dirname, '..', '..', '..', 'shared', 'charts', 'charts');

const FILES: Record<string, string> = {
  'clusters/dev/repo.yaml':
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: external-dns\n' +
    '  namespace: flux-system\nspec:\n  url: https://kubernetes-sigs.github.io/external-dns\n',
  'clusters/dev/release.yaml':
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: external-dns\n' +
    '  namespace: external-dns\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: external-dns\n' +
    '      version: "1.21.1"\n      sourceRef:\n        kind: HelmRepository\n        name: external-dns\n' +
    '        namespace: flux-system\n  values:\n    policy: upsert-only\n',
  'clusters/dev/endpoint.yaml':
    'apiVersion: externaldns.k8s.io/v1alpha1\nkind: DNSEndpoint\nmetadata:\n  name: www\n' +
    '  namespace: default\nspec:\n  endpoints:\n    - dnsName: www.example.com\n      recordTypee: A\n' +
    '      targets: ["10.0.0.1"]\n',
  'clusters/dev/app.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: default\nspec:\n' +
    '  replcas: 2\n  selector: { matchLabels: { app: api } }\n  template:\n' +
    '    metadata: { labels: { app: api } }\n    spec:\n      resources: { limits: { cpu: "1" } }\n' +
    '      containers: [ { name: api, image: "registry.example.com/api:1.0.0" } ]\n',
};

interface JsonFinding {
  rule: string;
  file?: string;
  line?: number;
  message: string;
  severity: string;
}

test('check: unknown fields of built-in kinds (per --kube-version) and of chart CRDs are errors at their lines', async () => {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-schema-'));
  try {
    const repo = join(root, 'repo');
    for (const [rel, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(repo, rel)), { recursive: true });
      writeFileSync(join(repo, rel), text);
    }
    const charts = join(root, 'charts');
    cpSync(join(SHARED_CHARTS, 'external-dns'), join(charts, 'external-dns'), { recursive: true });
    const run = async (...extra: string[]) => {
      const r = await runCli([
        'check',
        repo,
        '--path',
        'clusters/dev',
        '--format',
        'json',
        '--chart-source',
        `HelmRepository/flux-system/external-dns=${charts}`,
        ...extra,
      ]);
      const j = JSON.parse(r.out) as { findings: JsonFinding[] };
      return {
        code: r.code,
        schema: j.findings
          .filter((f) => f.rule === 'object-schema')
          .map((f) => `${f.file}:${f.line} ${f.severity} ${f.message}`)
          .sort(),
      };
    };
    const on131 = await run('--kube-version', '1.31');
    assert.equal(on131.code, 1);
    assert.deepEqual(on131.schema, [
      "clusters/dev/app.yaml:12 error /spec/template/spec: unknown field 'resources' (schema: Kubernetes " +
        '1.31 OpenAPI (data/k8s-schemas))',
      "clusters/dev/app.yaml:7 error /spec: unknown field 'replcas'; did you mean 'replicas'? (schema: " +
        'Kubernetes 1.31 OpenAPI (data/k8s-schemas))',
      "clusters/dev/endpoint.yaml:9 error /spec/endpoints/0: unknown field 'recordTypee'; did you mean " +
        "'recordType'? (schema: CustomResourceDefinition dnsendpoints.externaldns.k8s.io " +
        '(clusters/dev/release.yaml:1, chart external-dns@1.21.1))',
    ]);
    // Pod-level resources are a field of 1.32 on: only the typo is left.
    assert.deepEqual(
      (await run('--kube-version', '1.33.2')).schema.filter((f) => f.includes('app.yaml')),
      [
        "clusters/dev/app.yaml:7 error /spec: unknown field 'replcas'; did you mean 'replicas'? (schema: " +
          'Kubernetes 1.33 OpenAPI (data/k8s-schemas))',
      ],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
