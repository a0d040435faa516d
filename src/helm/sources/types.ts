/**
 * The contract between chart sources (this folder: local folder mappings, the content-addressed
 * chart cache, HTTP Helm repositories and OCI registries) and their users (the HelmRelease stage
 * of the Flux build in src/flux/helmrelease, `aksfleet helm pull`).
 *
 * Two halves, so that builds stay synchronous and offline by default:
 * - a {@link ChartStore} answers synchronously from what is on disk (a `--chart-source` mapping of
 *   a Flux source to a local folder, or the chart cache); it never reaches the network;
 * - {@link ChartFetcher} fills the cache from HTTP/OCI repositories, only when asked
 *   (`aksfleet helm pull`; `--fetch-charts` of build, check, diff and promote: src/cli/fetch-charts.ts).
 */
import type { ChartFile } from '../chart/types.js';

/** The Flux source a chart comes from, as the HelmRelease (via its HelmChart/chartRef) names it. */
export interface ChartRequest {
  /** The Flux source object: `HelmRepository/ns/name` or `OCIRepository/ns/name`. */
  readonly sourceId: string;
  readonly sourceKind: 'HelmRepository' | 'OCIRepository';
  /**
   * The source's `spec.url`: `https://...` (an HTTP repository with an index.yaml) or `oci://...`
   * (HelmRepository `type: oci`, or any OCIRepository).
   */
  readonly url: string;
  /** HelmRepository: the chart name (`spec.chart.spec.chart`). OCIRepository: '' (the artifact is the chart). */
  readonly chart: string;
  /**
   * HelmRepository: the version constraint (`spec.chart.spec.version`; '' or absent means `*`,
   * the latest stable version, as Flux's HelmChart does). OCIRepository: `spec.ref.semver` when set.
   */
  readonly version?: string;
  /** OCIRepository `spec.ref.tag` (default `latest`). */
  readonly tag?: string;
  /** OCIRepository `spec.ref.digest` (`sha256:...`): wins over tag and semver. */
  readonly digest?: string;
  /** The source's `spec.insecure`: plain HTTP to its OCI registry (HelmRepository `type: oci`, OCIRepository). */
  readonly insecure?: boolean;
  /** How the Flux source authenticates (names only: the Secrets themselves are never read). */
  readonly auth?: SourceAuth;
}

/**
 * A Flux source's authentication fields: HelmRepository `secretRef`, `certSecretRef`,
 * `passCredentials`; OCIRepository `secretRef`, `certSecretRef`, `provider` (other than
 * `generic`). Offline the Secrets are not there (or SOPS-encrypted): `--fetch-charts` takes the
 * credentials from `--repository-config` / `--registry-config` instead, and says so when absent.
 */
export interface SourceAuth {
  /** `spec.secretRef.name`: basic auth (HTTP), or basic auth / dockerconfigjson (OCI). */
  readonly secretRef?: string;
  /** `spec.certSecretRef.name`: CA and client certificate. */
  readonly certSecretRef?: string;
  /** HelmRepository `spec.passCredentials`: credentials also go to chart URLs on other hosts. */
  readonly passCredentials?: boolean;
  /** OCIRepository `spec.provider` when not `generic` (azure, aws, gcp: a cloud identity). */
  readonly provider?: string;
}

/** A chart found by a store: its files as a `.tgz` would hold them (paths inside the chart folder). */
export interface ResolvedChart {
  readonly files: readonly ChartFile[];
  /** The chart's version (Chart.yaml `version`), the one the constraint resolved to. */
  readonly version: string;
  /** `sha256:<hex>` of the chart archive (or of the folder's files in a fixed order, for a mapped folder). */
  readonly digest: string;
  /** Where it came from: a `--chart-source` folder mapping or the cache. */
  readonly from: 'mapped' | 'cache';
  /**
   * A path to show in reports (repository-relative for mappings inside the repository, else as given). Never holds
   * credentials.
   */
  readonly location: string;
}

export type ChartLookup =
  | { readonly ok: true; readonly chart: ResolvedChart }
  /** Not on disk: `reason` says what is missing and how to provide it (`aksfleet helm pull`, `--chart-source`). */
  | { readonly ok: false; readonly reason: string };

/** Synchronous, offline chart lookup. */
export interface ChartStore {
  lookup(req: ChartRequest): ChartLookup;
}

/** What one fetch did. */
export interface FetchResult {
  readonly request: ChartRequest;
  readonly ok: boolean;
  /** The version fetched (ok) or the reason (not ok); never holds credentials. */
  readonly version?: string;
  readonly digest?: string;
  readonly error?: string;
  /** Where its credentials or TLS files came from (`the repository config entry 'x'`, ...); never the secrets. */
  readonly credentialsFrom?: string;
}

/** Fills the cache from the network (only when asked). */
export interface ChartFetcher {
  fetch(requests: readonly ChartRequest[]): Promise<FetchResult[]>;
}
