// Differential test: generated templates, data and printf calls (testing/arbitrary.ts), run through
// this engine and through Go's text/template (the gotemplate oracle), compared byte for byte
// (output, or the error message). A fixed seed makes the run reproducible. By default 1,000 cases;
// AKSFLEET_FULL_DIFFERENTIAL=1 runs 10,000 (AKSFLEET_DIFFERENTIAL_CASES=N sets any number).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { caseArb, printfCaseArb } from './testing/arbitrary.js';
import { type CaseResult, gotemplateOracle, runOracle, runOurs, type TemplateCase } from './testing/oracle.js';

const total = Number(
  process.env.AKSFLEET_DIFFERENTIAL_CASES ?? (process.env.AKSFLEET_FULL_DIFFERENTIAL === '1' ? 10_000 : 1_000),
);
const seed = Number(process.env.AKSFLEET_DIFFERENTIAL_SEED ?? 20261207);

/** Differences we know of and accept, with the reason (see docs/gotemplate.md). */
export const KNOWN_DIFFERENCES: {
  readonly reason: string;
  readonly applies: (c: TemplateCase, go: CaseResult, ours: CaseResult) => boolean;
}[] = [
  {
    reason: 'Go prints memory addresses for %p and pointers; we print a fixed stand-in (0xc000010000)',
    applies: (_c, go, ours) => {
      const [g, o] = [textOf(go), textOf(ours)];
      return (
        'output' in go === 'output' in ours && /c000010000/i.test(o) && withoutAddresses(g) === withoutAddresses(o)
      );
    },
  },
];

function textOf(r: CaseResult): string {
  return 'output' in r ? r.output : r.error;
}

/** Output with hexadecimal runs (addresses) and the zero/space padding around them removed. */
function withoutAddresses(s: string): string {
  return s.replace(/[0 ]*(0[xX])?[0-9a-fA-F]{6,}[ ]*/g, 'ADDR');
}

function differential(label: string, arb: fc.Arbitrary<TemplateCase>, n: number): void {
  test(`${label}: ${n} generated cases equal Go (seed ${seed})`, { skip: gotemplateOracle.skip }, (t) => {
    const cases = fc.sample(arb, { seed, numRuns: n });
    const want = runOracle(cases);
    const diffs: string[] = [];
    let known = 0;
    cases.forEach((c, i) => {
      let got: CaseResult;
      try {
        got = runOurs(c);
      } catch (e) {
        got = { error: `CRASH ${String((e as Error).stack ?? e)}` };
      }
      if (JSON.stringify(got) === JSON.stringify(want[i])) return;
      if (KNOWN_DIFFERENCES.some((k) => k.applies(c, want[i]!, got))) {
        known++;
        return;
      }
      diffs.push(
        `#${i} ${JSON.stringify({ templates: c.templates, data: c.data, missingkey: c.missingkey })}\n` +
          `    go:   ${JSON.stringify(want[i])}\n    ours: ${JSON.stringify(got)}`,
      );
    });
    t.diagnostic(
      `${n - known - diffs.length}/${n} equal to Go; ${known} known differences; ${diffs.length} unexplained`,
    );
    assert.equal(diffs.length, 0, `${diffs.length} differences:\n${diffs.slice(0, 30).join('\n')}`);
  });
}

differential('templates', caseArb, Math.round(total * 0.7));
differential('printf', printfCaseArb, total - Math.round(total * 0.7));
