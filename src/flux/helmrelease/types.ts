/**
 * The HelmRelease part of a Flux cluster build: what helm-controller would install for each
 * HelmRelease the cluster's Kustomizations apply, rendered offline (src/helm) from a chart found
 * in a chart store (HelmRepository/OCIRepository) or a source artifact (GitRepository/Bucket).
 */
import type { ContentStore } from '../../content-store.js';
import type { ChartStore } from '../../helm/sources/types.js';
import type { KObject, Origin, Resource, ResourceId } from '../../resources/resource.js';
import type { BuildIssue } from '../build/build-issue.js';

export type HelmReleaseStatus =
  /** The chart rendered; `resources` is what the release installs. */
  | 'rendered'
  /** The chart was found but rendering failed (values, schema, template error): see errors. */
  | 'failed'
  /** No chart for it offline (no store, not in the store, source not buildable): see warnings. */
  | 'chart-unavailable'
  /** `spec.suspend: true`: helm-controller does not reconcile it. */
  | 'suspended'
  /** HelmRelease rendering is off (`--no-helm`). */
  | 'disabled';

/** One HelmRelease of the cluster and what it installs. */
export interface HelmReleaseBuild {
  /** `namespace/name` of the HelmRelease. */
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  /** The HelmRelease object as its Kustomization applies it. */
  readonly object: KObject;
  readonly origin?: Origin;
  /** `namespace/name` of the Flux Kustomization that applies it ('' for the cluster path). */
  readonly kustomization: string;
  /** The release name (spec.releaseName or `[targetNamespace-]name`, shortened as Flux does past 53 characters). */
  readonly releaseName: string;
  /** Where the release's objects go (spec.targetNamespace or the HelmRelease's namespace). */
  readonly releaseNamespace: string;
  /** Where Helm keeps the release (spec.storageNamespace or the HelmRelease's namespace). */
  readonly storageNamespace: string;
  /** `namespace/name` of each dependsOn entry. */
  readonly dependsOn: readonly string[];
  /** The chart: name, version and digest when found. */
  readonly chart?: {
    readonly name: string;
    readonly version?: string;
    readonly digest?: string;
    readonly location?: string;
    readonly source?: string;
  };
  readonly status: HelmReleaseStatus;
  /**
   * With `chart-unavailable`: no chart store was given at all (no `--chart-source`,
   * `--chart-cache` or `--fetch-charts`), as opposed to a chart asked for and not found, not
   * fetched, refused or from a source the build lacks. `check` reports the first as info and the
   * others as errors (docs/never-silent.md).
   */
  readonly noChartStore?: true;
  /**
   * `namespace/name` of the kubeConfig reference when the release installs into another cluster
   * (`spec.kubeConfig`): its objects are that cluster's, not this one's.
   */
  readonly remote?: string;
  /**
   * The objects the release installs: CRDs per install.crds, manifests in Helm's install order,
   * then the hooks an install runs (origin.helm.template names each one's template).
   */
  readonly resources: Resource[];
  /** Template paths of the chart's hooks (test hooks included: they run only with `helm test`). */
  readonly hooks?: readonly string[];
  readonly errors: BuildIssue[];
  readonly warnings: BuildIssue[];
}

/** A render memo shared by every cluster of a session (src/session), keyed by what a render reads. */
export interface HelmRenderCache {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** The HelmRelease part of the build options (src/session's fluxBuildOptions gives it). */
export interface HelmBuildOptions {
  /** `false`: HelmReleases are not rendered (`--no-helm`): status `disabled`. */
  readonly enabled?: boolean;
  /** Where charts of HelmRepository/OCIRepository sources are found offline (`--chart-source`, `--chart-cache`). */
  readonly store?: ChartStore;
  /** `.Capabilities.KubeVersion` (`--kube-version`, else the fleet's cluster version); default Helm's. */
  readonly kubeVersion?: string;
  /** Renders shared across clusters; none: every render runs. */
  readonly cache?: HelmRenderCache;
  /** Renders kept between runs (src/content-store.ts; `.git/aksfleet/store/`), behind `cache`. */
  readonly renderStore?: ContentStore;
  /**
   * ConfigMaps and Secrets that live only in the cluster (`--values-from FILE`), for `valuesFrom`
   * references the build does not hold (an object of the build wins).
   */
  readonly clusterObjects?: readonly KObject[];
}

/** One issue about a HelmRelease. */
export type HelmIssue = BuildIssue & { readonly object?: ResourceId };
