/**
 * A Flux Operator ResourceSet expanded offline into the objects the operator applies
 * (internal/controller/resourceset_controller.go: inputs, build, owner labels, commonMetadata,
 * the apply's normalisation), each located at the ResourceSet with the input set it came from.
 *
 * Input providers: `Static` ResourceSetInputProviders of the cluster build are read (their
 * `defaultValues` and an `id`); every other type (GitHub, GitLab, Azure DevOps, OCI, ExternalService...)
 * asks a remote API in the cluster, so a ResourceSet that reads one is not expanded and says why.
 */
import { isPlainObject, resourceId, type KObject, type Resource } from '../../resources/resource.js';
import { normalize } from '../build/normalize.js';
import { commonMetadata } from '../build/common-metadata.js';
import { combineInputs, inputId, type InputProvider, type InputSet } from './inputs.js';
import { labelSelectorMatches } from './label-selector.js';
import { needEngines, type RenderEngines } from '../build/engines.js';

export const RESOURCESET_API_GROUP = 'fluxcd.controlplane.io';
export const OWNER_LABEL_NAME = 'resourceset.fluxcd.controlplane.io/name';
export const OWNER_LABEL_NAMESPACE = 'resourceset.fluxcd.controlplane.io/namespace';
/** Annotations whose values the operator reads from the cluster when it applies. */
const CLUSTER_ANNOTATIONS = [
  'fluxcd.controlplane.io/copyFrom',
  'fluxcd.controlplane.io/convertKubeConfigFrom',
  'fluxcd.controlplane.io/checksumFrom',
];

export const isResourceSet = (o: KObject) =>
  o.kind === 'ResourceSet' && (o.apiVersion ?? '').startsWith(`${RESOURCESET_API_GROUP}/`);
export const isInputProvider = (o: KObject) =>
  o.kind === 'ResourceSetInputProvider' && (o.apiVersion ?? '').startsWith(`${RESOURCESET_API_GROUP}/`);

/** What became of one ResourceSet. */
export interface ResourceSetExpansion {
  /** `ResourceSet/namespace/name` */
  readonly id: string;
  /** expanded; failed (the operator would fail too); not-followed (its inputs are only known in the cluster). */
  readonly status: 'expanded' | 'failed' | 'not-followed';
  /** Objects generated (expanded only). */
  readonly resources: Resource[];
  /** Number of combined input sets (expanded only). */
  readonly inputs?: number;
  /** Why it failed or was not followed; with `fieldPath` where known. */
  readonly reason?: string;
  readonly fieldPath?: string;
  /** Things the cluster decides that the offline expansion cannot (annotations read at apply time, ids from UIDs). */
  readonly notes: string[];
  /** `dependsOn` entries as `Kind/namespace/name`. */
  readonly dependsOn: string[];
}

export interface ExpandOptions {
  /** The ResourceSetInputProviders of the cluster build (any namespace). */
  readonly providers: readonly KObject[];
  /**
   * The template engine (src/flux/render-engines.ts buildResourceSet), needed once the inputs are
   * combined; none: RenderEnginesNotLoaded is thrown then.
   */
  readonly engines?: RenderEngines;
}

const nsOf = (o: KObject) => o.metadata?.namespace || 'default';

/** `ResourceSet/namespace/name` */
export const resourceSetId = (rs: KObject) => `ResourceSet/${nsOf(rs)}/${rs.metadata?.name ?? ''}`;

/** `spec.dependsOn` as `Kind/namespace/name` (the namespace defaults to the ResourceSet's). */
export function resourceSetDependsOn(rs: KObject): string[] {
  const spec = isPlainObject(rs.spec) ? rs.spec : {};
  return (Array.isArray(spec.dependsOn) ? spec.dependsOn : [])
    .filter(isPlainObject)
    .map(
      (d) =>
        `${String(d.kind ?? '')}/${typeof d.namespace === 'string' && d.namespace ? d.namespace : nsOf(rs)}/${String(d.name ?? '')}`,
    );
}

/**
 * The exported inputs of a Static provider offline: defaultValues and `id` (adler32 of its name, as `flux-operator
 * build rset`).
 */
function staticInputs(p: KObject): InputSet[] {
  const spec = isPlainObject(p.spec) ? p.spec : {};
  const defaults = isPlainObject(spec.defaultValues) ? spec.defaultValues : {};
  return [{ ...defaults, id: inputId(p.metadata?.name ?? '') }];
}

/** The providers `spec.inputsFrom` selects (filterProviders), or why they cannot be read offline. */
function selectProviders(
  rs: KObject,
  refs: readonly unknown[],
  all: readonly KObject[],
): { providers: KObject[] } | { notFollowed: string; fieldPath: string } | { failed: string; fieldPath: string } {
  const ns = nsOf(rs);
  const here = all.filter((p) => isInputProvider(p) && nsOf(p) === ns);
  const picked = new Map<string, KObject>();
  for (const [i, ref] of refs.entries()) {
    const fieldPath = `spec.inputsFrom[${i}]`;
    const r = isPlainObject(ref) ? ref : {};
    if (typeof r.name === 'string' && r.name !== '') {
      const p = here.find((x) => x.metadata?.name === r.name);
      if (!p)
        return {
          notFollowed: `its input provider ResourceSetInputProvider/${ns}/${r.name} is not in this cluster's build`,
          fieldPath,
        };
      picked.set(p.metadata!.name!, p);
    } else if (r.selector !== undefined && r.selector !== null) {
      for (const p of here)
        if (labelSelectorMatches(r.selector, p.metadata?.labels ?? {})) picked.set(p.metadata!.name!, p);
    } else {
      return { failed: 'input provider reference must have either name or selector set', fieldPath };
    }
  }
  for (const p of picked.values()) {
    const type = isPlainObject(p.spec) ? String(p.spec.type ?? '') : '';
    if (type !== 'Static') {
      return {
        notFollowed:
          `its input provider ResourceSetInputProvider/${ns}/${p.metadata?.name} has type ${type || '(none)'}: ` +
          `the operator asks ${type ? 'that service' : 'a remote service'} for the inputs in the cluster; only ` +
          `Static providers are read offline`,
        fieldPath: 'spec.inputsFrom',
      };
    }
  }
  return { providers: [...picked.values()] };
}

/** The objects the operator applies for ResourceSet `rs` (its `origin` is where the ResourceSet is defined). */
export function expandResourceSet(rs: KObject, origin: Resource['origin'], opts: ExpandOptions): ResourceSetExpansion {
  const name = rs.metadata?.name ?? '';
  const namespace = nsOf(rs);
  const id = resourceSetId(rs);
  const spec = isPlainObject(rs.spec) ? rs.spec : {};
  const dependsOn = resourceSetDependsOn(rs);
  const base = { id, resources: [] as Resource[], notes: [] as string[], dependsOn };
  if ((rs.metadata?.annotations?.['fluxcd.controlplane.io/reconcile'] ?? '').toLowerCase() === 'disabled') {
    return {
      ...base,
      status: 'not-followed',
      reason: 'fluxcd.controlplane.io/reconcile is disabled: the operator does not reconcile it',
    };
  }
  const refs = Array.isArray(spec.inputsFrom) ? spec.inputsFrom : [];
  const sel = selectProviders(rs, refs, opts.providers);
  if ('notFollowed' in sel)
    return { ...base, status: 'not-followed', reason: sel.notFollowed, fieldPath: sel.fieldPath };
  if ('failed' in sel) return { ...base, status: 'failed', reason: sel.failed, fieldPath: sel.fieldPath };
  const inline = (Array.isArray(spec.inputs) ? spec.inputs : []).map((i) => (isPlainObject(i) ? { ...i } : {}));
  const providers: InputProvider[] = sel.providers.map((p) => ({
    apiVersion: p.apiVersion!,
    kind: p.kind!,
    name: p.metadata!.name!,
    namespace: nsOf(p),
    inputs: staticInputs(p),
  }));
  const strategy = isPlainObject(spec.inputStrategy) ? spec.inputStrategy : {};
  let inputs: InputSet[];
  try {
    inputs = combineInputs(
      { apiVersion: rs.apiVersion!, kind: 'ResourceSet', name, namespace, inputs: inline },
      providers,
      {
        ...(typeof strategy.name === 'string' ? { strategy: strategy.name } : {}),
        includeEmptyProviders: strategy.name === 'Permute' && strategy.includeEmptyProviders === true,
      },
    );
  } catch (e) {
    return {
      ...base,
      status: 'failed',
      reason: `error combining inputs: ${(e as Error).message}`,
      fieldPath: 'spec.inputStrategy',
    };
  }
  const { buildResourceSet, ResourceSetBuildError } = needEngines(opts.engines, `ResourceSet ${namespace}/${name}`);
  let built;
  try {
    built = buildResourceSet(spec, inputs);
  } catch (e) {
    return {
      ...base,
      status: 'failed',
      reason: (e as Error).message,
      ...(e instanceof ResourceSetBuildError && e.fieldPath ? { fieldPath: e.fieldPath } : {}),
    };
  }
  const notes: string[] = [];
  if (providers.length > 0)
    notes.push(
      `the inputs of Static providers get their id from the provider's UID in the cluster; offline it is ` +
        `computed from the name (as flux-operator build resourceset does)`,
    );
  if (built.dropped > 0)
    notes.push(
      `${built.dropped} document(s) of the rendered template are not Kubernetes objects (no apiVersion, kind ` +
        `or name) and are dropped, as the operator does`,
    );
  const resources = built.objects.map((b) => {
    // The apply: owner labels, then commonMetadata (the controller's order), then normalisation.
    let o: KObject = {
      ...b.object,
      metadata: {
        ...(b.object.metadata ?? {}),
        labels: { ...(b.object.metadata?.labels ?? {}), [OWNER_LABEL_NAME]: name, [OWNER_LABEL_NAMESPACE]: namespace },
      },
    };
    o = commonMetadata(o, spec.commonMetadata);
    o = normalize(o);
    const asked = CLUSTER_ANNOTATIONS.filter((a) => o.metadata?.annotations?.[a] !== undefined);
    if (asked.length)
      notes.push(
        `${resourceId(o)}: ${asked.join(', ')} is resolved by the operator from the cluster at apply time; ` +
          `not applied offline`,
      );
    const r: Resource = {
      object: o,
      origin: {
        ...(origin ?? { file: '' }),
        resourceSet: {
          id,
          ...(b.input !== undefined ? { input: b.input } : {}),
          ...(b.step !== undefined ? { step: b.step } : {}),
          fieldPath: b.fieldPath,
        },
      },
    };
    return r;
  });
  return { ...base, status: 'expanded', resources, inputs: inputs.length, notes };
}
