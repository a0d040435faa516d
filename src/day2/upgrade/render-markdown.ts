/** The plan as a Markdown runbook: blockers and flags first, surge capacity, then the steps ring by ring. */
import { formatLocation } from '../../diagnostic.js';
import { azCommand } from './render-az.js';
import type { Finding, Plan } from './types.js';

function findingLine(f: Finding): string {
  const where = [f.cluster, f.pool].filter(Boolean).join('/');
  const loc = f.file ? ` (${formatLocation({ file: f.file, line: f.line })})` : '';
  return (
    `- **${f.severity}** \`${f.rule}\`${where ? ` ${where}` : ''}: ` +
    `${f.message}${loc}${f.hint ? `. Fix: ${f.hint}` : ''}`
  );
}

export function renderMarkdown(plan: Plan): string {
  const out: string[] = [];
  out.push(`# Upgrade plan${plan.target ? ` to ${plan.target}` : ' to the fleet spec versions'}`, '');
  out.push(
    `Support judged on ${plan.date}. Rings run in environment order; ` +
      `each ring soaks, then a gate, before the next starts.`,
    '',
  );
  out.push('| Ring | Soak | Clusters |', '|---|---|---|');
  for (const r of plan.rings)
    out.push(
      `| ${r.name} | ${r.soak} | ${r.clusters.map((c) => `${c.name} (${c.from} -> ${c.to})`).join(', ') || '(none)'} |`,
    );
  out.push('');
  const errors = plan.findings.filter((f) => f.severity === 'error');
  out.push('## Before the first step', '');
  if (errors.length)
    out.push(`**${errors.length} blocker${errors.length === 1 ? '' : 's'}: fix before running this plan.**`, '');
  if (plan.findings.length === 0) out.push('No findings.');
  for (const f of plan.findings) out.push(findingLine(f));
  out.push(
    '',
    '## Surge capacity',
    '',
    'Extra nodes each pool creates while it upgrades (check quota and subnet IPs for them).',
    '',
  );
  out.push('| Cluster | Pool | Nodes | maxSurge | From | Surge nodes |', '|---|---|---|---|---|---|');
  for (const s of plan.surge)
    out.push(`| ${s.cluster} | ${s.pool} | ${s.count} | ${s.maxSurge} | ${s.maxSurgeFrom} | ${s.surgeNodes} |`);
  out.push(
    '',
    '## Steps',
    '',
    'AKS upgrades cannot be rolled back (no downgrades): for a risky pool, ' +
      'replace it instead (`aksfleet upgrade bluegreen <cluster> <pool>`).',
    '',
  );
  let ring = '';
  for (const s of plan.steps) {
    if (s.ring !== ring) {
      ring = s.ring;
      out.push('', `### Ring ${ring}`, '');
    }
    const what =
      s.kind === 'soak'
        ? `Soak ${s.ring} for ${s.duration}`
        : s.kind === 'gate'
          ? `Gate: ${s.reason} (${(s.clusters ?? []).join(', ')})`
          : s.kind === 'channel'
            ? `${s.cluster}: auto-upgrade channel ${s.from} -> ${s.to}`
            : s.kind === 'control-plane'
              ? `${s.cluster}: control plane ${s.from} -> ${s.to}`
              : s.kind === 'node-pool'
                ? `${s.cluster}/${s.pool}: node pool ${s.from} -> ${s.to} (${s.surgeNodes ?? 0} surge nodes)`
                : `${s.cluster}/${s.pool}: node image ${s.from} -> ${s.to} (${s.surgeNodes ?? 0} surge nodes)`;
    out.push(`${s.n}. ${what}. ${s.kind === 'gate' || s.kind === 'soak' ? '' : `_${s.reason}_`}`.trimEnd());
    if (s.checks?.length) out.push('', '   ```sh', ...s.checks.map((c) => `   ${c}`), '   ```', '');
    if (s.promql)
      out.push(
        '',
        "   No series from this query on any of the ring's Prometheus:",
        '',
        '   ```promql',
        `   ${s.promql}`,
        '   ```',
        '',
      );
    const cmd = azCommand(s);
    if (cmd) out.push('', '   ```sh', ...cmd.split('\n').map((l) => `   ${l}`), '   ```', '');
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
