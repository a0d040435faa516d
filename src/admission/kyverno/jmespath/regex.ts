/** Go `regexp` through re2js (RE2 semantics, linear time): match and ReplaceAll with Go's `$name` expansion. */
import { RE2JS } from 're2js';

const MAX_PATTERN = 4096;
const cache = new Map<string, RE2JS>();

/** Compiles a Go regexp (cached); throws Error with the reason on bad syntax. */
export function goRegexp(pattern: string): RE2JS {
  let re = cache.get(pattern);
  if (!re) {
    if (pattern.length > MAX_PATTERN) throw new Error(`regular expression longer than ${MAX_PATTERN} characters`);
    re = RE2JS.compile(pattern);
    if (cache.size > 1000) cache.clear();
    cache.set(pattern, re);
  }
  return re;
}

/** regexp.MatchString. */
export function regexMatch(pattern: string, s: string): boolean {
  return goRegexp(pattern).matcher(s).find();
}

/** Regexp.ReplaceAllString (expand = true: `$1`, `${name}`) or ReplaceAllLiteralString. */
export function regexReplaceAll(pattern: string, src: string, repl: string, expand: boolean): string {
  const re = goRegexp(pattern);
  const names = re.namedGroups();
  const m = re.matcher(src);
  let out = '';
  let last = 0;
  let prevEnd = -1;
  while (m.find()) {
    const start = m.start();
    const end = m.end();
    if (start === end && start === prevEnd) continue;
    out += src.slice(last, start);
    out += expand ? expandTemplate(repl, (g) => m.group(g) ?? '', m.groupCount(), names) : repl;
    last = end;
    prevEnd = end;
  }
  return out + src.slice(last);
}

function expandTemplate(
  tpl: string,
  group: (i: number) => string,
  count: number,
  names: Record<string, number>,
): string {
  let out = '';
  for (let i = 0; i < tpl.length; i++) {
    const c = tpl[i]!;
    if (c !== '$' || i + 1 >= tpl.length) {
      out += c;
      continue;
    }
    if (tpl[i + 1] === '$') {
      out += '$';
      i++;
      continue;
    }
    let name: string;
    let next: number;
    if (tpl[i + 1] === '{') {
      const close = tpl.indexOf('}', i + 2);
      name = close < 0 ? '' : tpl.slice(i + 2, close);
      if (close < 0 || !/^\w+$/.test(name)) {
        out += c;
        continue;
      }
      next = close;
    } else {
      const mm = /^\w+/.exec(tpl.slice(i + 1));
      if (!mm) {
        out += c;
        continue;
      }
      name = mm[0];
      next = i + mm[0].length;
    }
    if (/^\d+$/.test(name)) {
      const n = Number(name);
      if (n <= count) out += group(n);
    } else if (names[name] !== undefined) out += group(names[name]!);
    i = next;
  }
  return out;
}
