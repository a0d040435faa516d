/**
 * A chart request answered from the content-addressed cache (chart-cache.ts), offline. The version
 * constraint is resolved as Flux would against what the repository offered when it was last
 * fetched (its recorded listing), else against the versions in the cache; the chosen archive is
 * verified against its digest and loaded with Helm's caps.
 */
import { loadArchiveFiles } from '../chart/archive.js';
import { cachedListing, cachedVersions, readBlob, type CachedVersion } from './chart-cache.js';
import { chartIdentity } from './chart-yaml.js';
import { resolveVersion } from './resolve-version.js';
import { isOciUrl, redactUrl, repositoryKey, tagToVersion } from './source-url.js';
import type { ChartLookup, ChartRequest } from './types.js';

/** How a request names its chart in messages: `podinfo@>=6.0.0 from https://...` (no credentials). */
export function describeRequest(req: ChartRequest): string {
  const url = redactUrl(req.url);
  if (req.sourceKind === 'OCIRepository') {
    const ref = req.digest ? `@${req.digest}` : req.version ? ` (semver ${req.version})` : `:${req.tag || 'latest'}`;
    return `${url}${ref} (${req.sourceId})`;
  }
  return `chart '${req.chart}' version '${req.version || '*'}' from ${url} (${req.sourceId})`;
}

function missing(req: ChartRequest, what: string): ChartLookup {
  return {
    ok: false,
    reason:
      `${what}: ${describeRequest(req)} is not in the chart cache; download it with 'aksfleet helm pull' into ` +
      `a folder and map ${req.sourceId} to that folder with --chart-source ${req.sourceId}=DIR (or fetch it ` +
      `into the cache with --fetch-charts${authHint(req)})`,
  };
}

/** What `--fetch-charts` will need for a source that authenticates. */
function authHint(req: ChartRequest): string {
  const a = req.auth;
  if (!a || (a.secretRef === undefined && a.certSecretRef === undefined && a.provider === undefined)) return '';
  const what = [
    a.secretRef !== undefined ? `spec.secretRef ${a.secretRef}` : '',
    a.certSecretRef !== undefined ? `spec.certSecretRef ${a.certSecretRef}` : '',
    a.provider !== undefined ? `spec.provider ${a.provider}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    `, which needs its credentials (${what}) from ` +
    `${req.url.startsWith('oci://') ? '--registry-config' : '--repository-config'} FILE`
  );
}

/** Picks the cached entry a request resolves to, or a reason. */
function pickEntry(
  req: ChartRequest,
  entries: readonly CachedVersion[],
  cacheDir: string,
  key: string,
): { ok: true; entry: CachedVersion } | { ok: false; lookup: ChartLookup } {
  if (req.sourceKind === 'OCIRepository' && req.digest) {
    const e = entries.find((x) => x.manifestDigest === req.digest || x.digest === req.digest);
    return e ? { ok: true, entry: e } : { ok: false, lookup: missing(req, `digest ${req.digest} not cached`) };
  }
  if (req.sourceKind === 'OCIRepository' && !req.version) {
    const tag = req.tag || 'latest';
    const e = entries.find((x) => x.tag === tag);
    return e ? { ok: true, entry: e } : { ok: false, lookup: missing(req, `tag ${tag} not cached`) };
  }
  const wanted = (req.version ?? '').trim();
  const exactFirst = req.sourceKind === 'HelmRepository';
  if (exactFirst && wanted !== '') {
    // Flux: a version equal to the constraint wins first (for OCI, an exact version is pulled as its tag).
    const exact = entries.find((x) => x.version === wanted || (x.tag !== undefined && tagToVersion(x.tag) === wanted));
    if (exact) return { ok: true, entry: exact };
  }
  const listing = cachedListing(cacheDir, key);
  const candidates =
    listing ??
    entries.map((e) => ({ version: e.tag !== undefined ? tagToVersion(e.tag) : e.version, created: e.created }));
  const what = req.chart || redactUrl(req.url);
  const choice = resolveVersion(candidates, req.version, what, { exactFirst });
  if (!choice.ok)
    return {
      ok: false,
      lookup: entries.length === 0 && !listing ? missing(req, 'nothing cached') : missing(req, choice.reason),
    };
  const v = choice.pick.version;
  const e = entries.find((x) => x.version === v || (x.tag !== undefined && tagToVersion(x.tag) === v));
  if (!e)
    return {
      ok: false,
      lookup: missing(req, `version ${v} (the latest match when the repository was last fetched) is not cached`),
    };
  return { ok: true, entry: e };
}

/** Looks a request up in the cache at `cacheDir`. */
export function lookupInCache(cacheDir: string, req: ChartRequest): ChartLookup {
  const key = repositoryKey(req);
  const entries = cachedVersions(cacheDir, key);
  const picked = pickEntry(req, entries, cacheDir, key);
  if (!picked.ok) return picked.lookup;
  const blob = readBlob(cacheDir, picked.entry.digest);
  if (!blob.ok) return { ok: false, reason: `${describeRequest(req)}: ${blob.reason}` };
  const location =
    `${redactUrl(req.url)}` +
    `${req.chart && !isOciUrl(req.url) ? ` ${req.chart}` : req.chart ? `/${req.chart}` : ''}@${picked.entry.version}`;
  try {
    const files = loadArchiveFiles(blob.data, location);
    const id = chartIdentity(files, location);
    return { ok: true, chart: { files, version: id.version, digest: picked.entry.digest, from: 'cache', location } };
  } catch (e) {
    return {
      ok: false,
      reason:
        `${describeRequest(req)}: the cached chart ${picked.entry.digest} cannot be loaded: ` +
        `${(e as Error).message}`,
    };
  }
}
