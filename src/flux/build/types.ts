/**
 * The result of building, offline, what Flux applies to one cluster. check, diff and the
 * console consume it; `allResources` flattens it.
 */
import type { BuildMemo } from './build-memo.js';
import type { RepoFs } from '../../repo/repo-fs.js';
import type { KObject, Origin, Resource, ResourceId } from '../../resources/resource.js';
import type { SubstituteFromResult, VariableSources } from '../substitute/index.js';
import type { FluxKustomizationSpec } from '../types.js';
import type { ArtifactView } from '../source/artifact-view.js';
import type { StageObserver } from '../../pipeline/field-trace.js';
import type { StageTimings } from '../../pipeline/stages.js';
import type { HelmBuildOptions, HelmReleaseBuild } from '../helmrelease/types.js';

export type { BuildIssue } from './build-issue.js';
import type { BuildIssue } from './build-issue.js';
import type { RenderEngines } from './engines.js';

export type KustomizationStatus =
  /** Built (possibly with warnings). */
  | 'built'
  /** Building failed: see errors (resources may be partial). */
  | 'failed'
  /** `spec.suspend: true`: Flux does not reconcile it; not built. */
  | 'suspended'
  /** Its source is not this repository and no `--source` mapping was given. */
  | 'not-buildable'
  /** Not built because of a recursion cycle or a duplicate definition (see errors). */
  | 'skipped';

export interface SourceRefInfo {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** `Kind/namespace/name` */
  readonly id: string;
}

/** One Flux Kustomization of the cluster and what it applies. */
export interface KustomizationBuild {
  /** `Kustomization/namespace/name` */
  readonly ks: ResourceId;
  /** `namespace/name` */
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  /** The Flux Kustomization object, as its parent's build rendered it. */
  readonly object: KObject;
  /** Where the object is defined. */
  readonly origin?: Origin;
  /** True for the Kustomization that syncs the cluster path itself (e.g. flux-system). */
  readonly isRoot: boolean;
  /** `namespace/name` of the Kustomization whose build defines this one (absent at the cluster path). */
  readonly parent?: string;
  /** `namespace/name` chain from the cluster path to this one (inclusive). */
  readonly chain: readonly string[];
  readonly sourceRef: SourceRefInfo;
  /** Repo-relative directory of the source artifact, when the source is this repository. */
  readonly sourceRoot?: string;
  /** Repo-relative directory built (`sourceRoot` + `spec.path`). */
  readonly path?: string;
  /** `namespace/name` of each dependsOn entry. */
  readonly dependsOn: readonly string[];
  readonly suspended: boolean;
  /** Applied to another cluster: `spec.kubeConfig` is set, or a remote Kustomization defines it. */
  readonly remote: boolean;
  readonly status: KustomizationStatus;
  /** Whether Flux used the directory's kustomization file or generated one. */
  readonly generated?: 'created' | 'unchanged';
  /** The kustomization that was built (after Flux's generator and overrides). */
  readonly kustomization?: Record<string, unknown>;
  /** What it applies, in FIFO (kustomize accumulation) order, each with its origin. */
  readonly resources: Resource[];
  readonly errors: BuildIssue[];
  readonly warnings: BuildIssue[];
  /**
   * Objects the apply treats specially (labels or annotations on the object):
   * `skip` for `kustomize.toolkit.fluxcd.io/reconcile: disabled` or `.../ssa: Ignore` (never
   * applied, so changes to them have no effect), `create-only` for `.../ssa: IfNotPresent`.
   */
  readonly applyModes?: readonly {
    readonly object: ResourceId;
    readonly mode: 'skip' | 'create-only';
    readonly reason: string;
  }[];
  /** postBuild: variable names available (never values), and how substituteFrom resolved. */
  readonly substitution?: {
    readonly variables: readonly string[];
    readonly substituteFrom: readonly SubstituteFromResult[];
  };
}

/** Objects at the cluster path that no Flux Kustomization of the build applies (bootstrap-applied). */
export interface RootBuild {
  /** Repo-relative cluster path. */
  readonly path: string;
  /** `namespace/name` of the Kustomization that syncs this path, if the build found one. */
  readonly syncedBy?: string;
  /** Objects of the path when no Kustomization syncs it (otherwise they are under that Kustomization). */
  readonly resources: Resource[];
  readonly generated?: 'created' | 'unchanged';
  /** The kustomization the cluster path was built with (Flux's generator, no overrides). */
  readonly kustomization?: Record<string, unknown>;
  readonly errors: BuildIssue[];
  readonly warnings: BuildIssue[];
}

export interface ClusterBuild {
  /** The cluster name when built with `--cluster`. */
  readonly cluster?: string;
  readonly root: RootBuild;
  /** Every Flux Kustomization found, in reconcile order (parents and dependsOn first, then by name). */
  readonly kustomizations: KustomizationBuild[];
  /** Cluster-level problems: dependsOn cycles, recursion cycles, duplicate definitions. */
  readonly errors: BuildIssue[];
  /**
   * Every HelmRelease the build applies, in helm-controller's reconcile order, with what its chart
   * installs (src/flux/helmrelease). `allResources` includes the rendered objects.
   */
  readonly helmReleases: HelmReleaseBuild[];
  /**
   * Every Flux Operator ResourceSet the build applies and what became of it (src/flux/resourceset):
   * the objects of an expanded one are in the `resources` of the Kustomization that applies the
   * ResourceSet (`kustomization`, '' for the cluster path), located at the ResourceSet.
   */
  readonly resourceSets?: readonly ResourceSetRecord[];
}

/** One ResourceSet of a cluster build. */
export interface ResourceSetRecord {
  /** `ResourceSet/namespace/name` */
  readonly id: string;
  /** `namespace/name` of the Flux Kustomization that applies it ('' : the cluster path). */
  readonly kustomization: string;
  readonly status: 'expanded' | 'failed' | 'not-followed';
  /** Input sets and objects generated (expanded). */
  readonly inputs?: number;
  readonly objects: number;
  readonly reason?: string;
  readonly file?: string;
  readonly line?: number;
}

export interface BuildClusterOptions {
  /** Repo-relative path of the cluster directory (`--path`). */
  readonly path?: string;
  /** Cluster name: the path is `clusters/<name>` (`--cluster`). */
  readonly cluster?: string;
  /** `Kind/namespace/name` -> repo-relative directory that the source's artifact contains (`--source`). */
  readonly sources?: Readonly<Record<string, string>>;
  /** Values for substituteFrom ConfigMaps/Secrets that exist only in the cluster (`--vars`). */
  readonly vars?: Readonly<Record<string, string>>;
  /** Unset postBuild variables become '' (Flux's non-strict behaviour) instead of errors. */
  readonly allowMissingVars?: boolean;
  /**
   * The session's memos (src/session): clusters built with the same memo share the results of
   * the folders they have in common. None: every folder is built afresh (the same results).
   */
  readonly memo?: BuildMemo;
  /** Where each build stage's time goes (stages.ts names them); none: not timed. */
  readonly timings?: StageTimings;
  /**
   * Told after every stage of every Flux Kustomization build and HelmRelease render, with the
   * objects it holds (`build --explain`: src/pipeline/field-trace.ts). Set, the memo is not used,
   * so that every stage runs.
   */
  readonly observe?: StageObserver;
  /** HelmRelease rendering: chart store, Kubernetes version, render cache, on/off (default on, no store). */
  readonly helm?: HelmBuildOptions;
  /**
   * Helm and the Go templates (src/flux/render-engines.ts), for HelmReleases whose chart is found
   * and ResourceSets. None (this module's `buildCluster`): a build that needs them throws
   * RenderEnginesNotLoaded (engines.ts); `buildCluster` from src/flux gives them by default.
   */
  readonly engines?: RenderEngines;
  /** Told of each cluster build as it starts (the session counts renders with it: src/session/render-count.ts). */
  readonly onBuild?: (repo: RepoFs, clusterPath: string) => void;
}

/** What a session gives every Flux build (src/session fluxBuildOptions). */
export type FluxEngineOptions = Pick<BuildClusterOptions, 'memo' | 'timings' | 'helm' | 'onBuild' | 'engines'>;

/** One Flux Kustomization to build (build-kustomization.ts). */
export interface FluxBuildInput {
  readonly name: string;
  readonly namespace: string;
  readonly spec: FluxKustomizationSpec;
  /** The artifact of the Kustomization's source. */
  readonly fs: ArtifactView;
  /** Artifact-relative directory (spec.path). */
  readonly dir: string;
  /** `namespace/name` chain, for issues. */
  readonly chain: readonly string[];
  readonly variables: VariableSources;
  readonly allowMissingVars: boolean;
  /** Where the Flux Kustomization is defined: errors in its spec point there. */
  readonly origin?: { readonly file: string; readonly line?: number };
  /** Skip steps 4-6 (the cluster path when no Kustomization syncs it). */
  readonly plain?: boolean;
  /** The session's memos (build-memo.ts); none: built afresh. */
  readonly memo?: BuildMemo;
  /** Where each stage's time goes (stages.ts names them); none: not timed. */
  readonly timings?: StageTimings;
  /** Told after each stage with the objects it holds (`build --explain`). */
  readonly observe?: StageObserver;
}

export interface FluxBuildOutput {
  readonly resources: Resource[];
  readonly errors: BuildIssue[];
  readonly warnings: BuildIssue[];
  readonly generated?: 'created' | 'unchanged';
  readonly kustomization?: Record<string, unknown>;
  readonly substitution?: {
    readonly variables: readonly string[];
    readonly substituteFrom: readonly SubstituteFromResult[];
  };
  readonly applyModes?: KustomizationBuild['applyModes'];
}
