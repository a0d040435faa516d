/**
 * What `aksfleet check` reads from its command line and what it prints for a result: one place
 * for `check` and `check --watch`, so that a watched run prints the bytes a fresh check prints.
 */
import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import type { Profile } from '../checks/config.js';
import type { CheckResult } from '../checks/index.js';
import { failing } from '../checks/run.js';
import type { SEVERITIES, Severity } from '../checks/types.js';
import type { PolicyDocument } from '../admission/types.js';
import { type FORMATS, formatRun, type Format } from '../report/index.js';
import { packageVersion } from '../package-root.js';
import { platformOf, policyDocuments } from './check-selection.js';
import type { CommandContext, Io } from './command.js';
import { choice, optionalChoice } from './help/choice.js';
import { clusterSelection } from './render-options.js';

export interface CheckFlags {
  readonly root: string;
  readonly format: Format;
  readonly failOn: Severity;
  /** `--path` / `--cluster`, `--platform`, `--profile`, `AKSFLEET_TODAY`: what checkRepository is given. */
  readonly selection: {
    readonly path?: string;
    readonly cluster?: string;
    readonly platform?: 'aks' | 'kubernetes';
    readonly profile?: Profile;
    readonly today?: string;
  };
  /** The `--policies` paths as given (read with `policies()`, again after an edit in watch mode). */
  readonly policyPaths: readonly string[];
  policies(): PolicyDocument[];
}

/** The flags of `check` every run shares (not `--jobs`, `--shard`, `--changed-since`: each run's own). */
export function checkFlags({ io, args, flags }: Pick<CommandContext, 'io' | 'args' | 'flags'>): CheckFlags {
  if (args.length > 1)
    throw new UsageError(`check takes at most one repository directory, got ${args.length}: ${args.join(' ')}`);
  const format = choice('check', 'format', flags.format, 'text') as (typeof FORMATS)[number];
  const failOn = choice('check', 'fail-on', flags['fail-on'], 'error') as (typeof SEVERITIES)[number];
  const clusters = clusterSelection(flags);
  const root = resolve(io.cwd, args[0] ?? '.');
  const platform = platformOf('check', flags);
  const profile = optionalChoice('check', 'profile', flags.profile) as Profile | undefined;
  const policyPaths = Array.isArray(flags.policies)
    ? flags.policies.map(String)
    : flags.policies === undefined
      ? []
      : [String(flags.policies)];
  return {
    root,
    format: format as Format,
    failOn: failOn as Severity,
    selection: {
      ...(platform !== undefined ? { platform } : {}),
      ...(profile !== undefined ? { profile } : {}),
      ...clusters,
      ...(io.env.AKSFLEET_TODAY ? { today: io.env.AKSFLEET_TODAY } : {}),
    },
    policyPaths,
    policies: () => policyDocuments(root, io.cwd, policyPaths),
  };
}

/** What `check` says when it finds no cluster to check. */
export function noClusterError(root: string): UsageError {
  return new UsageError(
    `no cluster found in ${root}: no fleet.yaml with clusters/, no Flux sync (GitRepository + Kustomization), ` +
      'no clusters/<name>/; use --path DIR',
  );
}

/**
 * Prints the report of `result` on stdout and what check says beside it on stderr (the assumed
 * Kubernetes version; the counts when the format is not text); returns the exit code (1: findings
 * at or above `failOn`).
 */
export function printCheckReport(
  io: Io,
  result: Pick<CheckResult, 'findings' | 'clusters' | 'rules' | 'assumedKubernetesVersion'>,
  o: { readonly format: Format; readonly failOn: Severity; readonly shard?: Parameters<typeof formatRun>[0]['shard'] },
): number {
  io.out(
    formatRun(
      {
        findings: result.findings,
        clusters: result.clusters,
        rules: result.rules,
        failOn: o.failOn,
        toolVersion: packageVersion(),
        ...(o.shard ? { shard: o.shard } : {}),
      },
      o.format,
      { color: io.color && o.format === 'text' },
    ),
  );
  const bad = failing(result.findings, o.failOn);
  const kube = result.assumedKubernetesVersion;
  if (kube)
    io.err(
      `info: no Kubernetes version is named for ${kube.clusters.length === 1 ? 'cluster' : 'clusters'} ` +
        `${kube.clusters.join(', ')}: ` +
        `objects were judged against the schemas of Kubernetes ${kube.version} (${kube.why}), so APIs removed ` +
        'before it are errors; name it with --kube-version V or render.kubeVersion in .aksfleet.yaml\n',
    );
  if (o.format !== 'text')
    io.err(
      `${result.findings.length} finding(s), ${bad.length} at or above ${o.failOn}, ` +
        `in ${result.clusters.length} cluster(s)\n`,
    );
  return bad.length > 0 ? 1 : 0;
}
