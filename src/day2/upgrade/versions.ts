/**
 * Version facts for the planner, computed from the version data it is given (never from a
 * global): minor arithmetic, the newest known patch of a minor, the skew limit, and whether a
 * minor is supported on a date (N-2 community support, N-3 platform support, LTS).
 */
import type { AksVersionsData } from '../../facts/aks-versions.js';
import type { UpgradeRules } from './types.js';

/** `1.30.4` -> [1, 30, 4]; `1.30` -> [1, 30, undefined]. Throws on anything else. */
export function parseVersion(v: string): [number, number, number | undefined] {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(v.trim());
  if (!m) throw new Error(`not a Kubernetes version: ${JSON.stringify(v)}`);
  return [Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3])];
}

export function isVersion(v: unknown): v is string {
  return typeof v === 'string' && /^v?\d+\.\d+(\.\d+)?$/.test(v.trim());
}

/** The minor as a number (1.30.4 -> 30). Major versions other than 1 do not exist for Kubernetes. */
export function minorNum(v: string): number {
  return parseVersion(v)[1];
}

export function minorStr(v: string): string {
  const [a, b] = parseVersion(v);
  return `${a}.${b}`;
}

/** Numeric comparison; a minor alias (`1.30`) sorts before its patches. */
export function cmpVersion(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  return pa[0] - pb[0] || pa[1] - pb[1] || (pa[2] ?? -1) - (pb[2] ?? -1);
}

/** The newest patch of a minor in the data, or undefined. */
export function latestPatchOf(data: AksVersionsData, minor: number): string | undefined {
  const info = data.versions.find((v) => minorNum(v.minor) === minor);
  if (!info || info.patches.length === 0) return undefined;
  return [...info.patches].sort(cmpVersion).at(-1);
}

/** How many minors a node pool may lag the control plane at this control plane version. */
export function maxSkew(rules: UpgradeRules, controlPlane: string): number {
  const cp = minorNum(controlPlane);
  const entry = rules.nodePools.maxMinorsBehindControlPlane.find((e) => cp >= minorNum(e.controlPlaneFrom));
  return entry ? entry.minors : Math.min(...rules.nodePools.maxMinorsBehindControlPlane.map((e) => e.minors));
}

export type SupportStatus = 'supported' | 'lts' | 'platform' | 'outside' | 'not-ga' | 'unknown';

/**
 * Support of a minor on a date. `supported`: GA and not past community end of life;
 * `lts`: past it but within Long Term Support (Premium tier); `platform`: the N-3 minor
 * (N = newest GA minor on the date); `outside`: older; `not-ga`: in the data but not GA yet;
 * `unknown`: newer than anything in the data.
 */
export function supportStatus(
  data: AksVersionsData,
  rules: UpgradeRules,
  version: string,
  date: string,
): SupportStatus {
  const minor = minorNum(version);
  const info = data.versions.find((v) => minorNum(v.minor) === minor);
  const ga = data.versions.filter((v) => v.ga <= date).map((v) => minorNum(v.minor));
  const newest = ga.length ? Math.max(...ga) : undefined;
  if (info) {
    if (date < info.ga) return 'not-ga';
    if (date <= info.endOfLife) return 'supported';
    if (info.lts && info.ltsEndOfLife && date <= info.ltsEndOfLife) return 'lts';
  } else if (newest === undefined || minor > newest) {
    return 'unknown';
  }
  if (newest !== undefined) {
    const n = rules.support.communityMinors;
    const lowestPlatform = newest - (n - 1) - rules.support.platformSupportMinors;
    if (minor >= lowestPlatform && minor < newest - (n - 1)) return 'platform';
    // A minor inside the N-2 window whose end-of-life date passed already (e.g. an early retirement)
    // is still reported as outside: the dated data wins over the window arithmetic.
  }
  return 'outside';
}

export function describeStatus(s: SupportStatus): string {
  switch (s) {
    case 'supported':
      return 'in AKS community support';
    case 'lts':
      return 'past community support; supported only under Long Term Support (Premium tier)';
    case 'platform':
      return 'in AKS platform support only (N-3: no Kubernetes fixes, no cluster creation)';
    case 'outside':
      return 'outside AKS support';
    case 'not-ga':
      return 'not GA on AKS yet';
    case 'unknown':
      return 'not in the AKS version data';
  }
}
