/**
 * The upgrade planner's data: the state it reads (one record per AKS cluster, as `az aks show`
 * reports it), the rules it applies (data/aks-upgrade-rules.json) and the plan it produces.
 * The plan is plain JSON: rendering (Markdown, az script, Fleet Manager) and applying are separate.
 */
import type { Finding } from '../../diagnostic.js';

/** A node pool as the planner sees it. */
export interface PoolState {
  readonly name: string;
  readonly mode: 'System' | 'User';
  /** The Kubernetes version the pool runs (currentOrchestratorVersion, else orchestratorVersion). */
  readonly version: string;
  readonly nodeImageVersion?: string;
  /** Node count (for surge capacity). */
  readonly count?: number;
  /** upgradeSettings.maxSurge as reported ('33%', '1'), when set. */
  readonly maxSurge?: string;
}

/** One cluster's state. */
export interface ClusterState {
  readonly name: string;
  /** The control plane version (currentKubernetesVersion, else kubernetesVersion). */
  readonly controlPlane: string;
  /** autoUpgradeProfile.upgradeChannel ('none' when off or absent). */
  readonly channel: string;
  readonly nodeOsChannel?: string;
  readonly pools: readonly PoolState[];
  readonly resourceGroup?: string;
  readonly subscriptionId?: string;
  /** supportPlan: `KubernetesOfficial` or `AKSLongTermSupport` (LTS minors stay supported). */
  readonly supportPlan?: string;
  readonly tags?: Readonly<Record<string, string>>;
  /** Where this record came from (file:line), for messages. */
  readonly origin?: string;
}

/** data/aks-upgrade-rules.json */
export interface UpgradeRules {
  readonly source: readonly string[];
  readonly asOf: string;
  readonly controlPlane: { readonly maxMinorsPerUpgrade: number; readonly downgradeAllowed: boolean };
  readonly nodePools: {
    readonly mayBeNewerThanControlPlane: boolean;
    readonly maySkipMinorsUpToControlPlane: boolean;
    /** First entry whose controlPlaneFrom <= the control plane minor applies. */
    readonly maxMinorsBehindControlPlane: readonly { readonly controlPlaneFrom: string; readonly minors: number }[];
  };
  readonly support: { readonly communityMinors: number; readonly platformSupportMinors: number };
  readonly autoUpgrade: {
    readonly channelsBlockingControlPlaneOnly: readonly string[];
    readonly disabledChannel: string;
    readonly errorCode: string;
  };
  readonly surge: { readonly defaultMaxSurge: string; readonly percentRounding: 'up' | 'down' };
}

export type StepKind = 'channel' | 'control-plane' | 'node-pool' | 'node-image' | 'soak' | 'gate';

export interface Step {
  /** 1-based position in execution order. */
  readonly n: number;
  /** The ring (environment) the step belongs to. Soak and gate steps close their ring. */
  readonly ring: string;
  /** The cluster; null for ring-level steps (soak, gate). */
  readonly cluster: string | null;
  readonly kind: StepKind;
  readonly pool?: string;
  /** Version before/after (channel steps: the channel; node-image: image version or 'current'/'latest'). */
  readonly from?: string;
  readonly to?: string;
  readonly resourceGroup?: string;
  readonly subscriptionId?: string;
  /** node-pool / node-image: extra nodes created during the upgrade. */
  readonly surgeNodes?: number;
  /** soak: how long (Go duration). */
  readonly duration?: string;
  /** gate: the clusters that must be healthy before the next ring starts. */
  readonly clusters?: readonly string[];
  /** gate: shell commands to run, each passing before the next ring. */
  readonly checks?: readonly string[];
  /** gate: a PromQL query that must return no series. */
  readonly promql?: string;
  readonly reason: string;
}

/**
 * A blocker, flag or note of the plan (error = blocker: the plan must not run as is; warning =
 * flagged; info = resolved or noted): the same Finding and Severity as `aksfleet check`'s (src/diagnostic.ts).
 */
export type { Finding, Severity } from '../../diagnostic.js';

export interface SurgeRow {
  readonly cluster: string;
  readonly pool: string;
  readonly count: number;
  readonly maxSurge: string;
  /** Where maxSurge came from: the state, the fleet spec, or the AKS default. */
  readonly maxSurgeFrom: 'state' | 'spec' | 'default';
  readonly surgeNodes: number;
}

export interface Plan {
  /** The version asked for (--to), or null when each cluster goes to its fleet spec version. */
  readonly target: string | null;
  /** The date support status was judged on (YYYY-MM-DD). */
  readonly date: string;
  readonly rings: readonly {
    readonly name: string;
    readonly soak: string;
    readonly clusters: readonly { readonly name: string; readonly from: string; readonly to: string }[];
  }[];
  readonly findings: readonly Finding[];
  readonly surge: readonly SurgeRow[];
  readonly steps: readonly Step[];
}
