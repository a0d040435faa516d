/**
 * infra/modules/flux.bicep (gitops.mode extension): the AKS Flux extension (microsoft.flux) and
 * one fluxConfiguration whose kustomizations are the Flux Kustomizations the Flux repo
 * generator writes under clusters/<cluster>/ (same names, paths, dependsOn, intervals, prune,
 * wait), read from that generator's output so both stay the same. The values the Kustomizations
 * read from OUTPUTS_CONFIGMAP are written by Bicep straight into postBuild.substitute (the
 * 2023-05-01 API has postBuild.substitute and substituteFrom); substituteFrom is kept, optional,
 * so publish-outputs.sh can still override them.
 */
import type { Extension, FluxConfiguration, KustomizationDefinition } from '@azure/arm-kubernetesconfiguration';
import { armBody, expr, type BicepExpr, type BicepFile, type BicepObject, type Bicepable } from '../../bicep/index.js';
import { OUTPUTS_CONFIGMAP, clusterPath } from '../../model/fleet-model.js';
import type { Cluster, Fleet } from '../../spec/schema.js';
import { parseYamlDocuments } from '../../yaml/parse.js';
import { generateFluxRepo } from '../flux/index.js';
import { GENERATED, durationSeconds, resource } from './common.js';

export const FLUX_CONFIGURATION_NAME = 'aksfleet';

/** A Flux Kustomization of clusters/<cluster>/, as the Flux repo generator wrote it. */
export interface ClusterKustomization {
  readonly name: string;
  readonly path: string;
  readonly dependsOn: readonly string[];
  readonly interval?: string;
  readonly timeout?: string;
  readonly retryInterval?: string;
  readonly prune?: boolean;
  readonly wait?: boolean;
  readonly force?: boolean;
  readonly substitute: Readonly<Record<string, string>>;
  readonly substituteFrom: readonly { readonly kind: string; readonly name: string; readonly optional?: boolean }[];
}

/** The Flux repo generator's output, once per fleet object (it is pure). */
const fluxRepoOf = new WeakMap<Fleet, ReturnType<typeof generateFluxRepo>>();
function fluxRepo(fleet: Fleet): ReturnType<typeof generateFluxRepo> {
  let files = fluxRepoOf.get(fleet);
  if (!files) fluxRepoOf.set(fleet, (files = generateFluxRepo(fleet)));
  return files;
}

/** The Flux Kustomizations under clusters/<cluster>/ (in file and document order). */
export function clusterKustomizations(
  fleet: Fleet,
  cluster: Cluster,
  fluxFiles = fluxRepo(fleet),
): ClusterKustomization[] {
  const prefix = `${clusterPath(cluster)}/`;
  const out: ClusterKustomization[] = [];
  for (const f of fluxFiles) {
    if (!f.path.startsWith(prefix) || !/\.ya?ml$/.test(f.path)) continue;
    for (const doc of parseYamlDocuments(f.content, f.path)) {
      const o = doc.value as {
        apiVersion?: string;
        kind?: string;
        metadata?: { name?: string; namespace?: string };
        spec?: Record<string, unknown>;
      } | null;
      if (o?.kind !== 'Kustomization' || !String(o.apiVersion ?? '').startsWith('kustomize.toolkit.fluxcd.io/'))
        continue;
      const s = o.spec ?? {};
      const pb = (s.postBuild ?? {}) as {
        substitute?: Record<string, string>;
        substituteFrom?: { kind: string; name: string; optional?: boolean }[];
      };
      out.push({
        name: String(o.metadata?.name),
        path: String(s.path ?? './'),
        dependsOn: ((s.dependsOn as { name: string }[] | undefined) ?? []).map((d) => d.name),
        interval: s.interval as string | undefined,
        timeout: s.timeout as string | undefined,
        retryInterval: s.retryInterval as string | undefined,
        prune: s.prune as boolean | undefined,
        wait: s.wait as boolean | undefined,
        force: s.force as boolean | undefined,
        substitute: pb.substitute ?? {},
        substituteFrom: pb.substituteFrom ?? [],
      });
    }
  }
  return out;
}

/**
 * The fluxConfiguration's kustomizations: those of clusters/<cluster>/ with `outputs` (output name
 * -> expression) added to postBuild.substitute. Without any (the Flux repo generator wrote none),
 * one kustomization reconciling clusters/<cluster>.
 */
export function fluxKustomizations(
  list: readonly ClusterKustomization[],
  cluster: Cluster,
  outputs: Readonly<Record<string, BicepExpr>>,
  interval: string,
): { kustomizations: BicepObject; shared?: BicepObject } {
  const items: ClusterKustomization[] = list.length
    ? [...list]
    : [
        {
          name: 'cluster',
          path: `./${clusterPath(cluster)}`,
          dependsOn: [],
          interval,
          prune: true,
          substitute: {},
          substituteFrom: [],
        },
      ];
  // When every Kustomization substitutes the same cluster variables (the usual case), main.bicep
  // declares them once (var fluxSubstitute) and each kustomization refers to it.
  const same = items.every((k) => JSON.stringify(k.substitute) === JSON.stringify(items[0]!.substitute));
  const shared = same ? ({ ...items[0]!.substitute, ...outputs } as BicepObject) : undefined;
  const out: Record<string, Bicepable<KustomizationDefinition>> = {};
  for (const k of items) {
    const substitute: Record<string, string | BicepExpr> | BicepExpr = shared
      ? expr('fluxSubstitute')
      : { ...k.substitute, ...outputs };
    const from = k.substituteFrom.map((s) => (s.name === OUTPUTS_CONFIGMAP ? { ...s, optional: true } : s));
    out[k.name] = {
      path: k.path,
      dependsOn: k.dependsOn.length ? [...k.dependsOn] : undefined,
      syncIntervalInSeconds: k.interval ? durationSeconds(k.interval) : undefined,
      timeoutInSeconds: k.timeout ? durationSeconds(k.timeout) : undefined,
      retryIntervalInSeconds: k.retryInterval ? durationSeconds(k.retryInterval) : undefined,
      prune: k.prune,
      wait: k.wait,
      force: k.force,
      postBuild: {
        substitute: substitute as unknown as Record<string, string>,
        substituteFrom: from.length ? from : undefined,
      },
    };
  }
  return { kustomizations: out as unknown as BicepObject, shared };
}

export function fluxModuleFile(): BicepFile {
  const ext: Bicepable<Extension> = {
    extensionType: 'microsoft.flux',
    autoUpgradeMinorVersion: true,
    releaseTrain: 'Stable',
    scope: { cluster: { releaseNamespace: 'flux-system' } },
  };
  const cfg: Bicepable<FluxConfiguration> = {
    scope: 'cluster',
    namespace: 'flux-system',
    sourceKind: 'GitRepository',
    suspend: false,
    gitRepository: {
      url: expr('gitUrl'),
      repositoryRef: { branch: expr('branch') },
      syncIntervalInSeconds: expr('gitSyncIntervalSeconds'),
      timeoutInSeconds: 600,
      httpsUser: expr('empty(gitHttpsUser) ? null : gitHttpsUser'),
    },
    kustomizations: expr('kustomizations'),
    configurationProtectedSettings: expr('empty(gitHttpsToken) ? {} : {\n      httpsKey: base64(gitHttpsToken)\n    }'),
    waitForReconciliation: false,
  };
  return {
    header: [GENERATED, 'GitOps through the AKS Flux extension (gitops.mode: extension).'],
    declarations: [
      { kind: 'param', name: 'clusterName', type: 'string' },
      { kind: 'param', name: 'gitUrl', type: 'string', description: 'Repository URL Flux clones.' },
      { kind: 'param', name: 'branch', type: 'string', description: "The cluster's environment branch." },
      { kind: 'param', name: 'gitSyncIntervalSeconds', type: 'int', default: 60 },
      {
        kind: 'param',
        name: 'gitHttpsUser',
        type: 'string',
        default: '',
        description: 'Private HTTPS repositories: user name.',
      },
      {
        kind: 'param',
        name: 'gitHttpsToken',
        type: 'string',
        default: '',
        decorators: ['secure()'],
        description: 'Private HTTPS repositories: token.',
      },
      {
        kind: 'param',
        name: 'kustomizations',
        type: 'object',
        description:
          'The Kustomizations of clusters/<cluster>/, with postBuild.substitute filled from the deployment outputs.',
      },
      resource('aks', 'Microsoft.ContainerService/managedClusters', { name: expr('clusterName') }, { existing: true }),
      resource(
        'fluxExtension',
        'Microsoft.KubernetesConfiguration/extensions',
        armBody(ext, { scope: expr('aks'), name: 'flux' }),
      ),
      resource(
        'fluxConfiguration',
        'Microsoft.KubernetesConfiguration/fluxConfigurations',
        armBody(cfg, { scope: expr('aks'), name: FLUX_CONFIGURATION_NAME, dependsOn: [expr('fluxExtension')] }),
      ),
    ],
  };
}
