/**
 * Gatekeeper's ExpansionTemplates (expansion.gatekeeper.sh): a workload (a Deployment, a CronJob)
 * is also judged as the resource it will create (its Pod), so that a constraint on Pods applies to
 * what a repository holds: Deployments, not Pods. As Gatekeeper's expansion system builds the
 * resultant (pkg/expansion): the object at `templateSource`, with the `generatedGVK`, the parent's
 * namespace, the name `<parent name>-<kind>` in lower case, and an owner reference to the parent.
 * A violation of the resultant is reported on the parent, its message prefixed
 * `[Implied by <template>]`; the template's `enforcementAction`, when set, replaces the
 * constraint's. One level: a resultant is not expanded again.
 */
import type { PolicyDocument, PolicyLoadError } from '../types.js';

export const EXPANSION_GROUP = 'expansion.gatekeeper.sh';

export interface CompiledExpansion {
  readonly name: string;
  readonly applyTo: readonly {
    readonly groups: readonly string[];
    readonly kinds: readonly string[];
    readonly versions: readonly string[];
  }[];
  readonly templateSource: readonly string[];
  readonly generated: { readonly group: string; readonly version: string; readonly kind: string };
  readonly enforcementAction?: string;
  readonly file: string;
  readonly line?: number;
}

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function isExpansionTemplate(o: Record<string, unknown>): boolean {
  return (
    typeof o.apiVersion === 'string' && o.apiVersion.startsWith(`${EXPANSION_GROUP}/`) && o.kind === 'ExpansionTemplate'
  );
}

/** Reads an ExpansionTemplate; a missing source or generated kind is a load error naming the template. */
export function compileExpansion(d: PolicyDocument): { expansion?: CompiledExpansion; errors: PolicyLoadError[] } {
  const md = isObj(d.object.metadata) ? d.object.metadata : {};
  const name = typeof md.name === 'string' ? md.name : '';
  const spec = isObj(d.object.spec) ? d.object.spec : {};
  const at = { file: d.file, ...(d.line !== undefined ? { line: d.line } : {}), policy: `ExpansionTemplate/${name}` };
  const gvk = isObj(spec.generatedGVK) ? spec.generatedGVK : undefined;
  const source = typeof spec.templateSource === 'string' ? spec.templateSource : '';
  if (!source || !gvk || typeof gvk.kind !== 'string' || !gvk.kind) {
    return { errors: [{ ...at, message: 'ExpansionTemplate needs spec.templateSource and spec.generatedGVK.kind' }] };
  }
  const applyTo = (Array.isArray(spec.applyTo) ? spec.applyTo : [])
    .filter(isObj)
    .map((a) => ({ groups: strings(a.groups), kinds: strings(a.kinds), versions: strings(a.versions) }));
  return {
    expansion: {
      name,
      applyTo,
      templateSource: source.split('.'),
      generated: {
        group: typeof gvk.group === 'string' ? gvk.group : '',
        version: typeof gvk.version === 'string' ? gvk.version : 'v1',
        kind: gvk.kind,
      },
      ...(typeof spec.enforcementAction === 'string' && spec.enforcementAction
        ? { enforcementAction: spec.enforcementAction }
        : {}),
      file: d.file,
      ...(d.line !== undefined ? { line: d.line } : {}),
    },
    errors: [],
  };
}

function gvkOf(o: Record<string, unknown>): { group: string; version: string; kind: string } {
  const av = typeof o.apiVersion === 'string' ? o.apiVersion : '';
  const i = av.indexOf('/');
  return {
    group: i < 0 ? '' : av.slice(0, i),
    version: i < 0 ? av : av.slice(i + 1),
    kind: typeof o.kind === 'string' ? o.kind : '',
  };
}

/** Whether the template expands `o` (an applyTo entry naming its group, version and kind; `*` any). */
export function expands(e: CompiledExpansion, o: Record<string, unknown>): boolean {
  const g = gvkOf(o);
  const has = (list: readonly string[], v: string) => list.includes(v) || list.includes('*');
  return e.applyTo.some((a) => has(a.groups, g.group) && has(a.kinds, g.kind) && has(a.versions, g.version));
}

/** The resultant of expanding `o`, or undefined when `o` has nothing at the template source. */
export function expandResource(e: CompiledExpansion, o: Record<string, unknown>): Record<string, unknown> | undefined {
  let src: unknown = o;
  for (const k of e.templateSource) src = isObj(src) ? src[k] : undefined;
  if (!isObj(src)) return undefined;
  const parentMd = isObj(o.metadata) ? o.metadata : {};
  const md = isObj(src.metadata) ? { ...src.metadata } : {};
  const parentName = typeof parentMd.name === 'string' ? parentMd.name : '';
  md.name = `${parentName}-${e.generated.kind}`.toLowerCase();
  if (typeof parentMd.namespace === 'string') md.namespace = parentMd.namespace;
  const p = gvkOf(o);
  md.ownerReferences = [
    ...(Array.isArray(md.ownerReferences) ? md.ownerReferences : []),
    { apiVersion: String(o.apiVersion ?? ''), kind: p.kind, name: parentName },
  ];
  return {
    ...src,
    apiVersion: e.generated.group ? `${e.generated.group}/${e.generated.version}` : e.generated.version,
    kind: e.generated.kind,
    metadata: md,
  };
}
