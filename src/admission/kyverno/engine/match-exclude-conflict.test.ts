/**
 * Rules whose exclude removes all their match selects are refused, as Kyverno 1.19's
 * ValidateMatchExcludeConflict refuses them (found by the shape differential, seed 2414). Every
 * case below was given to `kyverno apply` 1.19 (oracle kyverno-1.19): the refused ones are listed
 * under its `Policies Skipped` with "Rule is matching an empty set", the others run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicies } from './policy.js';
import { matchExcludeConflict } from './match-exclude-conflict.js';

type Obj = Record<string, unknown>;
const pod = { kinds: ['Pod'] };

/** [case, match, exclude, refused by kyverno apply 1.19] */
const CASES: [string, Obj, Obj, boolean][] = [
  [
    'the same any filter on both sides',
    { any: [{ resources: { ...pod, namespaceSelector: { matchLabels: { tier: 'x' } } } }] },
    { any: [{ resources: { ...pod, namespaceSelector: { matchLabels: { tier: 'x' } } } }] },
    true,
  ],
  [
    'an empty list is not an absent one (DeepEqual)',
    { any: [{ resources: pod }] },
    { any: [{ resources: { ...pod, names: [] } }] },
    false,
  ],
  [
    'top-level match, exclude only under any (quirk)',
    { resources: pod },
    { any: [{ resources: { kinds: ['Deployment'] } }] },
    true,
  ],
  ['exclude kinds do not cover the match', { resources: { kinds: ['Pod', 'Deployment'] } }, { resources: pod }, false],
  [
    'exclude kinds and namespaces cover the match',
    { resources: { ...pod, namespaces: ['a'] } },
    { resources: { kinds: ['Pod', 'Deployment'], namespaces: ['a', 'b'] } },
    true,
  ],
  ['exclude names by wildcard', { resources: { ...pod, names: ['web-1'] } }, { resources: { names: ['web-*'] } }, true],
  ['match with all is never a conflict', { all: [{ resources: pod }] }, { any: [{ resources: pod }] }, false],
  [
    'label order does not matter',
    { any: [{ resources: { ...pod, namespaceSelector: { matchLabels: { a: 'b', c: 'd' } } } }] },
    { any: [{ resources: { ...pod, namespaceSelector: { matchLabels: { c: 'd', a: 'b' } } } }] },
    true,
  ],
  [
    'one of two any filters excluded',
    { any: [{ resources: { kinds: ['Deployment'] } }, { resources: pod }] },
    { any: [{ resources: pod }] },
    true,
  ],
  [
    'a selector on the exclude only',
    { resources: pod },
    { resources: { ...pod, selector: { matchLabels: { a: 'b' } } } },
    false,
  ],
  [
    'exclude labels a superset of the match labels',
    { resources: { ...pod, selector: { matchLabels: { a: 'b', x: 'y' } } } },
    { resources: { ...pod, selector: { matchLabels: { a: 'b', x: 'y', z: 'w' } } } },
    true,
  ],
  [
    'exclude cluster roles cover the match',
    { resources: pod, clusterRoles: ['view'] },
    { clusterRoles: ['view', 'edit'] },
    true,
  ],
  ['an exclude with an empty any list (quirk)', { resources: pod }, { any: [] }, true],
];

test('ValidateMatchExcludeConflict: which rules kyverno apply 1.19 refuses as "matching an empty set"', () => {
  for (const [name, match, exclude, refused] of CASES) {
    const rule = { name: 'r', match, exclude, validate: { message: 'm', pattern: { metadata: { name: '?*' } } } };
    assert.equal(matchExcludeConflict(rule) !== undefined, refused, name);
    const { policies, errors } = compilePolicies([
      {
        object: {
          apiVersion: 'kyverno.io/v1',
          kind: 'ClusterPolicy',
          metadata: { name: 'p' },
          spec: { background: false, rules: [rule] },
        },
        file: 'p.yaml',
        line: 3,
      },
    ]);
    assert.equal(policies.length, refused ? 0 : 1, name);
    if (refused) {
      assert.equal(errors.length, 1, name);
      assert.equal(errors[0]!.rule, 'r');
      assert.match(errors[0]!.message, /^Rule is matching an empty set: /, name);
    }
  }
});

test('no exclude, or an exclude that leaves something, is not a conflict', () => {
  assert.equal(matchExcludeConflict({ name: 'r', match: { any: [{ resources: pod }] } }), undefined);
  assert.equal(
    matchExcludeConflict({
      name: 'r',
      match: { any: [{ resources: pod }] },
      exclude: { any: [{ resources: { ...pod, namespaces: ['kube-system'] } }] },
    }),
    undefined,
  );
});
