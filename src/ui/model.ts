/**
 * What the console shows, computed once at start-up from the repository by the same library
 * functions the CLI uses (build, check, diff/promote preview, upgrade plan, SLO generation).
 * Plain JSON-able data; Secret values are redacted before they get here.
 */
import type { Finding } from '../diagnostic.js';
import type { FleetDiff } from '../diff/render.js';

export interface ConsoleFindingCounts {
  error: number;
  warning: number;
  info: number;
}

/** A finding as the console lists it: the one Finding of src/diagnostic.ts, without related places and pool. */
export type ConsoleFinding = Omit<Finding, 'related' | 'pool'>;

/** An object in a list: its id, kind and where it is defined (the chart's template for chart objects). */
export interface ConsoleObjectRef {
  readonly id: string;
  readonly kind: string;
  readonly file?: string;
  readonly line?: number;
  /** For an object a HelmRelease installs: the chart's template file (`chart/templates/x.yaml`). */
  readonly template?: string;
}

/** A HelmRelease a Kustomization (or the cluster path) applies, and the objects its chart installs. */
export interface ConsoleHelmRelease {
  /** `HelmRelease/<ns>/<name>` */
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  /** rendered | failed | chart-unavailable | suspended | disabled (src/flux/helmrelease) */
  readonly status: 'rendered' | 'failed' | 'chart-unavailable' | 'suspended' | 'disabled';
  /** The chart as found: name and version. */
  readonly chart?: { readonly name: string; readonly version?: string };
  readonly releaseName: string;
  readonly releaseNamespace: string;
  /** What the chart installs, in Helm's install order. */
  readonly objects: readonly ConsoleObjectRef[];
  /** Why it did not render, and its warnings. */
  readonly problems: readonly string[];
}

export interface ConsoleKustomization {
  /** `Kustomization/<ns>/<name>` */
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  readonly path: string;
  /** ids of the Kustomizations it depends on */
  readonly dependsOn: readonly string[];
  /** id of the Kustomization whose build defines this one (drawn as a dashed edge) */
  readonly parent?: string;
  readonly suspended: boolean;
  readonly objectCount: number;
  /** ok | warning | error | suspended */
  readonly status: 'ok' | 'warning' | 'error' | 'suspended';
  readonly objects: readonly ConsoleObjectRef[];
  /** The HelmReleases it applies, each with the objects its chart installs (not counted in `objectCount`). */
  readonly helmReleases: readonly ConsoleHelmRelease[];
  readonly errors: readonly string[];
}

export interface ConsoleCluster {
  readonly name: string;
  readonly environment?: string;
  readonly path: string;
  readonly kubernetesVersion?: string;
  readonly location?: string;
  readonly pools: readonly { name: string; mode: string; vmSize: string; count: number; min?: number; max?: number }[];
  readonly findings: ConsoleFindingCounts;
  readonly kustomizations: readonly ConsoleKustomization[];
  /** HelmReleases at the cluster path itself (applied by no Flux Kustomization of the build). */
  readonly helmReleases: readonly ConsoleHelmRelease[];
  readonly errors: readonly string[];
}

export interface ConsoleOverview {
  readonly fleet: string;
  readonly root: string;
  readonly environments: readonly {
    name: string;
    branch?: string;
    lastCommit?: { sha: string; subject: string; date: string };
    clusters: readonly string[];
  }[];
  readonly clusters: readonly (Omit<ConsoleCluster, 'kustomizations' | 'helmReleases'> & {
    readonly kustomizationCount: number;
    readonly objectCount: number;
  })[];
}

export interface ConsoleObject {
  readonly id: string;
  readonly cluster: string;
  readonly kustomization?: string;
  /** `HelmRelease/<ns>/<name>` for an object a HelmRelease's chart installs. */
  readonly helmRelease?: string;
  /** For chart objects: the chart's template file. */
  readonly template?: string;
  readonly yaml: string;
  readonly file?: string;
  readonly line?: number;
}

/**
 * An object as the model keeps it (src/ui/kept-object.ts): what `/api/object` answers but the YAML,
 * split where `yaml` goes (the JSON's key order), and the masked object serialised.
 */
export interface KeptObject {
  readonly head: Pick<ConsoleObject, 'id' | 'cluster' | 'kustomization' | 'helmRelease' | 'template'>;
  readonly tail: Pick<ConsoleObject, 'file' | 'line'>;
  /** The masked object, `v8.serialize`d (one copy for every cluster that applies the same). */
  readonly data: Buffer;
  /** The digest of `data`. */
  readonly digest: string;
}

export interface ConsolePromotion {
  readonly from: string;
  readonly to: string;
  readonly status: 'changes' | 'nothing-to-promote' | 'error' | 'unavailable';
  readonly diff?: FleetDiff;
  readonly message?: string;
}

export interface ConsoleSlo {
  readonly tenant: string;
  readonly app: string;
  readonly name: string;
  readonly kind: string;
  readonly objective: number;
  readonly window: string;
  /** The clusters the spec places the app on. */
  readonly clusters: readonly string[];
  /** The clusters whose render applies the SLO's PrometheusRule (found by its labels); unset when not computed. */
  readonly renderedOn?: readonly string[];
  readonly alerts: readonly { name: string; severity: string; expr: string; for?: string }[];
}

export interface ConsoleModel {
  readonly overview: ConsoleOverview;
  readonly clusters: readonly ConsoleCluster[];
  readonly findings: readonly ConsoleFinding[];
  readonly promotions: readonly ConsolePromotion[];
  /** The upgrade plan as JSON (steps by ring and cluster), or a note why there is none. */
  readonly upgrade: { readonly available: boolean; readonly note?: string; readonly plan?: unknown };
  readonly slos: readonly ConsoleSlo[];
  /** cluster -> object id -> object (its YAML written when asked: `consoleObject`, src/ui/kept-object.ts) */
  readonly objects: ReadonlyMap<string, ReadonlyMap<string, KeptObject>>;
  /** repo-relative path -> text, for files the builds read */
  readonly sources: ReadonlyMap<string, string>;
}
