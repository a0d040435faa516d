/**
 * The {@link ChartFetcher}: fills the chart cache from HTTP Helm repositories and OCI registries,
 * dispatching on the source URL (`oci://` or http(s)). Only runs when asked (`aksfleet helm pull`,
 * `--fetch-charts`). Requests are fetched one after the other, in order, each once; every
 * failure is a result with its reason (no credentials in it), never a throw.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { putChart, putListing } from './chart-cache.js';
import {
  basicAuth,
  mergeCredentials,
  readDockerConfigs,
  dockerConfigPath,
  scrub,
  secretsOf,
  splitUrlCredentials,
  type Credential,
  type Credentials,
} from './credentials.js';
import type { TlsOptions } from './http-get.js';
import { readRepositoryConfig, type RepositoryEntry } from './repository-config.js';
import { authFor, type AuthChoice, type AuthSources, type TlsFiles } from './source-auth.js';
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
  /** A helm `repositories.yaml` (`--repository-config`): credentials and TLS files of HTTP repositories, by URL. */
  readonly repositoryConfig?: string;
  /** How the user gives credentials, for messages (`--repository-config FILE`, `--registry-config FILE`). */
  readonly repositoryFlag?: string;
  readonly registryFlag?: string;
}

/** The credentials a fetcher uses: explicit ones over the Docker config's. */
export function fetcherCredentials(
  opts: Pick<ChartFetcherOptions, 'credentials' | 'dockerConfigs' | 'env'>,
): Credentials {
  return mergeCredentials(
    opts.credentials,
    readDockerConfigs(opts.dockerConfigs ?? [dockerConfigPath(opts.env ?? process.env)]),
  );
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

/** The PEM files of a repository's TLS settings, read (an unreadable file names its path, never its content). */
export function readTls(tls: TlsFiles | undefined, sourceId: string): TlsOptions | undefined {
  if (!tls) return undefined;
  const read = (what: string, path: string | undefined): Uint8Array | undefined => {
    if (path === undefined) return undefined;
    try {
      return readFileSync(path);
    } catch {
      throw new InputError(`${sourceId}: cannot read the ${what} '${path}' of its repository config entry`);
    }
  };
  const ca = read('caFile', tls.caFile);
  const cert = read('certFile', tls.certFile);
  const key = read('keyFile', tls.keyFile);
  return {
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(tls.insecureSkipTlsVerify ? { insecureSkipVerify: true } : {}),
  };
}

/** Downloads one request's chart (not cached yet) with the credentials `authFor` chose. */
export async function downloadRequest(
  req: ChartRequest,
  dl: DownloadOptions,
  auth: AuthChoice = { ok: true, passCredentials: false },
): Promise<Downloaded> {
  if (!auth.ok) throw new InputError(auth.reason);
  const tls = readTls(auth.tls, req.sourceId);
  if (isOciUrl(req.url))
    return downloadOciChart(parseOciRef(ociRepository(req)), ociSelector(req), {
      ...dl,
      ...(req.insecure ? { plainHttp: true } : {}),
      ...(tls ? { tls } : {}),
    });
  const { url } = splitUrlCredentials(req.url);
  return downloadHttpChart(url, req.chart, req.version, auth.credential, dl, {
    ...(auth.passCredentials ? { passCredentials: true } : {}),
    ...(tls ? { tls } : {}),
  });
}

/** A fetcher that fills the cache at `opts.cacheDir`. */
export function createChartFetcher(opts: ChartFetcherOptions): ChartFetcher {
  return {
    async fetch(requests: readonly ChartRequest[]): Promise<FetchResult[]> {
      const credentials = fetcherCredentials(opts);
      const repositories = opts.repositoryConfig !== undefined ? readRepositoryConfig(opts.repositoryConfig) : [];
      const sources: AuthSources = {
        credentials,
        repositories,
        ...(opts.repositoryFlag ? { repositoryFlag: opts.repositoryFlag } : {}),
        ...(opts.registryFlag ? { registryFlag: opts.registryFlag } : {}),
      };
      const dl: DownloadOptions = { ...opts, credentials };
      const done = new Map<string, FetchResult>();
      const out: FetchResult[] = [];
      for (const req of requests) {
        const id = JSON.stringify([
          req.sourceKind,
          req.url,
          req.chart,
          req.version ?? '',
          req.tag ?? '',
          req.digest ?? '',
          req.insecure === true,
        ]);
        const prev = done.get(id);
        if (prev) {
          out.push({ ...prev, request: req });
          continue;
        }
        const secrets = [...secretsOf(credentials), ...repositorySecrets(repositories), ...urlSecrets(req.url)];
        let result: FetchResult;
        try {
          const auth = authFor(req, sources);
          const d = await downloadRequest(req, dl, auth);
          const key = repositoryKey(req);
          putChart(
            opts.cacheDir,
            {
              key,
              version: d.version,
              ...(d.tag !== undefined ? { tag: d.tag } : {}),
              ...(d.manifestDigest ? { manifestDigest: d.manifestDigest } : {}),
              ...(d.created ? { created: d.created } : {}),
            },
            d.archive,
          );
          if (d.listing) putListing(opts.cacheDir, key, d.listing);
          result = {
            request: req,
            ok: true,
            version: d.version,
            digest: d.digest,
            ...(auth.ok && auth.from ? { credentialsFrom: auth.from } : {}),
          };
        } catch (e) {
          result = {
            request: req,
            ok: false,
            error: scrub(`${req.sourceId} (${redactUrl(req.url)}): ${(e as Error).message}`, secrets),
          };
        }
        done.set(id, result);
        out.push(result);
      }
      return out;
    },
  };
}

function repositorySecrets(entries: readonly RepositoryEntry[]): string[] {
  const out: string[] = [];
  for (const e of entries) {
    if (e.password === undefined || e.password.length < 4) continue;
    out.push(e.password);
    const b = basicAuth({ username: e.username ?? '', password: e.password });
    if (b) out.push(b.slice(6));
  }
  return out;
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
