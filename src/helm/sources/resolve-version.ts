/**
 * Which chart version a Flux source picks for a version constraint, as source-controller does:
 * - a HelmRepository (HTTP index or `type: oci`), `spec.chart.spec.version`: a version equal to
 *   the constraint as written wins first; '' or `*` is the latest *stable* version (prereleases
 *   left out); anything else is a Masterminds semver constraint, of which the highest satisfying
 *   version wins (a prerelease only satisfies a constraint that names one). Equal versions (that
 *   differ by build metadata only) are ordered by their index `created` time, newest first
 *   (source-controller internal/helm/repository getChartVersion, getLastMatchingVersionOrConstraint).
 * - an OCIRepository `spec.ref.semver`: the highest tag satisfying it, no exact match first
 *   (getTagBySemver): `exactFirst: false`.
 * Candidates are read with fluxcd/pkg/version ParseVersion: strict semver (`1.2.3`, no `1.2`, no
 * leading zeros) with an optional leading `v`; others are ignored.
 * Reuses src/helm/chart/semver.ts (Masterminds semver v3).
 */
import { compareSemver, parseConstraints, parseSemver, satisfies, type SemVer } from '../chart/semver.js';

/** One version a repository offers. */
export interface VersionCandidate {
  readonly version: string;
  /** The index's `created` (RFC 3339), to order versions that differ only by build metadata. */
  readonly created?: string;
}

export type VersionChoice<T extends VersionCandidate> =
  | { readonly ok: true; readonly pick: T }
  | { readonly ok: false; readonly reason: string };

const STRICT =
  /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

/** fluxcd/pkg/version ParseVersion: Masterminds StrictNewVersion after an optional leading `v`. */
export function parseFluxVersion(v: string): SemVer | undefined {
  const bare = v.startsWith('v') ? v.slice(1) : v;
  if (!STRICT.test(bare)) return undefined;
  return parseSemver(v);
}

/** True when the constraint means "latest stable" (Flux: empty or `*`). */
export function isLatestStable(constraint: string | undefined): boolean {
  const c = (constraint ?? '').trim();
  return c === '' || c === '*';
}

/**
 * The candidate a constraint resolves to (Flux's getChartVersion / getLastMatchingVersionOrConstraint).
 * `exactFirst` (default true): a version equal to the constraint wins before any semver logic.
 */
export function resolveVersion<T extends VersionCandidate>(
  candidates: readonly T[],
  constraint: string | undefined,
  what: string,
  opts: { exactFirst?: boolean } = {},
): VersionChoice<T> {
  const wanted = (constraint ?? '').trim();
  const latestStable = isLatestStable(wanted);
  if ((opts.exactFirst ?? true) && wanted !== '') {
    const exact = candidates.find((c) => c.version === wanted);
    if (exact) return { ok: true, pick: exact };
  }
  const cs = latestStable ? undefined : parseConstraints(wanted);
  if (!latestStable && cs === undefined)
    return { ok: false, reason: `invalid version constraint '${wanted}' for ${what}` };
  const matched: { v: SemVer; c: T }[] = [];
  for (const c of candidates) {
    const v = parseFluxVersion(c.version);
    if (!v) continue;
    if (latestStable && v.pre !== '') continue;
    if (cs && !satisfies(v, cs)) continue;
    matched.push({ v, c });
  }
  if (matched.length === 0)
    return { ok: false, reason: `no '${what}' chart with version matching '${latestStable ? '*' : wanted}' found` };
  matched.sort((a, b) => {
    const d = compareSemver(b.v, a.v);
    if (d !== 0) return d;
    const ta = a.c.created ? Date.parse(a.c.created) : 0;
    const tb = b.c.created ? Date.parse(b.c.created) : 0;
    return (Number.isNaN(tb) ? 0 : tb) - (Number.isNaN(ta) ? 0 : ta);
  });
  return { ok: true, pick: matched[0]!.c };
}
