/**
 * Builds one Flux Kustomization the way kustomize-controller does: the stages of stages.ts
 * (FLUX_BUILD_STAGES), in order. The memoised ones (generate, kustomize build) run through the
 * session's memo (build-memo.ts) when there is one; a cluster path that no Kustomization syncs
 * (`plain`) stops after the plain ones. A failure of generate or of the kustomize build is the
 * build's error: the stages after it do not run.
 */
import type { ArtifactView } from '../source/artifact-view.js';
import { runStages } from '../../pipeline/stages.js';
import { issueFromError } from './issue.js';
import type { MemoResult } from './build-memo.js';
import { FLUX_BUILD_STAGES, type FluxBuildState } from './stages.js';
import type { FluxBuildInput, FluxBuildOutput } from './types.js';

export { FLUX_BUILD_STAGES } from './stages.js';
export { applyMode } from './apply-mode.js';
export type { FluxBuildInput, FluxBuildOutput } from './types.js';

const MEMOISED = FLUX_BUILD_STAGES.filter((s) => s.memoised);
const AFTER_MEMO = FLUX_BUILD_STAGES.filter((s) => !s.memoised);
const AFTER_MEMO_PLAIN = AFTER_MEMO.filter((s) => s.plain);
const PREFIX = 'flux/';

export function buildFluxKustomization(input: FluxBuildInput): FluxBuildOutput {
  const state: FluxBuildState = { input, view: input.fs, resources: [], errors: [], warnings: [] };
  const observe = observerOf(input);
  const run = (view: ArtifactView): MemoResult => {
    state.view = view;
    runStages(MEMOISED, state, input.timings, PREFIX, observe);
    return { gen: state.gen!, built: state.built! };
  };
  try {
    const out = input.memo && !observe ? input.memo.build(input.fs, input.dir, input.spec, run) : run(input.fs);
    state.gen = out.gen;
    state.built = out.built;
  } catch (e) {
    return failed(state, e);
  }
  pushDropped(state);
  runStages(input.plain ? AFTER_MEMO_PLAIN : AFTER_MEMO, state, input.timings, PREFIX, observe);
  const { resources, errors, warnings, gen, substitution, applyModes } = state;
  return {
    resources,
    errors,
    warnings,
    generated: gen!.action,
    kustomization: gen!.kustomization,
    ...(substitution ? { substitution } : {}),
    ...(applyModes ? { applyModes } : {}),
  };
}

/** `build --explain`: the objects after each stage (kustomize build's until repository-origins takes them over). */
function observerOf(input: FluxBuildInput): ((stage: string, s: FluxBuildState) => void) | undefined {
  const tell = input.observe;
  if (!tell) return undefined;
  const run = input.plain
    ? `cluster path ${input.fs.repoPath(input.dir) || '.'}`
    : `Kustomization ${input.namespace}/${input.name}`;
  return (stage, s) =>
    tell(
      run,
      stage,
      (s.resources.length || !s.built ? s.resources : s.built).map((r) => r.object),
    );
}

/** Fields of the kustomization file Flux drops (its generator reads it into a typed struct). */
function pushDropped(s: FluxBuildState): void {
  const g = s.gen!;
  if (g.droppedFields.length) {
    s.warnings.push({
      message:
        `unknown kustomization fields ignored by Flux (kustomize would reject them): ` +
        `${g.droppedFields.join(', ')}`,
      file: s.input.fs.repoPath(g.file),
      chain: s.input.chain,
    });
  }
}

/** generate or the kustomize build threw: the build's errors, nothing built. */
function failed(s: FluxBuildState, e: unknown): FluxBuildOutput {
  const { fs, dir, chain, origin } = s.input;
  const toRepo = (f: string) => fs.repoPath(f);
  const { errors, warnings } = s;
  if (s.gen === undefined) {
    const issues = issueFromError(e, toRepo, { chain, file: fs.repoPath(dir) });
    // A bad spec field is an error of the Flux Kustomization: point at where it is defined.
    errors.push(
      ...issues.map((i) =>
        i.fieldPath?.startsWith('spec.') && origin
          ? {
              ...i,
              file: origin.file,
              line: origin.line,
              column: undefined,
              message:
                i.fieldPath === 'spec.path' ? `${i.message} (repository path '${fs.repoPath(dir) || '.'}')` : i.message,
            }
          : i,
      ),
    );
    return { resources: [], errors, warnings };
  }
  pushDropped(s);
  errors.push(...issueFromError(e, toRepo, { chain }));
  return { resources: [], errors, warnings, generated: s.gen.action, kustomization: s.gen.kustomization };
}
