/**
 * Synthetic input series for promtool unit tests: label sets that satisfy an SLO's selectors,
 * and counters written in promtool's expanding notation (`a+bxn`, `_` for missing samples).
 */
import type { LabelMatcher } from './promql.js';

/** Values tried for regex and negative matchers, in order. */
const CANDIDATES = [
  '500',
  '503',
  '200',
  '404',
  '5xx',
  '2xx',
  'error',
  'ok',
  'true',
  'false',
  'success',
  'failure',
  'GET',
  'api',
  'x',
  'y',
  '',
];

function fullMatch(re: string, v: string): boolean {
  try {
    return new RegExp(`^(?:${re})$`, 'u').test(v);
  } catch {
    return false;
  }
}

/** Does a value satisfy a matcher? (Prometheus regexes are fully anchored RE2; JS agrees on the usual subset.) */
export function matches(m: LabelMatcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return fullMatch(m.value, value);
    case '!~':
      return !fullMatch(m.value, value);
  }
}

/**
 * Literal guesses from a regex, each alternative simplified: `.` and `\d` as '0', `\w` as 'a', a
 * character class as its first character, quantifiers dropped (`5..` -> `500`, `a[bc]+d` -> `abd`).
 * Guesses are only candidates: the caller keeps the ones the regex really matches.
 */
function regexGuesses(re: string): string[] {
  return re.split('|').map((alt) =>
    alt
      .replace(/\[([^\]^\\])[^\]]*\]/g, '$1')
      .replace(/\\d/g, '0')
      .replace(/\\w/g, 'a')
      .replace(/\./g, '0')
      .replace(/\{\d+(,\d*)?\}/g, '')
      .replace(/[+*?]/g, '')
      .replace(/[\\^$()]/g, ''),
  );
}

/** A value satisfying (or, with negate, violating) a matcher, or undefined when none is found. */
export function valueFor(m: LabelMatcher, negate = false): string | undefined {
  const want = (v: string) => matches(m, v) !== negate;
  const tries =
    m.op === '=' || m.op === '!='
      ? [m.value, ...CANDIDATES, `${m.value}-other`]
      : [...regexGuesses(m.value), ...CANDIDATES, m.value, `${m.value}-other`];
  // A present label must not be empty (an empty value means "no such label" in Prometheus).
  return tries.find((v) => v !== '' && want(v));
}

/** The set of a label set's matchers that it satisfies. */
export function satisfiesAll(labels: Readonly<Record<string, string>>, ms: readonly LabelMatcher[]): boolean {
  return ms.every((m) => matches(m, labels[m.name] ?? ''));
}

/**
 * Labels satisfying all of `ms`, starting from `base` (later matchers win on the same label).
 * Throws when a matcher cannot be satisfied by any guess.
 */
export function labelsSatisfying(
  ms: readonly LabelMatcher[],
  base: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const out: Record<string, string> = { ...base };
  for (const m of ms) {
    if (m.name === '__name__') continue;
    if (matches(m, out[m.name] ?? '') && (out[m.name] !== undefined || m.op === '!=' || m.op === '!~')) continue;
    const v = valueFor(m);
    if (v === undefined) throw new Error(`cannot find a label value for ${m.name}${m.op}"${m.value}"`);
    out[m.name] = v;
  }
  return out;
}

/** `metric{a="b",c="d"}` as promtool's series notation wants it (labels sorted). */
export function seriesName(metric: string, labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return metric;
  return `${metric}{${keys.map((k) => `${k}=${JSON.stringify(labels[k])}`).join(',')}}`;
}

/** A number as promtool reads it, without binary noise (`0.30000000000000004` -> `0.3`). */
export function num(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/** A piece of a counter: `steps` samples, each `increment` above the previous one (or missing). */
export type Segment =
  | { readonly steps: number; readonly increment: number }
  | { readonly steps: number; readonly missing: true };

/**
 * A counter that starts at 0 at time 0 and grows by each segment's increment per sample, in
 * promtool notation: `0+600x360 216060+660x59` (the first segment includes the sample at 0).
 */
export function counterValues(segments: readonly Segment[]): string {
  const parts: string[] = [];
  let value = 0;
  let first = true;
  for (const seg of segments) {
    if (seg.steps <= 0) continue;
    if ('missing' in seg) {
      parts.push(seg.steps === 1 ? '_' : `_x${seg.steps}`);
      first = false;
      continue;
    }
    if (first) {
      parts.push(`0+${num(seg.increment)}x${seg.steps}`);
      value = seg.increment * seg.steps;
      first = false;
    } else {
      const start = value + seg.increment;
      parts.push(seg.steps === 1 ? num(start) : `${num(start)}+${num(seg.increment)}x${seg.steps - 1}`);
      value += seg.increment * seg.steps;
    }
  }
  return parts.join(' ');
}
