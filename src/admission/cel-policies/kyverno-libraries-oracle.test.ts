/**
 * Kyverno's CEL libraries (src/cel/library/kyverno-*.ts: resource, image data, time,
 * parseServiceAccount) against the real ones, `kyverno apply` 1.19.1 (oracle kyverno-1.19) with a
 * context file: each case is one ValidatingPolicy on one Pod, either a string expression shown
 * through a failing validation's messageExpression (the values must be equal), or a bool
 * validation (the result pass/fail/error must be equal). One CLI run for all cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadOracle } from '../../cel/testing/oracle.js';
import { kyvernoDataOf } from '../kyverno-test.js';
import type { AdmissionContext, PolicyDocument } from '../types.js';
import { compileValidatingPolicies, evaluateValidatingPolicies } from './vpol.js';

const kyverno = await loadOracle('kyverno-1.19');

const CONTEXT = {
  apiVersion: 'cli.kyverno.io/v1alpha1',
  kind: 'Context',
  metadata: { name: 'context' },
  spec: {
    resources: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default', labels: { app: 'x' } }, data: { k: 'v' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'default' }, data: { k: 'w' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
      { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: 'default' }, spec: { podSelector: {} } },
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'team' }, spec: { maxReplicas: 3 } },
    ],
    images: [
      { image: 'busybox:1.28', registry: 'index.docker.io', repository: 'library/busybox', tag: '1.28', config: { architecture: 'amd64', created: '2020-05-01T03:15:12-07:00' } },
      { image: 'ghcr.io/x/y@sha256:abc', digest: 'sha256:abc', manifest: { schemaVersion: 2 } },
    ],
  },
};

const POD = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox:1.28' }] } };

/** [name, kind, expression]: `value` is a string expression, `result` a bool validation. */
const CASES: readonly (readonly [string, 'value' | 'result', string])[] = [
  ['cron', 'value', "time.toCron(timestamp('2026-03-04T05:06:07Z'))"],
  ['cron-sunday', 'value', "time.toCron(timestamp('2026-03-08T23:59:00Z'))"],
  ['truncate-7m', 'value', "string(time.truncate(timestamp('2026-03-04T05:06:07.5Z'), duration('7m')))"],
  ['truncate-24h', 'value', "string(time.truncate(timestamp('2026-03-04T05:06:07Z'), duration('24h')))"],
  ['truncate-zero', 'value', "string(time.truncate(timestamp('2026-03-04T05:06:07Z'), duration('0s')))"],
  ['now-recent', 'value', "string(time.now() > timestamp('2025-01-01T00:00:00Z'))"],
  ['sa', 'value', "parseServiceAccount('system:serviceaccount:ns1:sa1').Namespace + '/' + parseServiceAccount('system:serviceaccount:ns1:sa1').Name"],
  ['sa-user', 'value', "'[' + parseServiceAccount('bob').Namespace + '/' + parseServiceAccount('bob').Name + ']'"],
  ['sa-no-name', 'value', "'[' + parseServiceAccount('system:serviceaccount:nocolon').Namespace + ']'"],
  ['sa-extra-colon', 'value', "parseServiceAccount('system:serviceaccount:a:b:c').Name"],
  ['sa-prefixed', 'value', "user.parseServiceAccount('system:serviceaccount:n:s').Name"],
  ['get', 'value', "resource.Get('v1', 'configmaps', 'default', 'a').data.k"],
  ['get-missing', 'value', "string(dyn(resource.Get('v1', 'configmaps', 'default', 'nope')) == null)"],
  ['get-wrong-ns', 'value', "string(dyn(resource.Get('v1', 'configmaps', 'other', 'a')) == null)"],
  ['get-cluster-scoped', 'value', "string(dyn(resource.Get('v1', 'configmaps', '', 'c')) == null)"],
  ['get-group', 'value', "string(resource.Get('networking.k8s.io/v1', 'networkpolicies', 'default', 'deny').spec.podSelector.size())"],
  ['get-unknown-type', 'value', "string(dyn(resource.Get('v1', 'secrets', 'default', 'a')) == null)"],
  // cel-go types the values of these maps `google.protobuf.Any`, which it does not iterate: dyn() it.
  ['list', 'value', "dyn(resource.List('v1', 'configmaps', 'default').items).map(i, i.metadata.name).join(',')"],
  ['list-labels', 'value', "dyn(resource.List('v1', 'configmaps', 'default', {'app': 'x'}).items).map(i, i.metadata.name).join(',')"],
  ['list-empty-ns', 'value', "string(resource.List('v1', 'configmaps', 'nowhere').items.size())"],
  ['list-cluster', 'value', "dyn(resource.List('v1', 'configmaps', '').items).map(i, i.metadata.name).join(',')"],
  ['list-hpa', 'value', "string(resource.List('autoscaling/v2', 'horizontalpodautoscalers', 'team').items[0].spec.maxReplicas)"],
  ['get-camel', 'value', "resource.get('v1', 'configmaps', 'default', 'b').data.k"],
  ['image-config', 'value', "image.GetMetadata('busybox:1.28').config.architecture"],
  ['image-fields', 'value', "image.GetMetadata('busybox:1.28').registry + '|' + image.GetMetadata('busybox:1.28').repository + '|' + image.GetMetadata('busybox:1.28').tag + '|' + image.GetMetadata('busybox:1.28').resolvedImage + '|' + image.GetMetadata('busybox:1.28').image"],
  ['image-keys', 'value', "['image', 'resolvedImage', 'registry', 'repository', 'tag', 'digest', 'imageIndex', 'manifest', 'config'].filter(k, k in dyn(image.GetMetadata('ghcr.io/x/y@sha256:abc'))).join(',')"],
  ['image-has', 'value', "string(has(image.GetMetadata('busybox:1.28').config.created)) + string(has(image.GetMetadata('busybox:1.28').config.Env))"],
  ['image-camel', 'value', "image.getMetadata('ghcr.io/x/y@sha256:abc').digest"],
  ['list-missing-type', 'result', "resource.List('apps/v1', 'deployments', 'default').items.size() == 0"],
  ['image-missing', 'result', "image.GetMetadata('nginx:1').config.architecture == 'amd64'"],
  ['get-pass', 'result', "resource.Get('v1', 'configmaps', 'default', 'a').data.k == 'v'"],
  ['get-fail', 'result', "resource.Get('v1', 'configmaps', 'default', 'a').data.k == 'w'"],
  ['created-stale', 'result', "timestamp(image.GetMetadata('busybox:1.28').config.created) > time.now() - duration('4380h')"],
];

/**
 * Known differences, each with its reason:
 * - list-labels: the CLI's context provider (FakeContextProvider.ListResources) ignores the label
 *   selector; the API server that Kyverno asks in a cluster applies it, and so do we.
 * Order: the CLI's provider lists in Go map order (it differs from run to run); the API server
 * lists by name, and so do we. So the names a List case prints are compared as a set.
 */
const KNOWN: readonly string[] = ['list-labels: ours V=a, kyverno V=a,b'];

/** A List case's `V=a,b` with its names sorted (the CLI's order is Go map order). */
function unordered(name: string, v: string | undefined): string | undefined {
  return v !== undefined && name.startsWith('list') && v.startsWith('V=') ? `V=${v.slice(2).split(',').sort().join(',')}` : v;
}

function policyOf(i: number, kind: 'value' | 'result', expr: string): Record<string, unknown> {
  const validation = kind === 'value' ? { expression: 'false', messageExpression: `'V=' + (${expr})` } : { expression: expr, message: 'M' };
  return {
    apiVersion: 'policies.kyverno.io/v1',
    kind: 'ValidatingPolicy',
    metadata: { name: `case-${String(i).padStart(2, '0')}` },
    spec: {
      validationActions: ['Audit'],
      matchConstraints: { resourceRules: [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'], resources: ['pods'] }] },
      validations: [validation],
    },
  };
}

type Outcome = Map<string, string>;

function theirs(dir: string): Outcome {
  const r = spawnSync(kyverno.path, ['apply', 'policies.yaml', '--resource', 'pod.yaml', '--context-file', 'context.yaml', '--policy-report', '--output-format', 'json'], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 300_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = `${r.stdout}`.split('\n').find((l) => l.includes('{"kind":"'));
  assert.ok(line, `kyverno apply printed no report (exit ${r.status}): ${`${r.stdout}${r.stderr}`.slice(0, 2000)}`);
  const report = JSON.parse(line.slice(line.indexOf('{"kind":"'))) as { results?: { policy: string; result: string; message?: string }[] };
  const out: Outcome = new Map();
  for (const x of report.results ?? []) out.set(x.policy, x.result === 'fail' && x.message?.startsWith('V=') ? x.message : x.result);
  return out;
}

function ours(policies: Record<string, unknown>[]): Outcome {
  const docs: PolicyDocument[] = policies.map((object) => ({ object, file: 'policies.yaml' }));
  const { compiled, errors } = compileValidatingPolicies(docs);
  assert.deepEqual(errors, []);
  const ctx: AdmissionContext = { namespaces: new Map(), resources: [POD] };
  const out: Outcome = new Map();
  for (const r of evaluateValidatingPolicies(compiled, POD, ctx, { kyverno: kyvernoDataOf(CONTEXT, new Date()) })) {
    out.set(r.policy, r.result === 'fail' && r.message?.startsWith('V=') ? r.message : r.result);
  }
  return out;
}

test("Kyverno's CEL libraries agree with kyverno apply 1.19 fed the same context file", { skip: kyverno.skip }, () => {
  const policies = CASES.map(([, kind, expr], i) => policyOf(i, kind, expr));
  const dir = mkdtempSync(path.join(tmpdir(), 'aksfleet-kyverno-libs-'));
  try {
    const yaml = (docs: readonly object[]): string => docs.map((d) => JSON.stringify(d)).join('\n---\n') + '\n';
    writeFileSync(path.join(dir, 'policies.yaml'), yaml(policies));
    writeFileSync(path.join(dir, 'pod.yaml'), yaml([POD]));
    writeFileSync(path.join(dir, 'context.yaml'), yaml([CONTEXT]));
    const cli = theirs(dir);
    const mine = ours(policies);
    const differ: string[] = [];
    CASES.forEach(([name], i) => {
      const p = `case-${String(i).padStart(2, '0')}`;
      if (unordered(name, cli.get(p)) !== unordered(name, mine.get(p))) differ.push(`${name}: ours ${unordered(name, mine.get(p))}, kyverno ${unordered(name, cli.get(p))}`);
    });
    console.log(`kyverno libraries vs kyverno apply 1.19: ${CASES.length - differ.length}/${CASES.length} agree`);
    assert.deepEqual(differ, KNOWN);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
