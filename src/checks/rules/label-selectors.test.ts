/**
 * Each rule's label selectors with the semantics of the API field they read
 * (src/resources/label-selector.ts): an empty selector (`{}`, `{ matchLabels: {} }`) selects
 * everything; an absent one selects nothing (a PodDisruptionBudget's selector, a pointer) or
 * everything (a NetworkPolicy's spec.podSelector, a struct that decodes to `{}`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rules } from '../registry.js';
import { checkCluster } from '../run.js';
import { contextFromYaml } from '../testing.js';
import { dnsUnreachable } from './references-network.js';

const NS = 'apiVersion: v1\nkind: Namespace\nmetadata: { name: app }\n';
const deploy = `---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: app }
spec:
  replicas: 3
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec: { containers: [ { name: api, image: a } ] }
`;
const pdb = (selector: string) =>
  '---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: { name: api, namespace: app }\nspec:\n  ' +
  `maxUnavailable: 1\n${selector}`;
const run = (id: string, yaml: string) =>
  checkCluster(contextFromYaml(yaml), { rules: [rules.find((r) => r.id === id)!] }).map((f) => f.message);

test('pdb-selects-pods: a policy/v1 selector with no requirement ({} or matchLabels: {}) selects every pod', () => {
  assert.deepEqual(run('pdb-selects-pods', NS + deploy + pdb('  selector: {}\n')), []);
  assert.deepEqual(run('pdb-selects-pods', NS + deploy + pdb('  selector: { matchLabels: {} }\n')), []);
  assert.deepEqual(run('pdb-selects-pods', NS + deploy + pdb('  selector: { matchLabels: { app: web } }\n')), [
    'PodDisruptionBudget app/api: selector app=web selects no pod of namespace app',
  ]);
});

test('replicated-workload-has-pdb: a PDB without a selector protects nothing; an empty one protects every pod', () => {
  const none = ['Deployment has 3 replicas and no PodDisruptionBudget selects its pods'];
  assert.deepEqual(run('replicated-workload-has-pdb', NS + deploy + pdb('')), none);
  assert.deepEqual(run('replicated-workload-has-pdb', NS + deploy + pdb('  selector: {}\n')), []);
  assert.deepEqual(run('replicated-workload-has-pdb', NS + deploy + pdb('  selector: { matchLabels: {} }\n')), []);
});

test('NetworkPolicy spec.podSelector: absent or { matchLabels: {} } selects every pod of the namespace', () => {
  const deny = (spec: string) =>
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: { name: deny, namespace: app }\nspec: ' +
    `{ ${spec}policyTypes: [Egress] }`;
  const missing = (spec: string) =>
    dnsUnreachable(contextFromYaml([NS + deploy, deny(spec)].join('---\n')), 'app')?.missing ?? [];
  const lost = ['53/UDP', '53/TCP'];
  assert.deepEqual(missing('podSelector: {}, '), lost);
  assert.deepEqual(missing('podSelector: { matchLabels: {} }, '), lost);
  assert.deepEqual(missing(''), lost, 'absent: the struct decodes to {}');
  assert.deepEqual(missing('podSelector: { matchLabels: { app: other } }, '), []);
});
