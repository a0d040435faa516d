/**
 * The renderer diff and promote use: what Flux applies for one cluster, from any RepoFs
 * (a git ref or the working tree), through the Flux build engine.
 */
import type { RepoFs } from '../repo/repo-fs.js';
import type { ClusterEntry } from '../discovery/clusters.js';
import type { ClusterRender, ClusterRenderer } from './fleet-diff.js';
import { unfollowedOf, type Unfollowed } from '../flux/source/unfollowed.js';
import { InputError } from '../errors.js';
import { allErrors, buildCluster, formatIssue, resourcesByTarget, substitutedSecretValues } from '../flux/index.js';
import { maskText } from '../resources/mask.js';
import { createSession, fluxBuildOptions, type Session } from '../session/session.js';
import { renderInputs, renderSettingsOf } from '../session/render-settings.js';
import { memoRender } from '../incremental/render-memo.js';
import { knownMissingVariables, missingVariableMessage } from '../flux/build/missing-variables.js';

export interface RenderOptions {
  /** Values for postBuild variables that live only in the cluster (KEY -> value). */
  readonly vars?: Readonly<Record<string, string>>;
  /**
   * Unset postBuild variables become '' (Flux with StrictPostBuildSubstitutions off) instead of
   * build errors. Default: the session's settings (`--allow-missing-vars`), else Flux 2.9's
   * strict default, applied where it is known offline: a variable of a Kustomization whose
   * substituteFrom sources were all read (one that lives only in the cluster may set it).
   */
  readonly allowMissingVars?: boolean;
  /** `Kind/namespace/name` -> repo-relative directory holding that source's artifact (`--source`). */
  readonly sources?: Readonly<Record<string, string>>;
  /**
   * The session whose memos the builds share (default: a new one for this renderer). Its render
   * settings (src/session/render-settings.ts) give sources, vars and helm; the options above win.
   */
  readonly session?: Session;
}

export function fluxRenderer(opts: RenderOptions = {}): ClusterRenderer {
  const session = opts.session ?? createSession();
  const engine = fluxBuildOptions(session);
  const given = renderInputs(session);
  const sources = opts.sources ?? given.sources;
  const vars = opts.vars ?? given.vars;
  const allowMissingVars = opts.allowMissingVars ?? given.allowMissingVars ?? false;
  const store = engine.helm?.enabled === false ? undefined : engine.helm?.store;
  // What a render depends on besides the answers of the repository and the chart store.
  const settings = JSON.stringify([
    sources ?? {},
    vars ?? {},
    allowMissingVars,
    { ...renderSettingsOf(session), unfetched: undefined, fetchCharts: undefined },
    engine.helm?.kubeVersion ?? '',
    engine.helm?.enabled !== false,
  ]);
  return (fs: RepoFs, cluster: ClusterEntry): ClusterRender =>
    memoRender(session.clusterRenders, `${cluster.path}\0${settings}`, fs, store, (view, charts) => {
      const helm = engine.helm && charts ? { ...engine.helm, store: charts } : engine.helm;
      const b = buildCluster(view, {
        path: cluster.path,
        ...(sources ? { sources } : {}),
        ...(vars ? { vars } : {}),
        allowMissingVars: true,
        ...engine,
        ...(helm ? { helm } : {}),
      });
      const secretValues = substitutedSecretValues(b, vars);
      const strict = allowMissingVars
        ? []
        : knownMissingVariables(b).map((w) => ({ ...w, message: missingVariableMessage(w.variable!, false) }));
      // A Kustomization that failed only on what an offline build cannot follow (a remote base)
      // is not followed, as check says it: listed, the rest of the cluster diffed.
      const all = allErrors(b);
      const errors = [...all.filter((e) => !e.offline), ...strict].map(formatIssue);
      if (errors.length) throw new InputError(maskText(errors.join('\n'), { secretValues }));
      const offline: Unfollowed[] = all
        .filter((e) => e.offline)
        .map((e) => ({
          kind: 'Kustomization',
          id: e.chain?.at(-1) ?? cluster.path,
          reason: maskText(formatIssue({ ...e, chain: [] }), { secretValues }),
          ...(e.file !== undefined ? { file: e.file } : {}),
          ...(e.line !== undefined ? { line: e.line } : {}),
          chain: e.chain ?? [],
        }));
      // What lands on other clusters (spec.kubeConfig) is kept apart, never counted as this cluster's.
      const { local, remote } = resourcesByTarget(b);
      return {
        resources: local,
        ...(remote.length ? { remote } : {}),
        unfollowed: [...unfollowedOf(b), ...offline],
        secretValues,
      };
    });
}
