/**
 * Charts from an OCI registry (Distribution API v2), as `helm pull oci://` and Flux get them:
 * the tag (or the highest tag satisfying a semver constraint, `_` read as `+`; or a manifest
 * digest), the image manifest (`application/vnd.oci.image.manifest.v1+json`) whose config is
 * Helm's (`application/vnd.cncf.helm.config.v1+json`) and whose chart layer
 * (`application/vnd.cncf.helm.chart.content.v1.tar+gzip`) is the archive, checked against its
 * descriptor's digest and size. Auth: anonymous, Basic, or the Bearer token challenge
 * (`WWW-Authenticate: Bearer realm=...,service=...,scope=...`), with credentials by host.
 * `plainHttp` talks http (for loopback registries in tests and labs).
 */
import { InputError } from '../../errors.js';
import { basicAuth, credentialFor } from './credentials.js';
import { archiveDigest, sha256Hex } from './digest.js';
import {
  DEFAULT_MAX_ARCHIVE_BYTES,
  DEFAULT_TIMEOUT_MS,
  checkArchive,
  type DownloadOptions,
  type Downloaded,
} from './download.js';
import { HttpError, httpGet, type HttpResponse } from './http-get.js';
import { resolveVersion } from './resolve-version.js';
import { tagToVersion, versionToTag } from './source-url.js';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const HELM_CONFIG = 'application/vnd.cncf.helm.config.v1+json';
export const HELM_CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_TAGS_BYTES = 16 * 1024 * 1024;
const MAX_TAG_PAGES = 100;

/** An `oci://host[:port]/repo/path[:tag|@digest]` reference. */
export interface OciRef {
  readonly host: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Parses an `oci://` reference (user info is refused: credentials are passed separately). */
export function parseOciRef(ref: string): OciRef {
  const m = /^oci:\/\/([^/]+)\/(.+)$/i.exec(ref);
  if (!m)
    throw new InputError(`invalid OCI reference "${ref.replace(/\/\/[^/@]*@/, '//')}": expected oci://HOST/REPOSITORY`);
  const host = m[1]!;
  if (host.includes('@'))
    throw new InputError(
      'invalid OCI reference: credentials in the reference are not supported; use a Docker config or ' +
        '--username/--password',
    );
  let rest = m[2]!.replace(/\/+$/, '');
  let digest: string | undefined;
  let tag: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(rest))
    throw new InputError(`invalid OCI repository name "${rest}" in oci://${host}/${rest}`);
  if (tag !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(tag))
    throw new InputError(`invalid OCI tag "${tag}"`);
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest))
    throw new InputError(`invalid OCI digest "${digest}"`);
  return {
    host: host.toLowerCase(),
    repository: rest,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** One registry session: remembers the Authorization that worked for a repository. */
class RegistryClient {
  private authorization: string | undefined;
  constructor(
    private readonly ref: OciRef,
    private readonly opts: DownloadOptions,
  ) {}

  private base(): string {
    return `${this.opts.plainHttp ? 'http' : 'https'}://${this.ref.host}`;
  }

  private shown(path: string): string {
    return `${this.ref.host}${path}`;
  }

  /** GET a registry path, answering an auth challenge once. */
  async get(path: string, maxBytes: number, accept?: string): Promise<HttpResponse> {
    const url = `${this.base()}${path}`;
    const timeoutMs = this.opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const headers = accept ? { Accept: accept } : undefined;
    const origin = new URL(url).origin;
    const tls = this.opts.tls ? { tls: this.opts.tls } : {};
    let r = await httpGet(url, {
      maxBytes,
      timeoutMs,
      headers,
      authorization: this.authorization,
      authOrigin: origin,
      ...tls,
    });
    if (r.status === 401) {
      this.authorization = await this.answerChallenge(r.headers.get('www-authenticate') ?? '', timeoutMs);
      r = await httpGet(url, {
        maxBytes,
        timeoutMs,
        headers,
        authorization: this.authorization,
        authOrigin: origin,
        ...tls,
      });
    }
    if (r.status !== 200)
      throw new HttpError(
        `${this.shown(path)}: ${r.status}` +
          `${r.status === 401 ? ` Unauthorized${this.credentialHint()}` : r.status === 404 ? ' Not Found' : r.status === 403 ? ' Forbidden' : ''}`,
        r.status,
      );
    return r;
  }

  private credentialHint(): string {
    const host = this.ref.host;
    if (credentialFor(this.opts.credentials, host)) return ' (the credentials for this host were refused)';
    if (this.opts.credentials.helperHosts.has(host))
      return (
        ` (the Docker config hands ${host} to a credential helper, which aksfleet does not run; log in with a ` +
        `plain auths entry or pass credentials)`
      );
    return ` (no credentials for ${host}: log in with "helm registry login" or "docker login", or pass credentials)`;
  }

  private async answerChallenge(header: string, timeoutMs: number): Promise<string | undefined> {
    const cred = credentialFor(this.opts.credentials, this.ref.host);
    const scheme = header.split(/\s+/, 1)[0]?.toLowerCase() ?? '';
    if (scheme === 'basic')
      return cred ? (basicAuth(cred) ?? `Bearer ${(cred as { token: string }).token}`) : undefined;
    if (scheme !== 'bearer') return undefined;
    const params = new Map<string, string>();
    for (const m of header.slice(6).matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) params.set(m[1]!.toLowerCase(), m[2]!);
    const realm = params.get('realm');
    if (!realm) return undefined;
    const tokenUrl = new URL(realm);
    if (tokenUrl.protocol !== 'https:' && !(this.opts.plainHttp && tokenUrl.protocol === 'http:'))
      throw new HttpError(`${this.ref.host}: refused a token realm over ${tokenUrl.protocol}`);
    if (params.has('service')) tokenUrl.searchParams.set('service', params.get('service')!);
    tokenUrl.searchParams.set('scope', params.get('scope') ?? `repository:${this.ref.repository}:pull`);
    // The registry names the realm: credentials go to it (as docker and oras do), and nowhere else.
    const auth = cred ? basicAuth(cred) : undefined;
    // The source's TLS settings go to its token service too (Flux's registry client has one transport).
    const r = await httpGet(tokenUrl.toString(), {
      maxBytes: 1024 * 1024,
      timeoutMs,
      authorization: auth,
      authOrigin: tokenUrl.origin,
      ...(this.opts.tls ? { tls: this.opts.tls } : {}),
    });
    if (r.status !== 200)
      throw new HttpError(
        `${this.ref.host}: the token service answered ${r.status}${r.status === 401 ? this.credentialHint() : ''}`,
        r.status,
      );
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(r.body).toString('utf8')) as unknown;
    } catch {
      throw new HttpError(`${this.ref.host}: the token service answered something that is not JSON`);
    }
    const b = body as { token?: unknown; access_token?: unknown };
    const token =
      typeof b.token === 'string' && b.token ? b.token : typeof b.access_token === 'string' ? b.access_token : '';
    if (!token) throw new HttpError(`${this.ref.host}: the token service gave no token`);
    return `Bearer ${token}`;
  }

  /** Every tag of the repository (following `Link` pagination). */
  async tags(): Promise<string[]> {
    const out: string[] = [];
    let path: string | undefined = `/v2/${this.ref.repository}/tags/list`;
    for (let page = 0; path && page < MAX_TAG_PAGES; page++) {
      const r = await this.get(path, MAX_TAGS_BYTES);
      const j = parseJson(r.body, this.shown(path)) as { tags?: unknown };
      if (Array.isArray(j.tags)) for (const t of j.tags) if (typeof t === 'string') out.push(t);
      const link = /<([^>]+)>\s*;\s*rel="?next"?/.exec(r.headers.get('link') ?? '');
      path = link ? new URL(link[1]!, 'http://x').pathname + new URL(link[1]!, 'http://x').search : undefined;
    }
    return out;
  }
}

function parseJson(body: Uint8Array, shown: string): Record<string, unknown> {
  try {
    const v = JSON.parse(Buffer.from(body).toString('utf8')) as unknown;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new InputError(`${shown}: not a JSON object`);
}

interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
}

function descriptor(v: unknown): Descriptor | undefined {
  const d = v as Partial<Descriptor> | null;
  if (!d || typeof d.mediaType !== 'string' || typeof d.digest !== 'string' || typeof d.size !== 'number')
    return undefined;
  return { mediaType: d.mediaType, digest: d.digest, size: d.size };
}

/** What to pull from a repository: a digest, a tag, or the highest tag satisfying a constraint. */
export interface OciSelector {
  readonly digest?: string;
  readonly tag?: string;
  /** A semver constraint over the tags ('' or `*`: the latest stable). */
  readonly semver?: string;
  /** With `semver`: a tag equal to it wins first (a HelmRepository; not an OCIRepository). Default true. */
  readonly exactFirst?: boolean;
}

/** Downloads the chart of `oci://host/repository` selected by `sel`. */
export async function downloadOciChart(ref: OciRef, sel: OciSelector, opts: DownloadOptions): Promise<Downloaded> {
  const client = new RegistryClient(ref, opts);
  const name = `${ref.host}/${ref.repository}`;
  let reference: string;
  let tag: string | undefined;
  let listing: { version: string }[] | undefined;
  if (sel.digest) reference = sel.digest;
  else if (sel.semver !== undefined) {
    const tags = await client.tags();
    listing = tags.map((t) => ({ version: tagToVersion(t) }));
    const choice = resolveVersion(listing, sel.semver, name, { exactFirst: sel.exactFirst ?? true });
    if (!choice.ok) throw new InputError(`${name}: ${choice.reason}`);
    tag = versionToTag(choice.pick.version);
    reference = tag;
  } else {
    tag = sel.tag || 'latest';
    reference = tag;
  }
  const mpath = `/v2/${ref.repository}/manifests/${reference}`;
  const mres = await client.get(mpath, MAX_MANIFEST_BYTES, OCI_MANIFEST);
  const manifestDigest = `sha256:${sha256Hex(mres.body)}`;
  if (sel.digest && manifestDigest !== sel.digest)
    throw new InputError(`${name}@${sel.digest}: the registry sent a manifest whose digest is ${manifestDigest}`);
  const manifest = parseJson(mres.body, `${name}:${reference}`);
  const config = descriptor(manifest.config);
  if (!config || config.mediaType !== HELM_CONFIG)
    throw new InputError(
      `${name}:${reference} is not a Helm chart (config media type ${config?.mediaType ?? 'missing'}, ` +
        `expected ${HELM_CONFIG})`,
    );
  const layers = Array.isArray(manifest.layers) ? manifest.layers.map(descriptor) : [];
  const layer = layers.find((l) => l?.mediaType === HELM_CHART_LAYER);
  if (!layer) throw new InputError(`${name}:${reference} has no chart layer (${HELM_CHART_LAYER})`);
  if (!/^sha256:[0-9a-f]{64}$/.test(layer.digest))
    throw new InputError(`${name}:${reference}: unsupported layer digest ${layer.digest}`);
  const maxArchive = opts.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES;
  if (layer.size > maxArchive)
    throw new InputError(
      `${name}:${reference}: chart layer of ${layer.size} bytes is larger than the cap of ${maxArchive} bytes`,
    );
  const bres = await client.get(`/v2/${ref.repository}/blobs/${layer.digest}`, Math.min(maxArchive, layer.size));
  const digest = archiveDigest(bres.body);
  if (digest !== layer.digest || bres.body.length !== layer.size)
    throw new InputError(
      `${name}:${reference}: the chart layer's content is ${digest} (${bres.body.length} bytes), the ` +
        `manifest says ${layer.digest} (${layer.size} bytes)`,
    );
  const { id } = checkArchive(bres.body, `${name}:${reference}`, opts);
  return {
    archive: bres.body,
    digest,
    version: id.version,
    name: id.name,
    ...(tag !== undefined ? { tag } : {}),
    manifestDigest,
    ...(listing ? { listing } : {}),
    ref: `${name}:${tag ?? id.version}`,
  };
}
