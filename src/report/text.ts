/** Human output: findings grouped by cluster, then file; coloured when the terminal allows. */
import type { Finding } from '../checks/types.js';
import { counts, relatedText, type CheckRun } from './types.js';

const COLORS = { error: '31', warning: '33', info: '36', dim: '2', bold: '1' } as const;

export function formatText(run: CheckRun, opts: { color: boolean }): string {
  const c = (code: keyof typeof COLORS, s: string) => (opts.color ? `\x1b[${COLORS[code]}m${s}\x1b[0m` : s);
  const lines: string[] = [];
  const groups = new Map<string, Finding[]>();
  for (const f of run.findings) {
    const g = f.cluster ? `cluster ${f.cluster}` : 'repository';
    (groups.get(g) ?? groups.set(g, []).get(g)!).push(f);
  }
  for (const [group, fs] of groups) {
    lines.push(c('bold', group));
    let file: string | undefined | null = null;
    for (const f of fs) {
      if (f.file !== file) {
        file = f.file;
        lines.push(`  ${file ?? '(no file)'}`);
      }
      const sev = c(f.severity, f.severity.padEnd(7));
      const at = f.line ? `${String(f.line).padStart(4)}` : '    ';
      lines.push(`  ${at}  ${sev} ${f.message}${f.resource ? c('dim', `  [${f.resource}]`) : ''}  ${c('dim', f.rule)}`);
      for (const r of f.related ?? []) lines.push(`        ${' '.repeat(8)}${c('dim', `related: ${relatedText(r)}`)}`);
      if (f.hint) lines.push(`        ${' '.repeat(8)}${c('dim', `hint: ${f.hint}`)}`);
    }
    lines.push('');
  }
  const n = counts(run.findings);
  const clusters = run.clusters.map((k) => k.name).join(', ') || 'none';
  lines.push(
    `${
      run.findings.length === 0 ? 'no findings' : `${n.error} error(s), ${n.warning} warning(s), ${n.info} info`
    } in ${run.clusters.length} cluster(s) (${clusters}); ${run.rules.length} rules`,
  );
  return `${lines.join('\n')}\n`;
}
