/**
 * A path inside a source artifact as source-controller joins it (cyphar/filepath-securejoin
 * SecureJoin of the artifact folder and the path, e.g. a HelmChart's `spec.chart` in a
 * GitRepository: internal/helm/chart/builder_local.go): the path is cleaned as if the artifact
 * were the file system root, so a leading `/` is the artifact root and `..` never climbs above it.
 * (SecureJoin also resolves symbolic links inside the root; artifacts hold none.) Returns the
 * artifact-relative path, '' for the root; never throws.
 */
import * as path from 'node:path';

export function secureJoinRel(p: string): string {
  return path.posix
    .normalize(`/${p.replace(/\\/g, '/')}`)
    .replace(/^\/+/, '')
    .replace(/\/+$/, '');
}
