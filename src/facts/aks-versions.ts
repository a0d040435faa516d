/**
 * AKS Kubernetes versions as data (data/aks-versions.json): GA and end-of-life dates per minor,
 * LTS eligibility, the patch versions AKS announced, and the N-2 support policy. Shared by the
 * spec check (src/spec/rules.ts), the IaC generator and the day-2 upgrade planner.
 *
 * Dates are ISO `YYYY-MM-DD` strings and compare as strings. A version is "supported" on a
 * date when its minor is GA and not past end of life (community support) on that date, or past
 * it but within LTS when `lts` is asked for, and the patch is one AKS announced.
 */
import { readFileSync } from 'node:fs';
import { dataFile } from '../package-root.js';

export interface AksMinorVersion {
  /** `1.35` */
  readonly minor: string;
  /** AKS GA date (`YYYY-MM-DD`). */
  readonly ga: string;
  /** End of community support (`YYYY-MM-DD`). */
  readonly endOfLife: string;
  /** Can be kept under Long Term Support (Premium tier, supportPlan AKSLongTermSupport). */
  readonly lts: boolean;
  /** End of LTS (`YYYY-MM-DD`), when `lts`. */
  readonly ltsEndOfLife?: string;
  /** Patch versions AKS announced, ascending (`1.35.6`). */
  readonly patches: readonly string[];
  readonly note?: string;
}

export interface AksVersionsData {
  readonly source: string;
  readonly asOf: string;
  readonly policy: {
    readonly supportedWindow: string;
    readonly text: string;
    readonly communityMinors: number;
    readonly ltsRequiresTier: string;
    readonly controlPlaneNodeSkewMinors: number;
  };
  readonly versions: readonly AksMinorVersion[];
}

let cached: AksVersionsData | undefined;

/** The data file, read once and checked for shape. */
export function aksVersions(): AksVersionsData {
  if (cached) return cached;
  const raw = JSON.parse(readFileSync(dataFile('aks-versions.json'), 'utf8')) as AksVersionsData;
  const iso = /^\d{4}-\d{2}-\d{2}$/;
  for (const v of raw.versions) {
    if (
      !/^1\.\d+$/.test(v.minor) ||
      !iso.test(v.ga) ||
      !iso.test(v.endOfLife) ||
      (v.ltsEndOfLife !== undefined && !iso.test(v.ltsEndOfLife))
    )
      throw new Error(`data/aks-versions.json: malformed entry for minor ${JSON.stringify(v.minor)}`);
    for (const p of v.patches)
      if (minorOf(p) !== v.minor) throw new Error(`data/aks-versions.json: patch ${p} listed under minor ${v.minor}`);
  }
  cached = { ...raw, versions: [...raw.versions].sort((a, b) => compareVersions(a.minor, b.minor)) };
  return cached;
}

/** `1.35.6` -> `1.35` */
export function minorOf(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** Numeric comparison of dotted versions (`1.9` < `1.10`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

export function minorInfo(minor: string): AksMinorVersion | undefined {
  return aksVersions().versions.find((v) => v.minor === minorOf(minor));
}

/** The day a minor leaves support: community end of life, or LTS end of life with `lts`. */
export function supportEnds(info: AksMinorVersion, opts: { lts?: boolean } = {}): string {
  return opts.lts && info.lts && info.ltsEndOfLife ? info.ltsEndOfLife : info.endOfLife;
}

/** Minors GA and in support on `asOf` (`YYYY-MM-DD`), oldest first. */
export function supportedMinors(asOf: string, opts: { lts?: boolean } = {}): string[] {
  return aksVersions()
    .versions.filter((v) => v.ga <= asOf && asOf <= supportEnds(v, opts))
    .map((v) => v.minor);
}

/** Is this exact patch version offered and supported on `asOf`? */
export function isSupported(version: string, asOf: string, opts: { lts?: boolean } = {}): boolean {
  return supportProblem(version, asOf, opts) === undefined;
}

/** Why a version is not supported on `asOf` (undefined when it is). */
export function supportProblem(version: string, asOf: string, opts: { lts?: boolean } = {}): string | undefined {
  const minor = minorOf(version);
  const info = minorInfo(minor);
  const supported = supportedMinors(asOf, opts);
  const list = supported.length ? supported.join(', ') : 'none';
  if (!info) return `AKS does not offer Kubernetes ${minor} (minors supported on ${asOf}: ${list})`;
  if (asOf < info.ga) return `Kubernetes ${minor} is not GA on AKS before ${info.ga} (supported on ${asOf}: ${list})`;
  const ends = supportEnds(info, opts);
  if (asOf > ends) {
    const lts =
      !opts.lts && info.lts && info.ltsEndOfLife && asOf <= info.ltsEndOfLife
        ? `; it is offered under Long Term Support until ${info.ltsEndOfLife} (set supportPlan: ` +
          `AKSLongTermSupport and tier: Premium)`
        : '';
    return (
      `Kubernetes ${minor} left AKS ${opts.lts ? 'long term' : 'community'} support on ${ends}${lts} ` +
      `(supported on ${asOf}: ${list})`
    );
  }
  if (!info.patches.includes(version)) {
    const known = info.patches.length
      ? `known AKS patches of ${minor}: ${info.patches.join(', ')}`
      : `no ${minor} patch is known yet`;
    return (
      `${version} is not a Kubernetes patch AKS announced (${known}; refresh data/aks-versions.json from 'az ` +
      `aks get-versions' if AKS offers it now)`
    );
  }
  return undefined;
}

/** The newest announced patch of a minor, if any. */
export function latestPatch(minor: string): string | undefined {
  const info = minorInfo(minor);
  if (!info || info.patches.length === 0) return undefined;
  return [...info.patches].sort(compareVersions).at(-1);
}
