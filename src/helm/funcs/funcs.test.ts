/**
 * The function map judged by Helm 4.2 itself: every action in cases.ts is rendered by us (the
 * src/gotemplate engine with helmFuncMap) and its
 * output compared with cases.expected.json, which was recorded from the helm-engine oracle
 * (test/helm-funcs/oracle.test.ts checks the recording against the oracle). Known differences are listed
 * (with the reason) in KNOWN_DIFFERENCES and asserted to still differ, so a fix shows up.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { GoValue } from '../../gotemplate/value.js';
import { CASES, CHART_CASES } from './cases.js';
import { KNOWN_DIFFERENCES } from './known-differences.js';
import { renderChart, renderHelm } from './testing.js';

type Outcome = { output: string } | { error: string };
const expected = JSON.parse(readFileSync(new URL('./cases.expected.json', import.meta.url), 'utf8')) as Record<
  string,
  Record<string, Outcome>
>;

/**
 * Outputs and Go's error messages must be equal; `fail` and `required` errors are the exception
 * Helm's engine rewrites (`execution error at (FILE:L:C): MSG`, done by src/helm's renderer), so
 * for those the wrapped message must be the one Helm shows.
 */
function agrees(got: Outcome, want: Outcome): boolean {
  if ('output' in want) return 'output' in got && got.output === want.output;
  if (!('error' in got)) return false;
  const helmWrapped = /^execution error at \([^)]*\): (.*)$/s.exec(want.error);
  if (helmWrapped) return got.error.includes(`HELM_ERR_START${helmWrapped[1]}HELM_ERR_END`);
  return got.error === want.error;
}

describe('helm funcs agree with Helm 4.2 (recorded from the helm-engine oracle)', () => {
  for (const [family, exprs] of Object.entries(CASES)) {
    test(family, () => {
      const failures: string[] = [];
      let agreed = 0;
      for (const e of exprs) {
        const want = expected[family]?.[e];
        assert.ok(want, `no recorded expectation for ${family}: ${e} (re-record cases.expected.json)`);
        const got = renderHelm(`{{ ${e} }}`);
        const same = agrees(got, want);
        const known = KNOWN_DIFFERENCES[e];
        if (known !== undefined) {
          if (same) failures.push(`{{ ${e} }} now agrees with Helm: remove it from KNOWN_DIFFERENCES`);
          continue;
        }
        if (same) agreed++;
        else failures.push(`{{ ${e} }}\n    helm: ${JSON.stringify(want)}\n    ours: ${JSON.stringify(got)}`);
      }
      assert.deepEqual(failures, [], `${family}: ${agreed} agree, ${failures.length} differ`);
    });
  }
});

type ChartOutcome = { output: Record<string, string> } | { error: string };
const charts = JSON.parse(readFileSync(new URL('./charts.expected.json', import.meta.url), 'utf8')) as Record<
  string,
  ChartOutcome
>;

/**
 * Helm's own message inside its formatted error: `execution error at (...): MSG` (fail/required,
 * which must come wrapped in HELM_ERR_START..END) or the last line of its multi-line trace.
 * Reformatting the error is src/helm's renderer's work; the functions must give the message.
 */
function chartErrorAgrees(ours: string, helm: string): boolean {
  const wrapped = /^execution error at \([^)]*\): (.*)$/s.exec(helm);
  if (wrapped) return ours.includes(`HELM_ERR_START${wrapped[1]}HELM_ERR_END`);
  const lines = helm.split('\n');
  return ours === helm || ours.endsWith(lines[lines.length - 1]!);
}

describe('include, tpl, required, lookup in whole charts agree with Helm 4.2 (charts.expected.json)', () => {
  for (const c of CHART_CASES) {
    test(c.name, () => {
      const want = charts[c.name];
      assert.ok(want, `no recorded expectation for ${c.name}`);
      const got = renderChart(c.templates, (c.values ?? {}) as GoValue);
      if ('output' in want) assert.deepEqual(got, want);
      else {
        assert.ok('error' in got, `Helm fails with ${want.error}; ours rendered ${JSON.stringify(got)}`);
        assert.ok(chartErrorAgrees(got.error, want.error), `helm: ${want.error}\nours: ${got.error}`);
      }
    });
  }
});
