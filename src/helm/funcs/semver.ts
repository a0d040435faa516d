/**
 * sprig's semver and semverCompare over a port of Masterminds/semver v3.5.0 (the version Helm 4.2
 * pins; sprig asks for v3.3.0, Go's MVS picks Helm's): NewVersion (coerced, loose:
 * `v` prefix, missing minor/patch), Compare with its prerelease rules, and NewConstraint/Check with
 * ranges (`1.2 - 1.4`), `||`, `,` / space conjunctions, x-ranges, `~`, `^`, and the rule that a
 * prerelease version only satisfies an `||` group in which some constraint carries a prerelease.
 * Its length caps (256-byte versions, 512-byte constraints, 32 groups) bound untrusted input.
 */
import {
  GoError,
  GoInt,
  GO_STRUCT,
  goFunc,
  isGoStruct,
  type GoFunc,
  type GoStruct,
  type GoValue,
} from '../../gotemplate/value.js';
import { goQuote } from './go-fmt.js';
import { compile } from './regex.js';

export interface Version {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly pre: string;
  readonly metadata: string;
  readonly original: string;
}

const SEMVER = String.raw`v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
const OPS = String.raw`=||!=|>|<|>=|=>|<=|=<|~|~>|\^`;
const versionRe = `^${SEMVER}$`;
const constraintRe = String.raw`^\s*(${OPS})\s*(${CV})\s*$`;
const rangeRe = String.raw`\s*(${CV})\s+-\s+(${CV})\s*`;
const findRe = String.raw`(${OPS})\s*(${CV})`;
const validRe = String.raw`^(\s*(${OPS})\s*(${CV})\s*)((?:\s+|,\s*)(${OPS})\s*(${CV})\s*)*$`;

/** FindStringSubmatch with Go semantics: groups that did not take part are "". */
function submatch(expr: string, s: string): string[] | undefined {
  const m = (compile(expr).re.findAllSubmatchIndex(s, 1) as number[][] | null)?.[0];
  if (!m) return undefined;
  const out: string[] = [];
  for (let i = 0; i < m.length; i += 2) out.push(m[i]! < 0 ? '' : s.slice(m[i], m[i + 1]));
  return out;
}
function allSubmatches(expr: string, s: string): string[][] {
  const ms = (compile(expr).re.findAllSubmatchIndex(s, -1) as number[][] | null) ?? [];
  return ms.map((m) => {
    const out: string[] = [];
    for (let i = 0; i < m.length; i += 2) out.push(m[i]! < 0 ? '' : s.slice(m[i], m[i + 1]));
    return out;
  });
}

const ALLOWED = /^[a-zA-Z0-9-]*$/;
const U64_MAX = (1n << 64n) - 1n;

function parseSegment(s: string): bigint {
  const n = BigInt(s);
  if (n > U64_MAX)
    throw new GoError(`error parsing version segment: strconv.ParseUint: parsing ${goQuote(s)}: value out of range`);
  return n;
}

/** semver.NewVersion. */
export function newVersion(v: string): Version {
  if (Buffer.byteLength(v) > 256) throw new GoError('version string is too long (max 256 bytes)');
  const m = submatch(versionRe, v);
  if (!m) throw new GoError('invalid semantic version');
  const pre = m[5]!;
  const metadata = m[8]!;
  const ver: Version = {
    major: parseSegment(m[1]!),
    minor: m[2] ? parseSegment(m[2].slice(1)) : 0n,
    patch: m[3] ? parseSegment(m[3].slice(1)) : 0n,
    pre,
    metadata,
    original: v,
  };
  if (pre !== '') {
    for (const p of pre.split('.')) {
      if (/^[0-9]+$/.test(p)) {
        if (p.length > 1 && p[0] === '0') throw new GoError('version segment starts with 0');
      } else if (p === '' || !ALLOWED.test(p)) throw new GoError('invalid prerelease string');
    }
  }
  if (metadata !== '')
    for (const p of metadata.split('.')) if (!ALLOWED.test(p)) throw new GoError('invalid metadata string');
  return ver;
}

export const versionString = (v: Version): string =>
  `${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ''}${v.metadata ? `+${v.metadata}` : ''}`;

const cmp = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return o !== '' ? -1 : 1;
  if (o === '') return s !== '' ? 1 : -1;
  const sn = /^[0-9]+$/.test(s) && BigInt(s) <= U64_MAX;
  const on = /^[0-9]+$/.test(o) && BigInt(o) <= U64_MAX;
  if (!sn && !on) return s > o ? 1 : -1;
  if (!on) return -1;
  if (!sn) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}
export function comparePrerelease(a: string, b: string): number {
  const sp = a.split('.');
  const op = b.split('.');
  for (let i = 0; i < Math.max(sp.length, op.length); i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** Version.Compare. */
export function compare(v: Version, o: Version): number {
  const d = cmp(v.major, o.major) || cmp(v.minor, o.minor) || cmp(v.patch, o.patch);
  if (d !== 0) return d;
  if (v.pre === '' && o.pre === '') return 0;
  if (v.pre === '') return 1;
  if (o.pre === '') return -1;
  return comparePrerelease(v.pre, o.pre);
}

export interface Constraint {
  readonly con: Version;
  readonly op: string;
  readonly dirty: boolean;
  readonly minorDirty: boolean;
  readonly patchDirty: boolean;
}

const isX = (s: string): boolean => s === 'x' || s === '*' || s === 'X';

function parseConstraint(c: string): Constraint {
  if (c.length === 0) return { con: newVersion('0.0.0'), op: '', dirty: true, minorDirty: false, patchDirty: false };
  const m = submatch(constraintRe, c);
  if (!m) throw new GoError(`improper constraint: ${goQuote(c)}`);
  let ver = m[2]!;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(m[3]!) || m[3] === '') {
    ver = `0.0.0${m[6]}`;
    dirty = true;
  } else if (isX(m[4]!.replace(/^\./, '')) || m[4] === '') {
    minorDirty = dirty = true;
    ver = `${m[3]}.0.0${m[6]}`;
  } else if (isX(m[5]!.replace(/^\./, '')) || m[5] === '') {
    patchDirty = dirty = true;
    ver = `${m[3]}${m[4]}.0${m[6]}`;
  }
  let con: Version;
  try {
    con = newVersion(ver);
  } catch {
    throw new GoError('constraint parser error');
  }
  return { con, op: m[1]!, dirty, minorDirty, patchDirty };
}

function check(v: Version, c: Constraint, includePre: boolean): boolean {
  const preBlocked = v.pre !== '' && !includePre;
  const lt = (a: Version, b: Version): boolean => compare(a, b) < 0;
  const tilde = (): boolean => {
    if (preBlocked || lt(v, c.con)) return false;
    if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
    if (v.major !== c.con.major) return false;
    return !(v.minor !== c.con.minor && !c.minorDirty);
  };
  switch (c.op) {
    case '':
    case '=':
      if (preBlocked) return false;
      return c.dirty ? tilde() : compare(v, c.con) === 0;
    case '!=':
      if (preBlocked) return false;
      if (c.dirty) {
        if (c.con.major !== v.major) return true;
        if (c.con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (c.con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) return (v.pre !== '' || c.con.pre !== '') && comparePrerelease(v.pre, c.con.pre) !== 0;
      }
      return compare(v, c.con) !== 0;
    case '>':
      if (preBlocked) return false;
      if (!c.dirty) return compare(v, c.con) === 1;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major || c.minorDirty) return false;
      if (c.patchDirty) return v.minor > c.con.minor;
      return compare(v, c.con) === 1;
    case '<':
      return !preBlocked && compare(v, c.con) < 0;
    case '>=':
    case '=>':
      return !preBlocked && compare(v, c.con) >= 0;
    case '<=':
    case '=<':
      if (preBlocked) return false;
      if (!c.dirty) return compare(v, c.con) <= 0;
      if (v.major > c.con.major) return false;
      return !(v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty);
    case '~':
    case '~>':
      return tilde();
    case '^':
      if (preBlocked || lt(v, c.con)) return false;
      if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major;
      if (c.con.major === 0n && v.major > 0n) return false;
      if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor;
      if (c.con.minor === 0n && v.minor > 0n) return false;
      return c.con.patch === v.patch;
    default:
      return false;
  }
}

/** semver.NewConstraint: a disjunction of conjunctions. */
export function newConstraint(text: string): Constraint[][] {
  if (Buffer.byteLength(text) > 512) throw new GoError('constraint string is too long (max 512 bytes)');
  let c = text;
  for (const m of allSubmatches(rangeRe, text)) {
    const i = c.indexOf(m[0]!);
    if (i >= 0) c = c.slice(0, i) + `>= ${m[1]}, <= ${m[11]} ` + c.slice(i + m[0]!.length);
  }
  const ors = c.split('||');
  if (ors.length > 32) throw new GoError('too many constraint groups (max 32)');
  return ors.map((v) => {
    if (!submatch(validRe, v)) throw new GoError(`improper constraint: ${goQuote(v)}`);
    const found = allSubmatches(findRe, v).map((m) => m[0]!);
    return (found.length === 0 ? [v] : found).map(parseConstraint);
  });
}

export function checkConstraints(cs: Constraint[][], v: Version): boolean {
  return cs.some((and) => {
    const includePre = and.some((c) => c.con.pre !== '');
    return and.every((c) => check(v, c, includePre));
  });
}

const VERSION = Symbol('semver.Version');

/**
 * A *semver.Version as templates see it: methods Major, Minor, Patch, Prerelease, Metadata, Original, String, Compare,
 * LessThan, GreaterThan, Equal.
 */
export function versionStruct(v: Version): GoStruct {
  const u64 = (n: bigint): GoInt => new GoInt(n, 'uint64');
  const other = (o: GoValue): Version => {
    const ov = isGoStruct(o) ? (o as unknown as Record<symbol, Version>)[VERSION] : undefined;
    if (!ov) throw new GoError('wrong type for value; expected *semver.Version');
    return ov;
  };
  const P = '*semver.Version';
  const s = {
    [GO_STRUCT]: true as const,
    [VERSION]: v,
    typeName: P,
    fields: {},
    methods: {
      Major: goFunc([], ['uint64'], () => u64(v.major)),
      Minor: goFunc([], ['uint64'], () => u64(v.minor)),
      Patch: goFunc([], ['uint64'], () => u64(v.patch)),
      Prerelease: goFunc([], ['string'], () => v.pre),
      Metadata: goFunc([], ['string'], () => v.metadata),
      Original: goFunc([], ['string'], () => v.original),
      String: goFunc([], ['string'], () => versionString(v)),
      Compare: goFunc([P], ['int'], ([o]) => new GoInt(BigInt(compare(v, other(o ?? null))), 'int')),
      LessThan: goFunc([P], ['bool'], ([o]) => compare(v, other(o ?? null)) < 0),
      GreaterThan: goFunc([P], ['bool'], ([o]) => compare(v, other(o ?? null)) > 0),
      Equal: goFunc([P], ['bool'], ([o]) => compare(v, other(o ?? null)) === 0),
    },
  };
  return s;
}

export const semverFuncs: Record<string, GoFunc> = {
  semver: goFunc(['string'], ['*semver.Version', 'error'], ([s]) => versionStruct(newVersion(s as string))),
  semverCompare: goFunc(['string', 'string'], ['bool', 'error'], ([c, v]) => {
    const cs = newConstraint(c as string);
    return checkConstraints(cs, newVersion(v as string));
  }),
};
