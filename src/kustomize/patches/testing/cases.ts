/**
 * The patch case tables (testdata/*-cases.yaml) and how one case runs through `kubectl kustomize`.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  kubectlBuild,
  kubectlBuildMany,
  kubectlMissing,
  type OracleCase,
  type OracleResult,
} from './kubectl-oracle.js';

export interface SmpCase {
  name: string;
  resource: string;
  patch: string;
  expect?: unknown;
  deleted?: boolean;
  error?: boolean;
  kubectlError?: string;
}
export interface Json6902Case {
  name: string;
  resource: string;
  /** The ops text, as it would be in the patch file (JSON or YAML). */
  ops: string;
  expect?: unknown;
  error?: boolean;
  kubectlError?: string;
}
export interface SelectorCase {
  name: string;
  /** Multi-document YAML of resources, each with a distinct metadata.name. */
  resources: string;
  target: Record<string, string>;
  /** Names of the resources the target selects, sorted. */
  selected?: string[];
  error?: boolean;
  kubectlError?: string;
}
export type AnyCase = SmpCase & Json6902Case & SelectorCase;

export function loadCases<T>(which: 'smp' | 'json6902' | 'selector'): T[] {
  const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'testdata', `${which}-cases.yaml`);
  return parse(readFileSync(file, 'utf8')) as T[];
}

function targetOf(resource: string): Record<string, string> {
  const r = parse(resource) as { apiVersion: string; kind: string; metadata: { name: string } };
  return { kind: r.kind, name: r.metadata.name };
}

/** Marks an object as selected by the selector case's patch. */
export const SELECTED_ANNOTATION = 'patches.aksfleet.test/selected';
/** A strategic-merge patch with a target: applied to every selected object whatever its kind. */
const SELECTOR_PATCH = `apiVersion: v1
kind: Marker
metadata:
  name: any
  annotations:
    ${SELECTED_ANNOTATION}: "yes"
`;

function oracleCase(which: 'smp' | 'json6902' | 'selector', c: AnyCase): OracleCase {
  if (which === 'smp') return { resources: c.resource, patches: [{ text: c.patch }] };
  if (which === 'json6902') return { resources: c.resource, patches: [{ text: c.ops, target: targetOf(c.resource) }] };
  return { resources: c.resources, patches: [{ text: SELECTOR_PATCH, target: c.target }] };
}

/** What kubectl says about a case, in the case-file vocabulary. */
export function runCaseWithKubectl(which: 'smp' | 'json6902' | 'selector', c: AnyCase): Record<string, unknown> {
  const o = oracleCase(which, c);
  return toCaseResult(which, kubectlBuild(o.resources, o.patches));
}

/**
 * runCaseWithKubectl for many cases with few kubectl runs: the cases recorded as successful are
 * built together (kubectlBuildMany), the others one by one. Selector cases are always built one
 * by one (their resources include a Namespace, which a name prefix does not rename).
 */
export function runCasesWithKubectl(
  which: 'smp' | 'json6902' | 'selector',
  cases: readonly AnyCase[],
): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = new Array(cases.length);
  const batch: number[] = [];
  cases.forEach((c, i) => {
    if (which !== 'selector' && !c.error) batch.push(i);
    else out[i] = runCaseWithKubectl(which, c);
  });
  const results = kubectlBuildMany(batch.map((i) => oracleCase(which, cases[i]!)));
  batch.forEach((i, j) => (out[i] = toCaseResult(which, results[j]!)));
  return out;
}

function toCaseResult(which: 'smp' | 'json6902' | 'selector', r: OracleResult): Record<string, unknown> {
  if (!r.ok) return { error: true, kubectlError: r.error };
  if (which === 'smp') return r.objects.length === 0 ? { deleted: true } : { expect: r.objects[0] };
  if (which === 'json6902') return { expect: r.objects[0] };
  const names = (r.objects as Array<{ metadata: { name: string; annotations?: Record<string, string> } }>)
    .filter((o) => o.metadata.annotations?.[SELECTED_ANNOTATION] === 'yes')
    .map((o) => o.metadata.name)
    .sort();
  return { selected: names };
}

/**
 * The table tests of a case file whose kubectl runs can be batched: at least `minimum` cases,
 * each with a recorded expectation; the engine's result equals the record; and, where kubectl is
 * installed, kubectl's result equals the record too (one batched run, runCasesWithKubectl).
 */
export function describeVerifiedTable<C extends { name: string }>(
  title: string,
  which: 'smp' | 'json6902',
  cases: readonly C[],
  t: {
    minimum: number;
    hasExpectation(c: C): boolean;
    ours(c: C): Record<string, unknown>;
    recorded(c: C): Record<string, unknown>;
  },
): void {
  describe(title, () => {
    it('has a recorded expectation for every case', () => {
      assert.ok(cases.length >= t.minimum, `only ${cases.length} cases`);
      for (const c of cases) assert.ok(t.hasExpectation(c), `case without expectation: ${c.name}`);
    });
    for (const c of cases) {
      it(c.name, () => {
        assert.deepStrictEqual(t.ours(c), t.recorded(c));
      });
    }
    describe('kubectl kustomize agrees (batched: one kubectl run for the successful cases)', {
      skip: kubectlMissing(),
    }, () => {
      let results: Record<string, unknown>[] = [];
      before(() => {
        results = runCasesWithKubectl(which, cases as unknown as AnyCase[]);
      });
      cases.forEach((c, i) => {
        it(c.name, () => {
          const k = { ...results[i] };
          delete k.kubectlError;
          assert.deepStrictEqual(k, t.recorded(c));
        });
      });
    });
  });
}
