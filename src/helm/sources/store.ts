/**
 * `openChartStore`: the synchronous, offline {@link ChartStore}. A request whose Flux source is
 * mapped to a local folder (`--chart-source`) is answered from that folder only; every other
 * request from the content-addressed chart cache (`--chart-cache`, default
 * `$XDG_CACHE_HOME/aksfleet/charts`). Nothing here reaches the network.
 */
import { InputError } from '../../errors.js';
import { lookupInCache } from './cache-lookup.js';
import { defaultChartCacheDir } from './chart-cache.js';
import { lookupMapped } from './mapped-lookup.js';
import type { ChartLookup, ChartRequest, ChartStore } from './types.js';

export interface ChartStoreOptions {
  /** Flux source id (`HelmRepository/ns/name`, `OCIRepository/ns/name`) to a local folder or archive. */
  readonly mappings?: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
  /** The chart cache folder; default {@link defaultChartCacheDir}. */
  readonly cacheDir?: string;
  /** The repository root: mapped paths inside it are shown relative to it. */
  readonly root?: string;
}

const SOURCE_ID = /^(HelmRepository|OCIRepository)\/[^/=\s]+\/[^/=\s]+$/;

/** Checks a source id of a mapping (`HelmRepository/ns/name` or `OCIRepository/ns/name`). */
export function isChartSourceId(id: string): boolean {
  return SOURCE_ID.test(id);
}

/** Parses one `--chart-source KIND/ns/name=DIR` argument. */
export function parseChartSourceMapping(arg: string): { readonly sourceId: string; readonly path: string } {
  const i = arg.indexOf('=');
  const sourceId = i < 0 ? arg : arg.slice(0, i);
  const path = i < 0 ? '' : arg.slice(i + 1);
  if (!isChartSourceId(sourceId) || path === '') {
    throw new InputError(
      `--chart-source ${JSON.stringify(arg)}: expected HelmRepository/NAMESPACE/NAME=DIR or ` +
        `OCIRepository/NAMESPACE/NAME=DIR`,
    );
  }
  return { sourceId, path };
}

/**
 * Opens the offline chart store. Found charts are memoised per request for the store's life: open one per run (and a
 * new one after a fetch).
 */
export function openChartStore(opts: ChartStoreOptions = {}): ChartStore {
  const mappings = new Map<string, string>(
    opts.mappings instanceof Map ? [...opts.mappings] : Object.entries(opts.mappings ?? {}),
  );
  for (const id of mappings.keys()) {
    if (!isChartSourceId(id))
      throw new InputError(
        `chart source mapping ${JSON.stringify(id)}: expected HelmRepository/NAMESPACE/NAME or ` +
          `OCIRepository/NAMESPACE/NAME`,
      );
  }
  const cacheDir = opts.cacheDir ?? defaultChartCacheDir();
  // Found charts are kept for the store's life (one run): every cluster using a chart shares it.
  // Misses are not kept, so a store asked again after a fetch sees what the fetch brought.
  const memo = new Map<string, ChartLookup>();
  return {
    lookup(req: ChartRequest): ChartLookup {
      const key = JSON.stringify([
        req.sourceId,
        req.sourceKind,
        req.url,
        req.chart,
        req.version ?? '',
        req.tag ?? '',
        req.digest ?? '',
      ]);
      const hit = memo.get(key);
      if (hit) return hit;
      const mapped = mappings.get(req.sourceId);
      const answer = mapped !== undefined ? lookupMapped(mapped, req, opts.root) : lookupInCache(cacheDir, req);
      if (answer.ok) memo.set(key, answer);
      return answer;
    },
  };
}
