/** blang/semver ParseRange and Range(version), for semver_compare: `>=1.0.0 <2.0.0 || 3.x`. */
import { compareSemver, parseSemver, type Semver } from '../operator/semver.js';

const COMPARATOR = /^(>=|<=|!=|!|>|<|==|=)?(.+)$/;

/** True when the version satisfies the range; throws on a bad range. */
export function satisfiesRange(version: string, range: string): boolean {
  const v = parseSemver(version) ?? parseSemver('0.0.0')!;
  return range.split('||').some((alt) =>
    alt
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .every((c) => comparator(c)(v)),
  );
}

function comparator(text: string): (v: Semver) => boolean {
  const m = COMPARATOR.exec(text);
  if (!m) throw new Error(`Could not parse Range "${text}"`);
  const op = m[1] ?? '';
  let ver = m[2]!;
  const wild = /^(\d+)(?:\.(x|\*|\d+))?(?:\.(x|\*))?$/.exec(ver);
  if (wild && (wild[2] === undefined || wild[2] === 'x' || wild[2] === '*' || wild[3] !== undefined)) {
    // 1.x, 1.2.x: a range over the wildcard part
    const major = BigInt(wild[1]!);
    const minorWild = wild[2] === undefined || wild[2] === 'x' || wild[2] === '*';
    const minor = minorWild ? 0n : BigInt(wild[2]!);
    const lo: Semver = { major, minor, patch: 0n, pre: [] };
    const hi: Semver = minorWild
      ? { major: major + 1n, minor: 0n, patch: 0n, pre: [] }
      : { major, minor: minor + 1n, patch: 0n, pre: [] };
    if (op === '' || op === '=' || op === '==') return (v) => compareSemver(v, lo) >= 0 && compareSemver(v, hi) < 0;
    if (op === '!=' || op === '!') return (v) => compareSemver(v, lo) < 0 || compareSemver(v, hi) >= 0;
    ver = `${lo.major}.${lo.minor}.0`;
  }
  const target = parseSemver(ver);
  if (!target) throw new Error(`Could not parse Range "${text}"`);
  switch (op) {
    case '':
    case '=':
    case '==':
      return (v) => compareSemver(v, target) === 0;
    case '!=':
    case '!':
      return (v) => compareSemver(v, target) !== 0;
    case '>':
      return (v) => compareSemver(v, target) > 0;
    case '>=':
      return (v) => compareSemver(v, target) >= 0;
    case '<':
      return (v) => compareSemver(v, target) < 0;
    default:
      return (v) => compareSemver(v, target) <= 0;
  }
}
