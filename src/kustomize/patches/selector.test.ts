import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { InputError } from '../../errors.js';
import type { KObject } from '../../resources/resource.js';
import {
  compileRe2,
  compileSelector,
  effectiveNamespace,
  selectorMatches,
  type SelectorCandidate,
} from './selector.js';
import { parseLabelSelector } from './label-selector.js';
import { loadCases, runCaseWithKubectl, type AnyCase, type SelectorCase } from './testing/cases.js';
import { kubectlMissing } from './testing/kubectl-oracle.js';

const cases = loadCases<SelectorCase>('selector');
const noKubectl = kubectlMissing();
/** Cluster-scoped kinds used in the table (the engine knows the full list). */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole']);

function candidate(o: KObject): SelectorCandidate {
  return {
    apiVersion: o.apiVersion!,
    kind: o.kind!,
    names: [o.metadata!.name!],
    namespaces: [effectiveNamespace(o.metadata!.namespace, CLUSTER_SCOPED.has(o.kind!))],
    labels: o.metadata!.labels,
    annotations: o.metadata!.annotations,
  };
}

function ours(c: SelectorCase): Record<string, unknown> {
  const objects = parseAllDocuments(c.resources).map((d) => d.toJS() as KObject);
  try {
    const m = compileSelector(c.target, 'kustomization.yaml');
    return {
      selected: objects
        .filter((o) => m(candidate(o)))
        .map((o) => o.metadata!.name!)
        .sort(),
    };
  } catch (e) {
    if (e instanceof InputError) return { error: true };
    throw e;
  }
}
function recorded(c: SelectorCase): Record<string, unknown> {
  return c.error ? { error: true } : { selected: c.selected };
}

describe('selectorMatches: table verified with kubectl kustomize', () => {
  it('has a recorded expectation for every case', () => {
    assert.ok(cases.length >= 30, `only ${cases.length} cases`);
    for (const c of cases) assert.ok(c.selected || c.error, `case without expectation: ${c.name}`);
  });
  for (const c of cases) {
    it(c.name, () => {
      assert.deepStrictEqual(ours(c), recorded(c));
    });
  }
  for (const c of cases) {
    it(`kubectl agrees: ${c.name}`, { skip: noKubectl }, () => {
      const k = runCaseWithKubectl('selector', c as AnyCase);
      delete k.kubectlError;
      assert.deepStrictEqual(k, recorded(c));
    });
  }
});

describe('selectors: API contract', () => {
  const web: SelectorCandidate = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    names: ['p-web', 'web'],
    namespaces: ['prod', 'default'],
  };
  it('matches any of the current and previous names and namespaces', () => {
    assert.equal(selectorMatches({ name: 'web' }, web), true);
    assert.equal(selectorMatches({ name: 'p-web' }, web), true);
    assert.equal(selectorMatches({ namespace: 'default' }, web), true);
    assert.equal(selectorMatches({ name: 'other' }, web), false);
  });
  it('an invalid regex is an InputError naming the field and file', () => {
    assert.throws(
      () => selectorMatches({ kind: '[' }, web, 'k.yaml'),
      (e: unknown) => e instanceof InputError && e.fieldPath === 'target.kind' && e.pos?.file === 'k.yaml',
    );
  });
  it('keeps Go RE2 meaning where JS differs (flags, dot, \\s, case folding)', () => {
    const cases: Array<[string, string, boolean]> = [
      ['(?i)web', 'WEB', true],
      ['w(?i)EB', 'web', true],
      ['(?i:de)ploy', 'DEploy', true],
      ['(?i:de)ploy', 'DEPLOY', false],
      ['\\p{L}+', 'h\u00e9llo', true],
      ['\\pL+', 'abc1', false],
      ['a.c', 'a\rc', true],
      ['a.c', 'a\nc', false],
      ['(?s)a.c', 'a\nc', true],
      ['(?i)[a-c]+', 'ABC', true],
      ['(?i)k', '\u212a', true],
      ['a\\-b', 'a-b', true],
      ['a\\_b', 'a_b', true],
      ['\\x{263a}', '\u263a', true],
      ['a\\sb', 'a\u00a0b', false],
      ['a{,3}', 'a{,3}', true],
      ['[]a]+', ']a', true],
      ['(?m)^b$', 'b', true],
    ];
    for (const [p, text, want] of cases)
      assert.equal(compileRe2(p).test(text), want, `${p} on ${JSON.stringify(text)}`);
    for (const p of ['a**', 'a++', '(?U)a', 'a(', 'a)', '[a', '\\C', '*a', 'x{3,2}'])
      assert.throws(() => compileRe2(p), p);
  });
  it('translates RE2-only syntax and refuses what RE2 refuses', () => {
    assert.ok(compileRe2('(?P<x>a)b').test('ab'));
    assert.ok(compileRe2('[[:digit:]]+').test('123'));
    assert.ok(compileRe2('\\Qa.b\\E').test('a.b'));
    assert.ok(!compileRe2('\\Qa.b\\E').test('axb'));
    assert.throws(() => compileRe2('(a)\\1'));
    assert.throws(() => compileRe2('a(?<=b)'));
    assert.throws(() => compileRe2('a{1001}'));
  });
  it('parses label selectors like apimachinery', () => {
    const s = parseLabelSelector('a in (x, y),b!=z,!c,d');
    assert.deepStrictEqual(
      s.requirements.map((r) => [r.key, r.operator, r.values]),
      [
        ['a', 'in', ['x', 'y']],
        ['b', '!=', ['z']],
        ['c', '!', []],
        ['d', 'exists', []],
      ],
    );
    assert.equal(s.matches({ a: 'x', d: '' }), true);
    assert.equal(s.matches({ a: 'x', d: '', c: '1' }), false);
    assert.equal(parseLabelSelector('').matches({}), true);
    assert.equal(parseLabelSelector('a=').matches({ a: '' }), true);
    assert.equal(parseLabelSelector('a in ()').matches({ a: '' }), true);
    for (const bad of ['a=b=c', 'a in (x', ',a', 'a,', 'a notin', '!a=b', 'example.com/=x', 'a=' + 'x'.repeat(64)]) {
      assert.throws(() => parseLabelSelector(bad), InputError, bad);
    }
  });
});
