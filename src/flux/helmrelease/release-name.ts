/**
 * Release name and namespaces as helm-controller derives them (api/v2 GetReleaseName,
 * GetReleaseNamespace, GetStorageNamespace; internal/release/name.go ShortenName).
 */
import { createHash } from 'node:crypto';

const MAX_RELEASE_NAME = 53;
const SHORT_HASH = 12;

/**
 * helm-controller's ShortenName: a name over 53 characters becomes its first 40 characters, '-',
 * and the first 12 hex digits of the SHA-256 of the whole name.
 */
export function shortenReleaseName(name: string): string {
  if (Buffer.byteLength(name, 'utf8') <= MAX_RELEASE_NAME) return name;
  const sum = createHash('sha256').update(name, 'utf8').digest('hex');
  // Go slices bytes; release names are DNS labels (ASCII), so bytes are characters here.
  const head = Buffer.from(name, 'utf8')
    .subarray(0, MAX_RELEASE_NAME - (SHORT_HASH + 1))
    .toString('utf8');
  return `${head}-${sum.slice(0, SHORT_HASH)}`;
}

export interface ReleaseNames {
  readonly releaseName: string;
  readonly releaseNamespace: string;
  readonly storageNamespace: string;
}

/**
 * `spec.releaseName`, else `[targetNamespace-]name`, shortened; target and storage namespaces default to the
 * HelmRelease's.
 */
export function releaseNames(name: string, namespace: string, spec: Readonly<Record<string, unknown>>): ReleaseNames {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  const target = str(spec.targetNamespace);
  const given = str(spec.releaseName);
  const full = given !== '' ? given : target !== '' ? `${target}-${name}` : name;
  return {
    releaseName: shortenReleaseName(full),
    releaseNamespace: target !== '' ? target : namespace,
    storageNamespace: str(spec.storageNamespace) !== '' ? str(spec.storageNamespace) : namespace,
  };
}
