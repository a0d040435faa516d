/** The blue/green plan as a reviewable Markdown document (what the dry run prints). */
import type { BlueGreenPlan } from './plan.js';

const fence = (lang: string, body: string) => ['```' + lang, body.replace(/\n$/, ''), '```'];

export function renderBlueGreen(p: BlueGreenPlan): string {
  const L: string[] = [`# Blue/green node pool replacement: ${p.cluster}/${p.oldPool} -> ${p.newPool}`, ''];
  L.push(
    `Environment ${p.environment} (branch ${p.branch}); ` +
      `the green pool runs Kubernetes ${p.version}. Dry run: nothing was changed.`,
    '',
  );
  for (const n of p.notes) L.push(`- Note: ${n}`);
  if (p.notes.length) L.push('');
  p.steps.forEach((s, i) => {
    L.push(`## ${i + 1}. ${s.title}`, '');
    switch (s.kind) {
      case 'new-pool':
      case 'remove-pool':
        L.push('fleet.yaml:', '', ...fence('yaml', s.fleetChange), '');
        if (s.diffs.length)
          L.push('Files `aksfleet generate` changes with it:', '', ...fence('diff', s.diffs.join('')), '');
        if (s.kind === 'remove-pool')
          L.push('First check that only DaemonSet pods remain:', '', ...fence('sh', s.precheck), '');
        L.push(s.kind === 'new-pool' ? 'Or directly:' : 'Then:', '', ...fence('sh', s.az), '');
        break;
      case 'drain':
        L.push(...fence('bash', s.script), '');
        break;
      case 'commit':
        L.push(
          `Commit on \`${s.branch}\` (reaches ${s.reaches.join(', ')}): "${s.message}"`,
          '',
          ...fence('diff', s.diff),
          '',
        );
        L.push(`Keep fleet.yaml in step: \`${s.fleetChange}\``, '');
        break;
      case 'check':
        L.push(
          `Wait ${s.window} after Flux applied the commit; ` +
            `the query must return nothing (${s.source}). If it returns a series, revert the commit.`,
          '',
          ...fence('promql', s.promql),
          '',
        );
        break;
    }
  });
  return `${L.join('\n').trimEnd()}\n`;
}
