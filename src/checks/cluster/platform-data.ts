/**
 * What a cluster holds before Flux applies anything, as data: data/aks/kubernetes.json (every
 * Kubernetes cluster) and data/aks/aks.json (AKS), each entry with its source. Read once.
 */
import { readFileSync } from 'node:fs';
import { dataFile } from '../../package-root.js';

export interface DnsFact {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly ports: readonly { readonly name: string; readonly port: number; readonly protocol: string }[];
  readonly source: string;
}

/** A mutating webhook of the platform and what it adds to the pods it selects (data/aks/mutating-webhooks.json). */
export interface WebhookFact {
  readonly name: string;
  readonly podSelector: Readonly<Record<string, unknown>>;
  readonly addsLabels: Readonly<Record<string, string>>;
  readonly addsAnnotations: Readonly<Record<string, string>>;
  readonly source: string;
}

/** The built-ins of one platform (the generic Kubernetes facts merged with the platform's own). */
export interface PlatformFacts {
  readonly platform: 'kubernetes' | 'aks';
  readonly namespaces: readonly string[];
  readonly namespaceNameLabel: string;
  readonly serviceAccountsPerNamespace: readonly string[];
  readonly configMapsPerNamespace: readonly string[];
  readonly priorityClasses: readonly string[];
  /** Storage classes the platform creates; undefined when the platform's are not known (generic). */
  readonly storageClasses?: readonly string[];
  readonly dns: DnsFact;
  readonly controllerPodLabels: readonly string[];
  readonly controllerPodAnnotations: readonly string[];
  readonly inertGroups: readonly string[];
  readonly inertKinds: Readonly<Record<string, readonly string[]>>;
  /** Mutating webhooks of the platform (none on a generic cluster). */
  readonly webhooks: readonly WebhookFact[];
}

interface KubernetesJson {
  namespaces: { names: string[] };
  namespaceNameLabel: { key: string };
  perNamespace: { serviceAccounts: string[]; configMaps: string[] };
  priorityClasses: { names: string[] };
  dns: DnsFact;
  controllerPodLabels: { labels: string[]; annotations: string[] };
  inertGroups: { groups: string[]; kinds: Record<string, string[]> };
}
interface AksJson {
  dns: DnsFact;
  storageClasses: { names: string[]; default: string };
  priorityClasses: { names: string[] };
}

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(dataFile(name), 'utf8')) as T;
}

function load(): Record<'kubernetes' | 'aks', PlatformFacts> {
  const k = readJson<KubernetesJson>('aks/kubernetes.json');
  const a = readJson<AksJson>('aks/aks.json');
  const generic: PlatformFacts = {
    platform: 'kubernetes',
    namespaces: k.namespaces.names,
    namespaceNameLabel: k.namespaceNameLabel.key,
    serviceAccountsPerNamespace: k.perNamespace.serviceAccounts,
    configMapsPerNamespace: k.perNamespace.configMaps,
    priorityClasses: k.priorityClasses.names,
    dns: k.dns,
    controllerPodLabels: k.controllerPodLabels.labels,
    controllerPodAnnotations: k.controllerPodLabels.annotations,
    inertGroups: k.inertGroups.groups,
    inertKinds: k.inertGroups.kinds,
    webhooks: [],
  };
  return {
    kubernetes: generic,
    aks: {
      ...generic,
      platform: 'aks',
      webhooks: readJson<{ webhooks: WebhookFact[] }>('aks/mutating-webhooks.json').webhooks,
      dns: a.dns,
      storageClasses: a.storageClasses.names,
      priorityClasses: [...generic.priorityClasses, ...a.priorityClasses.names],
    },
  };
}

const FACTS = load();

export function platformFacts(platform: 'kubernetes' | 'aks'): PlatformFacts {
  return FACTS[platform];
}
