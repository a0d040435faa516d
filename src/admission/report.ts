/** Rendering policy results: the JSON shape of `--format json` and a text report like `kyverno apply`'s. */
import { formatLocation } from '../diagnostic.js';
import type { PolicyLoadError, PolicyResult } from './types.js';

/** `{"results": [...]}` with the documented fields only, in the given (deterministic) order. */
export function resultsJson(results: readonly PolicyResult[]): string {
  const rows = results.map((r) => ({
    policy: r.policy,
    rule: r.rule,
    resource: {
      apiVersion: r.resource.apiVersion,
      kind: r.resource.kind,
      ...(r.resource.namespace ? { namespace: r.resource.namespace } : {}),
      name: r.resource.name,
    },
    result: r.result,
    ...(r.message !== undefined ? { message: r.message } : {}),
  }));
  return `${JSON.stringify({ results: rows }, null, 2)}\n`;
}

const resourceText = (r: PolicyResult): string =>
  `${r.resource.namespace ? `${r.resource.namespace}/` : ''}${r.resource.kind}/${r.resource.name}`;

/** Counts per result. */
export function tally(results: readonly PolicyResult[]): Record<PolicyResult['result'], number> {
  const t = { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
  for (const r of results) t[r.result]++;
  return t;
}

/** The text report: failures and errors grouped per policy and resource, then the totals. */
export function resultsText(results: readonly PolicyResult[], policyCount: number, resourceCount: number): string {
  const lines = [
    `Applying ${policyCount} ${policyCount === 1 ? 'policy' : 'policies'} to ${resourceCount} ` +
      `${resourceCount === 1 ? 'resource' : 'resources'}...`,
    '',
  ];
  const groups = new Map<string, PolicyResult[]>();
  for (const r of results) {
    if (r.result !== 'fail' && r.result !== 'error' && r.result !== 'warn') continue;
    const key = `policy ${r.policy} -> resource ${resourceText(r)}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const [key, rs] of groups) {
    lines.push(`${key} ${rs.some((r) => r.result === 'fail') ? 'failed' : 'had problems'}:`);
    rs.forEach((r, i) =>
      lines.push(`${i + 1}. ${r.rule} (${r.result}${r.enforcing ? ', enforced' : ''}): ${r.message ?? ''}`),
    );
    lines.push('');
  }
  const t = tally(results);
  lines.push(`pass: ${t.pass}, fail: ${t.fail}, warn: ${t.warn}, error: ${t.error}, skip: ${t.skip}`);
  return `${lines.join('\n')}\n`;
}

/** One line per policy problem: `file:line: policy NAME rule RULE: message`. */
export function loadErrorText(e: PolicyLoadError): string {
  const loc = formatLocation({ file: e.file, line: e.line, column: e.column });
  const who = [e.policy ? `policy ${e.policy}` : '', e.rule ? `rule ${e.rule}` : ''].filter(Boolean).join(' ');
  return `${loc}: ${who ? `${who}: ` : ''}${e.message}`;
}
