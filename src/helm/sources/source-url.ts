/**
 * URLs of chart sources, made safe to show and to key a cache on: credentials (user info) and
 * query strings never leave this module in a displayed or stored form.
 */
import type { ChartRequest } from './types.js';

/** The URL without user info, query or fragment, and without trailing slashes (for keys and messages). */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    // Not a URL: drop anything that looks like user info before the host.
    return url
      .replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1')
      .replace(/[?#].*$/, '')
      .replace(/\/+$/, '');
  }
  u.username = '';
  u.password = '';
  u.search = '';
  u.hash = '';
  return u.toString().replace(/\/+$/, '');
}

/** True for `oci://` URLs (HelmRepository `type: oci`, OCIRepository). */
export function isOciUrl(url: string): boolean {
  return /^oci:\/\//i.test(url);
}

/**
 * The repository a request's chart lives in, as a cache key: `helm <url> <chart>` for an HTTP
 * repository, `oci <oci://host/path[/chart]>` for an OCI repository (a HelmRepository of type oci
 * holds one OCI repository per chart, `<url>/<chart>`).
 */
export function repositoryKey(req: ChartRequest): string {
  const url = redactUrl(req.url);
  if (isOciUrl(req.url)) return `oci ${req.sourceKind === 'HelmRepository' && req.chart ? `${url}/${req.chart}` : url}`;
  return `helm ${url} ${req.chart}`;
}

/** The OCI reference of a request's chart repository (`oci://host/path[/chart]`), credentials removed. */
export function ociRepository(req: ChartRequest): string {
  const url = redactUrl(req.url);
  return req.sourceKind === 'HelmRepository' && req.chart ? `${url}/${req.chart}` : url;
}

/** Helm pushes a version `1.0.0+meta` as the OCI tag `1.0.0_meta`; Flux reads `_` back as `+`. */
export function tagToVersion(tag: string): string {
  return tag.replace(/_/g, '+');
}

export function versionToTag(version: string): string {
  return version.replace(/\+/g, '_');
}
