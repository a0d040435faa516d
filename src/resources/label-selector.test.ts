/**
 * metav1.LabelSelector as k8s.io/apimachinery evaluates it (LabelSelectorAsSelector, then
 * Matches): the API reference's rule, "an empty label selector matches all objects; a null label
 * selector matches no objects", with the nil case named by each caller (a struct field that is
 * absent decodes to `{}`: NetworkPolicy spec.podSelector).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelSelectorMatches } from './label-selector.js';

const labels = { app: 'api', tier: 'web' };

test('a nil selector (absent or null) selects what the caller names; an empty one selects everything', () => {
  for (const nil of [undefined, null]) {
    assert.equal(labelSelectorMatches(nil, labels, 'nothing'), false);
    assert.equal(labelSelectorMatches(nil, labels, 'everything'), true);
  }
  for (const empty of [{}, { matchLabels: {} }, { matchExpressions: [] }, { matchLabels: null }]) {
    for (const nil of ['nothing', 'everything'] as const) {
      assert.equal(labelSelectorMatches(empty, labels, nil), true, JSON.stringify(empty));
      assert.equal(labelSelectorMatches(empty, {}, nil), true, `${JSON.stringify(empty)}, no labels`);
    }
  }
});

test('matchLabels AND matchExpressions', () => {
  const m = (sel: unknown) => labelSelectorMatches(sel, labels, 'nothing');
  assert.equal(m({ matchLabels: { app: 'api' } }), true);
  assert.equal(m({ matchLabels: { app: 'api', tier: 'db' } }), false);
  assert.equal(m({ matchLabels: { other: 'undefined' } }), false, 'a missing label is not the string "undefined"');
  assert.equal(m({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'db'] }] }), true);
  assert.equal(m({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }), false);
  assert.equal(m({ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }), true);
  assert.equal(m({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }), true);
  assert.equal(m({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }), false);
  assert.equal(
    m({ matchLabels: { app: 'api' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['db'] }] }),
    false,
  );
});

test('a malformed selector selects nothing (apimachinery refuses it)', () => {
  for (const bad of [
    'app=api',
    [],
    { matchLabels: 'app=api' },
    { matchExpressions: { key: 'app', operator: 'Exists' } },
    { matchExpressions: ['app'] },
    { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['api'] }] },
  ]) {
    assert.equal(labelSelectorMatches(bad, labels, 'everything'), false, JSON.stringify(bad));
  }
});
