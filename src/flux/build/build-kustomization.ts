/**
 * Builds one Flux Kustomization the way kustomize-controller does. The steps, in order:
 *   1. generate: Flux's kustomization generator + spec overrides (../generator)
 *   2. kustomize build over the source artifact (LoadRestrictions None, FIFO order)
 *   3. postBuild substitution, per resource (../substitute)
 *   4. normalisation of the apply (default port protocol, Secret stringData -> data, no status)
 *   5. spec.commonMetadata (metadata only)
 *   6. owner labels kustomize.toolkit.fluxcd.io/name + /namespace (set by the apply, so they win)
 * (kustomize-controller: build() does 1-3, apply() does 4-5, the SSA manager sets 6.)
 */
import { buildKustomization } from '../../kustomize/index.js';
import { resourceId, type KObject, type Resource } from '../../resources/resource.js';
import type { FluxKustomizationSpec } from '../types.js';
import { generateKustomization, type GeneratedKustomization } from '../generator/index.js';
import type { BuildMemo } from './build-memo.js';
import { loadVariables, substituteObject, type VariableSources, type SubstituteFromResult } from '../substitute/index.js';
import type { ArtifactView } from '../source/artifact-view.js';
import { ownerLabels } from './owner-labels.js';
import { commonMetadata } from './common-metadata.js';
import { normalize } from './normalize.js';
import { issueFromError } from './issue.js';
import type { BuildIssue, KustomizationBuild } from './types.js';

export const FLUX_BUILD_STEPS = ['generate', 'kustomize-build', 'postbuild-substitute', 'normalize', 'common-metadata', 'owner-labels'] as const;

export interface FluxBuildInput {
  readonly name: string;
  readonly namespace: string;
  readonly spec: FluxKustomizationSpec;
  /** The artifact of the Kustomization's source. */
  readonly fs: ArtifactView;
  /** Artifact-relative directory (spec.path). */
  readonly dir: string;
  /** `namespace/name` chain, for issues. */
  readonly chain: readonly string[];
  readonly variables: VariableSources;
  readonly allowMissingVars: boolean;
  /** Where the Flux Kustomization is defined: errors in its spec point there. */
  readonly origin?: { readonly file: string; readonly line?: number };
  /** Skip steps 4-6 (the cluster path when no Kustomization syncs it). */
  readonly plain?: boolean;
  /** The session's memos (build-memo.ts); none: built afresh. */
  readonly memo?: BuildMemo;
}

export interface FluxBuildOutput {
  readonly resources: Resource[];
  readonly errors: BuildIssue[];
  readonly warnings: BuildIssue[];
  readonly generated?: 'created' | 'unchanged';
  readonly kustomization?: Record<string, unknown>;
  readonly substitution?: { readonly variables: readonly string[]; readonly substituteFrom: readonly SubstituteFromResult[] };
  readonly applyModes?: KustomizationBuild['applyModes'];
}

const FLUX = 'kustomize.toolkit.fluxcd.io';

/** kustomize-controller's apply selectors (ExclusionSelector, IfNotPresentSelector), on labels or annotations. */
export function applyMode(o: KObject): { mode: 'skip' | 'create-only'; reason: string } | undefined {
  // ssa utils.AnyInMetadata: a label or an annotation, compared case-insensitively.
  const has = (k: string, v: string) =>
    [o.metadata?.labels?.[k], o.metadata?.annotations?.[k]].some((x) => typeof x === 'string' && x !== '' && x.toLowerCase() === v.toLowerCase());
  if (has(`${FLUX}/reconcile`, 'disabled')) return { mode: 'skip', reason: `${FLUX}/reconcile: disabled` };
  if (has(`${FLUX}/ssa`, 'Ignore')) return { mode: 'skip', reason: `${FLUX}/ssa: Ignore` };
  if (has(`${FLUX}/ssa`, 'IfNotPresent')) return { mode: 'create-only', reason: `${FLUX}/ssa: IfNotPresent` };
  return undefined;
}

export function buildFluxKustomization(input: FluxBuildInput): FluxBuildOutput {
  const { fs, dir, spec, chain } = input;
  const toRepo = (f: string) => fs.repoPath(f);
  const errors: BuildIssue[] = [];
  const warnings: BuildIssue[] = [];
  const fluxId = `${input.namespace}/${input.name}`;
  const pushDropped = (g: GeneratedKustomization) => {
    if (g.droppedFields.length) {
      warnings.push({ message: `unknown kustomization fields ignored by Flux (kustomize would reject them): ${g.droppedFields.join(', ')}`, file: toRepo(g.file), chain });
    }
  };

  // 1. generate, 2. kustomize build (memoised across clusters: see build-memo.ts)
  let generated: GeneratedKustomization | undefined;
  let out12;
  try {
    const run = (view: ArtifactView) => {
      const g = generateKustomization(view, dir, spec);
      generated = g;
      return { gen: g, built: buildKustomization(view, dir, { loadRestrictions: 'None', defaultSortOrder: 'fifo', rootKustomization: g.kustomization }) };
    };
    out12 = input.memo ? input.memo.build(fs, dir, spec, run) : run(fs);
  } catch (e) {
    const gen = generated as GeneratedKustomization | undefined;
    if (gen === undefined) {
      const issues = issueFromError(e, toRepo, { chain, file: fs.repoPath(dir) });
      // A bad spec field is an error of the Flux Kustomization: point at where it is defined.
      errors.push(...issues.map((i) => (i.fieldPath?.startsWith('spec.') && input.origin
        ? { ...i, file: input.origin.file, line: input.origin.line, column: undefined, message: i.fieldPath === 'spec.path' ? `${i.message} (repository path '${fs.repoPath(dir) || '.'}')` : i.message }
        : i)));
      return { resources: [], errors, warnings };
    }
    pushDropped(gen);
    errors.push(...issueFromError(e, toRepo, { chain }));
    return { resources: [], errors, warnings, generated: gen.action, kustomization: gen.kustomization };
  }
  const { gen, built } = out12;
  pushDropped(gen);
  let resources: Resource[] = built.map((r) => ({
    object: r.object,
    origin: {
      ...(r.origin ?? { file: toRepo(gen.file) }),
      file: r.origin?.file !== undefined ? toRepo(r.origin.file) : toRepo(gen.file),
      ...(r.origin?.kustomization !== undefined ? { kustomization: toRepo(r.origin.kustomization) } : {}),
      ...(input.plain ? {} : { fluxKustomization: fluxId }),
    },
  }));
  if (input.plain) return { resources, errors, warnings, generated: gen.action, kustomization: gen.kustomization };

  // 3. postBuild substitution
  let substitution: FluxBuildOutput['substitution'];
  if (spec.postBuild !== undefined && spec.postBuild !== null) {
    const v = loadVariables(spec.postBuild, input.namespace, input.variables);
    for (const p of v.problems) errors.push({ message: p.message, fieldPath: p.fieldPath, chain });
    for (const r of v.refs) {
      if (r.status === 'missing' || r.status === 'encrypted') {
        const why = r.status === 'missing' ? 'is not in the cluster build (created in the cluster?)' : 'is SOPS-encrypted (decrypted in the cluster)';
        const msg = `${r.ref} ${why}; its variables are unknown: pass --vars FILE with them${input.allowMissingVars ? '' : ', or --allow-missing-vars'}`;
        (input.allowMissingVars ? warnings : errors).push({ message: msg, fieldPath: `spec.postBuild.substituteFrom[${r.index}]`, chain });
      }
    }
    substitution = { variables: [...v.vars.keys()].sort(), substituteFrom: v.refs };
    const always = spec.postBuild.substituteStrategy === 'Always';
    resources = resources.map((r) => {
      const out = substituteObject(r.object, { vars: v.vars, always, unknownVars: v.unknownVars, ...(input.memo ? { memo: input.memo.substitutions } : {}) });
      const where = { file: r.origin?.file, line: r.origin?.line, object: resourceId(r.object), chain };
      if (out.status === 'error') {
        errors.push({ ...where, message: `postBuild substitution failed: ${out.message}`, ...(out.variable ? { variable: out.variable } : {}) });
        return r;
      }
      if (out.status === 'substituted') {
        for (const m of out.missing) {
          const msg = `variable \${${m}} is not set by postBuild.substitute or substituteFrom${input.allowMissingVars ? ' (substituted as empty, as Flux does)' : '; Flux would substitute an empty string (use a default ${' + m + ':=value}, define it, or pass --allow-missing-vars)'}`;
          (input.allowMissingVars ? warnings : errors).push({ ...where, message: msg, variable: m });
        }
      }
      return out.object === r.object ? r : { ...r, object: out.object };
    });
  }
  // 4-6. normalisation, commonMetadata, owner labels
  resources = resources.map((r) => {
    let o: KObject = normalize(r.object);
    o = commonMetadata(o, spec.commonMetadata);
    o = ownerLabels(o, input);
    return { ...r, object: o };
  });
  for (const r of resources) {
    const o = r.object;
    const decryptDisabled = (o.metadata?.annotations?.['kustomize.toolkit.fluxcd.io/decrypt'] ?? '').toLowerCase() === 'disabled';
    if (o.kind === 'Secret' && o.apiVersion === 'v1' && 'sops' in o && !decryptDisabled) {
      const where = { file: r.origin?.file, line: r.origin?.line, object: resourceId(o), chain };
      if (spec.decryption === undefined || spec.decryption === null) {
        errors.push({ ...where, message: 'is SOPS encrypted, configuring decryption (spec.decryption) is required for this secret to be reconciled' });
      } else {
        warnings.push({ ...where, message: 'is SOPS encrypted: Flux decrypts it in the cluster; its values are not known offline' });
      }
    }
    if (!o.apiVersion || !o.kind || !o.metadata?.name) {
      errors.push({ message: 'object without apiVersion, kind or metadata.name', file: r.origin?.file, line: r.origin?.line, object: resourceId(o), chain });
    }
  }
  const applyModes = resources.flatMap((r) => {
    const m = applyMode(r.object);
    return m ? [{ object: resourceId(r.object), ...m }] : [];
  });
  return {
    resources, errors, warnings, generated: gen.action, kustomization: gen.kustomization,
    ...(substitution ? { substitution } : {}), ...(applyModes.length ? { applyModes } : {}),
  };
}
