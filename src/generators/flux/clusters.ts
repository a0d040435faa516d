/**
 * `clusters/<cluster>/aksfleet/`: what Flux on one cluster reconciles from the repository.
 *
 * `flux bootstrap --path clusters/<cluster>` writes `clusters/<cluster>/flux-system/` itself
 * (gotk-components.yaml, gotk-sync.yaml with the `flux-system` GitRepository and Kustomization).
 * We cannot know whether that folder exists yet, so we write no `clusters/<cluster>/kustomization.yaml`:
 * Flux then generates one that includes every sub-folder with a kustomization (flux-system/ once
 * bootstrapped, and aksfleet/). Listing flux-system/ ourselves would break the build before
 * bootstrap; leaving it out of a hand-written list would make the flux-system Kustomization prune
 * Flux itself. Our objects live in `aksfleet/`, a folder `kubectl kustomize` can build on its own.
 *
 * The objects: a GitRepository `gitops` (the seed's name) on the cluster's environment branch,
 * and Flux Kustomizations in dependency order:
 *   platform-controllers (./platform/controllers: add-on Helm releases and their CRDs)
 *   -> platform (./platform/configs: objects of those CRDs, policies)
 *   -> tenants (namespaces, RBAC, network policies, identities, secrets, backups)
 *   -> workloads (the apps of the tenants placed on this cluster).
 * A separate GitRepository (instead of reusing bootstrap's `flux-system`) keeps the repository
 * self-describing, so `aksfleet build` can render a cluster before it is bootstrapped, and works
 * with the AKS Flux extension too; in bootstrap mode it reuses bootstrap's `flux-system` secret.
 */
import { InputError } from '../../errors.js';
import { OUTPUTS_CONFIGMAP, clusterPath, environmentOf } from '../../model/fleet-model.js';
import type { KObject } from '../../resources/resource.js';
import type { Cluster, Fleet } from '../../spec/schema.js';
import type { GeneratedFile } from '../types.js';
import { FLUX_API, kustomizationFile, yamlFile } from './common.js';
import { tenantsDir, workloadsDir } from './placement.js';
import { needsConstraintsStage } from './policies.js';

export const GIT_REPOSITORY_NAME = 'gitops';
export const FLUX_NAMESPACE = 'flux-system';

/** `tier` -> `CLUSTER_LABEL_TIER`; `topology.kubernetes.io/zone` -> `CLUSTER_LABEL_TOPOLOGY_KUBERNETES_IO_ZONE`. */
export function clusterLabelVar(key: string): string {
  return `CLUSTER_LABEL_${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The per-cluster variables every Flux Kustomization substitutes (besides OUTPUTS_CONFIGMAP). */
export function clusterVars(fleet: Fleet, cluster: Cluster): Record<string, string> {
  const vars: Record<string, string> = { CLUSTER_NAME: cluster.name, ENVIRONMENT: cluster.environment, REGION: cluster.location };
  const ci = fleet.spec.clusters.indexOf(cluster);
  for (const key of Object.keys(cluster.labels).sort()) {
    const name = clusterLabelVar(key);
    if (name in vars)
      throw new InputError(`cluster label '${key}' becomes the Flux variable ${name}, which another label already uses; rename one of them`, {
        fieldPath: `spec.clusters[${ci}].labels.${key}`,
      });
    vars[name] = cluster.labels[key]!;
  }
  return vars;
}

function fluxKustomization(fleet: Fleet, cluster: Cluster, name: string, path: string, dependsOn: string[], wait: boolean): KObject {
  const spec: Record<string, unknown> = {};
  if (dependsOn.length > 0) spec.dependsOn = dependsOn.map((d) => ({ name: d }));
  Object.assign(spec, {
    interval: fleet.spec.gitops.interval,
    retryInterval: '2m',
    timeout: '10m',
    sourceRef: { kind: 'GitRepository', name: GIT_REPOSITORY_NAME },
    path: `./${path}`,
    prune: true,
    wait,
    postBuild: {
      substitute: clusterVars(fleet, cluster),
      substituteFrom: [{ kind: 'ConfigMap', name: OUTPUTS_CONFIGMAP }],
    },
  });
  return { apiVersion: FLUX_API.kustomization, kind: 'Kustomization', metadata: { name, namespace: FLUX_NAMESPACE }, spec };
}

export function generateClusters(fleet: Fleet): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const cluster of fleet.spec.clusters) {
    const env = environmentOf(fleet, cluster);
    const dir = `${clusterPath(cluster)}/aksfleet`;
    const git: Record<string, unknown> = {
      interval: fleet.spec.git.interval,
      url: fleet.spec.git.url,
      ref: { branch: env.branch },
    };
    if (fleet.spec.gitops.mode === 'bootstrap') git.secretRef = { name: 'flux-system' };
    // Keep IaC, scripts and aksfleet's own state out of the artifact Flux builds from.
    git.ignore = ['/cluster-bootstrap/', '/infra/', '/.aksfleet/', '/.github/'].join('\n') + '\n';
    const source: KObject = {
      apiVersion: FLUX_API.gitRepository,
      kind: 'GitRepository',
      metadata: { name: GIT_REPOSITORY_NAME, namespace: FLUX_NAMESPACE },
      spec: git,
    };
    files.push(yamlFile(`${dir}/gitops.yaml`, [source], `The repository, on the ${env.name} environment's branch ${env.branch}.`));
    files.push(
      yamlFile(
        `${dir}/platform.yaml`,
        [
          fluxKustomization(fleet, cluster, 'platform-controllers', 'platform/controllers', [], true),
          fluxKustomization(fleet, cluster, 'platform', 'platform/configs', ['platform-controllers'], true),
          ...(needsConstraintsStage(fleet)
            ? [fluxKustomization(fleet, cluster, 'policy-constraints', 'platform/policies/constraints', ['platform'], true)]
            : []),
        ],
        'Platform add-ons: controllers (Helm releases, CRDs) first, then the objects that use their CRDs.',
      ),
    );
    files.push(
      yamlFile(
        `${dir}/tenants.yaml`,
        [fluxKustomization(fleet, cluster, 'tenants', tenantsDir(fleet, cluster), ['platform'], true)],
        'Tenant namespaces, RBAC, network policies, workload identities, Key Vault secrets and backups.',
      ),
    );
    files.push(
      yamlFile(
        `${dir}/workloads.yaml`,
        [fluxKustomization(fleet, cluster, 'workloads', workloadsDir(fleet, cluster), ['platform', 'tenants'], false)],
        'The apps of the tenants placed on this cluster.',
      ),
    );
    files.push(
      kustomizationFile(dir, ['gitops.yaml', 'platform.yaml', 'tenants.yaml', 'workloads.yaml'], {}, [
        `Flux sync objects of cluster ${cluster.name} (environment ${env.name}).`,
        'clusters/<cluster>/ has no kustomization.yaml on purpose: Flux generates one that includes',
        'this folder and flux-system/ (written by `flux bootstrap`).',
      ].join('\n')),
    );
  }
  return files;
}
