/**
 * `clusters/<cluster>/aksfleet/`: the Flux Kustomizations one cluster reconciles, in dependency order:
 *   platform-controllers (./platform/controllers: add-on Helm releases and their CRDs)
 *   -> platform (./platform/configs: objects of those CRDs, policies)
 *   -> tenants (namespaces, RBAC, network policies, identities, secrets, backups)
 *   -> workloads (the apps of the tenants placed on this cluster).
 *
 * `flux bootstrap --path clusters/<cluster>` writes `clusters/<cluster>/flux-system/` itself
 * (gotk-components.yaml, gotk-sync.yaml with the `flux-system` GitRepository and Kustomization).
 * We cannot know whether that folder exists yet, so we write no `clusters/<cluster>/kustomization.yaml`:
 * Flux then generates one that includes every sub-folder with a kustomization (flux-system/ once
 * bootstrapped, and aksfleet/). Listing flux-system/ ourselves would break the build before
 * bootstrap; leaving it out of a hand-written list would make the flux-system Kustomization prune
 * Flux itself. Our objects live in `aksfleet/`, a folder `kubectl kustomize` can build on its own.
 *
 * Source: the GitRepository `flux-system` that bootstrap creates (the seed calls its source
 * `gitops`). It already follows this cluster's environment branch with working credentials (the
 * deploy key or token bootstrap set up); a second GitRepository would clone the repository twice
 * and need credentials of its own, which bootstrap's SSH secret does not give an https URL.
 * `aksfleet build` treats flux-system/flux-system as this repository, so it renders a cluster
 * before bootstrap too. In extension mode the infra generator copies these Kustomizations into
 * the AKS fluxConfiguration, which brings its own source. The repository-root `.sourceignore`
 * keeps IaC, scripts and aksfleet's state out of the artifact.
 */
import { InputError } from '../../errors.js';
import { OUTPUTS_CONFIGMAP, clusterPath, environmentOf } from '../../model/fleet-model.js';
import type { KObject } from '../../resources/resource.js';
import type { Cluster, Fleet } from '../../spec/schema.js';
import type { GeneratedFile } from '../types.js';
import { FLUX_API, HEADER, kustomizationFile, yamlFile } from './common.js';
import { tenantsDir, workloadsDir } from './placement.js';
import { needsConstraintsStage } from './policies.js';

/** The source every generated Flux Kustomization uses: the one `flux bootstrap` creates. */
export const GIT_REPOSITORY_NAME = 'flux-system';
export const FLUX_NAMESPACE = 'flux-system';

/** `tier` -> `CLUSTER_LABEL_TIER`; `topology.kubernetes.io/zone` -> `CLUSTER_LABEL_TOPOLOGY_KUBERNETES_IO_ZONE`. */
export function clusterLabelVar(key: string): string {
  return `CLUSTER_LABEL_${key.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The per-cluster variables every Flux Kustomization substitutes (besides OUTPUTS_CONFIGMAP). */
export function clusterVars(fleet: Fleet, cluster: Cluster): Record<string, string> {
  const vars: Record<string, string> = {
    CLUSTER_NAME: cluster.name,
    ENVIRONMENT: cluster.environment,
    REGION: cluster.location,
  };
  const ci = fleet.spec.clusters.indexOf(cluster);
  for (const key of Object.keys(cluster.labels).sort()) {
    const name = clusterLabelVar(key);
    if (name in vars)
      throw new InputError(
        `cluster label '${key}' becomes the Flux variable ${name}, ` +
          `which another label already uses; rename one of them`,
        {
          fieldPath: `spec.clusters[${ci}].labels.${key}`,
        },
      );
    vars[name] = cluster.labels[key]!;
  }
  return vars;
}

function fluxKustomization(
  fleet: Fleet,
  cluster: Cluster,
  name: string,
  path: string,
  dependsOn: string[],
  wait: boolean,
): KObject {
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
  return {
    apiVersion: FLUX_API.kustomization,
    kind: 'Kustomization',
    metadata: { name, namespace: FLUX_NAMESPACE },
    spec,
  };
}

export function generateClusters(fleet: Fleet): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  for (const cluster of fleet.spec.clusters) {
    const env = environmentOf(fleet, cluster);
    const dir = `${clusterPath(cluster)}/aksfleet`;
    files.push(
      yamlFile(
        `${dir}/platform.yaml`,
        [
          fluxKustomization(fleet, cluster, 'platform-controllers', 'platform/controllers', [], true),
          fluxKustomization(fleet, cluster, 'platform', 'platform/configs', ['platform-controllers'], true),
          ...(needsConstraintsStage(fleet)
            ? [
                fluxKustomization(
                  fleet,
                  cluster,
                  'policy-constraints',
                  'platform/policies/constraints',
                  ['platform'],
                  true,
                ),
              ]
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
      kustomizationFile(
        dir,
        ['platform.yaml', 'tenants.yaml', 'workloads.yaml'],
        {},
        [
          `Flux sync objects of cluster ${cluster.name} (environment ${env.name}).`,
          'clusters/<cluster>/ has no kustomization.yaml on purpose: Flux generates one that includes',
          'this folder and flux-system/ (written by `flux bootstrap`).',
        ].join('\n'),
      ),
    );
  }
  files.push({
    path: '.sourceignore',
    content: [
      HEADER.trimEnd(),
      '# Paths Flux leaves out of the artifact it builds from (gitignore syntax).',
      '/cluster-bootstrap/',
      '/infra/',
      '/tests/',
      '/.aksfleet/',
      '',
    ].join('\n'),
  });
  return files;
}
