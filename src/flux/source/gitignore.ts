/**
 * gitignore patterns as source-controller applies them (fluxcd/pkg sourceignore/gitignore, from
 * go-git): each pattern is scoped to the directory (domain) of the file it came from; the last
 * matching pattern decides; `!` re-includes; a trailing `/` matches directories only; a pattern
 * with `/` is anchored and may use `**`.
 */
import { globMatch } from '../envsubst/glob.js';
import { toBytes } from '../envsubst/bytes.js';

export const enum MatchResult {
  NoMatch,
  Exclude,
  Include,
}

export interface IgnorePattern {
  readonly source: string;
  readonly domain: readonly string[];
  readonly pattern: readonly string[];
  readonly inclusion: boolean;
  readonly dirOnly: boolean;
  readonly isGlob: boolean;
}

/** Parses one gitignore line (not a comment or blank; the caller filters those). */
export function parsePattern(line: string, domain: readonly string[]): IgnorePattern {
  let p = line;
  let inclusion = false;
  if (p.startsWith('!')) {
    inclusion = true;
    p = p.slice(1);
  }
  if (!p.endsWith('\\ ')) p = p.replace(/ +$/, '');
  let dirOnly = false;
  if (p.endsWith('/')) {
    dirOnly = true;
    p = p.slice(0, -1);
  }
  return { source: line, domain: [...domain], pattern: p.split('/'), inclusion, dirOnly, isGlob: p.includes('/') };
}

/** Reads the patterns of a .sourceignore text: `#` comments and blank lines are skipped. */
export function readPatterns(text: string, domain: readonly string[]): IgnorePattern[] {
  return text
    .split(/\r?\n/)
    .filter((l) => !l.startsWith('#') && l.trim().length > 0)
    .map((l) => parsePattern(l, domain));
}

type NameMatcher = (name: string) => boolean | 'error';

/** Compiled matchers by pattern element: every path of every build asks the same few patterns. */
const matchers = new Map<string, NameMatcher>();
const MAX_MATCHERS = 10000;
const GLOB_META = /[*?[\\]/;

/**
 * One pattern element against one path element (no `/` in either), as Go's filepath.Match.
 * Elements without glob characters compare as text, `*` + text as a suffix (what the default
 * excludes and most .sourceignore lines are); the rest go through the byte-level matcher.
 */
function compile(pattern: string): NameMatcher {
  if (!GLOB_META.test(pattern)) return (name) => name === pattern;
  if (pattern[0] === '*' && !GLOB_META.test(pattern.slice(1))) {
    const suffix = pattern.slice(1);
    return (name) => name.endsWith(suffix);
  }
  const bytes = toBytes(pattern);
  return (name) => {
    try {
      return globMatch(bytes, toBytes(name));
    } catch {
      return 'error';
    }
  };
}

/** Exported for the differential test against the byte-level matcher. */
export function fnmatch(pattern: string, name: string): boolean | 'error' {
  let m = matchers.get(pattern);
  if (!m) {
    m = compile(pattern);
    if (matchers.size < MAX_MATCHERS) matchers.set(pattern, m);
  }
  return m(name);
}

export function matchPattern(p: IgnorePattern, path: readonly string[], isDir: boolean): MatchResult {
  if (path.length <= p.domain.length) return MatchResult.NoMatch;
  for (let i = 0; i < p.domain.length; i++) if (path[i] !== p.domain[i]) return MatchResult.NoMatch;
  const rest = path.slice(p.domain.length);
  const ok = p.isGlob ? globMatchPath(p, rest, isDir) : simpleNameMatch(p, rest, isDir);
  if (!ok) return MatchResult.NoMatch;
  return p.inclusion ? MatchResult.Include : MatchResult.Exclude;
}

function simpleNameMatch(p: IgnorePattern, path: readonly string[], isDir: boolean): boolean {
  for (let i = 0; i < path.length; i++) {
    const m = fnmatch(p.pattern[0]!, path[i]!);
    if (m === 'error') return false;
    if (!m) continue;
    if (p.dirOnly && !isDir && i === path.length - 1) return false;
    return true;
  }
  return false;
}

function globMatchPath(p: IgnorePattern, pathIn: readonly string[], isDir: boolean): boolean {
  let path = [...pathIn];
  let matched = false;
  let canTraverse = false;
  for (let i = 0; i < p.pattern.length; i++) {
    const pat = p.pattern[i]!;
    if (pat === '') {
      canTraverse = false;
      continue;
    }
    if (pat === '**') {
      if (i === p.pattern.length - 1) break;
      canTraverse = true;
      continue;
    }
    if (pat.includes('**')) return false;
    if (path.length === 0) return false;
    if (canTraverse) {
      canTraverse = false;
      while (path.length > 0) {
        const e = path.shift()!;
        const m = fnmatch(pat, e);
        if (m === 'error') return false;
        if (m) {
          matched = true;
          break;
        } else if (path.length === 0) {
          matched = false;
        }
      }
    } else {
      const m = fnmatch(pat, path[0]!);
      if (m === 'error' || !m) return false;
      matched = true;
      path = path.slice(1);
    }
  }
  if (matched && p.dirOnly && !isDir && path.length === 0) matched = false;
  return matched;
}

/** The last pattern that matches decides; true when the path is excluded. */
export function isExcluded(patterns: readonly IgnorePattern[], path: readonly string[], isDir: boolean): boolean {
  for (let i = patterns.length - 1; i >= 0; i--) {
    const r = matchPattern(patterns[i]!, path, isDir);
    if (r !== MatchResult.NoMatch) return r === MatchResult.Exclude;
  }
  return false;
}

/** source-controller's VCS excludes (sourceignore.go ExcludeVCS): always applied, lowest priority. */
export const VCS_EXCLUDES: readonly string[] = ['.git/', '.gitignore', '.gitmodules', '.gitattributes'];

/**
 * source-controller's default excludes (sourceignore.go NewDefaultMatcher: ExcludeVCS, ExcludeExt,
 * ExcludeCI, ExcludeExtra), lowest priority, scoped to the root; applied when the source has no
 * ignore pattern at all (otherwise only VCS_EXCLUDES).
 */
export const DEFAULT_EXCLUDES: readonly string[] = [
  ...VCS_EXCLUDES,
  '*.jpg',
  '*.jpeg',
  '*.gif',
  '*.png',
  '*.wmv',
  '*.flv',
  '*.tar.gz',
  '*.zip',
  '.github/',
  '.circleci/',
  '.travis.yml',
  '.gitlab-ci.yml',
  'appveyor.yml',
  '.drone.yml',
  'cloudbuild.yaml',
  'codeship-services.yml',
  'codeship-steps.yml',
  '**/.goreleaser.yml',
  '**/.sops.yaml',
  '**/.flux.yaml',
];
