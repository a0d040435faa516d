/**
 * `aksfleet upgrade plan`: read cluster state (a file of `az aks show -o json` output, the live
 * API, or the fleet spec), plan the upgrade ring by ring (a pure function), render it.
 * Exit 0: a plan without blockers; 1: the plan has blockers (PodDisruptionBudgets that block
 * drains, downgrades, clusters without state, inconsistent state); 2: bad input.
 */
import { resolve } from 'node:path';
import { InputError, UsageError } from '../../errors.js';
import { allResources, buildCluster } from '../../flux/index.js';
import { aksVersions } from '../../facts/aks-versions.js';
import { DiskRepoFs } from '../../repo/repo-fs.js';
import type { Resource } from '../../resources/resource.js';
import { loadFleet } from '../../spec/load.js';
import { dateFlag, readInputFile } from '../../day2/io.js';
import {
  blockers,
  loadUpgradeRules,
  resolveTarget,
  parseStateFile,
  planUpgrade,
  readLiveState,
  renderAzScript,
  renderFleet,
  renderMarkdown,
  stateFromSpec,
  type ClusterState,
  type Finding,
} from '../../day2/upgrade/index.js';
import { fluxBuildOptions } from '../../session/session.js';
import type { Command } from '../command.js';
import { choice } from '../help/choice.js';

const usage =
  'aksfleet upgrade plan [-f fleet.yaml] [--state FILE | --live] [--to VERSION] [--format ' +
  'markdown|json|az|fleet] [--repo DIR] [--date YYYY-MM-DD]';

const command: Command = {
  usage,
  options: {
    file: { type: 'string', short: 'f' },
    state: { type: 'string' },
    live: { type: 'boolean' },
    to: { type: 'string' },
    format: { type: 'string' },
    repo: { type: 'string' },
    date: { type: 'string' },
  },
  async run({ io, args, flags, session }) {
    if (args.length > 0) throw new UsageError(`unexpected argument '${args[0]}'\nUsage: ${usage}`);
    const format = choice('upgrade plan', 'format', flags.format, 'markdown');
    if (flags.state !== undefined && flags.live) throw new UsageError('give --state FILE or --live, not both');
    const date = dateFlag(flags.date);
    // a version AKS does not offer: exit 2 before anything is read
    if (typeof flags.to === 'string') resolveTarget(flags.to, aksVersions());
    const fleetPath = resolve(io.cwd, (flags.file as string | undefined) ?? 'fleet.yaml');
    const fleet = loadFleet(fleetPath);
    let states: ClusterState[];
    if (typeof flags.state === 'string')
      states = parseStateFile(readInputFile(io.cwd, flags.state, 'state file'), flags.state);
    else if (flags.live) states = await readLiveState(fleet, io.env);
    else {
      states = stateFromSpec(fleet);
      io.err(
        'note: no --state or --live: planning from the fleet spec versions (what the clusters were created with)\n',
      );
    }
    const extra: Finding[] = [];
    const workloads: Record<string, Resource[]> = {};
    if (typeof flags.repo === 'string') {
      const fs = new DiskRepoFs(resolve(io.cwd, flags.repo));
      for (const c of fleet.spec.clusters) {
        if (!fs.isDir(`clusters/${c.name}`)) {
          extra.push({
            rule: 'pdb-check-skipped',
            severity: 'warning',
            cluster: c.name,
            message: `${flags.repo} has no clusters/${c.name}; its PodDisruptionBudgets were not checked`,
          });
          continue;
        }
        try {
          const b = buildCluster(fs, { cluster: c.name, allowMissingVars: true, ...fluxBuildOptions(session) });
          workloads[c.name] = allResources(b);
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          extra.push({
            rule: 'pdb-check-skipped',
            severity: 'warning',
            cluster: c.name,
            message: `building clusters/${c.name} failed (${e.message}); its PodDisruptionBudgets were not checked`,
          });
        }
      }
    }
    const plan0 = planUpgrade({
      fleet,
      states,
      ...(typeof flags.to === 'string' ? { target: flags.to } : {}),
      versions: aksVersions(),
      rules: loadUpgradeRules(),
      date,
      workloads,
    });
    const plan = extra.length
      ? {
          ...plan0,
          findings: [
            ...plan0.findings.filter((f) => f.severity === 'error'),
            ...extra,
            ...plan0.findings.filter((f) => f.severity !== 'error'),
          ],
        }
      : plan0;
    switch (format) {
      case 'json':
        io.out(`${JSON.stringify(plan, null, 2)}\n`);
        break;
      case 'az':
        io.out(renderAzScript(plan));
        break;
      case 'fleet':
        io.out(`${JSON.stringify(renderFleet(plan, fleet.metadata.name), null, 2)}\n`);
        break;
      default:
        io.out(renderMarkdown(plan));
    }
    const b = blockers(plan);
    if (b.length)
      io.err(
        `${b.length} blocker${b.length === 1 ? '' : 's'}: ` +
          `${b.map((f) => `${f.rule}${f.cluster ? ` (${f.cluster})` : ''}`).join(', ')}\n`,
      );
    return b.length ? 1 : 0;
  },
};
export default command;
