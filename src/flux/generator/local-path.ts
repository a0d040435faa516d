/**
 * fluxcd/pkg kustomize IsLocalRelativePath: `spec.components` entries must be local and
 * relative (no git/http URL, no absolute path).
 */
const REMOTE_PREFIXES = ['git::', 'gh:', 'ssh://', 'https://', 'http://', 'git@', 'github.com:', 'github.com/'];

export function isLocalRelativePath(path: string): boolean {
  for (const p of REMOTE_PREFIXES) {
    if (p.length < path.length && path.slice(0, p.length).toLowerCase() === p) return false;
  }
  const noScheme = path.toLowerCase().startsWith('file://') ? path.slice('file://'.length) : path;
  return !path.startsWith('/') && !noScheme.startsWith('/');
}
