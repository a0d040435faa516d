/** Chart sources: the offline chart store (folder mappings, the chart cache) and the network fetchers. */
export type {
  ChartFetcher,
  ChartLookup,
  ChartRequest,
  ChartStore,
  FetchResult,
  ResolvedChart,
  SourceAuth,
} from './types.js';
export { openChartStore, parseChartSourceMapping, isChartSourceId, type ChartStoreOptions } from './store.js';
export { defaultChartCacheDir } from './chart-cache.js';
export { resolveVersion, isLatestStable } from './resolve-version.js';
export { createChartFetcher, type ChartFetcherOptions } from './fetcher.js';
export { pullChart, type PullOptions } from './pull.js';
export type { Credential } from './credentials.js';
export { readRepositoryConfig, type RepositoryEntry } from './repository-config.js';
export { readRegistryConfig } from './credentials.js';
