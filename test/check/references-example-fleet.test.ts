/**
 * The reference rules on the generated example fleet (examples/fleet.yaml, as `aksfleet
 * generate` writes it): the fleet has no reference finding, and each planted broken reference is
 * found by its rule at the planted file and line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseFleet } from '../../src/spec/load.js';
import { generateAll } from '../../src/generators/index.js';
import { runCli } from './helpers.js';

const fleetText = readFileSync(new URL('../../examples/fleet.yaml', import.meta.url), 'utf8');
const base = mkdtempSync(join(tmpdir(), 'aksfleet-refs-'));
writeFileSync(join(base, 'fleet.yaml'), fleetText);
for (const f of generateAll(parseFleet(fleetText))) {
  mkdirSync(dirname(join(base, f.path)), { recursive: true });
  writeFileSync(join(base, f.path), f.content);
}
process.on('exit', () => rmSync(base, { recursive: true, force: true }));

const REFERENCE_RULES = new Set([
  'network-policy-selectors-match',
  'namespace-allows-dns',
  'pod-references-exist',
  'storage-class-exists',
  'downward-api-fields-set',
  'probe-ports-declared',
  'service-selects-pods',
  'service-target-port-declared',
  'route-backends-exist',
  'route-parents-exist',
  'scaling-targets-exist',
  'pdb-selects-pods',
]);
interface Json {
  findings: { rule: string; file: string | null; line: number | null; message: string }[];
}

async function check(dir: string): Promise<Json['findings']> {
  const r = await runCli(['check', dir, '--cluster', 'aks-qa', '--format', 'json']);
  assert.ok([0, 1].includes(r.code), r.err);
  return (JSON.parse(r.out) as Json).findings.filter((f) => REFERENCE_RULES.has(f.rule));
}

test('the example fleet: no reference finding', async () => {
  assert.deepEqual(await check(base), []);
});

const SHOP = 'workloads/base/shop/shop';
const cases: {
  name: string;
  file: string;
  from: RegExp;
  to: string;
  rule: string;
  line: number;
  message: RegExp;
  also?: string[];
}[] = [
  {
    name: 'DNS egress to a namespace label nobody carries',
    file: 'tenants/base/app/network-policies.yaml',
    from: /kubernetes.io\/metadata.name: kube-system/,
    to: 'kubernetes.io/metadata.name: kube-sytem',
    rule: 'network-policy-selectors-match',
    line: 30,
    message: /namespaceSelector kubernetes.io\/metadata.name=kube-sytem selects no namespace/,
    also: ['namespace-allows-dns'],
  },
  {
    name: 'route backend port the Service does not expose',
    file: `${SHOP}/httproute.yaml`,
    from: /port: 80\n {6}weight: 90/,
    to: 'port: 8080\n      weight: 90',
    rule: 'route-backends-exist',
    line: 16,
    message: /asks Service shop\/shop-blue for port 8080, which it does not expose \(ports: 80 \(http\)/,
  },
  // (A Gateway name that does not exist is not concluded here: envoy-gateway-system holds the unrendered envoy-gateway
  // HelmRelease.)
  {
    name: 'route parent listener the Gateway does not declare',
    file: `${SHOP}/httproute.yaml`,
    from: /namespace: envoy-gateway-system\n  hostnames/,
    to: 'namespace: envoy-gateway-system\n    sectionName: https\n  hostnames',
    rule: 'route-parents-exist',
    line: 10,
    message:
      /parentRefs\[0\] asks Gateway envoy-gateway-system\/public-gw for listener 'https', which it does not declare \(listeners: http:80\)/,
  },
  {
    name: 'Service targetPort no container declares',
    file: `${SHOP}/service.yaml`,
    from: /targetPort: http/,
    to: 'targetPort: web',
    rule: 'service-target-port-declared',
    line: 19,
    message: /targetPort 'web' \(TCP\) is declared by no container of Deployment shop\/shop-blue/,
  },
  {
    name: 'Service selector that selects no pod',
    file: `${SHOP}/service.yaml`,
    from: /selector:\n {4}app.kubernetes.io\/name: shop\n {4}aksfleet.dev\/slot: blue/,
    to: 'selector:\n    app.kubernetes.io/name: shop\n    aksfleet.dev/slot: bleu',
    rule: 'service-selects-pods',
    line: 14,
    message: /selector app.kubernetes.io\/name=shop, aksfleet.dev\/slot=bleu selects no pod of namespace shop/,
  },
  {
    name: 'probe port name the container does not declare',
    file: `${SHOP}/deployment.yaml`,
    from: /tcpSocket:\n {12}port: http/,
    to: 'tcpSocket:\n            port: health',
    rule: 'probe-ports-declared',
    line: 52,
    message:
      /readinessProbe.tcpSocket.port names port 'health', which the container does not declare \(declared: http\)/,
  },
  {
    name: 'PDB selector that selects no pod',
    file: `${SHOP}/pdb.yaml`,
    from: /aksfleet.dev\/slot: blue/,
    to: 'aksfleet.dev/slot: bleu',
    rule: 'pdb-selects-pods',
    line: 12,
    message: /PodDisruptionBudget shop\/shop-blue: selector .* selects no pod of namespace shop/,
  },
];

for (const c of cases) {
  test(`planted: ${c.name} -> ${c.rule} at ${c.file}:${c.line}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aksfleet-refs-case-'));
    try {
      cpSync(base, dir, { recursive: true });
      const p = join(dir, c.file);
      const text = readFileSync(p, 'utf8');
      assert.match(text, c.from, 'the edit applies');
      writeFileSync(p, text.replace(c.from, c.to));
      const got = await check(dir);
      assert.ok(
        got.some((f) => f.rule === c.rule && f.file === c.file && f.line === c.line && c.message.test(f.message)),
        JSON.stringify(got, null, 1),
      );
      assert.deepEqual(
        [...new Set(got.map((f) => f.rule))].sort(),
        [c.rule, ...(c.also ?? [])].sort(),
        'only the planted defect',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
