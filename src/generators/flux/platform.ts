/**
 * `platform/controllers/<component>/` (namespace, chart source, HelmRelease: the add-ons and their
 * CRDs) and `platform/configs/<component>/` (objects of those CRDs: ClusterIssuer, GatewayClass and
 * Gateway, BackupStorageLocation). Two folders because Flux dry-runs a whole Kustomization before
 * applying it, and an object whose CRD is not installed yet fails that dry-run: the `platform`
 * Flux Kustomization (configs) depends on `platform-controllers`, which waits for the releases.
 * Chart versions are pinned from fleet.yaml; values are set for AKS.
 */
import { identityClientIdVar, platformIdentities } from '../../spec/identities.js';
import type { KObject } from '../../resources/resource.js';
import type { Fleet, WorkloadIdentity } from '../../spec/schema.js';
import type { GeneratedFile } from '../types.js';
import {
  FLUX_API,
  PLATFORM_NAMESPACE_LABELS,
  WI_CLIENT_ID,
  WI_USE_LABEL,
  kustomizationFile,
  namespace,
  v,
  yamlFile,
} from './common.js';
import type { Controller } from './controller.js';
import { policyConfigFiles, policyController, ratifyController } from './policies.js';

/** Namespaces of the add-ons (tenants' network policies and HTTPRoutes refer to some of them). */
export const NS = {
  certManager: 'cert-manager',
  gateway: 'envoy-gateway-system',
  ingressNginx: 'ingress-nginx',
  monitoring: 'monitoring',
  secretsStore: 'kube-system',
  velero: 'velero',
} as const;

/** The namespace of the ingress data plane (where the Gateway or the nginx controller runs). */
export function ingressNamespace(fleet: Fleet): string {
  return fleet.spec.addons.ingress.kind === 'gateway-api' ? NS.gateway : NS.ingressNginx;
}

/** The Velero plugin for Microsoft Azure that matches Velero 1.14 (chart 7.x/8.x). */
export const VELERO_AZURE_PLUGIN_IMAGE = 'velero/velero-plugin-for-microsoft-azure:v1.10.1';

export type { ChartSource, Controller } from './controller.js';

function helmRepository(c: Controller): KObject {
  const spec: Record<string, unknown> = { interval: '24h', url: c.source.url };
  if (c.source.oci) spec.type = 'oci';
  return {
    apiVersion: FLUX_API.helmRepository,
    kind: 'HelmRepository',
    metadata: { name: c.source.name, namespace: c.namespace },
    spec,
  };
}

function helmRelease(c: Controller): KObject {
  const spec: Record<string, unknown> = {};
  if (c.release.dependsOn?.length)
    spec.dependsOn = c.release.dependsOn.map((d) => ({ name: d.split('/')[1]!, namespace: d.split('/')[0]! }));
  Object.assign(spec, {
    interval: '30m',
    releaseName: c.release.name,
    chart: {
      spec: {
        chart: c.release.chart,
        version: c.release.version,
        sourceRef: { kind: 'HelmRepository', name: c.source.name },
        interval: '12h',
      },
    },
    install: { crds: 'CreateReplace', remediation: { retries: 3 } },
    upgrade: { crds: 'CreateReplace', remediation: { retries: 3, remediateLastFailure: true } },
    values: c.release.values,
  });
  return {
    apiVersion: FLUX_API.helmRelease,
    kind: 'HelmRelease',
    metadata: { name: c.release.name, namespace: c.namespace },
    spec,
  };
}

function identityOf(fleet: Fleet, sa: string): WorkloadIdentity {
  const wi = platformIdentities(fleet).find((w) => w.serviceAccount === sa);
  if (!wi) throw new Error(`internal: no platform identity for ${sa}`);
  return wi;
}

/** The enabled add-ons' controllers, in the order their folders are listed. */
/** Prometheus retention: the longest SLO window plus a day (15d when the fleet has no SLO). */
export function prometheusRetention(fleet: Fleet): string {
  const days = fleet.spec.tenants.flatMap((t) =>
    t.apps.flatMap((a) => a.slos.map((s) => Number.parseInt(s.window, 10))),
  );
  return days.length ? `${Math.max(...days) + 1}d` : '15d';
}

export function controllers(fleet: Fleet): Controller[] {
  const a = fleet.spec.addons;
  const out: Controller[] = [];
  const gatewayApi = a.ingress.enabled && a.ingress.kind === 'gateway-api';
  if (a.ingress.enabled && a.ingress.kind === 'gateway-api') {
    out.push({
      dir: 'envoy-gateway',
      namespace: NS.gateway,
      createNamespace: true,
      source: { name: 'envoyproxy', url: 'oci://docker.io/envoyproxy', oci: true },
      release: {
        name: 'envoy-gateway',
        chart: 'gateway-helm',
        version: a.ingress.version,
        values: {
          deployment: { replicas: 2 },
          // The chart installs the Gateway API CRDs (standard channel) with Envoy Gateway's own.
        },
      },
      comment: 'Envoy Gateway: the Gateway API implementation (and the Gateway API CRDs).',
    });
  } else if (a.ingress.enabled) {
    out.push({
      dir: 'ingress-nginx',
      namespace: NS.ingressNginx,
      createNamespace: true,
      source: { name: 'ingress-nginx', url: 'https://kubernetes.github.io/ingress-nginx' },
      release: {
        name: 'ingress-nginx',
        chart: 'ingress-nginx',
        version: a.ingress.version,
        values: {
          controller: {
            replicaCount: 2,
            service: {
              externalTrafficPolicy: 'Local',
              // The Azure load balancer probes this path; without it AKS probes `/` and marks the nodes down.
              annotations: { 'service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path': '/healthz' },
            },
            metrics: {
              enabled: a.kubePrometheusStack.enabled,
              serviceMonitor: { enabled: a.kubePrometheusStack.enabled },
            },
          },
        },
      },
      comment: 'ingress-nginx behind an Azure load balancer.',
    });
  }
  if (a.certManager.enabled) {
    const wi = identityOf(fleet, 'cert-manager');
    out.push({
      dir: 'cert-manager',
      namespace: NS.certManager,
      createNamespace: true,
      source: { name: 'jetstack', url: 'https://charts.jetstack.io' },
      release: {
        name: 'cert-manager',
        chart: 'cert-manager',
        version: a.certManager.version,
        values: {
          crds: { enabled: true, keep: true },
          replicaCount: 2,
          podDisruptionBudget: { enabled: true, minAvailable: 1 },
          // Workload identity (DNS-01 on Azure DNS): the webhook injects the token into labelled pods.
          podLabels: { [WI_USE_LABEL]: 'true' },
          serviceAccount: { annotations: { [WI_CLIENT_ID]: v(identityClientIdVar(wi)) } },
          ...(gatewayApi
            ? {
                config: {
                  apiVersion: 'controller.config.cert-manager.io/v1alpha1',
                  kind: 'ControllerConfiguration',
                  enableGatewayAPI: true,
                },
              }
            : {}),
        },
        // With Gateway API support on, cert-manager needs the Gateway API CRDs at start-up.
        ...(gatewayApi ? { dependsOn: [`${NS.gateway}/envoy-gateway`] } : {}),
      },
      comment: 'cert-manager with workload identity; the ClusterIssuer is in platform/configs/cert-manager.',
    });
  }
  if (a.kubePrometheusStack.enabled) {
    out.push({
      dir: 'kube-prometheus-stack',
      namespace: NS.monitoring,
      createNamespace: true,
      source: { name: 'prometheus-community', url: 'https://prometheus-community.github.io/helm-charts' },
      release: {
        name: 'kube-prometheus-stack',
        chart: 'kube-prometheus-stack',
        version: a.kubePrometheusStack.version,
        values: {
          // AKS manages the control plane: its components cannot be scraped from the cluster.
          kubeControllerManager: { enabled: false },
          kubeScheduler: { enabled: false },
          kubeEtcd: { enabled: false },
          kubeProxy: { enabled: false },
          prometheus: {
            prometheusSpec: {
              // Pick up the SLO PrometheusRules and monitors of every namespace, not only the chart's own.
              ruleSelectorNilUsesHelmValues: false,
              serviceMonitorSelectorNilUsesHelmValues: false,
              podMonitorSelectorNilUsesHelmValues: false,
              // Long enough for the longest SLO window (its error ratio is recorded over the whole window).
              retention: prometheusRetention(fleet),
              externalLabels: { cluster: v('CLUSTER_NAME'), environment: v('ENVIRONMENT') },
            },
          },
        },
      },
      comment: 'kube-prometheus-stack: Prometheus, Alertmanager, Grafana and the prometheus-operator CRDs.',
    });
  }
  if (a.policy.enabled) out.push(policyController(fleet));
  const ratify = ratifyController(fleet);
  if (ratify) out.push(ratify);
  if (a.secretsStoreCsi.enabled) {
    out.push({
      dir: 'secrets-store-csi-driver',
      namespace: NS.secretsStore,
      createNamespace: false,
      source: {
        name: 'secrets-store-csi-driver',
        url: 'https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts',
      },
      release: {
        name: 'csi-secrets-store',
        chart: 'secrets-store-csi-driver',
        version: a.secretsStoreCsi.version,
        values: {
          // Mount only: secrets stay files in the pod, no Kubernetes Secret copies.
          syncSecret: { enabled: false },
          enableSecretRotation: true,
          rotationPollInterval: '2m',
        },
      },
      comment:
        'Secrets Store CSI driver (kube-system: ' +
        'the driver is privileged and must reach the API server on AKS with restricted egress).',
    });
    out.push({
      dir: 'secrets-store-provider-azure',
      namespace: NS.secretsStore,
      createNamespace: false,
      source: {
        name: 'csi-secrets-store-provider-azure',
        url: 'https://azure.github.io/secrets-store-csi-driver-provider-azure/charts',
      },
      release: {
        name: 'csi-secrets-store-provider-azure',
        chart: 'csi-secrets-store-provider-azure',
        version: a.secretsStoreCsi.azureProviderVersion,
        // The driver is the release above; the provider chart must not install a second one.
        values: { 'secrets-store-csi-driver': { install: false } },
        dependsOn: [`${NS.secretsStore}/csi-secrets-store`],
      },
      comment: 'Azure Key Vault provider for the Secrets Store CSI driver.',
    });
  }
  if (a.velero.enabled) {
    const wi = identityOf(fleet, 'velero');
    out.push({
      dir: 'velero',
      namespace: NS.velero,
      createNamespace: true,
      source: { name: 'vmware-tanzu', url: 'https://vmware-tanzu.github.io/helm-charts' },
      release: {
        name: 'velero',
        chart: 'velero',
        version: a.velero.version,
        values: {
          initContainers: [
            {
              name: 'velero-plugin-for-microsoft-azure',
              image: VELERO_AZURE_PLUGIN_IMAGE,
              imagePullPolicy: 'IfNotPresent',
              volumeMounts: [{ mountPath: '/target', name: 'plugins' }],
            },
          ],
          // Workload identity instead of a storage key in a Secret.
          credentials: { useSecret: false },
          podLabels: { [WI_USE_LABEL]: 'true' },
          serviceAccount: { server: { annotations: { [WI_CLIENT_ID]: v(identityClientIdVar(wi)) } } },
          configuration: {
            features: 'EnableCSI',
            // The BackupStorageLocation is in platform/configs/velero (a Flux-managed object).
            backupStorageLocation: [],
            volumeSnapshotLocation: [],
          },
          snapshotsEnabled: false,
          deployNodeAgent: false,
        },
      },
      comment: 'Velero with the Azure plugin and workload identity; volumes are snapshotted through CSI.',
    });
  }
  return out;
}

function controllerFiles(c: Controller): GeneratedFile[] {
  const dir = `platform/controllers/${c.dir}`;
  const files: GeneratedFile[] = [];
  const resources: string[] = [];
  if (c.createNamespace) {
    files.push(yamlFile(`${dir}/namespace.yaml`, [namespace(c.namespace, PLATFORM_NAMESPACE_LABELS)]));
    resources.push('namespace.yaml');
  }
  files.push(yamlFile(`${dir}/repository.yaml`, [helmRepository(c)]));
  files.push(yamlFile(`${dir}/release.yaml`, [helmRelease(c)], c.comment));
  resources.push('repository.yaml', 'release.yaml');
  files.push(kustomizationFile(dir, resources));
  return files;
}

/** platform/configs/<component>: the objects that need the controllers' CRDs. */
function configFiles(fleet: Fleet): { dirs: string[]; files: GeneratedFile[] } {
  const a = fleet.spec.addons;
  const files: GeneratedFile[] = [];
  const dirs: string[] = [];
  const gatewayApi = a.ingress.enabled && a.ingress.kind === 'gateway-api';
  if (gatewayApi) {
    const dir = 'platform/configs/gateway';
    files.push(
      yamlFile(
        `${dir}/gateway.yaml`,
        [
          {
            apiVersion: 'gateway.networking.k8s.io/v1',
            kind: 'GatewayClass',
            metadata: { name: 'envoy' },
            spec: { controllerName: 'gateway.envoyproxy.io/gatewayclass-controller' },
          },
          {
            apiVersion: 'gateway.networking.k8s.io/v1',
            kind: 'Gateway',
            metadata: { name: a.ingress.gatewayName, namespace: NS.gateway },
            spec: {
              gatewayClassName: 'envoy',
              listeners: [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes: { namespaces: { from: 'All' } } }],
            },
          },
        ],
        [
          `The shared Gateway that tenants' HTTPRoutes attach to (parentRefs: ` +
            `${a.ingress.gatewayName} in ${NS.gateway}).`,
          'Envoy Gateway exposes it through a Service of type LoadBalancer (an Azure load balancer).',
          'HTTPS: add a listener with a hostname and the cert-manager.io/cluster-issuer annotation.',
        ].join('\n'),
      ),
    );
    files.push(kustomizationFile(dir, ['gateway.yaml']));
    dirs.push('gateway');
  }
  if (a.certManager.enabled) {
    const dir = 'platform/configs/cert-manager';
    const solver = gatewayApi
      ? {
          http01: {
            gatewayHTTPRoute: { parentRefs: [{ name: a.ingress.gatewayName, namespace: NS.gateway, kind: 'Gateway' }] },
          },
        }
      : { http01: { ingress: { ingressClassName: 'nginx' } } };
    files.push(
      yamlFile(`${dir}/cluster-issuer.yaml`, [
        {
          apiVersion: 'cert-manager.io/v1',
          kind: 'ClusterIssuer',
          metadata: { name: 'letsencrypt' },
          spec: {
            acme: {
              email: a.certManager.email,
              server: 'https://acme-v02.api.letsencrypt.org/directory',
              privateKeySecretRef: { name: 'letsencrypt-account-key' },
              solvers: [solver],
            },
          },
        },
      ]),
    );
    files.push(kustomizationFile(dir, ['cluster-issuer.yaml']));
    dirs.push('cert-manager');
  }
  if (a.velero.enabled) {
    const dir = 'platform/configs/velero';
    files.push(
      yamlFile(
        `${dir}/backup-storage-location.yaml`,
        [
          {
            apiVersion: 'velero.io/v1',
            kind: 'BackupStorageLocation',
            metadata: { name: 'default', namespace: NS.velero },
            spec: {
              provider: 'azure',
              default: true,
              objectStorage: { bucket: a.velero.container, prefix: v('CLUSTER_NAME') },
              config: {
                storageAccount: a.velero.storageAccount,
                storageAccountURI: `https://${a.velero.storageAccount}.blob.core.windows.net`,
                useAAD: 'true',
              },
            },
          },
        ],
        'Backups of every cluster go to one storage account, one prefix per cluster; ' +
          'Velero authenticates with workload identity (useAAD).',
      ),
    );
    files.push(kustomizationFile(dir, ['backup-storage-location.yaml']));
    dirs.push('velero');
  }
  const policy = policyConfigFiles(fleet);
  files.push(...policy);
  const resources = [...dirs];
  if (policy.length > 0) resources.push('../policies');
  files.push(
    kustomizationFile(
      'platform/configs',
      resources,
      {},
      "Objects of the add-ons' CRDs, applied after platform/controllers is ready.",
    ),
  );
  return { dirs, files };
}

export function generatePlatform(fleet: Fleet): GeneratedFile[] {
  const cs = controllers(fleet);
  const files = cs.flatMap(controllerFiles);
  files.push(
    kustomizationFile(
      'platform/controllers',
      cs.map((c) => c.dir),
      {},
      'Platform add-ons: one folder per Helm release, chart versions pinned in fleet.yaml.',
    ),
  );
  files.push(...configFiles(fleet).files);
  return files;
}
