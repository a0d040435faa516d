/**
 * `aksfleet backup plan [repo]`: Velero schedules for the namespaces with PersistentVolumeClaims
 * (from the rendered Flux repo, built offline per cluster; the current folder by default) or the
 * tenant namespaces (from the spec, when the folder holds no clusters/<name>), the schedules still
 * missing, and the restore playbook, as Markdown, or the plan as JSON or YAML (one document).
 * Exit 0: every namespace with volumes has a schedule; 1: some have none (the YAML to add is
 * printed); 2: bad input.
 */
import { resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { allResources, buildCluster } from '../../flux/index.js';
import { DiskRepoFs } from '../../repo/repo-fs.js';
import { loadFleet } from '../../spec/load.js';
import { toYamlStream } from '../../yaml/emit.js';
import {
  planFromObjects,
  planFromSpec,
  restorePlaybook,
  type BackupPlan,
  type ClusterBackupPlan,
} from '../../day2/backup/index.js';
import { fluxBuildOptions } from '../../session/session.js';
import type { Command } from '../command.js';
import { choice } from '../help/choice.js';

const usage = 'aksfleet backup plan [repo] [-f fleet.yaml] [--format markdown|yaml|json]';

const command: Command = {
  usage,
  options: { file: { type: 'string', short: 'f' }, format: { type: 'string' } },
  async run({ io, args, flags, session }) {
    if (args.length > 1) throw new UsageError(`expected at most one repository argument\nUsage: ${usage}`);
    const format = choice('backup plan', 'format', flags.format, 'markdown');
    const fleet = loadFleet(resolve(io.cwd, (flags.file as string | undefined) ?? 'fleet.yaml'));
    const notes: string[] = [];
    // The repository defaults to the current folder, as for build; without any clusters/<name>
    // there (a fleet folder not generated yet), the namespaces come from the spec.
    const repoArg = args[0] ?? '.';
    const fs = new DiskRepoFs(resolve(io.cwd, repoArg));
    const rendered = fleet.spec.clusters.some((c) => fs.isDir(`clusters/${c.name}`));
    let plan: BackupPlan;
    if (args[0] !== undefined || rendered) {
      const clusters: ClusterBackupPlan[] = [];
      for (const c of fleet.spec.clusters) {
        if (!fs.isDir(`clusters/${c.name}`)) {
          notes.push(`${repoArg} has no clusters/${c.name}: ${c.name} planned from the spec`);
          clusters.push(planFromSpec(fleet, c));
          continue;
        }
        try {
          clusters.push(
            planFromObjects(
              fleet,
              c.name,
              allResources(buildCluster(fs, { cluster: c.name, allowMissingVars: true, ...fluxBuildOptions(session) })),
            ),
          );
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          throw new InputError(`building clusters/${c.name} failed: ${e.message}`, {
            pos: e.pos,
            fieldPath: e.fieldPath,
            cause: e,
          });
        }
      }
      plan = { source: 'repo', clusters };
    } else {
      notes.push(
        'no clusters/<name> in the current folder: tenant namespaces from the spec (which ' +
          'PersistentVolumeClaims exist is known only from the rendered repo: aksfleet backup plan <repo>)',
      );
      plan = { source: 'spec', clusters: fleet.spec.clusters.map((c) => planFromSpec(fleet, c)) };
    }
    const azure = fleet.spec.backup.engine === 'azureBackup';
    if (!azure && !fleet.spec.addons.velero.enabled)
      notes.push('addons.velero.enabled is false: no Velero runs on the clusters, so no schedule can run');
    const missing = plan.clusters.flatMap((c) => c.missing.map((m) => ({ cluster: c.cluster, m })));
    for (const n of notes) io.err(`note: ${n}\n`);
    // json and yaml: the same document (the schedules to add are each cluster's `missing`).
    if (format === 'json') io.out(`${JSON.stringify({ ...plan, notes }, null, 2)}\n`);
    else if (format === 'yaml')
      io.out(toYamlStream([JSON.parse(JSON.stringify({ ...plan, notes })) as Record<string, unknown>]));
    else {
      const b = fleet.spec.backup;
      const what = azure
        ? `Azure Backup for AKS, schedule \`${b.schedule}\` (UTC), kept ${b.retention}`
        : `Velero schedule \`${fleet.spec.addons.velero.schedule}\`, kept ${fleet.spec.addons.velero.ttl}`;
      const L: string[] = [
        '# Backup plan',
        '',
        `Namespaces from the ${plan.source === 'repo' ? 'rendered repository' : 'fleet spec'}; ${what}.`,
        '',
      ];
      L.push('| Cluster | Namespace | Volumes | Schedule |', '|---|---|---|---|');
      for (const c of plan.clusters)
        for (const n of c.namespaces)
          L.push(
            `| ${c.cluster} | ${n.namespace} | ` +
              `${n.volumes.join(', ') || (n.from === 'spec' ? '(unknown without the repo)' : '-')} | ` +
              `${n.schedule ?? '**missing**'} |`,
          );
      L.push('');
      if (missing.length) {
        L.push(
          '## Schedules to add',
          '',
          'Commit these (e.g. under platform/configs/velero) so that Flux applies them:',
          '',
        );
        for (const x of missing) L.push(`${x.cluster}:`, '', '```yaml', toYamlStream([x.m]).trimEnd(), '```', '');
      }
      L.push(restorePlaybook(fleet, plan));
      io.out(`${L.join('\n').trimEnd()}\n`);
    }
    if (missing.length)
      io.err(
        `${missing.length} namespace${missing.length === 1 ? '' : 's'} with volumes and no Velero schedule: ` +
          `${missing.map((x) => `${x.cluster}/${(x.m.spec as { template: { includedNamespaces: string[] } }).template.includedNamespaces[0]}`).join(', ')}\n`,
      );
    return missing.length ? 1 : 0;
  },
};
export default command;
