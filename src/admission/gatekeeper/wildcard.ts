/**
 * Gatekeeper's wildcards (pkg/mutation/match/wildcard.go): `*` may open or close a namespace or
 * name matcher (`kube-*`, `*-system`, `*sys*`); anything else matches exactly.
 */

/** True when `candidate` matches the Gatekeeper wildcard `pattern`. */
export function wildcardMatches(pattern: string, candidate: string): boolean {
  const starts = pattern.startsWith('*');
  const ends = pattern.length > 1 && pattern.endsWith('*');
  if (pattern === '*') return true;
  if (starts && ends) return candidate.includes(pattern.slice(1, -1));
  if (starts) return candidate.endsWith(pattern.slice(1));
  if (ends) return candidate.startsWith(pattern.slice(0, -1));
  return pattern === candidate;
}

/** A `generateName` matches only a pattern that ends with `*` (Wildcard.MatchesGenerateName). */
export function wildcardMatchesGenerateName(pattern: string, generateName: string): boolean {
  if (!generateName || !pattern.endsWith('*')) return false;
  return wildcardMatches(pattern, generateName);
}
