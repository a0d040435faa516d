/**
 * The objects of a ResourceSet for its combined input sets, as flux-operator's builder makes them
 * (internal/builder/resourceset.go BuildResourceSetFromSpec): each `spec.resources` entry (JSON
 * turned into YAML) and the multi-document `spec.resourcesTemplate` are Go text/templates with
 * `<< >>` delimiters and missingkey=error, executed once per input set (once with no inputs when
 * there are none); objects annotated `fluxcd.controlplane.io/reconcile: disabled` are dropped;
 * duplicates (group, kind, namespace, name) keep the first, `resources` before the template;
 * `spec.steps` build the same way, step by step, and a resource in two steps is an error.
 */
import { newTemplateSet } from '../../gotemplate/index.js';
import { GoInt, type GoValue } from '../../gotemplate/value.js';
import { toYaml } from '../../helm/funcs/yaml.js';
import { parseGoYaml } from '../../yaml/go-yaml.js';
import type { KObject } from '../../resources/resource.js';
import { resourceSetFuncs } from './funcs.js';
import type { InputSet } from './inputs.js';

/** One object built, with the input set (index into the combined inputs) it was built from. */
export interface BuiltObject {
  readonly object: KObject;
  /** Index of the input set; absent when the ResourceSet has no inputs. */
  readonly input?: number;
  /** `spec.steps[].name`, for a ResourceSet with steps. */
  readonly step?: string;
  /** Where in the spec it comes from: `spec.resources[2]`, `spec.resourcesTemplate`, `spec.steps[0].resources[1]`. */
  readonly fieldPath: string;
}

export interface ResourceSetSpecShape {
  readonly resources?: unknown;
  readonly resourcesTemplate?: unknown;
  readonly steps?: unknown;
}

/** An error the operator would report (the message is the operator's wording where it has one). */
export class ResourceSetBuildError extends Error {
  constructor(
    message: string,
    readonly fieldPath?: string,
  ) {
    super(message);
  }
}

const RECONCILE = 'fluxcd.controlplane.io/reconcile';

/** JSON values as the operator's template sees them (apimachinery json: whole numbers are int64). */
export function toTemplateValue(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number')
    return Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? new GoInt(BigInt(v), 'int64') : v;
  if (typeof v === 'bigint') return new GoInt(v, 'int64');
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toTemplateValue);
  if (typeof v === 'object') {
    const out: Record<string, GoValue> = {};
    for (const [k, x] of Object.entries(v as object)) out[k] = toTemplateValue(x);
    return out;
  }
  return String(v);
}

/**
 * Runs one template text for one input set; errors say which phase failed, as the operator's (`failed to parse
 * template: ...`).
 */
function execute(text: string, inputs: InputSet | undefined, what = 'template'): string {
  const set = newTemplateSet({
    delims: ['<<', '>>'],
    missingKey: 'error',
    funcs: resourceSetFuncs(inputs === undefined ? null : toTemplateValue(inputs)),
  });
  try {
    set.parse('resourceset', text);
  } catch (e) {
    throw new Error(`failed to parse ${what}: ${(e as Error).message}`);
  }
  try {
    return set.execute('resourceset', null);
  } catch (e) {
    throw new Error(`failed to execute ${what}: ${(e as Error).message}`);
  }
}

const isKubernetesObject = (o: unknown): o is KObject => {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return false;
  const k = o as KObject;
  return (
    typeof k.apiVersion === 'string' &&
    k.apiVersion !== '' &&
    typeof k.kind === 'string' &&
    k.kind !== '' &&
    typeof k.metadata?.name === 'string' &&
    k.metadata.name !== ''
  );
};
const isKustomizeConfig = (o: KObject) =>
  o.kind === 'Kustomization' && /^kustomize\.config\.k8s\.io\//.test(o.apiVersion ?? '');

/** The YAML documents of a rendered text as objects (ssautil.ReadObjects: Lists expanded, non-objects dropped). */
function readObjects(text: string, what: string): { objects: KObject[]; dropped: number } {
  let docs;
  try {
    docs = parseGoYaml(text, what, { dialect: 'v2' });
  } catch (e) {
    throw new Error(`failed to read objects from multi-doc YAML: ${(e as Error).message}`);
  }
  const objects: KObject[] = [];
  let dropped = 0;
  for (const d of docs) {
    const v = d.value as KObject;
    if (v && typeof v === 'object' && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) {
      for (const it of v.items as unknown[]) if (it && typeof it === 'object') objects.push(it as KObject);
      continue;
    }
    if (isKubernetesObject(v) && !isKustomizeConfig(v)) objects.push(v);
    else if (v !== null && v !== undefined) dropped++;
  }
  return { objects, dropped };
}

/** One resources entry for one input set (BuildResource: a single object). */
function buildResource(tmpl: unknown, inputs: InputSet | undefined): KObject {
  const text = `${toYaml(toTemplateValue(tmpl))}\n`;
  const out = execute(text, inputs);
  let docs;
  try {
    docs = parseGoYaml(out, 'resource', { dialect: 'v2' });
  } catch (e) {
    throw new Error(`failed to read object: ${(e as Error).message}`);
  }
  const v = docs[0]?.value;
  if (!v || typeof v !== 'object' || Array.isArray(v))
    throw new Error("failed to read object: Object 'Kind' is missing in 'null'");
  return v as KObject;
}

const groupOf = (o: KObject) => {
  const a = o.apiVersion ?? '';
  return a.includes('/') ? a.slice(0, a.indexOf('/')) : '';
};
/** Identity for deduplication: group, kind, namespace, name (no version). */
export const objectKey = (o: KObject) =>
  [groupOf(o), o.kind ?? '', o.metadata?.namespace ?? '', o.metadata?.name ?? ''].join('/');

const disabled = (o: KObject) => o.metadata?.annotations?.[RECONCILE] === 'disabled';

export interface BuildResult {
  readonly objects: BuiltObject[];
  /** Documents of resourcesTemplate that were not Kubernetes objects (dropped, as the operator does). */
  readonly dropped: number;
}

/** BuildResourceSet: one list of resources and one template, over the input sets. */
function buildSet(
  templates: readonly unknown[],
  yamlTemplate: string,
  inputs: readonly InputSet[],
  at: string,
  step?: string,
): BuildResult {
  const objects: BuiltObject[] = [];
  const keys = new Set<string>();
  let dropped = 0;
  const add = (b: BuiltObject, dedup: boolean) => {
    const k = objectKey(b.object);
    if (dedup && keys.has(k)) return;
    keys.add(k);
    objects.push(b);
  };
  const stepOf = step !== undefined ? { step } : {};
  templates.forEach((tmpl, i) => {
    const fieldPath = `${at}resources[${i}]`;
    if (inputs.length === 0) {
      try {
        add({ object: buildResource(tmpl, undefined), fieldPath, ...stepOf }, false);
      } catch (e) {
        throw new ResourceSetBuildError(`failed to build resource: ${(e as Error).message}`, fieldPath);
      }
      return;
    }
    inputs.forEach((inp, j) => {
      let o: KObject;
      try {
        o = buildResource(tmpl, inp);
      } catch (e) {
        throw new ResourceSetBuildError(`failed to build resources[${i}]: ${(e as Error).message}`, fieldPath);
      }
      if (!disabled(o)) add({ object: o, input: j, fieldPath, ...stepOf }, true);
    });
  });
  if (yamlTemplate !== '') {
    const fieldPath = `${at}resourcesTemplate`;
    const runs: (number | undefined)[] = inputs.length === 0 ? [undefined] : inputs.map((_, j) => j);
    const fromTemplate: BuiltObject[] = [];
    for (const j of runs) {
      let text: string;
      try {
        text = execute(yamlTemplate, j === undefined ? undefined : inputs[j], 'multi-doc YAML template');
      } catch (e) {
        throw new ResourceSetBuildError(
          `failed to build resource${inputs.length === 0 ? '' : 's'}: ${(e as Error).message}`,
          fieldPath,
        );
      }
      let read;
      try {
        read = readObjects(text, fieldPath);
      } catch (e) {
        throw new ResourceSetBuildError(`failed to build resources: ${(e as Error).message}`, fieldPath);
      }
      dropped += read.dropped;
      for (const o of read.objects)
        fromTemplate.push({ object: o, ...(j !== undefined ? { input: j } : {}), fieldPath, ...stepOf });
    }
    for (const b of fromTemplate) if (!disabled(b.object)) add(b, true);
  }
  return { objects, dropped };
}

/** BuildResourceSetFromSpec: validation, then resources and template, or the steps. */
export function buildResourceSet(spec: ResourceSetSpecShape, inputs: readonly InputSet[]): BuildResult {
  const resources = Array.isArray(spec.resources) ? spec.resources : [];
  const template = typeof spec.resourcesTemplate === 'string' ? spec.resourcesTemplate : '';
  const steps = Array.isArray(spec.steps)
    ? (spec.steps as { name?: unknown; resources?: unknown; resourcesTemplate?: unknown }[])
    : [];
  if (steps.length > 0 && (resources.length > 0 || template !== '')) {
    throw new ResourceSetBuildError(
      'spec.steps is mutually exclusive with spec.resources and spec.resourcesTemplate',
      'spec.steps',
    );
  }
  for (const [i, s] of steps.entries()) {
    const r = Array.isArray(s?.resources) ? s.resources : [];
    if (r.length === 0 && (typeof s?.resourcesTemplate !== 'string' || s.resourcesTemplate === '')) {
      throw new ResourceSetBuildError(
        `step "${String(s?.name ?? '')}": at least one of resources or resourcesTemplate must be set`,
        `spec.steps[${i}]`,
      );
    }
  }
  if (steps.length === 0) return buildSet(resources, template, inputs, 'spec.');
  const objects: BuiltObject[] = [];
  let dropped = 0;
  const stepOfObject = new Map<string, string>();
  for (const [i, s] of steps.entries()) {
    const name = String(s.name ?? '');
    let r: BuildResult;
    try {
      r = buildSet(
        Array.isArray(s.resources) ? s.resources : [],
        typeof s.resourcesTemplate === 'string' ? s.resourcesTemplate : '',
        inputs,
        `spec.steps[${i}].`,
        name,
      );
    } catch (e) {
      throw new ResourceSetBuildError(
        `step "${name}": ${(e as Error).message}`,
        (e as ResourceSetBuildError).fieldPath,
      );
    }
    for (const b of r.objects) {
      const k = objectKey(b.object);
      const prev = stepOfObject.get(k);
      if (prev !== undefined && prev !== name) {
        throw new ResourceSetBuildError(
          `duplicate resource ` +
            `${b.object.kind}/${b.object.metadata?.namespace ? `${b.object.metadata.namespace}/` : ''}` +
            `${b.object.metadata?.name ?? ''} in step "${name}", already defined in step "${prev}"`,
          `spec.steps[${i}]`,
        );
      }
      stepOfObject.set(k, name);
    }
    objects.push(...r.objects);
    dropped += r.dropped;
  }
  return { objects, dropped };
}
