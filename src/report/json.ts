/** Machine output: the findings and a summary, stable key order. */
import { counts, type CheckRun } from './types.js';
import { failing } from '../checks/run.js';

export function formatJson(run: CheckRun): string {
  const doc = {
    tool: { name: 'aksfleet', version: run.toolVersion },
    failOn: run.failOn,
    failed: failing(run.findings, run.failOn).length > 0,
    summary: counts(run.findings),
    clusters: run.clusters,
    findings: run.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      cluster: f.cluster ?? null,
      ...(f.clusters ? { clusters: f.clusters } : {}),
      resource: f.resource ?? null,
      file: f.file ?? null,
      line: f.line ?? null,
      message: f.message,
      hint: f.hint ?? null,
      ...(f.related?.length
        ? {
            related: f.related.map((r) => ({
              file: r.file,
              line: r.line ?? null,
              message: r.message,
              resource: r.resource ?? null,
            })),
          }
        : {}),
    })),
    ...(run.shard
      ? {
          shard: {
            index: run.shard.index,
            of: run.shard.of,
            clusterOrder: run.shard.clusterOrder,
            rules: run.rules.map((r) => r.id),
          },
        }
      : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
