/**
 * Semantic versions and constraints for chart versions, dependency ranges and `kubeVersion`, as
 * github.com/Masterminds/semver/v3 decides them. One port serves Helm: this is the non-throwing
 * face of src/helm/funcs/semver.ts (the port sprig's `semver`/`semverCompare` use), for callers
 * that only need "parses or not" and "satisfies or not".
 */
import { checkConstraints, compare, newConstraint, newVersion, type Version } from '../funcs/semver.js';

export type SemVer = Version;

/** A parsed constraint string (Masterminds NewConstraint). */
export interface SemverConstraints {
  readonly groups: ReturnType<typeof newConstraint>;
}

/** Parses a version (Masterminds NewVersion); undefined when it is not one. */
export function parseSemver(v: string): SemVer | undefined {
  try {
    return newVersion(v);
  } catch {
    return undefined;
  }
}

/** Masterminds Version.Compare: -1, 0 or 1 (metadata ignored). */
export const compareSemver = (a: SemVer, b: SemVer): number => compare(a, b);

/** Parses a constraint; undefined when Masterminds would return an error. */
export function parseConstraints(input: string): SemverConstraints | undefined {
  try {
    return { groups: newConstraint(input) };
  } catch {
    return undefined;
  }
}

/** Masterminds Constraints.Check. */
export const satisfies = (v: SemVer, cs: SemverConstraints): boolean => checkConstraints(cs.groups, v);

/** Helm's IsCompatibleRange: false when either side does not parse. */
export function isCompatibleRange(constraint: string, version: string): boolean {
  const v = parseSemver(version);
  const c = parseConstraints(constraint);
  return v !== undefined && c !== undefined && satisfies(v, c);
}
