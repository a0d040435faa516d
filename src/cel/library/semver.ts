/**
 * The Kubernetes semver library (k8s.io/apiserver/pkg/cel/library/semverlib.go) over a port of
 * github.com/blang/semver/v4 Parse and Compare, with the library's optional normalization
 * (`semver("v1.2", true)`).
 */
import { CelEvalError } from '../errors.js';
import type { CelRegistrar } from './types.js';

/** A semantic version. */
export class Semver {
  readonly celType = 'kubernetes.Semver';
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: readonly string[],
    readonly text: string,
  ) {}
  compareTo(o: Semver): number {
    for (const [a, b] of [
      [this.major, o.major],
      [this.minor, o.minor],
      [this.patch, o.patch],
    ] as const) {
      if (a !== b) return a < b ? -1 : 1;
    }
    if (this.pre.length === 0 && o.pre.length === 0) return 0;
    if (this.pre.length === 0) return 1;
    if (o.pre.length === 0) return -1;
    for (let i = 0; i < Math.min(this.pre.length, o.pre.length); i++) {
      const c = comparePre(this.pre[i], o.pre[i]);
      if (c !== 0) return c;
    }
    return Math.sign(this.pre.length - o.pre.length);
  }
  equals(o: Semver): boolean {
    return this.compareTo(o) === 0;
  }
  toString(): string {
    return this.text;
  }
}

function comparePre(a: string, b: string): number {
  const an = /^[0-9]+$/.test(a);
  const bn = /^[0-9]+$/.test(b);
  if (an && bn) return Math.sign(Number(BigInt(a) - BigInt(b)));
  if (an) return -1;
  if (bn) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** blang/semver Parse: strict MAJOR.MINOR.PATCH[-pre][+build]. */
export function parseSemver(s: string): { v?: Semver; error?: string } {
  if (s.length === 0) return { error: 'Version string empty' };
  const plus = s.indexOf('+');
  const core = plus >= 0 ? s.slice(0, plus) : s;
  const build = plus >= 0 ? s.slice(plus + 1) : undefined;
  const parts = core.split('.');
  if (parts.length < 3) return { error: 'No Major.Minor.Patch elements found' };
  const dash = parts[2].indexOf('-');
  const patchText = dash >= 0 ? parts[2].slice(0, dash) : parts[2];
  const preText = dash >= 0 ? [parts[2].slice(dash + 1), ...parts.slice(3)].join('.') : undefined;
  if (dash < 0 && parts.length > 3)
    return { error: `Invalid character(s) found in patch number "${parts.slice(2).join('.')}"` };
  const nums: bigint[] = [];
  for (const [name, t] of [
    ['major', parts[0]],
    ['minor', parts[1]],
    ['patch', patchText],
  ] as const) {
    if (!/^[0-9]+$/.test(t)) return { error: `Invalid character(s) found in ${name} number "${t}"` };
    if (t.length > 1 && t[0] === '0')
      return { error: `${name[0].toUpperCase()}${name.slice(1)} number must not contain leading zeroes "${t}"` };
    nums.push(BigInt(t));
  }
  const pre = preText === undefined ? [] : preText.split('.');
  for (const p of pre) {
    if (p === '') return { error: 'Prerelease is empty' };
    if (!/^[0-9A-Za-z-]+$/.test(p)) return { error: `Invalid character(s) found in prerelease "${p}"` };
    if (/^[0-9]+$/.test(p) && p.length > 1 && p[0] === '0')
      return { error: `Numeric PreRelease version must not contain leading zeroes "${p}"` };
  }
  if (build !== undefined) {
    for (const b of build.split('.')) {
      if (b === '') return { error: 'Build meta data is empty' };
      if (!/^[0-9A-Za-z-]+$/.test(b)) return { error: `Invalid character(s) found in build meta data "${b}"` };
    }
  }
  return { v: new Semver(nums[0], nums[1], nums[2], pre, s) };
}

function normalize(s: string): string {
  const parts = (s.startsWith('v') ? s.slice(1) : s).split('.');
  const head = parts.slice(0, 2);
  const tail = parts.length > 2 ? [parts.slice(2).join('.')] : [];
  const all = [...head, ...tail].map((p) => {
    if (p.length <= 1) return p;
    const t = p.replace(/^0+/, '');
    return t.length === 0 || !/^[0-9]/.test(t) ? `0${t}` : t;
  });
  if (all.length < 3) {
    if (/[+-]/.test(all[all.length - 1]))
      throw new CelEvalError('short version cannot contain PreRelease/Build meta data');
    while (all.length < 3) all.push('0');
  }
  return all.join('.');
}

function semver(s: string, norm = false): Semver {
  const r = parseSemver(norm ? normalize(s) : s);
  if (!r.v) throw new CelEvalError(r.error!);
  return r.v;
}

function isSemver(s: string, norm = false): boolean {
  try {
    return parseSemver(norm ? normalize(s) : s).v !== undefined;
  } catch {
    return false;
  }
}

export function registerSemver(env: CelRegistrar): void {
  const S = 'kubernetes.Semver';
  env.registerType(S, Semver);
  env.registerFunction(`semver(string): ${S}`, (s: string) => semver(s));
  env.registerFunction(`semver(string, bool): ${S}`, semver);
  env.registerFunction('isSemver(string): bool', (s: string) => isSemver(s));
  env.registerFunction('isSemver(string, bool): bool', isSemver);
  env.registerFunction(`${S}.isGreaterThan(${S}): bool`, (a: Semver, b: Semver) => a.compareTo(b) > 0);
  env.registerFunction(`${S}.isLessThan(${S}): bool`, (a: Semver, b: Semver) => a.compareTo(b) < 0);
  env.registerFunction(`${S}.compareTo(${S}): int`, (a: Semver, b: Semver) => BigInt(a.compareTo(b)));
  env.registerFunction(`${S}.major(): int`, (v: Semver) => v.major);
  env.registerFunction(`${S}.minor(): int`, (v: Semver) => v.minor);
  env.registerFunction(`${S}.patch(): int`, (v: Semver) => v.patch);
  env.registerOperator(`${S} == ${S}`, (a: Semver, b: Semver) => a.equals(b));
}
