/** Renders the function-library tables with the helm-engine oracle, in the shape of the recordings. */
import type { ChartCase } from '../../src/helm/funcs/cases.js';
import { ORACLE_FILE, runOracle } from '../../src/helm/funcs/testing.js';

export type Outcome = { output: string } | { error: string };

/** Each `{{ action }}` of `cases` rendered by Helm, by family and action. */
export function recordActions(
  bin: string,
  cases: Readonly<Record<string, readonly string[]>>,
): Record<string, Record<string, Outcome>> {
  const all = Object.entries(cases).flatMap(([family, exprs]) => exprs.map((e) => ({ family, e })));
  const res = runOracle(
    bin,
    all.map(({ e }) => ({ templates: { 'templates/t.yaml': `{{ ${e} }}` } })),
  );
  const out: Record<string, Record<string, Outcome>> = {};
  all.forEach(({ family, e }, i) => {
    const r = res[i]!;
    (out[family] ??= {})[e] = 'error' in r ? { error: r.error } : { output: r.output[ORACLE_FILE]! };
  });
  return out;
}

/** Each chart case rendered by Helm, by name. */
export function recordCharts(bin: string, cases: readonly ChartCase[]): Record<string, unknown> {
  const res = runOracle(
    bin,
    cases.map((c) => ({ templates: { ...c.templates }, values: { ...(c.values ?? {}) } })),
  );
  return Object.fromEntries(cases.map((c, i) => [c.name, res[i]]));
}
