/**
 * The policy engine (platform/controllers/kyverno or gatekeeper) and its policies
 * (platform/policies, applied by the `platform` Flux Kustomization after the engine is ready):
 *   - images of the fleet registry must be signed (Cosign keyless or key) and carry the required
 *     attestations: Kyverno verifies them itself; with Gatekeeper, Ratify verifies them (its Helm
 *     chart beside Gatekeeper) and a RatifyVerification constraint asks it through external data;
 *   - tenant pods use images of the fleet registry only (Kyverno);
 *   - Namespaces must carry the `owner` and `costCenter` labels.
 */
import { registryLoginServer } from '../../model/fleet-model.js';
import { RATIFY_SERVICE_ACCOUNT, identityClientIdVar, platformIdentities } from '../../spec/identities.js';
import type { KObject } from '../../resources/resource.js';
import type { Fleet } from '../../spec/schema.js';
import type { GeneratedFile } from '../types.js';
import { TENANT_LABEL, kustomizationFile, v, yamlFile } from './common.js';
import type { Controller } from './controller.js';

/** Namespaces exempt from the required-labels rule: Kubernetes' and AKS's own. */
export const SYSTEM_NAMESPACES = [
  'default',
  'kube-system',
  'kube-public',
  'kube-node-lease',
  'flux-system',
  'gatekeeper-system',
  'app-routing-system',
  'aks-command',
  'calico-system',
  'tigera-operator',
];

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
      values: {
        replicas: 3,
        auditInterval: 60,
        // Ratify answers Gatekeeper's external data calls; its timeouts must fit in the webhooks'.
        enableExternalData: true,
        // Workloads are judged as the Pods they create (platform/policies/expansion-templates.yaml).
        enableGeneratorResourceExpansion: true,
        validatingWebhookTimeoutSeconds: 5,
        mutatingWebhookTimeoutSeconds: 2,
      },
    },
    comment: [
      'OPA Gatekeeper. Do not combine with the AKS Azure Policy add-on, which runs its own Gatekeeper.',
      'Image signatures are verified by Ratify (platform/controllers/ratify) through external data.',
    ].join('\n'),
  };
}

/** The Cosign identity as a regular expression: the fleet's subject pattern (`*` any run of characters). */
export function subjectRegExp(subject: string): string {
  return `^${subject
    .split('*')
    .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')}$`;
}

/**
 * Ratify (engine gatekeeper): the verifier Gatekeeper asks, through its external data provider,
 * whether an image is signed. Cosign keyless with the fleet's issuer and subject, or the fleet's
 * public key; signatures are read from the fleet registry with Ratify's workload identity
 * (AcrPull, src/generators/infra/plan.ts). Installed after Gatekeeper, whose CRDs it uses.
 */
export function ratifyController(fleet: Fleet): Controller | undefined {
  const p = fleet.spec.addons.policy;
  if (!p.enabled || p.engine !== 'gatekeeper') return undefined;
  const ip = fleet.spec.imagePolicy;
  const wi = platformIdentities(fleet).find((w) => w.identityName === 'ratify')!;
  const cosign = ip.keyless
    ? {
        enabled: true,
        scopes: [`${registryLoginServer(fleet)}/**`],
        tLogVerify: true,
        keyless: {
          ctLogVerify: true,
          certificateOIDCIssuer: ip.keyless.issuer,
          certificateIdentityRegExp: subjectRegExp(ip.keyless.subject),
        },
      }
    : { enabled: true, scopes: [`${registryLoginServer(fleet)}/**`], tLogVerify: true };
  return {
    dir: 'ratify',
    namespace: 'gatekeeper-system',
    createNamespace: false,
    source: { name: 'ratify', url: 'https://ratify-project.github.io/ratify' },
    release: {
      name: 'ratify',
      chart: 'ratify',
      version: p.ratifyVersion,
      values: {
        replicaCount: 2,
        notation: { enabled: false },
        cosign,
        ...(ip.keyless ? {} : { cosignKeys: [ip.publicKey ?? ''] }),
        serviceAccount: { create: true, name: RATIFY_SERVICE_ACCOUNT },
        azureWorkloadIdentity: { clientId: v(identityClientIdVar(wi)) },
        oras: { authProviders: { azureWorkloadIdentityEnabled: true } },
        gatekeeper: { namespace: 'gatekeeper-system' },
        // Rewrite a verified tag to its digest, so that what runs is what was verified.
        provider: { enableMutation: true },
        featureFlags: { RATIFY_CERT_ROTATION: true },
      },
      dependsOn: ['gatekeeper-system/gatekeeper'],
    },
    comment:
      'Ratify: verifies Cosign signatures of fleet-registry images for Gatekeeper ' +
      '(the RatifyVerification constraint in platform/policies/constraints).',
  };
}

function kyvernoPolicies(fleet: Fleet): KObject[] {
  const ip = fleet.spec.imagePolicy;
  const action = ip.enforce ? 'Enforce' : 'Audit';
  const labels = REQUIRED_NAMESPACE_LABELS.join(' and ');
  const attestor = ip.keyless
    ? {
        keyless: {
          issuer: ip.keyless.issuer,
          subject: ip.keyless.subject,
          rekor: { url: 'https://rekor.sigstore.dev' },
        },
      }
    : { keys: { publicKeys: ip.publicKey ?? '' } };
  const verify: Record<string, unknown> = {
    imageReferences: [`${registryLoginServer(fleet)}/*`],
    attestors: [{ entries: [attestor] }],
  };
  if (ip.attestations.length > 0) {
    verify.attestations = ip.attestations.map((type) => ({ type, attestors: [{ entries: [attestor] }] }));
  }
  Object.assign(verify, {
    // Kyverno refuses mutateDigest (its default: true) under an Audit failure action ("mutateDigest
    // must be set to false for 'Audit' failure action", api/kyverno/v1 image_verification_types.go):
    // the digest is pinned only when the policy enforces.
    mutateDigest: ip.enforce,
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
        annotations: {
          'policies.kyverno.io/description':
            `Images from ${registryLoginServer(fleet)} must be signed with Cosign in ` +
            `CI${ip.attestations.length ? ' and carry the required attestations' : ''}.`,
        },
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
          'policies.kyverno.io/description':
            `Tenant pods run images from ${registryLoginServer(fleet)} only (otherwise the signature rule, ` +
            `which covers that registry, could be sidestepped).`,
        },
      },
      spec: {
        validationFailureAction: action,
        background: true,
        rules: [
          {
            name: 'fleet-registry-only',
            match: {
              any: [
                {
                  resources: {
                    kinds: ['Pod'],
                    namespaceSelector: { matchExpressions: [{ key: TENANT_LABEL, operator: 'Exists' }] },
                  },
                },
              ],
            },
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
        annotations: {
          'policies.kyverno.io/description': `Namespaces must carry the labels ${labels}.`,
        },
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
              message: `Namespaces need the labels ${labels}.`,
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

/**
 * The same rule for Gatekeeper's CEL engine (K8sNativeValidation, run in place of the Rego where
 * Gatekeeper has CEL on, and by the API server's ValidatingAdmissionPolicy when Gatekeeper
 * generates one), with the Rego's message: the missing labels in the parameters' order, which the
 * constraint gives sorted, as the Rego's set prints them.
 */
const REQUIRED_LABELS_CEL = {
  variables: [
    {
      name: 'provided',
      expression: 'has(variables.anyObject.metadata.labels) ? variables.anyObject.metadata.labels : {}',
    },
    { name: 'missing', expression: 'variables.params.labels.filter(l, !(l in variables.provided))' },
  ],
  validations: [
    {
      expression: 'size(variables.missing) == 0',
      messageExpression: `'you must provide labels: {' + variables.missing.map(l, '"' + l + '"').join(', ') + '}'`,
    },
  ],
};

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
            validation: {
              openAPIV3Schema: { type: 'object', properties: { labels: { type: 'array', items: { type: 'string' } } } },
            },
          },
        },
        targets: [
          {
            target: 'admission.k8s.gatekeeper.sh',
            rego: REQUIRED_LABELS_REGO,
            code: [{ engine: 'K8sNativeValidation', source: REQUIRED_LABELS_CEL }],
          },
        ],
      },
    },
  ];
}

/**
 * Asks Ratify (external data provider `ratify-provider`) about every image of the fleet registry
 * in a Pod; a failed verification, an error or an unreachable Ratify denies (fail closed). After
 * Ratify's library template (library/default/template.yaml), restricted to the registry given as
 * a parameter, as the Kyverno rule's imageReferences are.
 */
const RATIFY_VERIFICATION_REGO = `package ratifyverification

import rego.v1

fleet_images contains img if {
  some c in array.concat(array.concat(object.get(input.review.object.spec, "containers", []), object.get(input.review.object.spec, "initContainers", [])), object.get(input.review.object.spec, "ephemeralContainers", []))
  img := c.image
  startswith(img, concat("", [input.parameters.registry, "/"]))
}

remote_data := external_data({"provider": "ratify-provider", "keys": [img | some img in fleet_images]}) if count(fleet_images) > 0

violation contains {"msg": msg} if {
  err := remote_data.system_error
  err != ""
  msg := sprintf("System error calling Ratify: %s", [err])
}

violation contains {"msg": msg} if {
  count(remote_data.errors) > 0
  msg := sprintf("Error verifying one or more images: %v", [remote_data.errors])
}

violation contains {"msg": msg} if {
  some subject in remote_data.responses
  subject[1].isSuccess == false
  msg := sprintf("image %s is not signed by the fleet's signing identity", [subject[0]])
}
`;

function ratifyTemplate(): KObject {
  return {
    apiVersion: 'templates.gatekeeper.sh/v1',
    kind: 'ConstraintTemplate',
    metadata: { name: 'ratifyverification' },
    spec: {
      crd: {
        spec: {
          names: { kind: 'RatifyVerification' },
          validation: { openAPIV3Schema: { type: 'object', properties: { registry: { type: 'string' } } } },
        },
      },
      targets: [{ target: 'admission.k8s.gatekeeper.sh', rego: RATIFY_VERIFICATION_REGO }],
    },
  };
}

function ratifyConstraint(fleet: Fleet): KObject {
  return {
    apiVersion: 'constraints.gatekeeper.sh/v1beta1',
    kind: 'RatifyVerification',
    metadata: { name: 'verify-signed-images' },
    spec: {
      enforcementAction: fleet.spec.imagePolicy.enforce ? 'deny' : 'dryrun',
      match: {
        kinds: [{ apiGroups: [''], kinds: ['Pod'] }],
        namespaceSelector: { matchExpressions: [{ key: TENANT_LABEL, operator: 'Exists' }] },
      },
      parameters: { registry: registryLoginServer(fleet) },
    },
  };
}

/**
 * Pods are what Ratify judges, and a repository holds workloads: Gatekeeper expands each workload
 * into the Pod it creates (ExpansionTemplate), so the constraint on Pods judges Deployments at
 * admission as in the gate (the offline engine expands them the same way).
 */
function expansionTemplates(): KObject[] {
  const t = (
    name: string,
    applyTo: { groups: string[]; kinds: string[]; versions: string[] }[],
    templateSource: string,
  ): KObject => ({
    apiVersion: 'expansion.gatekeeper.sh/v1beta1',
    kind: 'ExpansionTemplate',
    metadata: { name },
    spec: { applyTo, templateSource, generatedGVK: { kind: 'Pod', group: '', version: 'v1' } },
  });
  return [
    t(
      'expand-workloads',
      [
        { groups: ['apps'], kinds: ['DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'], versions: ['v1'] },
        { groups: ['batch'], kinds: ['Job'], versions: ['v1'] },
      ],
      'spec.template',
    ),
    t(
      'expand-cronjobs',
      [{ groups: ['batch'], kinds: ['CronJob'], versions: ['v1'] }],
      'spec.jobTemplate.spec.template',
    ),
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
        // Sorted: the CEL variant lists missing labels in this order, the Rego as a sorted set.
        parameters: { labels: [...REQUIRED_NAMESPACE_LABELS].sort() },
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
    return [
      yamlFile(`${dir}/kyverno-policies.yaml`, kyvernoPolicies(fleet)),
      kustomizationFile(dir, ['kyverno-policies.yaml']),
    ];
  }
  // A constraint's kind exists only once Gatekeeper has processed its template, so the
  // constraint would fail Flux's dry-run in the same apply as the template. Templates are listed
  // here; the constraint is in platform/policies/constraints, which Flux applies in a second
  // Kustomization (`policies-constraints`, generated below the cluster folder) - see the note.
  return [
    yamlFile(`${dir}/constraint-templates.yaml`, [...gatekeeperTemplates(), ratifyTemplate()]),
    yamlFile(`${dir}/expansion-templates.yaml`, expansionTemplates()),
    yamlFile(`${dir}/constraints/required-labels.yaml`, gatekeeperConstraints(fleet)),
    yamlFile(`${dir}/constraints/verify-signed-images.yaml`, [ratifyConstraint(fleet)]),
    kustomizationFile(`${dir}/constraints`, ['required-labels.yaml', 'verify-signed-images.yaml']),
    kustomizationFile(
      dir,
      ['constraint-templates.yaml', 'expansion-templates.yaml'],
      {},
      [
        'Gatekeeper: required labels on Namespaces, and signed images of the fleet registry in tenant',
        'namespaces (RatifyVerification: Gatekeeper asks Ratify, platform/controllers/ratify, through',
        'external data). The constraints (constraints/) are applied by the policy-constraints Flux',
        'Kustomization after this one, once the templates have created their CRDs.',
      ].join('\n'),
    ),
  ];
}

/** Whether a cluster needs the extra `policy-constraints` Flux Kustomization (Gatekeeper). */
export function needsConstraintsStage(fleet: Fleet): boolean {
  return fleet.spec.addons.policy.enabled && fleet.spec.addons.policy.engine === 'gatekeeper';
}
