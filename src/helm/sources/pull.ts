/**
 * `helm pull` semantics over the chart sources: which repository and version a `helm pull`
 * argument names (`oci://host/repo/chart[:tag]`, `--repo URL CHART`, or a chart archive URL),
 * and the download. Version constraints: `--version` (a constraint or an exact version; an exact
 * match is tried first, as Helm's index lookup does), else the latest stable version, or with
 * `--devel` any version (`>0.0.0-0`).
 */
import { InputError, UsageError } from '../../errors.js';
import { basicAuth, type Credential } from './credentials.js';
import { archiveDigest } from './digest.js';
import {
  PULL_MAX_ARCHIVE_BYTES,
  DEFAULT_TIMEOUT_MS,
  checkArchive,
  type DownloadOptions,
  type Downloaded,
} from './download.js';
import { fetcherCredentials } from './fetcher.js';
import { httpGetOk } from './http-get.js';
import { downloadHttpChart } from './http-repo.js';
import { downloadOciChart, parseOciRef } from './oci-registry.js';
import { isOciUrl, redactUrl } from './source-url.js';
import { splitUrlCredentials } from './credentials.js';

export interface PullOptions {
  readonly chart: string;
  readonly repo?: string;
  readonly version?: string;
  readonly devel?: boolean;
  readonly plainHttp?: boolean;
  readonly username?: string;
  readonly password?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
}

/** Downloads what `helm pull` would. Throws InputError (exit 2) with the reason when it cannot. */
export async function pullChart(o: PullOptions): Promise<Downloaded & { readonly fileName: string }> {
  const version = o.version ?? (o.devel ? '>0.0.0-0' : '');
  const explicit: Credential | undefined =
    o.username !== undefined || o.password !== undefined
      ? { username: o.username ?? '', password: o.password ?? '' }
      : undefined;
  try {
    if (isOciUrl(o.chart)) {
      if (o.repo) throw new UsageError('--repo cannot be used with an oci:// chart reference');
      const ref = parseOciRef(o.chart);
      if (ref.tag !== undefined && o.version !== undefined && ref.tag !== o.version)
        throw new UsageError(`chart reference and version mismatch: ${ref.tag} is not ${o.version}`);
      const credentials = fetcherCredentials({
        env: o.env,
        ...(explicit ? { credentials: { [ref.host]: explicit } } : {}),
      });
      const dl: DownloadOptions = {
        credentials,
        plainHttp: o.plainHttp,
        timeoutMs: o.timeoutMs,
        maxArchiveBytes: PULL_MAX_ARCHIVE_BYTES,
      };
      const sel = ref.digest ? { digest: ref.digest } : ref.tag !== undefined ? { tag: ref.tag } : { semver: version };
      const d = await downloadOciChart({ host: ref.host, repository: ref.repository }, sel, dl);
      return { ...d, fileName: `${d.name}-${d.version}.tgz` };
    }
    const credentials = fetcherCredentials({ env: o.env });
    const dl: DownloadOptions = {
      credentials,
      plainHttp: o.plainHttp,
      timeoutMs: o.timeoutMs,
      maxArchiveBytes: PULL_MAX_ARCHIVE_BYTES,
    };
    if (o.repo) {
      const { url, credential } = splitUrlCredentials(o.repo);
      const d = await downloadHttpChart(url, o.chart, version, explicit ?? credential, dl, { exactFirst: true });
      return { ...d, fileName: `${d.name}-${d.version}.tgz` };
    }
    if (/^https?:\/\//i.test(o.chart)) return await pullArchiveUrl(o.chart, explicit, dl);
    throw new UsageError(
      `"${o.chart}": aksfleet helm pull needs --repo URL, an oci:// reference or a chart archive URL (it ` +
        `reads no repositories.yaml)`,
    );
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError) throw e;
    throw new InputError(
      `failed to pull ${redactUrl(o.repo ?? o.chart)}${o.repo ? ` ${o.chart}` : ''}: ${(e as Error).message}`,
      { cause: e },
    );
  }
}

async function pullArchiveUrl(
  chartUrl: string,
  explicit: Credential | undefined,
  dl: DownloadOptions,
): Promise<Downloaded & { fileName: string }> {
  const { url, credential } = splitUrlCredentials(chartUrl);
  const cred = explicit ?? credential;
  const res = await httpGetOk(url, {
    maxBytes: dl.maxArchiveBytes ?? PULL_MAX_ARCHIVE_BYTES,
    timeoutMs: dl.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    authorization: cred ? basicAuth(cred) : undefined,
    authOrigin: new URL(url).origin,
  });
  const shown = redactUrl(url);
  const { id } = checkArchive(res.body, shown, dl);
  const last = new URL(url).pathname.split('/').pop() ?? '';
  const base = /^[A-Za-z0-9_+-][A-Za-z0-9._+-]*$/.test(last) ? last : `${id.name}-${id.version}.tgz`;
  return {
    archive: res.body,
    digest: archiveDigest(res.body),
    version: id.version,
    name: id.name,
    ref: shown,
    fileName: base,
  };
}
