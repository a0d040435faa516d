/**
 * Charts from an HTTP Helm repository, as Flux's HelmChart (and `helm pull --repo`) get them:
 * `index.yaml` under the repository URL, the version resolved as Flux does, the chart URL
 * resolved against the repository URL when relative, the archive checked against the index's
 * digest and loaded with Helm's caps. Credentials go to the repository's own origin only.
 */
import { InputError } from '../../errors.js';
import { basicAuth, type Credential } from './credentials.js';
import { archiveDigest } from './digest.js';
import {
  DEFAULT_MAX_ARCHIVE_BYTES,
  DEFAULT_TIMEOUT_MS,
  checkArchive,
  type DownloadOptions,
  type Downloaded,
} from './download.js';
import { httpGetOk, type TlsOptions } from './http-get.js';
import { MAX_INDEX_BYTES, readIndexEntries } from './repo-index.js';
import { resolveVersion } from './resolve-version.js';
import { redactUrl } from './source-url.js';

/** Helm's ResolveReferenceURL: a relative chart URL against the repository URL (its path taken as a folder). */
export function resolveChartUrl(repoUrl: string, chartUrl: string): string {
  const base = new URL(repoUrl);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const u = new URL(chartUrl, base);
  // Helm keeps the repository's query on relative chart URLs (e.g. signed storage URLs).
  if (!/^[a-z][a-z0-9+.-]*:/i.test(chartUrl) && base.search && !u.search) u.search = base.search;
  return u.toString();
}

/**
 * Downloads `chart` (version constraint `version`) from the repository at `repoUrl` (no user info: see `credential`).
 */
export async function downloadHttpChart(
  repoUrl: string,
  chart: string,
  version: string | undefined,
  credential: Credential | undefined,
  opts: DownloadOptions,
  how: { exactFirst?: boolean; passCredentials?: boolean; tls?: TlsOptions } = {},
): Promise<Downloaded> {
  const shownRepo = redactUrl(repoUrl);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const repoOrigin = new URL(repoUrl).origin;
  const authorization = credential
    ? (basicAuth(credential) ?? `Bearer ${(credential as { token: string }).token}`)
    : undefined;
  const indexUrl = resolveChartUrl(repoUrl, 'index.yaml');
  const conn = { ...(how.passCredentials ? { passCredentials: true } : {}), ...(how.tls ? { tls: how.tls } : {}) };
  const idx = await httpGetOk(indexUrl, {
    maxBytes: opts.maxIndexBytes ?? MAX_INDEX_BYTES,
    timeoutMs,
    authorization,
    authOrigin: repoOrigin,
    ...conn,
  });
  const entries = readIndexEntries(Buffer.from(idx.body).toString('utf8'), chart, `${shownRepo}/index.yaml`);
  if (entries.length === 0) throw new InputError(`chart "${chart}" not found in ${shownRepo} repository`);
  const choice = resolveVersion(entries, version, chart, how);
  if (!choice.ok) throw new InputError(`${shownRepo}: ${choice.reason}`);
  const e = choice.pick;
  const chartUrl = resolveChartUrl(repoUrl, e.urls[0]!);
  const shownChart = redactUrl(chartUrl);
  // Credentials go with the chart URL only when it is on the repository's origin, unless passCredentials (Helm's
  // --pass-credentials).
  const res = await httpGetOk(chartUrl, {
    maxBytes: opts.maxArchiveBytes ?? DEFAULT_MAX_ARCHIVE_BYTES,
    timeoutMs,
    authorization,
    authOrigin: repoOrigin,
    ...conn,
  });
  const digest = archiveDigest(res.body);
  if (e.digest && `sha256:${e.digest}` !== digest)
    throw new InputError(
      `${shownChart}: digest mismatch: the index says sha256:${e.digest}, the download is ${digest}`,
    );
  const { id } = checkArchive(res.body, shownChart, opts);
  if (id.name !== chart)
    throw new InputError(`${shownChart}: the archive holds chart '${id.name}', the index says '${chart}'`);
  return {
    archive: res.body,
    digest,
    // The index's version: what Flux resolved, and what the cache records it under.
    version: e.version,
    name: id.name,
    ...(e.created ? { created: e.created } : {}),
    listing: entries.map((x) => ({ version: x.version, ...(x.created ? { created: x.created } : {}) })),
    ref: `${shownRepo} ${chart}@${id.version}`,
  };
}
