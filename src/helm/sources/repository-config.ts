/**
 * Helm's repository config (`repositories.yaml`, helm.sh/helm/v4 pkg/repo File and Entry: what
 * `helm repo add --username/--password/--ca-file/--cert-file/--key-file/--pass-credentials`
 * writes, and `helm --repository-config FILE` reads): the credentials and TLS files of HTTP chart
 * repositories, matched to a Flux HelmRepository by its URL. Read only when given
 * (`--repository-config` with `--fetch-charts`); its secrets never appear in any message.
 */
import { readFileSync } from 'node:fs';
import { InputError } from '../../errors.js';
import { parseYamlObject } from '../chart/metadata.js';

/** One `repositories[]` entry (Helm's repo.Entry, its YAML keys). */
export interface RepositoryEntry {
  readonly name: string;
  readonly url: string;
  readonly username?: string;
  readonly password?: string;
  /** PEM files, paths as written (Helm opens them relative to where it runs). */
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  /** `insecure_skip_tls_verify`. */
  readonly insecureSkipTlsVerify?: boolean;
  /** `pass_credentials_all`: credentials also go to chart URLs on other hosts. */
  readonly passCredentialsAll?: boolean;
}

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const STRING_KEYS = {
  name: 'name',
  url: 'url',
  username: 'username',
  password: 'password',
  caFile: 'caFile',
  certFile: 'certFile',
  keyFile: 'keyFile',
} as const;
const BOOL_KEYS = {
  insecure_skip_tls_verify: 'insecureSkipTlsVerify',
  pass_credentials_all: 'passCredentialsAll',
} as const;

/** The entries of a repositories.yaml text; `file` names it in errors (which never quote values). */
export function parseRepositoryConfig(text: string, file: string): RepositoryEntry[] {
  let doc: unknown;
  try {
    doc = parseYamlObject(text, file);
  } catch (e) {
    throw new InputError(`${file}: not a helm repository config: ${(e as Error).message}`, { cause: e });
  }
  if (doc === null || doc === undefined) return [];
  if (!isMap(doc)) throw new InputError(`${file}: not a helm repository config: expected a map with 'repositories'`);
  const list = doc.repositories ?? [];
  if (!Array.isArray(list)) throw new InputError(`${file}: repositories: expected a list`);
  return list.map((item, i) => {
    const at = `${file}: repositories[${i}]`;
    if (!isMap(item)) throw new InputError(`${at}: expected a map`);
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(STRING_KEYS)) {
      const v = item[key];
      if (v === undefined || v === null || v === '') continue;
      if (typeof v !== 'string') throw new InputError(`${at}.${key}: expected a string`);
      out[field] = v;
    }
    for (const [key, field] of Object.entries(BOOL_KEYS)) {
      const v = item[key];
      if (v === undefined || v === null) continue;
      if (typeof v !== 'boolean') throw new InputError(`${at}.${key}: expected true or false`);
      if (v) out[field] = true;
    }
    if (typeof out.url !== 'string') throw new InputError(`${at}.url: missing`);
    if ((out.username === undefined) !== (out.password === undefined))
      throw new InputError(`${at}: username and password go together`);
    if ((out.certFile === undefined) !== (out.keyFile === undefined))
      throw new InputError(`${at}: certFile and keyFile go together`);
    return { name: typeof out.name === 'string' ? out.name : '', ...out } as RepositoryEntry;
  });
}

/** Reads a repositories.yaml; an unreadable file is an error (it was asked for). */
export function readRepositoryConfig(path: string): RepositoryEntry[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new InputError(`cannot read the helm repository config '${path}'`);
  }
  return parseRepositoryConfig(text, path);
}

/** A repository URL as compared: scheme and host lower case, no trailing slashes, no user info. */
export function normalizeRepoUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/+$/, '');
  } catch {
    return url.replace(/\/+$/, '');
  }
}

/** The entry whose `url` is the repository's URL (the first, as Helm's File.Get of a name). */
export function repositoryEntryFor(entries: readonly RepositoryEntry[], url: string): RepositoryEntry | undefined {
  const want = normalizeRepoUrl(url);
  return entries.find((e) => normalizeRepoUrl(e.url) === want);
}
