/**
 * `workloads/base/<tenant>/<app>/`: an app's Deployment(s), Service(s), PodDisruptionBudget(s),
 * blue/green HTTPRoute and SLO objects. `workloads/<env>/`: the bases of the tenants placed in an
 * environment, with the environment's replicas and image overrides.
 */
import { splitImage } from '../../resources/image-ref.js';
import { InputError } from '../../errors.js';
import { appIn, appNamespace } from '../../model/fleet-model.js';
import { tenantPlacedOn } from '../../spec/placement.js';
import type { KObject } from '../../resources/resource.js';
import type { App, Cluster, Fleet, Tenant } from '../../spec/schema.js';
import { sloObjects } from '../slo/index.js';
import type { GeneratedFile } from '../types.js';
import { WI_USE_LABEL, kustomizationFile, yamlFile } from './common.js';
import { envPlacements } from './placement.js';
import { NS } from './platform.js';
import { TENANT_LABEL, secretProviderClassName } from './tenants.js';

const NAME_LABEL = 'app.kubernetes.io/name';
const SLOT_LABEL = 'aksfleet.dev/slot';
const SECRETS_MOUNT = '/mnt/secrets-store';

/** One Deployment of an app: the app itself, or its blue or green slot. */
interface Variant {
  readonly name: string;
  readonly image: string;
  readonly slot?: 'blue' | 'green';
}

export function variants(app: App): Variant[] {
  if (!app.blueGreen) return [{ name: app.name, image: app.image }];
  return [
    { name: `${app.name}-blue`, image: app.image, slot: 'blue' },
    { name: `${app.name}-green`, image: app.blueGreen.greenImage ?? app.image, slot: 'green' },
  ];
}

/** `key=value:Effect` / `key:Effect` -> a toleration. */
export function toleration(taint: string): Record<string, string> {
  const [kv, effect] = [taint.slice(0, taint.lastIndexOf(':')), taint.slice(taint.lastIndexOf(':') + 1)];
  const eq = kv.indexOf('=');
  return eq < 0
    ? { key: kv, operator: 'Exists', effect }
    : { key: kv.slice(0, eq), operator: 'Equal', value: kv.slice(eq + 1), effect };
}

/** Tolerations for the user-pool taints of every cluster the tenant runs on (sorted, unique). */
function tolerations(fleet: Fleet, t: Tenant): Record<string, string>[] {
  const taints = new Set<string>();
  for (const c of fleet.spec.clusters.filter((c: Cluster) => tenantPlacedOn(t, c)))
    for (const p of c.userPools) for (const x of p.taints) taints.add(x);
  return [...taints].sort().map(toleration);
}

function selectorLabels(app: App, variant: Variant): Record<string, string> {
  return variant.slot ? { [NAME_LABEL]: app.name, [SLOT_LABEL]: variant.slot } : { [NAME_LABEL]: app.name };
}

function deployment(fleet: Fleet, t: Tenant, app: App, variant: Variant): KObject {
  const ns = appNamespace(t, app);
  const sel = selectorLabels(app, variant);
  const podLabels: Record<string, string> = { ...sel, 'app.kubernetes.io/part-of': t.name, [TENANT_LABEL]: t.name };
  // The seed's pod template omits this label: without it the workload identity webhook injects
  // neither the projected token nor AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_FEDERATED_TOKEN_FILE.
  if (app.serviceAccount) podLabels[WI_USE_LABEL] = 'true';
  const container: Record<string, unknown> = {
    name: app.name,
    image: variant.image,
    ports: [{ name: 'http', containerPort: app.port, protocol: 'TCP' }],
    resources: {
      requests: { cpu: app.resources.cpu, memory: app.resources.memory },
      limits: { cpu: app.resources.cpuLimit, memory: app.resources.memoryLimit },
    },
    readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 5, failureThreshold: 3 },
    livenessProbe: { tcpSocket: { port: 'http' }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 6 },
    securityContext: {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [
      { name: 'tmp', mountPath: '/tmp' },
      ...(app.secrets.length > 0 ? [{ name: 'secrets-store', mountPath: SECRETS_MOUNT, readOnly: true }] : []),
    ],
  };
  const volumes: Record<string, unknown>[] = [{ name: 'tmp', emptyDir: {} }];
  if (app.secrets.length > 0) {
    volumes.push({
      name: 'secrets-store',
      csi: {
        driver: 'secrets-store.csi.k8s.io',
        readOnly: true,
        volumeAttributes: { secretProviderClass: secretProviderClassName(app.serviceAccount!) },
      },
    });
  }
  const podSpec: Record<string, unknown> = {};
  if (app.serviceAccount) podSpec.serviceAccountName = app.serviceAccount;
  else podSpec.automountServiceAccountToken = false;
  Object.assign(podSpec, {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [container],
    volumes,
  });
  podSpec.nodeSelector = { 'kubernetes.io/os': 'linux' };
  // Apps belong on user pools (AKS labels nodes kubernetes.azure.com/mode=user|system): required
  // when every cluster the tenant runs on has a user pool, preferred otherwise.
  const userPoolTerm = { matchExpressions: [{ key: 'kubernetes.azure.com/mode', operator: 'In', values: ['user'] }] };
  const everywhere = fleet.spec.clusters
    .filter((c) => tenantPlacedOn(t, c))
    .every((c) => c.userPools.some((p) => p.osType === 'Linux'));
  podSpec.affinity = {
    nodeAffinity: everywhere
      ? { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [userPoolTerm] } }
      : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: userPoolTerm }] },
  };
  const tols = tolerations(fleet, t);
  if (tols.length > 0) podSpec.tolerations = tols;
  podSpec.topologySpreadConstraints = [
    {
      maxSkew: 1,
      topologyKey: 'topology.kubernetes.io/zone',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: sel },
    },
    {
      maxSkew: 1,
      topologyKey: 'kubernetes.io/hostname',
      whenUnsatisfiable: 'ScheduleAnyway',
      labelSelector: { matchLabels: sel },
    },
  ];
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: variant.name, namespace: ns, labels: { ...sel, 'app.kubernetes.io/part-of': t.name } },
    spec: {
      replicas: app.replicas,
      revisionHistoryLimit: 5,
      selector: { matchLabels: sel },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: { metadata: { labels: podLabels }, spec: podSpec },
    },
  };
}

function service(t: Tenant, app: App, variant: Variant): KObject {
  const sel = selectorLabels(app, variant);
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: variant.name,
      namespace: appNamespace(t, app),
      labels: { ...sel, 'app.kubernetes.io/part-of': t.name },
    },
    spec: {
      type: 'ClusterIP',
      selector: sel,
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
}

/** maxUnavailable 1 (not minAvailable): a node drain can always evict, even with one replica. */
function pdb(t: Tenant, app: App, variant: Variant): KObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: variant.name, namespace: appNamespace(t, app) },
    spec: {
      maxUnavailable: 1,
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
      selector: { matchLabels: selectorLabels(app, variant) },
    },
  };
}

function httpRoute(fleet: Fleet, t: Tenant, app: App): KObject {
  const bg = app.blueGreen!;
  const spec: Record<string, unknown> = {
    parentRefs: [{ name: fleet.spec.addons.ingress.gatewayName, namespace: NS.gateway }],
  };
  if (bg.hostnames.length > 0) spec.hostnames = [...bg.hostnames];
  spec.rules = [
    {
      backendRefs: [
        { name: `${app.name}-blue`, port: 80, weight: 100 - bg.greenWeight },
        { name: `${app.name}-green`, port: 80, weight: bg.greenWeight },
      ],
    },
  ];
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: app.name, namespace: appNamespace(t, app) },
    spec,
  };
}

/**
 * Scraping for an app with SLOs. `jobLabel` takes the job from the Services' app.kubernetes.io/name
 * label, so blue and green both report `job="<app>"`, which the SLO selectors use.
 */
function serviceMonitor(t: Tenant, app: App): KObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: app.name, namespace: appNamespace(t, app), labels: { [NAME_LABEL]: app.name } },
    spec: {
      jobLabel: NAME_LABEL,
      selector: { matchLabels: { [NAME_LABEL]: app.name } },
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
    },
  };
}

export function appBaseDir(t: Tenant, app: App): string {
  return `workloads/base/${t.name}/${app.name}`;
}

function appBaseFiles(fleet: Fleet, t: Tenant, app: App, ti: number, ai: number): GeneratedFile[] {
  const dir = appBaseDir(t, app);
  const vs = variants(app);
  const files: GeneratedFile[] = [
    yamlFile(
      `${dir}/deployment.yaml`,
      vs.map((x) => deployment(fleet, t, app, x)),
    ),
    yamlFile(
      `${dir}/service.yaml`,
      vs.map((x) => service(t, app, x)),
    ),
    yamlFile(
      `${dir}/pdb.yaml`,
      vs.map((x) => pdb(t, app, x)),
      'maxUnavailable: 1 lets node drains (upgrades, autoscaler) proceed even with a single replica.',
    ),
  ];
  if (app.blueGreen) {
    const ing = fleet.spec.addons.ingress;
    if (!ing.enabled || ing.kind !== 'gateway-api')
      throw new InputError(
        'blue/green needs the Gateway API: set addons.ingress.kind: gateway-api (and enabled: true)',
        {
          fieldPath: `spec.tenants[${ti}].apps[${ai}].blueGreen`,
        },
      );
    files.push(
      yamlFile(
        `${dir}/httproute.yaml`,
        [httpRoute(fleet, t, app)],
        `Blue/green: ${100 - app.blueGreen.greenWeight}% to ${app.name}-blue, ` +
          `${app.blueGreen.greenWeight}% to ${app.name}-green.`,
      ),
    );
  }
  if (app.slos.length > 0 && fleet.spec.addons.kubePrometheusStack.enabled) {
    files.push(
      yamlFile(
        `${dir}/service-monitor.yaml`,
        [serviceMonitor(t, app)],
        `Prometheus scrapes ${app.name} (port http, /metrics) ` +
          `so its SLO metrics exist; job="${app.name}" for every slot.`,
      ),
    );
  }
  const slo = sloObjects(fleet, t, app).map((o) => withNamespace(o, appNamespace(t, app)));
  if (slo.length > 0) files.push(yamlFile(`${dir}/slo.yaml`, slo, `Service level objectives of ${app.name}.`));
  files.push(
    kustomizationFile(
      dir,
      files.map((f) => f.path.slice(dir.length + 1)),
    ),
  );
  return files;
}

function withNamespace(o: KObject, ns: string): KObject {
  if (o.metadata?.namespace) return o;
  return { ...o, metadata: { ...o.metadata, namespace: ns } };
}

/**
 * The overlay fields for one environment: JSON6902 patches for replicas, and image overrides.
 * Overrides use kustomize `images` when the image name appears in one container of the build
 * only (`images` matches by name, so a shared name - e.g. a blue/green pair - would change more
 * than the overridden app); otherwise a patch on the Deployment's container.
 */
export function envOverlay(_fleet: Fleet, envName: string, tenants: readonly Tenant[]): Record<string, unknown> {
  const patches: Record<string, unknown>[] = [];
  const images: Record<string, string>[] = [];
  const nameCount = new Map<string, number>();
  for (const t of tenants)
    for (const app of t.apps)
      for (const x of variants(app))
        nameCount.set(splitImage(x.image).name, (nameCount.get(splitImage(x.image).name) ?? 0) + 1);
  for (const t of tenants) {
    for (const app of t.apps) {
      const eff = appIn(app, envName);
      const ops: string[] = [];
      if (eff.replicas !== app.replicas) ops.push(`- op: replace\n  path: /spec/replicas\n  value: ${eff.replicas}\n`);
      const target = (name: string) => ({
        group: 'apps',
        version: 'v1',
        kind: 'Deployment',
        name,
        namespace: appNamespace(t, app),
      });
      const imageChanged = eff.image !== app.image;
      const base = splitImage(app.image);
      const viaImages = imageChanged && nameCount.get(base.name) === 1;
      if (viaImages) {
        const o = splitImage(eff.image);
        const entry: Record<string, string> = { name: base.name };
        if (o.name !== base.name) entry.newName = o.name;
        if (o.digest) entry.digest = o.digest;
        else if (o.tag) entry.newTag = o.tag;
        images.push(entry);
      }
      for (const x of variants(app)) {
        const mine = [...ops];
        // The override replaces the app image: the green slot keeps its own image.
        if (imageChanged && !viaImages && x.slot !== 'green')
          mine.push(`- op: replace\n  path: /spec/template/spec/containers/0/image\n  value: ${eff.image}\n`);
        if (mine.length > 0) patches.push({ target: target(x.name), patch: mine.join('') });
      }
    }
  }
  const extra: Record<string, unknown> = {};
  if (patches.length > 0) extra.patches = patches;
  if (images.length > 0) extra.images = images;
  return extra;
}

export function generateWorkloads(fleet: Fleet): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  fleet.spec.tenants.forEach((t, ti) =>
    t.apps.forEach((app, ai) => files.push(...appBaseFiles(fleet, t, app, ti, ai))),
  );
  for (const p of envPlacements(fleet)) {
    const bases = (ts: readonly Tenant[], up: string) =>
      ts.flatMap((t) => t.apps.map((app) => `${up}${appBaseDir(t, app).slice('workloads/'.length)}`));
    if (p.exact) {
      files.push(
        kustomizationFile(
          `workloads/${p.env.name}`,
          bases(p.tenants, '../'),
          envOverlay(fleet, p.env.name, p.tenants),
          `Apps of environment ${p.env.name}, with its replicas and image overrides.`,
        ),
      );
    } else {
      for (const c of p.clusters) {
        const ts = p.tenants.filter((t) => tenantPlacedOn(t, c));
        files.push(
          kustomizationFile(
            `workloads/${p.env.name}/clusters/${c.name}`,
            bases(ts, '../../../'),
            envOverlay(fleet, p.env.name, ts),
            `Apps of cluster ${c.name} (environment ${p.env.name}; its clusters run different tenants).`,
          ),
        );
      }
    }
  }
  return files;
}
