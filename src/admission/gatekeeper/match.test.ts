/**
 * Constraint `spec.match` as Gatekeeper's matcher applies it (pkg/mutation/match/match.go and
 * its match_test.go): wildcards at either end, kinds with groups, scope, namespaces of
 * cluster-scoped objects, namespaceSelector against the known Namespace (an error without it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constraintMatches } from './match.js';
import { wildcardMatches, wildcardMatchesGenerateName } from './wildcard.js';

const pod = (ns?: string, labels: Record<string, string> = {}, name = 'p'): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(ns ? { namespace: ns } : {}), labels },
});
const ns = (name: string, labels: Record<string, string> = {}): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});
const deploy: Record<string, unknown> = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'd', namespace: 'a' },
};

test('wildcards: prefix, suffix, both ends, exact; generateName only with a trailing *', () => {
  const table: [string, string, boolean][] = [
    ['kube-*', 'kube-system', true],
    ['kube-*', 'my-kube-system', false],
    ['*-system', 'kube-system', true],
    ['*-system', 'kube-systems', false],
    ['*sys*', 'kube-system', true],
    ['*', 'anything', true],
    ['default', 'default', true],
    ['default', 'default2', false],
  ];
  for (const [p, c, want] of table) assert.equal(wildcardMatches(p, c), want, `${p} ~ ${c}`);
  assert.equal(wildcardMatchesGenerateName('web-*', 'web-'), true);
  assert.equal(wildcardMatchesGenerateName('web', 'web'), false);
});

test('kinds: kind and group must both match; empty lists and * match all', () => {
  const m = { kinds: [{ apiGroups: [''], kinds: ['Pod'] }] };
  assert.equal(constraintMatches(m, { object: pod('a') }).matches, true);
  assert.equal(constraintMatches(m, { object: deploy }).matches, false);
  assert.equal(
    constraintMatches({ kinds: [{ apiGroups: ['apps'], kinds: ['Pod'] }] }, { object: pod('a') }).matches,
    false,
  );
  assert.equal(constraintMatches({ kinds: [{ apiGroups: ['*'], kinds: [] }] }, { object: deploy }).matches, true);
  assert.equal(constraintMatches({ kinds: [] }, { object: deploy }).matches, true);
});

test('namespaces and excludedNamespaces: globs; a Namespace is matched by its own name; cluster-scoped objects always pass', () => {
  assert.equal(constraintMatches({ namespaces: ['team-*'] }, { object: pod('team-a') }).matches, true);
  assert.equal(constraintMatches({ namespaces: ['team-*'] }, { object: pod('other') }).matches, false);
  assert.equal(constraintMatches({ namespaces: ['team-*'] }, { object: ns('team-b') }).matches, true);
  assert.equal(constraintMatches({ namespaces: ['team-*'] }, { object: pod() }).matches, true);
  assert.equal(constraintMatches({ excludedNamespaces: ['kube-*'] }, { object: pod('kube-system') }).matches, false);
  assert.equal(constraintMatches({ excludedNamespaces: ['kube-*'] }, { object: ns('kube-public') }).matches, false);
  assert.equal(constraintMatches({ excludedNamespaces: ['kube-*'] }, { object: pod('default') }).matches, true);
});

test('scope: Cluster takes Namespaces and objects without a namespace; Namespaced the others', () => {
  assert.equal(constraintMatches({ scope: 'Cluster' }, { object: ns('a') }).matches, true);
  assert.equal(constraintMatches({ scope: 'Cluster' }, { object: pod('a') }).matches, false);
  assert.equal(constraintMatches({ scope: 'Namespaced' }, { object: pod('a') }).matches, true);
  assert.equal(constraintMatches({ scope: 'Namespaced' }, { object: ns('a') }).matches, false);
  assert.equal(constraintMatches({ scope: '*' }, { object: ns('a') }).matches, true);
});

test('labelSelector on the object; namespaceSelector on its Namespace (or itself), an error when the Namespace is unknown', () => {
  assert.equal(
    constraintMatches({ labelSelector: { matchLabels: { app: 'web' } } }, { object: pod('a', { app: 'web' }) }).matches,
    true,
  );
  assert.equal(
    constraintMatches(
      { labelSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['web'] }] } },
      { object: pod('a', { app: 'web' }) },
    ).matches,
    false,
  );
  const sel = { namespaceSelector: { matchLabels: { env: 'prod' } } };
  assert.equal(constraintMatches(sel, { object: pod('a'), namespace: ns('a', { env: 'prod' }) }).matches, true);
  assert.equal(constraintMatches(sel, { object: pod('a'), namespace: ns('a', { env: 'dev' }) }).matches, false);
  assert.equal(constraintMatches(sel, { object: ns('a', { env: 'prod' }) }).matches, true);
  assert.equal(constraintMatches(sel, { object: pod() }).matches, true);
  const unknown = constraintMatches(sel, { object: pod('ghost') });
  assert.equal(unknown.matches, false);
  assert.match(unknown.error ?? '', /Namespace 'ghost'/);
  const badOp = constraintMatches(
    { labelSelector: { matchExpressions: [{ key: 'a', operator: 'Near' }] } },
    { object: pod('a') },
  );
  assert.match(badOp.error ?? '', /unknown label selector operator/);
});

test('name: glob on metadata.name, or on generateName when the pattern ends with *', () => {
  assert.equal(constraintMatches({ name: 'web-*' }, { object: pod('a', {}, 'web-1') }).matches, true);
  assert.equal(constraintMatches({ name: 'web-*' }, { object: pod('a', {}, 'api-1') }).matches, false);
  assert.equal(
    constraintMatches(
      { name: 'web-*' },
      { object: { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'web-', namespace: 'a' } } },
    ).matches,
    true,
  );
});
