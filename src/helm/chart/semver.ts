/**
 * Semantic versions and constraints as github.com/Masterminds/semver/v3 (v3.5, with its default
 * coercing parser) decides them: Helm uses them for chart versions, dependency version ranges and
 * `kubeVersion`. `1.2` is `1.2.0`, a leading `v` is allowed; constraints: `=`, `!=`, `>`, `<`,
 * `>=`, `<=`, `~`, `~>`, `^`, `x`/`*` wildcards, `a - b` ranges, `,` or space for AND, `||` for OR;
 * a prerelease version only satisfies a group that names a prerelease.
 */

export interface SemVer {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly pre: string;
  readonly metadata: string;
  readonly original: string;
}

const LOOSE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const MAX_U64 = (1n << 64n) - 1n;

/** Parses a version (Masterminds NewVersion); undefined when it is not one. */
export function parseSemver(v: string): SemVer | undefined {
  if (v.length > 256) return undefined;
  const m = LOOSE.exec(v);
  if (!m) return undefined;
  const num = (s: string | undefined): bigint | undefined => {
    if (!s) return 0n;
    const n = BigInt(s.replace(/^\./, ''));
    return n > MAX_U64 ? undefined : n;
  };
  const major = num(m[1]);
  const minor = num(m[2]);
  const patch = num(m[3]);
  if (major === undefined || minor === undefined || patch === undefined) return undefined;
  const pre = m[5] ?? '';
  if (pre && pre.split('.').some((p) => /^0[0-9]+$/.test(p))) return undefined;
  return { major, minor, patch, pre, metadata: m[8] ?? '', original: v };
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return o !== '' ? -1 : 1;
  if (o === '') return s !== '' ? 1 : -1;
  const sn = /^[0-9]+$/.test(s);
  const on = /^[0-9]+$/.test(o);
  if (!sn && !on) return s > o ? 1 : -1;
  if (!on) return -1;
  if (!sn) return 1;
  return cmpBig(BigInt(s), BigInt(o)) || 0;
}

function comparePrerelease(v: string, o: string): number {
  const sp = v.split('.');
  const op = o.split('.');
  for (let i = 0; i < Math.max(sp.length, op.length); i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** Masterminds Version.Compare: -1, 0 or 1 (metadata ignored). */
export function compareSemver(a: SemVer, b: SemVer): number {
  const d = cmpBig(a.major, b.major) || cmpBig(a.minor, b.minor) || cmpBig(a.patch, b.patch);
  if (d !== 0) return d;
  if (a.pre === '' && b.pre === '') return 0;
  if (a.pre === '') return 1;
  if (b.pre === '') return -1;
  return comparePrerelease(a.pre, b.pre);
}

interface Constraint {
  readonly op: string;
  readonly con: SemVer;
  readonly dirty: boolean;
  readonly minorDirty: boolean;
  readonly patchDirty: boolean;
}

const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
// JS \s is wider than RE2's; use RE2's set.
const S = '[\\t\\n\\f\\r ]';
const CONSTRAINT = new RegExp(`^${S}*(${OPS})${S}*(${CV})${S}*$`);
const RANGE = new RegExp(`${S}*(${CV})${S}+-${S}+(${CV})${S}*`, 'g');
const FIND = new RegExp(`(${OPS})${S}*(${CV})`, 'g');
const VALID = new RegExp(`^(${S}*(${OPS})${S}*(${CV})${S}*)((?:${S}+|,${S}*)(${OPS})${S}*(${CV})${S}*)*$`);

const isX = (x: string | undefined): boolean => x === 'x' || x === '*' || x === 'X';

/**
 * Go's regexp picks the leftmost-first alternative; JS does too, but the ops list starts with an
 * empty alternative, so both engines take `""` for `>=1`... and then fail the rest. Masterminds
 * relies on Go backtracking over alternatives within the overall match, which JS also does.
 */
function parseConstraint(c: string): Constraint | undefined {
  const m = CONSTRAINT.exec(c);
  if (!m) return undefined;
  const op = m[1]!;
  const g = m.slice(2);
  // g[0] whole version, g[1] major, g[2] .minor, g[3] .patch, g[4] -pre (with dash)
  const major = g[1]!;
  const minor = g[2] ?? '';
  const patch = g[3] ?? '';
  const preDash = g[4] ?? '';
  let ver = g[0]!;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major) || major === '') {
    ver = `0.0.0${preDash}`;
    dirty = true;
  } else if (isX(minor.replace(/^\./, '')) || minor === '') {
    minorDirty = true;
    dirty = true;
    ver = `${major}.0.0${preDash}`;
  } else if (isX(patch.replace(/^\./, '')) || patch === '') {
    dirty = true;
    patchDirty = true;
    ver = `${major}${minor}.0${preDash}`;
  }
  const con = parseSemver(ver);
  if (!con) return undefined;
  return { op, con, dirty, minorDirty, patchDirty };
}

/** A parsed constraint string (Masterminds NewConstraint). */
export interface SemverConstraints {
  readonly groups: readonly (readonly Constraint[])[];
  readonly hasPre: readonly boolean[];
}

/** Parses a constraint; undefined when Masterminds would return an error. */
export function parseConstraints(input: string): SemverConstraints | undefined {
  if (input.length > 512) return undefined;
  const c = input.replace(RANGE, (_all, ...m: string[]) => `>= ${m[0]}, <= ${m[10]} `);
  const ors = c.split('||');
  if (ors.length > 32) return undefined;
  const groups: Constraint[][] = [];
  const hasPre: boolean[] = [];
  for (const v of ors) {
    if (!VALID.test(v)) return undefined;
    const found = v.match(FIND) ?? [v];
    const group: Constraint[] = [];
    let pre = false;
    for (const s of found) {
      const pc = s.length > 0 ? parseConstraint(s) : { op: '', con: parseSemver('0.0.0')!, dirty: true, minorDirty: false, patchDirty: false };
      if (!pc) return undefined;
      if (pc.con.pre !== '') pre = true;
      group.push(pc);
    }
    groups.push(group);
    hasPre.push(pre);
  }
  return { groups, hasPre };
}

function check(v: SemVer, c: Constraint, includePre: boolean): boolean {
  if (v.pre !== '' && !includePre) return false;
  const cmp = compareSemver(v, c.con);
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : cmp === 0;
    case '!=':
      if (c.dirty) {
        if (c.con.major !== v.major) return true;
        if (c.con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (c.con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) return (v.pre !== '' || c.con.pre !== '') && comparePrerelease(v.pre, c.con.pre) !== 0;
      }
      return cmp !== 0;
    case '>':
      if (!c.dirty) return cmp === 1;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major) return false;
      if (c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return cmp === 1;
    case '<':
      return cmp < 0;
    case '>=':
    case '=>':
      return cmp >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return cmp <= 0;
      if (v.major > c.con.major) return false;
      if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      return caret(v, c, cmp);
    default:
      return false;
  }
}

function tilde(v: SemVer, c: Constraint): boolean {
  if (compareSemver(v, c.con) < 0) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  if (v.minor !== c.con.minor && !c.minorDirty) return false;
  return true;
}

function caret(v: SemVer, c: Constraint, cmp: number): boolean {
  if (cmp < 0) return false;
  if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
  if (c.con.major === 0n && v.major > 0n) return false;
  if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
  if (c.con.minor === 0n && v.minor > 0n) return false;
  return c.con.patch === v.patch;
}

/** Masterminds Constraints.Check. */
export function satisfies(v: SemVer, cs: SemverConstraints): boolean {
  return cs.groups.some((group, i) => group.every((c) => check(v, c, cs.hasPre[i]!)));
}

/** Helm's IsCompatibleRange: false when either side does not parse. */
export function isCompatibleRange(constraint: string, version: string): boolean {
  const v = parseSemver(version);
  const c = parseConstraints(constraint);
  return v !== undefined && c !== undefined && satisfies(v, c);
}
