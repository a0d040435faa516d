/**
 * Policies whose kind nothing in the cluster defines (issue #26): a Kyverno policy without the
 * Kyverno CRDs, a Gatekeeper Constraint without its ConstraintTemplate (or a ConstraintTemplate
 * without Gatekeeper), a ValidatingAdmissionPolicyBinding naming no policy, a
 * ValidatingAdmissionPolicy whose paramKind has no CRD. The API server refuses such an object (or,
 * for a binding, binds nothing), so nothing enforces it: an info finding "not evaluable", never a
 * silent pass. Judged against the cluster model (render, chart CRDs, platform built-ins); nothing
 * is concluded while a HelmRelease or Kustomization of the cluster is not rendered (it may bring
 * the CRD).
 */
import { apiGroup, type Resource } from '../../resources/resource.js';
import { clusterModel, type ClusterModel } from '../cluster/model.js';
import { obj, str } from '../k8s.js';
import type { ClusterRule } from '../types.js';

/** API groups whose kinds a Kubernetes API server serves itself (no CRD needed). */
const BUILT_IN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'policy',
  'autoscaling',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'node.k8s.io',
  'certificates.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'resource.k8s.io',
]);

/** Policy kinds served by CRDs, by API group (the engines' own documents). */
const POLICY_GROUPS = new Set([
  'kyverno.io',
  'policies.kyverno.io',
  'templates.gatekeeper.sh',
  'mutations.gatekeeper.sh',
  'config.gatekeeper.sh',
  'expansion.gatekeeper.sh',
]);

/** Is `group`/`kind` defined in the cluster: built in, or by a rendered CustomResourceDefinition (or ConstraintTemplate for constraints)? */
function defines(resources: readonly Resource[], group: string, kind: string): boolean {
  if (BUILT_IN_GROUPS.has(group)) return true;
  return resources.some((r) => {
    const o = r.object;
    if (o.kind === 'CustomResourceDefinition' && apiGroup(o.apiVersion) === 'apiextensions.k8s.io') {
      const spec = obj(o.spec) ?? {};
      return str(spec.group) === group && str(obj(spec.names)?.kind) === kind;
    }
    // Gatekeeper makes each Constraint kind's CRD from its ConstraintTemplate.
    if (
      group === 'constraints.gatekeeper.sh' &&
      o.kind === 'ConstraintTemplate' &&
      apiGroup(o.apiVersion) === 'templates.gatekeeper.sh'
    ) {
      return str(obj(obj(obj(obj(o.spec)?.crd)?.spec)?.names)?.kind) === kind;
    }
    return false;
  });
}

const idOf = (r: Resource) =>
  `${r.object.kind} ${r.object.metadata?.namespace ? `${r.object.metadata.namespace}/` : ''}${r.object.metadata?.name ?? ''}`;

/** Why nothing may be concluded about CRDs of this cluster (an unrendered release or Kustomization may bring them). */
const unknownCrds = (model: ClusterModel) => model.clusterOpaque;

export const policyKindDefined: ClusterRule = {
  id: 'policy-kind-defined',
  scope: 'cluster',
  severity: 'info',
  category: 'policy',
  doc:
    'Every admission policy of the render has its kind defined in the cluster as it will be: Kyverno and ' +
    'Gatekeeper kinds by their CRDs (rendered, or from a rendered chart), each Gatekeeper Constraint by its ' +
    'ConstraintTemplate, each ValidatingAdmissionPolicyBinding by its policy, each paramKind by its CRD. ' +
    'Otherwise the policy is not evaluable: the API server refuses it and nothing enforces it.',
  hint:
    'Install the engine (its HelmRelease or CRDs) in the cluster the policy goes to, add the ' +
    'ConstraintTemplate or the policy the binding names, or remove the policy.',
  check(ctx, report) {
    const model = clusterModel(ctx);
    if (unknownCrds(model)) return;
    for (const r of ctx.resources) {
      const o = r.object;
      const g = apiGroup(o.apiVersion);
      const kind = o.kind ?? '';
      if ((POLICY_GROUPS.has(g) || g === 'constraints.gatekeeper.sh') && !defines(ctx.resources, g, kind)) {
        const what =
          g === 'constraints.gatekeeper.sh'
            ? `no ConstraintTemplate in the cluster defines kind ${kind}`
            : `${kind} (${g}) has no CRD in the cluster`;
        report({
          resource: r,
          message: `not evaluable: ${idOf(r)}: ${what} (not rendered, not in a rendered chart, not ${model.platform === 'aks' ? 'an AKS' : 'a Kubernetes'} built-in); the API server refuses it, so nothing enforces it`,
        });
        continue;
      }
      if (g !== 'admissionregistration.k8s.io') continue;
      const spec = obj(o.spec) ?? {};
      if (kind === 'ValidatingAdmissionPolicyBinding' || kind === 'MutatingAdmissionPolicyBinding') {
        const policy = str(spec.policyName);
        const policyKind = kind.replace(/Binding$/, '');
        if (policy && !model.find(g, policyKind, undefined, policy)) {
          report({
            resource: r,
            line: model.lineOf(r, ['spec', 'policyName']),
            message:
              `not evaluable: ${idOf(r)} binds ${policyKind} ${policy}, which nothing in the cluster defines; ` +
              'the binding enforces nothing',
          });
        }
      } else if (kind === 'ValidatingAdmissionPolicy' || kind === 'MutatingAdmissionPolicy') {
        const pk = obj(spec.paramKind);
        const pg = apiGroup(str(pk?.apiVersion));
        const pKind = str(pk?.kind);
        if (pKind && !defines(ctx.resources, pg, pKind)) {
          report({
            resource: r,
            line: model.lineOf(r, ['spec', 'paramKind']),
            message:
              `not evaluable: ${idOf(r)} takes its parameters from kind ${pKind} (${pg}), which has no CRD in ` +
              "the cluster; its bindings' paramRefs find nothing",
          });
        }
      }
    }
  },
};

export const referencePolicyRules: readonly ClusterRule[] = [policyKindDefined];
