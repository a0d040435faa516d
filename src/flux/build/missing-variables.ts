/**
 * Unset postBuild variables (`${VAR}` without a default, set by neither `substitute` nor
 * `substituteFrom`). Flux 2.9's kustomize-controller fails the Kustomization on them
 * (StrictPostBuildSubstitutions is on by default since kustomize-controller 1.9); before that,
 * or with the gate off, they became the empty string. `--allow-missing-vars` asks for the old
 * behaviour. Offline, a variable is known to be unset only when every substituteFrom source was
 * read (from the build or `--vars`): one that lives only in the cluster may set it.
 */
import type { BuildIssue } from './build-issue.js';
import type { ClusterBuild } from './types.js';

/** The message of an unset variable, strict (Flux 2.9's default) or allowed (`--allow-missing-vars`). */
export function missingVariableMessage(name: string, allowed: boolean): string {
  return `variable \${${name}} is not set by postBuild.substitute or substituteFrom${
    allowed
      ? ' (substituted as empty, as Flux does with StrictPostBuildSubstitutions off: --allow-missing-vars)'
      : `; Flux 2.9 fails the Kustomization (StrictPostBuildSubstitutions is on by default): use a default \${${name}:=value}, define it, or pass --allow-missing-vars`
  }`;
}

/**
 * The unset variables of a build made with `allowMissingVars` (its warnings that name a
 * variable), in Kustomizations whose substituteFrom sources were all read: what Flux 2.9 fails on.
 */
export function knownMissingVariables(b: ClusterBuild): BuildIssue[] {
  return b.kustomizations.flatMap((k) =>
    (k.substitution?.substituteFrom ?? []).every((r) => r.status === 'found' || r.status === 'from-vars-file')
      ? k.warnings.filter((w) => w.variable !== undefined)
      : [],
  );
}
