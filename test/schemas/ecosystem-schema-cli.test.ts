/**
 * `check` end to end on ecosystem kinds (#19): a typo in a Flux Kustomization, a cert-manager
 * Certificate and a ServiceMonitor is an error at the key's line with a did-you-mean, judged by the
 * real CRDs (data/ecosystem-crds), with the CRD named.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../../src/cli/testing/run-cli.js';

const FILES: Record<string, string> = {
  'clusters/dev/apps.yaml':
    'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n' +
    '  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps\n' +
    '  prnue: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
  'clusters/dev/cert.yaml':
    'apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata:\n  name: www\n  namespace: default\n' +
    'spec:\n  secretName: www-tls\n  dnsNames: [www.example.com]\n  issuerRef:\n    name: letsencrypt\n' +
    '    kind: ClusterIssuer\n  privateKey:\n    algorithm: ECDSA\n    sise: 256\n',
  'clusters/dev/monitor.yaml':
    'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: api\n  namespace: default\n' +
    'spec:\n  selector:\n    matchLabels: { app: api }\n  endpoints:\n    - port: http\n      intervall: 30s\n',
};

interface JsonFinding {
  rule: string;
  file?: string;
  line?: number;
  message: string;
  severity: string;
}

test(
  'check: unknown fields of Flux, cert-manager and Prometheus ' +
    'operator kinds are errors at their lines, from the real CRDs',
  async () => {
    const repo = mkdtempSync(join(tmpdir(), 'aksfleet-eco-schema-'));
    try {
      for (const [rel, text] of Object.entries(FILES)) {
        mkdirSync(dirname(join(repo, rel)), { recursive: true });
        writeFileSync(join(repo, rel), text);
      }
      const r = await runCli(['check', repo, '--path', 'clusters/dev', '--format', 'json']);
      const j = JSON.parse(r.out) as { findings: JsonFinding[] };
      const schema = j.findings
        .filter((f) => f.rule === 'object-schema')
        .map((f) => `${f.file}:${f.line} ${f.severity} ${f.message}`)
        .sort();
      assert.equal(r.code, 1);
      assert.deepEqual(schema, [
        // prune is required by the v1 CRD: the typo also leaves it missing.
        "clusters/dev/apps.yaml:7 error /spec: missing required field 'prune' (schema: " +
          'data/ecosystem-crds/flux.json.gz: github.com/fluxcd/kustomize-controller@v1.9.5 ' +
          'config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml (v1))',
        "clusters/dev/apps.yaml:9 error /spec: unknown field 'prnue'; did you mean 'prune'? (schema: " +
          'data/ecosystem-crds/flux.json.gz: github.com/fluxcd/kustomize-controller@v1.9.5 ' +
          'config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml (v1))',
        "clusters/dev/cert.yaml:14 error /spec/privateKey: unknown field 'sise'; " +
          "did you mean 'size'? (schema: data/ecosystem-crds/cert-manager.json.gz: " +
          'github.com/cert-manager/cert-manager@v1.21.2 deploy/crds/cert-manager.io_certificates.yaml (v1))',
        "clusters/dev/monitor.yaml:11 error /spec/endpoints/0: unknown field 'intervall'; " +
          "did you mean 'interval'? (schema: data/ecosystem-crds/prometheus-operator.json.gz: " +
          'github.com/prometheus-operator/prometheus-operator@v0.93.1 example/prometheus-operator-crd/' +
          'monitoring.coreos.com_servicemonitors.yaml (v1))',
      ]);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  },
);
