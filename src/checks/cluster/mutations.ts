/**
 * What mutating admission adds before the cluster stores an object: the render's Kyverno mutate
 * policies (ClusterPolicy/Policy `mutate` rules, Pod rules autogen'd onto their controllers), run
 * with the Kyverno engine of src/admission in document order, as `kyverno apply` does. The model
 * takes the labels and annotations of the mutated Namespaces and pod templates from here, so a
 * selector or fieldRef that a mutation satisfies is not reported as selecting nothing.
 * Gatekeeper Assign/AssignMetadata are not applied (src/admission/gatekeeper has no mutation
 * engine): `unappliedMutators` lists them, and the model says so.
 */
import { compilePolicies, evaluatePolicy, isKyvernoPolicy } from '../../admission/kyverno/index.js';
import type { AdmissionContext, PolicyDocument } from '../../admission/types.js';
import { apiGroup, type KObject, type Resource } from '../../resources/resource.js';
import { arr, obj } from '../k8s.js';

/** Kinds whose labels and annotations the model reads: Namespaces and pod templates. */
const MODELLED = new Set([
  'Namespace',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
  'Pod',
]);

/** An object as mutating admission leaves it, and the policies that changed it. */
export interface MutatedObject {
  readonly object: KObject;
  readonly by: readonly string[];
}

const hasMutateRule = (o: Record<string, unknown>) =>
  arr(obj(o.spec)?.rules).some((r) => obj(obj(r)?.mutate) !== undefined);

/** The render's Namespaces and pod-bearing objects that Kyverno mutate policies of the render change, by original resource. */
export function kyvernoMutations(resources: readonly Resource[]): Map<Resource, MutatedObject> {
  const out = new Map<Resource, MutatedObject>();
  const docs: PolicyDocument[] = resources
    .filter(
      (r) => isKyvernoPolicy(r.object as Record<string, unknown>) && hasMutateRule(r.object as Record<string, unknown>),
    )
    .map((r) => ({ object: r.object as Record<string, unknown>, file: r.origin?.file ?? '', line: r.origin?.line }));
  if (!docs.length) return out;
  // A policy that does not compile is reported by the admission rule; here it mutates nothing.
  const { policies } = compilePolicies(docs);
  const namespaces = new Map<string, Record<string, unknown>>();
  for (const r of resources)
    if (r.object.kind === 'Namespace' && apiGroup(r.object.apiVersion) === '' && r.object.metadata?.name)
      namespaces.set(r.object.metadata.name, r.object as Record<string, unknown>);
  const ctx: AdmissionContext = {
    namespaces,
    resources: resources.map((r) => r.object as Record<string, unknown>),
    timeoutMs: 2000,
  };
  for (const r of resources) {
    if (!MODELLED.has(r.object.kind ?? '')) continue;
    let current = r.object as Record<string, unknown>;
    const by: string[] = [];
    for (const p of policies) {
      try {
        const e = evaluatePolicy(p, current, ctx);
        if (e.results.some((x) => x.result === 'pass') && JSON.stringify(e.resource) !== JSON.stringify(current)) {
          current = e.resource;
          by.push(`${p.namespace ? 'Policy' : 'ClusterPolicy'} ${p.namespace ? `${p.namespace}/` : ''}${p.name}`);
        }
      } catch {
        // A policy that fails on this object (timeout, bad pattern) leaves it as it is; the admission rule reports it.
      }
    }
    if (by.length) out.set(r, { object: current as KObject, by });
  }
  return out;
}

/** Gatekeeper mutators of the render that may add labels or annotations (not applied by the model). */
export function unappliedMutators(resources: readonly Resource[]): Resource[] {
  return resources.filter(
    (r) =>
      apiGroup(r.object.apiVersion) === 'mutations.gatekeeper.sh' &&
      (r.object.kind === 'AssignMetadata' || r.object.kind === 'Assign'),
  );
}
