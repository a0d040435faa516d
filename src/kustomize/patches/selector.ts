/**
 * Patch target selection (`patches[].target`), as kustomize's `resWrangler.Select`:
 * - `group`, `version`, `kind`, `name`, `namespace` are Go RE2 regexes anchored as `^(?:…)$`;
 *   an empty or missing field matches anything; an invalid regex is an error;
 * - name and namespace match if the original *or* the current value matches (the candidate
 *   carries both); namespaces are *effective* namespaces (see effectiveNamespace);
 * - `labelSelector` / `annotationSelector` are Kubernetes label selectors on the current
 *   labels / annotations.
 */
import { InputError } from '../../errors.js';
import { parseLabelSelector, type LabelSelector } from './label-selector.js';

/** kustomize `types.Selector` as written in a kustomization (`target:`). */
export interface PatchSelector {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly annotationSelector?: string;
}

/** What a selector is matched against. */
export interface SelectorCandidate {
  readonly apiVersion: string;
  readonly kind: string;
  /** Current name and previous (original) names. */
  readonly names: readonly string[];
  /** Current and previous *effective* namespaces (see effectiveNamespace). */
  readonly namespaces: readonly string[];
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

/** kustomize's namespace of cluster-scoped objects when matching selectors. */
export const NOT_A_NAMESPACE = '_non_namespaceable_';

/**
 * kustomize `ResId.EffectiveNamespace`: `_non_namespaceable_` for cluster-scoped kinds, `default`
 * for an empty namespace, else the namespace.
 */
export function effectiveNamespace(namespace: string | undefined, clusterScoped: boolean): string {
  if (clusterScoped) return NOT_A_NAMESPACE;
  return namespace === undefined || namespace === '' ? 'default' : namespace;
}

/** The group and version of an apiVersion (`apps/v1` -> apps, v1; `v1` -> '', v1). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

const POSIX_CLASSES: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/**
 * Compiles a Go RE2 pattern to a JS RegExp, anchored as kustomize does. Rejects what RE2
 * rejects and JS would accept (lookaround, backreferences, repeat counts over 1000); translates
 * what RE2 has and JS spells differently (`(?i)` flags, `(?P<name>`, `\A`, `\z`, `[[:alpha:]]`,
 * `\Q…\E`). Throws a plain Error with Go's wording; the caller wraps it.
 */
export function compileRe2(pattern: string): RegExp {
  let src = pattern;
  let flags = '';
  // leading flag group: (?i) (?s) (?m) (?U is not supported by JS: reject)
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1]!.includes('U')) throw new Error(`invalid or unsupported Perl syntax: \`(?U\``);
    flags = [...new Set(lead[1]!)].join('');
    src = src.slice(lead[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\') {
      const d = src[i + 1];
      if (d === undefined) throw new Error('trailing backslash at end of expression: ``');
      if (d === 'Q') {
        const end = src.indexOf('\\E', i + 2);
        const lit = src.slice(i + 2, end < 0 ? undefined : end);
        out += lit.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
        i = end < 0 ? src.length : end + 1;
        continue;
      }
      if (/[1-9]/.test(d) || d === 'k') throw new Error(`invalid escape sequence: \`\\${d}\``);
      if (!inClass && d === 'A') {
        out += '^';
        i++;
        continue;
      }
      if (!inClass && d === 'z') {
        out += '$(?![\\s\\S])';
        i++;
        continue;
      }
      out += c + d;
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && src[i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(src.slice(i));
        if (m) {
          const cls = POSIX_CLASSES[m[2]!];
          if (!cls) throw new Error(`invalid character class range: \`${m[0]}\``);
          if (m[1]) throw new Error(`negated POSIX classes are not supported here: \`${m[0]}\``);
          out += cls;
          i += m[0].length - 1;
          continue;
        }
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (src[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && src[i + 1] === '?') {
      const rest = src.slice(i + 2);
      if (rest.startsWith('=') || rest.startsWith('!') || rest.startsWith('<=') || rest.startsWith('<!')) {
        throw new Error(`invalid or unsupported Perl syntax: \`(?${rest[0]}${rest[0] === '<' ? rest[1] : ''}\``);
      }
      if (rest.startsWith('P<')) {
        out += '(?<';
        i += 3;
        continue;
      }
      if (!rest.startsWith(':') && !rest.startsWith('<')) {
        throw new Error(`invalid or unsupported Perl syntax: \`(?${rest[0] ?? ''}\``);
      }
    }
    if (c === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(src.slice(i));
      if (m && (Number(m[1]) > 1000 || (m[2] !== undefined && m[2] !== '' && Number(m[2]) > 1000))) {
        throw new Error(`invalid repeat count: \`${m[0]}\``);
      }
    }
    out += c;
  }
  const anchored = pattern === '' ? '' : `^(?:${out})$`;
  return new RegExp(anchored, flags);
}

/** A compiled target selector. */
export type SelectorMatcher = (c: SelectorCandidate) => boolean;

/**
 * Compiles a selector once (regexes and label selectors). Throws InputError naming the field
 * (`target.name`, …) and `file` when a regex or selector is invalid.
 */
export function compileSelector(sel: PatchSelector, file?: string): SelectorMatcher {
  const pos = file ? { file } : undefined;
  const re = (field: 'group' | 'version' | 'kind' | 'name' | 'namespace'): RegExp | undefined => {
    const p = sel[field];
    if (p === undefined || p === null || p === '') return undefined;
    try {
      return compileRe2(String(p));
    } catch (e) {
      throw new InputError(`invalid regex ${JSON.stringify(p)}: ${(e as Error).message}`, { pos, fieldPath: `target.${field}`, cause: e });
    }
  };
  const group = re('group');
  const version = re('version');
  const kind = re('kind');
  const name = re('name');
  const namespace = re('namespace');
  const labels: LabelSelector | undefined = sel.labelSelector ? parseLabelSelector(sel.labelSelector, { file, fieldPath: 'target.labelSelector' }) : undefined;
  const annotations: LabelSelector | undefined = sel.annotationSelector
    ? parseLabelSelector(sel.annotationSelector, { file, fieldPath: 'target.annotationSelector' })
    : undefined;
  return (c) => {
    if (namespace && !c.namespaces.some((n) => namespace.test(n))) return false;
    if (name && !c.names.some((n) => name.test(n))) return false;
    const gv = splitApiVersion(c.apiVersion);
    if (group && !group.test(gv.group)) return false;
    if (version && !version.test(gv.version)) return false;
    if (kind && !kind.test(c.kind)) return false;
    if (labels && !labels.matches(c.labels)) return false;
    if (annotations && !annotations.matches(c.annotations)) return false;
    return true;
  };
}

/** Whether a patch target selector selects a resource. See compileSelector for errors. */
export function selectorMatches(sel: PatchSelector, c: SelectorCandidate, file?: string): boolean {
  return compileSelector(sel, file)(c);
}
