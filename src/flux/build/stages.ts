/**
 * The build of one Flux Kustomization as an ordered list of named stages: the list below is
 * what buildFluxKustomization (build-kustomization.ts) runs, in this order. kustomize-controller
 * does the same work in three places: its build() does generate, kustomize build and postBuild
 * substitution; its apply() normalises the objects and sets commonMetadata; the server-side apply
 * manager sets the owner labels (so they win) and honours the apply-mode annotations.
 *
 * `memoised` stages read only the source artifact and the build-relevant spec fields: the
 * session's memo (build-memo.ts) runs them once for every cluster that builds the same folder.
 * `plain` stages also run for a cluster path that no Flux Kustomization syncs (it is applied as
 * it is, without the Kustomization's substitution, metadata or labels).
 */
import { missingVariableMessage } from './missing-variables.js';
import { buildKustomization } from '../../kustomize/index.js';
import { resourceId, type KObject, type Resource } from '../../resources/resource.js';
import type { Stage } from '../../pipeline/stages.js';
import { generateKustomization, type GeneratedKustomization } from '../generator/index.js';
import { loadVariables, substituteObject } from '../substitute/index.js';
import type { ArtifactView } from '../source/artifact-view.js';
import { ownerLabels } from './owner-labels.js';
import { commonMetadata } from './common-metadata.js';
import { normalize } from './normalize.js';
import { applyMode } from './apply-mode.js';
import type { BuildIssue } from './types.js';
import type { FluxBuildInput, FluxBuildOutput } from './types.js';

/** What the stages of one Flux Kustomization build read and write. */
export interface FluxBuildState {
  readonly input: FluxBuildInput;
  /** The artifact the memoised stages read (the memo's recording view of `input.fs`). */
  view: ArtifactView;
  /** generate's result: the kustomization.yaml Flux builds, with the spec overrides. */
  gen?: GeneratedKustomization;
  /** kustomize build's result (origins relative to the artifact). */
  built?: Resource[];
  /** The objects, from repository-origins on. */
  resources: Resource[];
  readonly errors: BuildIssue[];
  readonly warnings: BuildIssue[];
  substitution?: FluxBuildOutput['substitution'];
  applyModes?: FluxBuildOutput['applyModes'];
}

export interface FluxStage extends Stage<FluxBuildState> {
  readonly memoised: boolean;
  readonly plain: boolean;
}

/** Flux's kustomization generator and the spec overrides (../generator). */
const generate: FluxStage = {
  name: 'generate',
  memoised: true,
  plain: true,
  does:
    "Flux's generator: the folder's kustomization.yaml (or one listing its manifests) with the spec's " +
    'overrides (images, patches, namePrefix, targetNamespace, components)',
  run(s) {
    s.gen = generateKustomization(s.view, s.input.dir, s.input.spec);
  },
};

/** kustomize build over the artifact: no load restrictions, FIFO order (as kustomize-controller). */
const kustomizeBuild: FluxStage = {
  name: 'kustomize-build',
  memoised: true,
  plain: true,
  does: 'kustomize build of the generated kustomization over the source artifact (load restrictions none, FIFO order)',
  run(s) {
    s.built = buildKustomization(s.view, s.input.dir, {
      loadRestrictions: 'None',
      defaultSortOrder: 'fifo',
      rootKustomization: s.gen!.kustomization,
    });
  },
};

/** Origins in repository terms, each object tagged with the Flux Kustomization that applies it. */
const repositoryOrigins: FluxStage = {
  name: 'repository-origins',
  memoised: false,
  plain: true,
  does: 'origins made repository-relative; each object tagged with the Flux Kustomization that applies it',
  run(s) {
    const { fs, plain } = s.input;
    const toRepo = (f: string) => fs.repoPath(f);
    const genFile = toRepo(s.gen!.file);
    const fluxId = `${s.input.namespace}/${s.input.name}`;
    s.resources = s.built!.map((r) => ({
      object: r.object,
      origin: {
        ...(r.origin ?? { file: genFile }),
        file: r.origin?.file !== undefined ? toRepo(r.origin.file) : genFile,
        ...(r.origin?.kustomization !== undefined ? { kustomization: toRepo(r.origin.kustomization) } : {}),
        ...(plain ? {} : { fluxKustomization: fluxId }),
      },
    }));
  },
};

/** spec.postBuild: substitute and substituteFrom, per object (../substitute). */
const postbuildSubstitute: FluxStage = {
  name: 'postbuild-substitute',
  memoised: false,
  plain: false,
  does: 'spec.postBuild variable substitution (substitute, substituteFrom), object by object',
  run(s) {
    const { spec, chain, allowMissingVars } = s.input;
    if (spec.postBuild === undefined || spec.postBuild === null) return;
    const v = loadVariables(spec.postBuild, s.input.namespace, s.input.variables);
    for (const p of v.problems) s.errors.push({ message: p.message, fieldPath: p.fieldPath, chain });
    for (const r of v.refs) {
      if (r.status === 'missing' || r.status === 'encrypted') {
        const why =
          r.status === 'missing'
            ? 'is not in the cluster build (created in the cluster?)'
            : 'is SOPS-encrypted (decrypted in the cluster)';
        const msg =
          `${r.ref} ${why}; its variables are unknown: pass --vars FILE with ` +
          `them${allowMissingVars ? '' : ', or --allow-missing-vars'}`;
        (allowMissingVars ? s.warnings : s.errors).push({
          message: msg,
          fieldPath: `spec.postBuild.substituteFrom[${r.index}]`,
          chain,
        });
      }
    }
    s.substitution = { variables: [...v.vars.keys()].sort(), substituteFrom: v.refs };
    const always = spec.postBuild.substituteStrategy === 'Always';
    const memo = s.input.memo ? { memo: s.input.memo.substitutions } : {};
    s.resources = s.resources.map((r) => {
      const out = substituteObject(r.object, { vars: v.vars, always, unknownVars: v.unknownVars, ...memo });
      const where = { file: r.origin?.file, line: r.origin?.line, object: resourceId(r.object), chain };
      if (out.status === 'error') {
        s.errors.push({
          ...where,
          message: `postBuild substitution failed: ${out.message}`,
          ...(out.variable ? { variable: out.variable } : {}),
        });
        return r;
      }
      if (out.status === 'substituted') {
        for (const m of out.missing) {
          const msg = missingVariableMessage(m, allowMissingVars);
          (allowMissingVars ? s.warnings : s.errors).push({ ...where, message: msg, variable: m });
        }
        // Where those variables were: their values are not what the cluster gets (check's
        // schema rule does not judge them; the missing variable is reported instead).
        const at = out.missing.length ? pointersHolding(r.object, out.missing) : [];
        if (at.length && r.origin) return { object: out.object, origin: { ...r.origin, unsubstituted: at } };
      }
      return out.object === r.object ? r : { ...r, object: out.object };
    });
  },
};

/** JSON pointers of the string values of `v` that use one of `variables` (`${NAME}`, `${NAME:=x}`...). */
export function pointersHolding(v: unknown, variables: readonly string[], at = ''): string[] {
  if (typeof v === 'string') return variables.some((n) => v.includes(`\${${n}}`) || v.includes(`\${${n}:`)) ? [at] : [];
  if (v === null || typeof v !== 'object') return [];
  const entries: [string, unknown][] = Array.isArray(v) ? v.map((x, i) => [String(i), x]) : Object.entries(v);
  return entries.flatMap(([k, x]) =>
    pointersHolding(x, variables, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`),
  );
}

/** One function applied to every object. */
function eachObject(name: string, does: string, f: (o: KObject, input: FluxBuildInput) => KObject): FluxStage {
  return {
    name,
    does,
    memoised: false,
    plain: false,
    run(s) {
      s.resources = s.resources.map((r) => ({ ...r, object: f(r.object, s.input) }));
    },
  };
}

/** SOPS-encrypted Secrets and objects without identity, as the apply would find them. */
const verifyObjects: FluxStage = {
  name: 'verify-objects',
  memoised: false,
  plain: false,
  does:
    'what the apply would refuse: SOPS-encrypted Secrets without spec.decryption, objects without apiVersion, ' +
    'kind or name',
  run(s) {
    const { spec, chain } = s.input;
    for (const r of s.resources) {
      const o = r.object;
      const decryptDisabled =
        (o.metadata?.annotations?.['kustomize.toolkit.fluxcd.io/decrypt'] ?? '').toLowerCase() === 'disabled';
      if (o.kind === 'Secret' && o.apiVersion === 'v1' && 'sops' in o && !decryptDisabled) {
        const where = { file: r.origin?.file, line: r.origin?.line, object: resourceId(o), chain };
        if (spec.decryption === undefined || spec.decryption === null) {
          s.errors.push({
            ...where,
            message:
              'is SOPS encrypted, configuring decryption (spec.decryption) is required for this secret to be ' +
              'reconciled',
          });
        } else {
          s.warnings.push({
            ...where,
            message: 'is SOPS encrypted: Flux decrypts it in the cluster; its values are not known offline',
          });
        }
      }
      if (!o.apiVersion || !o.kind || !o.metadata?.name) {
        s.errors.push({
          message: 'object without apiVersion, kind or metadata.name',
          file: r.origin?.file,
          line: r.origin?.line,
          object: resourceId(o),
          chain,
        });
      }
    }
  },
};

/** kustomize-controller's apply selectors: objects skipped or only created. */
const applyModes: FluxStage = {
  name: 'apply-modes',
  memoised: false,
  plain: false,
  does: 'the apply modes the objects ask for (reconcile: disabled, ssa: Ignore or IfNotPresent)',
  run(s) {
    const modes = s.resources.flatMap((r) => {
      const m = applyMode(r.object);
      return m ? [{ object: resourceId(r.object), ...m }] : [];
    });
    if (modes.length) s.applyModes = modes;
  },
};

/** The stages of a Flux Kustomization build, in the order they run. */
export const FLUX_BUILD_STAGES: readonly FluxStage[] = [
  generate,
  kustomizeBuild,
  repositoryOrigins,
  postbuildSubstitute,
  eachObject(
    'normalize',
    "the apply's normalisation (default port protocol, Secret stringData to data, no status)",
    (o) => normalize(o),
  ),
  eachObject('common-metadata', 'spec.commonMetadata labels and annotations (metadata only)', (o, input) =>
    commonMetadata(o, input.spec.commonMetadata),
  ),
  eachObject(
    'owner-labels',
    'the owner labels kustomize.toolkit.fluxcd.io/name and /namespace (set by the apply, so they win)',
    (o, input) => ownerLabels(o, input),
  ),
  verifyObjects,
  applyModes,
];
