/**
 * The {@link ChartFetcher}: fills the chart cache from HTTP Helm repositories and OCI registries,
 * dispatching on the source URL (`oci://` or http(s)). Only runs when asked (`aksfleet helm pull`,
 * `--fetch-charts`). Requests are fetched one after the other, in order, each once; every
 * failure is a result with its reason (no credentials in it), never a throw.
 */
import { putChart, putListing } from './chart-cache.js';
import { credentialFor, mergeCredentials, readDockerConfigs, dockerConfigPath, scrub, secretsOf, splitUrlCredentials, type Credential, type Credentials } from './credentials.js';
import type { DownloadOptions, Downloaded } from './download.js';
import { downloadHttpChart } from './http-repo.js';
import { downloadOciChart, parseOciRef, type OciSelector } from './oci-registry.js';
import { parseFluxVersion } from './resolve-version.js';
import { isOciUrl, ociRepository, redactUrl, repositoryKey, versionToTag } from './source-url.js';
import type { ChartFetcher, ChartRequest, FetchResult } from './types.js';

export interface ChartFetcherOptions extends Omit<DownloadOptions, 'credentials'> {
  /** The chart cache folder to fill. */
  readonly cacheDir: string;
  /** Credentials by host (`host[:port]`), over those of the Docker config files. */
  readonly credentials?: Readonly<Record<string, Credential>>;
  /** Docker config files to read `auths` from; default `[dockerConfigPath(env)]`. */
  readonly dockerConfigs?: readonly string[];
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The credentials a fetcher uses: explicit ones over the Docker config's. */
export function fetcherCredentials(opts: Pick<ChartFetcherOptions, 'credentials' | 'dockerConfigs' | 'env'>): Credentials {
  return mergeCredentials(opts.credentials, readDockerConfigs(opts.dockerConfigs ?? [dockerConfigPath(opts.env ?? process.env)]));
}

/** How a request is selected in an OCI repository (Flux: digest, then semver, then tag). */
export function ociSelector(req: ChartRequest): OciSelector {
  if (req.sourceKind === 'HelmRepository') {
    const v = (req.version ?? '').trim();
    // source-controller: a version that parses as one is pulled as its tag, without listing tags.
    if (parseFluxVersion(v)) return { tag: versionToTag(v) };
    return { semver: v, exactFirst: true };
  }
  if (req.digest) return { digest: req.digest };
  if (req.version) return { semver: req.version, exactFirst: false };
  return { tag: req.tag || 'latest' };
}

/** Downloads one request's chart (not cached yet). */
export async function downloadRequest(req: ChartRequest, dl: DownloadOptions): Promise<Downloaded> {
  if (isOciUrl(req.url)) return downloadOciChart(parseOciRef(ociRepository(req)), ociSelector(req), req.insecure ? { ...dl, plainHttp: true } : dl);
  const { url, credential } = splitUrlCredentials(req.url);
  const host = new URL(url).host.toLowerCase();
  return downloadHttpChart(url, req.chart, req.version, credential ?? credentialFor(dl.credentials, host), dl);
}

/** A fetcher that fills the cache at `opts.cacheDir`. */
export function createChartFetcher(opts: ChartFetcherOptions): ChartFetcher {
  return {
    async fetch(requests: readonly ChartRequest[]): Promise<FetchResult[]> {
      const credentials = fetcherCredentials(opts);
      const dl: DownloadOptions = { ...opts, credentials };
      const done = new Map<string, FetchResult>();
      const out: FetchResult[] = [];
      for (const req of requests) {
        const id = JSON.stringify([req.sourceKind, req.url, req.chart, req.version ?? '', req.tag ?? '', req.digest ?? '', req.insecure === true]);
        const prev = done.get(id);
        if (prev) {
          out.push({ ...prev, request: req });
          continue;
        }
        const secrets = [...secretsOf(credentials), ...urlSecrets(req.url)];
        let result: FetchResult;
        try {
          const d = await downloadRequest(req, dl);
          const key = repositoryKey(req);
          putChart(opts.cacheDir, { key, version: d.version, ...(d.tag !== undefined ? { tag: d.tag } : {}), ...(d.manifestDigest ? { manifestDigest: d.manifestDigest } : {}), ...(d.created ? { created: d.created } : {}) }, d.archive);
          if (d.listing) putListing(opts.cacheDir, key, d.listing);
          result = { request: req, ok: true, version: d.version, digest: d.digest };
        } catch (e) {
          result = { request: req, ok: false, error: scrub(`${req.sourceId} (${redactUrl(req.url)}): ${(e as Error).message}`, secrets) };
        }
        done.set(id, result);
        out.push(result);
      }
      return out;
    },
  };
}

function urlSecrets(url: string): string[] {
  const { credential } = splitUrlCredentials(url);
  const s: string[] = [];
  if (credential && 'password' in credential && credential.password.length >= 4) s.push(credential.password);
  try {
    for (const v of new URL(url).searchParams.values()) if (v.length >= 4) s.push(v);
  } catch {
    // not a URL
  }
  return s;
}
