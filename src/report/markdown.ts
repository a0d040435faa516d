/** A pull-request comment: summary table, then findings per cluster (collapsed when long). */
import { failing } from '../checks/run.js';
import type { Finding } from '../checks/types.js';
import { formatLocation } from '../diagnostic.js';
import { counts, location, type CheckRun } from './types.js';

/** GitHub refuses comments over 65536 characters; stay well under. */
export const MAX_COMMENT_CHARS = 60000;
const ICON = { error: ':x:', warning: ':warning:', info: ':information_source:' } as const;

function cell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/</g, '&lt;');
}

export function formatMarkdown(run: CheckRun): string {
  const n = counts(run.findings);
  const failed = failing(run.findings, run.failOn).length > 0;
  const head: string[] = [
    '<!-- aksfleet-check -->',
    `## aksfleet check: ${failed ? ':x: failed' : ':white_check_mark: passed'}`,
    '',
    `${n.error} error(s), ${n.warning} warning(s), ${n.info} info in ${run.clusters.length} cluster(s); ` +
      `${run.rules.length} rules; fails on ${run.failOn} and above.`,
    '',
  ];
  if (run.clusters.length) {
    head.push('| cluster | path | objects | errors | warnings | info |', '| --- | --- | ---: | ---: | ---: | ---: |');
    for (const c of run.clusters) {
      const k = counts(run.findings.filter((f) => f.cluster === c.name));
      head.push(`| ${cell(c.name)} | \`${cell(c.path)}\` | ${c.objects} | ${k.error} | ${k.warning} | ${k.info} |`);
    }
    head.push('');
  }
  const groups = new Map<string, Finding[]>();
  for (const f of run.findings) {
    const g = f.cluster ? `cluster ${f.cluster}` : 'repository';
    (groups.get(g) ?? groups.set(g, []).get(g)!).push(f);
  }
  const sections: string[] = [];
  for (const [g, fs] of groups) {
    const rows = [
      '| | rule | object | where | message |',
      '| --- | --- | --- | --- | --- |',
      ...fs.map((f) => {
        const related = f.related?.length
          ? ` (related: ${f.related.map((r) => `\`${cell(formatLocation(r))}\``).join(', ')})`
          : '';
        return (
          `| ${ICON[f.severity]} | \`${f.rule}\` | ${f.resource ? `\`${cell(f.resource)}\`` : ''} | ` +
          `\`${cell(location(f))}\` | ${cell(f.message)}${related} |`
        );
      }),
    ];
    sections.push(
      `<details${fs.some((f) => f.severity === 'error') ? ' open' : ''}><summary><b>${cell(g)}</b>: ` +
        `${fs.length} finding(s)</summary>\n\n${rows.join('\n')}\n\n</details>\n`,
    );
  }
  let text = head.join('\n');
  let omitted = 0;
  for (const s of sections) {
    if (text.length + s.length > MAX_COMMENT_CHARS) {
      omitted++;
      continue;
    }
    text += `\n${s}`;
  }
  if (omitted) text += `\n_${omitted} section(s) omitted to fit a comment; run \`aksfleet check\` for all findings._\n`;
  return text.endsWith('\n') ? text : `${text}\n`;
}
