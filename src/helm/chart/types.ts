/**
 * A loaded Helm chart, as Helm's loader builds it (helm.sh/helm/v4 pkg/chart/v2 Chart): its
 * metadata (Chart.yaml), default values (values.yaml), schema, templates, other files and
 * subcharts. Plain data: nothing here knows about rendering.
 */
import type { GoMap } from '../../gotemplate/value.js';

/** One file of a chart: its slash-separated path inside the chart and its bytes. */
export interface ChartFile {
  readonly name: string;
  readonly data: Uint8Array;
}

/** A maintainer entry of Chart.yaml. */
export interface Maintainer {
  readonly name: string;
  readonly email: string;
  readonly url: string;
}

/** A dependency of Chart.yaml (or requirements.yaml for apiVersion v1). */
export interface Dependency {
  readonly name: string;
  readonly version: string;
  readonly repository: string;
  readonly condition: string;
  readonly tags: readonly string[];
  readonly enabled: boolean;
  /** `import-values` entries: strings or `{child, parent}` maps, as written. */
  readonly importValues: readonly unknown[];
  readonly alias: string;
}

/** Chart.yaml, with Go's field names and zero values for what is absent. */
export interface Metadata {
  readonly name: string;
  readonly home: string;
  readonly sources: readonly string[] | null;
  readonly version: string;
  readonly description: string;
  readonly keywords: readonly string[] | null;
  readonly maintainers: readonly Maintainer[] | null;
  readonly icon: string;
  readonly apiVersion: string;
  readonly condition: string;
  readonly tags: string;
  readonly appVersion: string;
  readonly deprecated: boolean;
  readonly annotations: Readonly<Record<string, string>> | null;
  readonly kubeVersion: string;
  readonly dependencies: readonly Dependency[] | null;
  readonly type: string;
}

/** A chart and its subcharts. */
export interface Chart {
  readonly metadata: Metadata;
  /** values.yaml (an empty map when absent). */
  readonly values: GoMap;
  /** values.schema.json, when present. */
  readonly schema?: Uint8Array;
  /** Files under templates/, in load order. */
  readonly templates: readonly ChartFile[];
  /** Every other file (what `.Files` sees, crds/ included), in load order. */
  readonly files: readonly ChartFile[];
  /** Subcharts, in Helm's order after dependency processing. */
  readonly dependencies: readonly Chart[];
}

/** Helm's cap on the total decompressed size of a chart archive (archive.MaxDecompressedChartSize). */
export const MAX_CHART_SIZE = 100 * 1024 * 1024;
/** Helm's cap on one file of a chart (archive.MaxDecompressedFileSize). */
export const MAX_FILE_SIZE = 5 * 1024 * 1024;
