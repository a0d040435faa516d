/**
 * The plan as a bash script of az CLI commands (`set -euo pipefail`; passes shellcheck).
 * Soaks and gates stop the script and ask the operator to confirm; `AKSFLEET_FROM_STEP=N`
 * resumes at step N after a stop.
 */
import type { Plan, Step } from './types.js';

import { shCommentText, shq } from '../shell.js';

export { shq };

function target(s: Step): string {
  const sub = s.subscriptionId ? ` --subscription ${shq(s.subscriptionId)}` : '';
  return `--resource-group ${shq(s.resourceGroup ?? '<resource-group>')}${sub}`;
}

/** The az command of one step (undefined for soak and gate). */
export function azCommand(s: Step): string | undefined {
  const c = shq(s.cluster ?? '');
  switch (s.kind) {
    case 'channel':
      return `az aks update ${target(s)} --name ${c} --auto-upgrade-channel ${shq(s.to!)}`;
    case 'control-plane':
      return `az aks upgrade ${target(s)} --name ${c} --control-plane-only --kubernetes-version ${shq(s.to!)} --yes`;
    case 'node-pool':
      return (
        `az aks nodepool upgrade ${target(s)} --cluster-name ${c} ` +
        `--name ${shq(s.pool!)} --kubernetes-version ${shq(s.to!)} --yes`
      );
    case 'node-image':
      return `az aks nodepool upgrade ${target(s)} --cluster-name ${c} --name ${shq(s.pool!)} --node-image-only --yes`;
    default:
      return undefined;
  }
}

export function renderAzScript(plan: Plan): string {
  const L: string[] = [
    '#!/usr/bin/env bash',
    `# aksfleet upgrade plan${plan.target ? ` to ${shCommentText(plan.target)}` : ''} ` +
      `(support judged on ${shCommentText(plan.date)}).`,
    '# Generated: review it, then run it. Soaks and gates stop here; rerun with',
    '# AKSFLEET_FROM_STEP=<n> to resume at step n.',
    'set -euo pipefail',
    '',
    'from_step="${AKSFLEET_FROM_STEP:-1}"',
    '',
    'step() {',
    '  # step <n> <description>: true when step n should run',
    '  if [ "$1" -lt "$from_step" ]; then return 1; fi',
    '  printf \'\\n==> step %s: %s\\n\' "$1" "$2" >&2',
    '}',
    '',
    'stop_for() {',
    '  # stop_for <n> <what>: a soak or gate; the operator resumes at the next step',
    '  printf \'\\n==> step %s: %s\\nResume with AKSFLEET_FROM_STEP=%s when done.\\n\' "$1" "$2" "$(( $1 + 1 ))" >&2',
    '  exit 0',
    '}',
    '',
  ];
  const blockers = plan.findings.filter((f) => f.severity === 'error');
  if (blockers.length) {
    L.push('# BLOCKERS (fix before running):');
    for (const b of blockers)
      L.push(`#   ${shCommentText(`${b.rule} ${b.cluster ?? ''}: ${b.message.replace(/\n/g, ' ')}`)}`);
    L.push(
      'if [ "${AKSFLEET_IGNORE_BLOCKERS:-}" != 1 ]; then',
      `  echo 'this plan has ${blockers.length} blocker${blockers.length === 1 ? '' : 's'} (listed ` +
        `at the top of the script); fix them and plan again, or set AKSFLEET_IGNORE_BLOCKERS=1' >&2`,
      '  exit 1',
      'fi',
      '',
    );
  }
  for (const s of plan.steps) {
    const desc =
      `${s.kind}${s.cluster ? ` ${s.cluster}` : ''}${s.pool ? `/${s.pool}` : ''}` +
      `${s.from !== undefined ? ` ${s.from} -> ${s.to}` : ''}`;
    if (s.kind === 'soak' || s.kind === 'gate') {
      const what =
        s.kind === 'soak' ? `soak ring ${s.ring} for ${s.duration}` : `gate after ring ${s.ring}: ${s.reason}`;
      for (const c of s.checks ?? []) L.push(`#   check: ${shCommentText(c)}`);
      if (s.promql) L.push(`#   check (PromQL, no series): ${shCommentText(s.promql)}`);
      L.push(`if [ ${s.n} -ge "$from_step" ]; then stop_for ${s.n} ${shq(what)}; fi`);
      continue;
    }
    L.push(`if step ${s.n} ${shq(desc)}; then`, `  ${azCommand(s)}`, 'fi');
  }
  L.push('', "echo 'upgrade plan complete' >&2", '');
  return L.join('\n');
}
