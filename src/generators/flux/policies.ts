/**
 * The policy engine (platform/controllers/kyverno or gatekeeper) and its policies
 * (platform/policies, applied by the `platform` Flux Kustomization after the engine is ready):
 *   - images of the fleet registry must be signed (Cosign keyless or key) and carry the required
 *     attestations; Kyverno only: Gatekeeper cannot verify signatures without Ratify (see below);
 *   - tenant pods use images of the fleet registry only (Kyverno);
 *   - Namespaces must carry the `owner` and `costCenter` labels.
 */
import { registryLoginServer } from '../../model/fleet-model.js';
import type { KObject } from '../../resources/resource.js';
import type { Fleet } from '../../spec/schema.js';
import type { GeneratedFile } from '../types.js';
import { TENANT_LABEL, kustomizationFile, yamlFile } from './common.js';
import type { Controller } from './platform.js';

/** Namespaces exempt from the required-labels rule: Kubernetes' and AKS's own. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease', 'flux-system', 'gatekeeper-system', 'app-routing-system', 'aks-command', 'calico-system', 'tigera-operator'];

export const REQUIRED_NAMESPACE_LABELS = ['owner', 'costCenter'];

export function policyController(fleet: Fleet): Controller {
  const p = fleet.spec.addons.policy;
  if (p.engine === 'kyverno') {
    return {
      dir: 'kyverno',
      namespace: 'kyverno',
      createNamespace: true,
      source: { name: 'kyverno', url: 'https://kyverno.github.io/kyverno/' },
      release: {
        name: 'kyverno',
        chart: 'kyverno',
        version: p.version,
        values: {
          admissionController: { replicas: 3 },
          backgroundController: { replicas: 2 },
          cleanupController: { replicas: 2 },
          reportsController: { replicas: 2 },
          config: {
            // AKS's admissions enforcer rewrites webhooks that touch kube-system unless told not to.
            webhookAnnotations: { 'admissions.enforcer/disabled': 'true' },
          },
        },
      },
      comment: 'Kyverno (HA): verifies image signatures and enforces namespace labels (platform/policies).',
    };
  }
  return {
    dir: 'gatekeeper',
    namespace: 'gatekeeper-system',
    createNamespace: true,
    source: { name: 'gatekeeper', url: 'https://open-policy-agent.github.io/gatekeeper/charts' },
    release: {
      name: 'gatekeeper',
      chart: 'gatekeeper',
      version: p.version,
      values: { replicas: 3, auditInterval: 60 },
    },
    comment: [
      'OPA Gatekeeper. Do not combine with the AKS Azure Policy add-on, which runs its own Gatekeeper.',
      'Gatekeeper does not verify image signatures: that needs Ratify (not generated; see platform/policies).',
    ].join('\n'),
  };
}

function kyvernoPolicies(fleet: Fleet): KObject[] {
  const ip = fleet.spec.imagePolicy;
  const action = ip.enforce ? 'Enforce' : 'Audit';
  const attestor = ip.keyless
    ? { keyless: { issuer: ip.keyless.issuer, subject: ip.keyless.subject, rekor: { url: 'https://rekor.sigstore.dev' } } }
    : { keys: { publicKeys: ip.publicKey ?? '' } };
  const verify: Record<string, unknown> = {
    imageReferences: [`${registryLoginServer(fleet)}/*`],
    attestors: [{ entries: [attestor] }],
  };
  if (ip.attestations.length > 0) {
    verify.attestations = ip.attestations.map((type) => ({ type, attestors: [{ entries: [attestor] }] }));
  }
  Object.assign(verify, {
    mutateDigest: true,
    verifyDigest: true,
    required: true,
    // Kyverno reads signatures from the private ACR with the Azure credential provider (the node's
    // kubelet identity, which has AcrPull, through IMDS).
    imageRegistryCredentials: { providers: ['azure'] },
  });
  return [
    {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: {
        name: 'verify-signed-images',
        annotations: { 'policies.kyverno.io/description': `Images from ${registryLoginServer(fleet)} must be signed with Cosign in CI${ip.attestations.length ? ' and carry the required attestations' : ''}.` },
      },
      spec: {
        validationFailureAction: action,
        background: false,
        webhookTimeoutSeconds: 30,
        rules: [
          {
            name: 'require-cosign',
            match: { any: [{ resources: { kinds: ['Pod'] } }] },
            verifyImages: [verify],
          },
        ],
      },
    },
    {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: {
        name: 'restrict-image-registries',
        annotations: {
          'policies.kyverno.io/description': `Tenant pods run images from ${registryLoginServer(fleet)} only (otherwise the signature rule, which covers that registry, could be sidestepped).`,
        },
      },
      spec: {
        validationFailureAction: action,
        background: true,
        rules: [
          {
            name: 'fleet-registry-only',
            match: { any: [{ resources: { kinds: ['Pod'], namespaceSelector: { matchExpressions: [{ key: TENANT_LABEL, operator: 'Exists' }] } } }] },
            validate: {
              message: `Images must come from ${registryLoginServer(fleet)}.`,
              pattern: {
                spec: {
                  '=(ephemeralContainers)': [{ image: `${registryLoginServer(fleet)}/*` }],
                  '=(initContainers)': [{ image: `${registryLoginServer(fleet)}/*` }],
                  containers: [{ image: `${registryLoginServer(fleet)}/*` }],
                },
              },
            },
          },
        ],
      },
    },
    {
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: {
        name: 'require-namespace-labels',
        annotations: { 'policies.kyverno.io/description': `Namespaces must carry the labels ${REQUIRED_NAMESPACE_LABELS.join(' and ')}.` },
      },
      spec: {
        validationFailureAction: action,
        background: true,
        rules: [
          {
            name: 'require-owner-and-cost-center',
            match: { any: [{ resources: { kinds: ['Namespace'] } }] },
            exclude: { any: [{ resources: { names: SYSTEM_NAMESPACES } }] },
            validate: {
              message: `Namespaces need the labels ${REQUIRED_NAMESPACE_LABELS.join(' and ')}.`,
              pattern: { metadata: { labels: Object.fromEntries(REQUIRED_NAMESPACE_LABELS.map((l) => [l, '?*'])) } },
            },
          },
        ],
      },
    },
  ];
}

const REQUIRED_LABELS_REGO = `package k8srequiredlabels

violation[{"msg": msg, "details": {"missing_labels": missing}}] {
  provided := {label | input.review.object.metadata.labels[label]}
  required := {label | label := input.parameters.labels[_]}
  missing := required - provided
  count(missing) > 0
  msg := sprintf("you must provide labels: %v", [missing])
}
`;

function gatekeeperTemplates(): KObject[] {
  return [
    {
      apiVersion: 'templates.gatekeeper.sh/v1',
      kind: 'ConstraintTemplate',
      metadata: { name: 'k8srequiredlabels' },
      spec: {
        crd: {
          spec: {
            names: { kind: 'K8sRequiredLabels' },
            validation: { openAPIV3Schema: { type: 'object', properties: { labels: { type: 'array', items: { type: 'string' } } } } },
          },
        },
        targets: [{ target: 'admission.k8s.gatekeeper.sh', rego: REQUIRED_LABELS_REGO }],
      },
    },
  ];
}

function gatekeeperConstraints(fleet: Fleet): KObject[] {
  return [
    {
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: 'K8sRequiredLabels',
      metadata: { name: 'req-team-label' },
      spec: {
        enforcementAction: fleet.spec.imagePolicy.enforce ? 'deny' : 'dryrun',
        match: { kinds: [{ apiGroups: [''], kinds: ['Namespace'] }], excludedNamespaces: SYSTEM_NAMESPACES },
        parameters: { labels: REQUIRED_NAMESPACE_LABELS },
      },
    },
  ];
}

/** platform/policies/ (listed by platform/configs). Empty when the policy add-on is off. */
export function policyConfigFiles(fleet: Fleet): GeneratedFile[] {
  const p = fleet.spec.addons.policy;
  if (!p.enabled) return [];
  const dir = 'platform/policies';
  if (p.engine === 'kyverno') {
    return [yamlFile(`${dir}/kyverno-policies.yaml`, kyvernoPolicies(fleet)), kustomizationFile(dir, ['kyverno-policies.yaml'])];
  }
  // A constraint's kind exists only once Gatekeeper has processed its template, so the
  // constraint would fail Flux's dry-run in the same apply as the template. Templates are listed
  // here; the constraint is in platform/policies/constraints, which Flux applies in a second
  // Kustomization (`policies-constraints`, generated below the cluster folder) - see the note.
  return [
    yamlFile(`${dir}/constraint-templates.yaml`, gatekeeperTemplates()),
    yamlFile(`${dir}/constraints/required-labels.yaml`, gatekeeperConstraints(fleet)),
    kustomizationFile(`${dir}/constraints`, ['required-labels.yaml']),
    kustomizationFile(dir, ['constraint-templates.yaml'], {}, [
      'Gatekeeper: required labels on Namespaces. The constraint (constraints/) is applied by the',
      'policy-constraints Flux Kustomization after this one, once the template has created its CRD.',
      'Image signature verification is NOT enforced with Gatekeeper: it needs Ratify (its Helm chart,',
      'a Store and a Verifier for Cosign keyless with the fleet registry, and an external-data',
      'Provider) which aksfleet does not generate yet. Use engine: kyverno to enforce signatures.',
    ].join('\n')),
  ];
}

/** Whether a cluster needs the extra `policy-constraints` Flux Kustomization (Gatekeeper). */
export function needsConstraintsStage(fleet: Fleet): boolean {
  return fleet.spec.addons.policy.enabled && fleet.spec.addons.policy.engine === 'gatekeeper';
}
