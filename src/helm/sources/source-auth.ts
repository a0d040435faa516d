/**
 * Which credentials and TLS files a chart request is fetched with, and why it cannot be when the
 * Flux source asks for some that were not given. Flux reads them from the Secrets the source
 * names (`secretRef`, `certSecretRef`) or from a cloud identity (`provider`); offline those are not
 * there, so aksfleet takes what helm itself reads: a helm `repositories.yaml` entry with the
 * repository's URL (HTTP repositories) and a Docker `config.json` `auths` entry for the registry
 * host (OCI). A source that needs credentials and has none is refused before any request, with
 * the flag that gives them; it is never fetched anonymously as if it were public.
 */
import { credentialFor, splitUrlCredentials, type Credential, type Credentials } from './credentials.js';
import { repositoryEntryFor, type RepositoryEntry } from './repository-config.js';
import { isOciUrl, ociRepository, redactUrl } from './source-url.js';
import { parseOciRef } from './oci-registry.js';
import type { ChartRequest } from './types.js';

/** TLS files of an HTTP repository (its repositories.yaml entry). */
export interface TlsFiles {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly insecureSkipTlsVerify?: boolean;
}

export type AuthChoice =
  | {
      readonly ok: true;
      readonly credential?: Credential;
      /** Credentials also go to chart URLs on other hosts (Flux `passCredentials`, Helm `pass_credentials_all`). */
      readonly passCredentials: boolean;
      readonly tls?: TlsFiles;
      /** Where the credentials or TLS files come from (no secret in it), for an info line. */
      readonly from?: string;
    }
  | { readonly ok: false; readonly reason: string };

export interface AuthSources {
  /** Registry (and explicit) credentials by host. */
  readonly credentials: Credentials;
  /** The entries of `--repository-config`. */
  readonly repositories: readonly RepositoryEntry[];
  /** How the user gives them, for messages (defaults: the CLI flags). */
  readonly repositoryFlag?: string;
  readonly registryFlag?: string;
}

const hasTls = (e: RepositoryEntry | undefined): boolean =>
  e !== undefined && (e.caFile !== undefined || e.certFile !== undefined || e.insecureSkipTlsVerify === true);

function httpAuth(req: ChartRequest, src: AuthSources): AuthChoice {
  const flag = src.repositoryFlag ?? '--repository-config FILE';
  const { url, credential: inUrl } = splitUrlCredentials(req.url);
  const entry = repositoryEntryFor(src.repositories, url);
  const fromEntry: Credential | undefined =
    entry?.username !== undefined ? { username: entry.username, password: entry.password ?? '' } : undefined;
  const byHost = credentialFor(src.credentials, new URL(url).host);
  const credential = inUrl ?? fromEntry ?? byHost;
  const a = req.auth ?? {};
  const shown = redactUrl(url);
  const entryName = entry ? `the repository config entry '${entry.name || entry.url}'` : undefined;
  if (a.secretRef !== undefined && credential === undefined) {
    const has =
      src.repositories.length === 0
        ? `no ${flag.split(' ')[0]} was given`
        : `the repository config has no entry with url ${shown} and username/password`;
    return {
      ok: false,
      reason:
        `needs credentials (spec.secretRef ${a.secretRef}) and ${has}: give them with ${flag} (a helm ` +
        `repositories.yaml, as 'helm repo add --username' writes it)`,
    };
  }
  if (a.certSecretRef !== undefined && !hasTls(entry)) {
    const has =
      src.repositories.length === 0
        ? `no ${flag.split(' ')[0]} was given`
        : `the repository config has no entry with url ${shown} and caFile/certFile`;
    return {
      ok: false,
      reason:
        `needs TLS files (spec.certSecretRef ${a.certSecretRef}) and ${has}: give caFile, certFile and keyFile ` +
        `in its entry of ${flag}`,
    };
  }
  const tls: TlsFiles | undefined = hasTls(entry)
    ? {
        ...(entry!.caFile ? { caFile: entry!.caFile } : {}),
        ...(entry!.certFile ? { certFile: entry!.certFile, keyFile: entry!.keyFile! } : {}),
        ...(entry!.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
      }
    : undefined;
  const from = inUrl
    ? 'the URL'
    : fromEntry || tls
      ? entryName
      : byHost
        ? `the registry config (host ${new URL(url).host})`
        : undefined;
  return {
    ok: true,
    ...(credential ? { credential } : {}),
    passCredentials: a.passCredentials === true || entry?.passCredentialsAll === true,
    ...(tls ? { tls } : {}),
    ...(from ? { from } : {}),
  };
}

/**
 * The TLS files of an OCI source: the `--repository-config` entry whose url is the source's
 * (`oci://host/path`), else one for its registry (`oci://host`). Docker's config.json has no place
 * for them and `helm repo add` refuses oci:// URLs, so such an entry is written by hand with the
 * fields helm writes for an HTTP repository (`caFile`, `certFile`, `keyFile`,
 * `insecure_skip_tls_verify`): the files `helm pull oci://... --ca-file --cert-file --key-file` takes.
 */
function ociTlsEntry(req: ChartRequest, src: AuthSources, host: string): RepositoryEntry | undefined {
  const e = repositoryEntryFor(src.repositories, req.url) ?? repositoryEntryFor(src.repositories, `oci://${host}`);
  return hasTls(e) ? e : undefined;
}

function tlsOf(entry: RepositoryEntry): TlsFiles {
  return {
    ...(entry.caFile ? { caFile: entry.caFile } : {}),
    ...(entry.certFile ? { certFile: entry.certFile, keyFile: entry.keyFile! } : {}),
    ...(entry.insecureSkipTlsVerify ? { insecureSkipTlsVerify: true } : {}),
  };
}

function ociAuth(req: ChartRequest, src: AuthSources): AuthChoice {
  const flag = src.registryFlag ?? '--registry-config FILE';
  const repoFlag = src.repositoryFlag ?? '--repository-config FILE';
  const host = parseOciRef(ociRepository(req)).host;
  const credential = credentialFor(src.credentials, host);
  const a = req.auth ?? {};
  const has = `${host} has no auths entry in ${flag.split(' ')[0]}`;
  if (credential === undefined && a.secretRef !== undefined) {
    return {
      ok: false,
      reason:
        `needs credentials (spec.secretRef ${a.secretRef}) and ${has}: give them with ${flag} (a Docker ` +
        `config.json, as 'helm registry login' or 'docker login' writes it)`,
    };
  }
  if (credential === undefined && a.provider !== undefined) {
    return {
      ok: false,
      reason:
        `authenticates with spec.provider ${a.provider} (a cloud identity, which aksfleet does not use) and ` +
        `${has}: give the registry's credentials with ${flag}`,
    };
  }
  const tlsEntry = ociTlsEntry(req, src, host);
  if (a.certSecretRef !== undefined && tlsEntry === undefined) {
    const has =
      src.repositories.length === 0
        ? `no ${repoFlag.split(' ')[0]} was given`
        : `the repository config has no entry with url ${redactUrl(req.url)} or oci://${host} and caFile/certFile`;
    return {
      ok: false,
      reason:
        `needs TLS files (spec.certSecretRef ${a.certSecretRef}) and ${has}: give caFile, certFile and keyFile ` +
        `in an entry of ${repoFlag} whose url is oci://${host} (the files of 'helm pull --ca-file --cert-file ` +
        `--key-file')`,
    };
  }
  const from = [
    credential ? `the registry config (host ${host})` : undefined,
    tlsEntry ? `the repository config entry '${tlsEntry.name || tlsEntry.url}'` : undefined,
  ]
    .filter((x) => x !== undefined)
    .join(' and ');
  return {
    ok: true,
    ...(credential ? { credential } : {}),
    ...(tlsEntry ? { tls: tlsOf(tlsEntry) } : {}),
    ...(from ? { from } : {}),
    passCredentials: false,
  };
}

/** The credentials and TLS files `req` is fetched with, or why it cannot be. */
export function authFor(req: ChartRequest, src: AuthSources): AuthChoice {
  return isOciUrl(req.url) ? ociAuth(req, src) : httpAuth(req, src);
}
