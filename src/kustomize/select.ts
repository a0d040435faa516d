/**
 * Resource selection for `patches[].target` and `replacements` (kustomize's resWrangler.Select):
 * group/version/kind/name/namespace are RE2-style regexes anchored as `^(?:...)$`; name and
 * namespace match the original OR the current value; labelSelector/annotationSelector use
 * Kubernetes label-selector syntax.
 */
import { InputError } from '../errors.js';
import type { Selector } from './kustomization.js';
import { compileSelector } from './patches/index.js';
import { effectiveNamespace, type KRes } from './resmap.js';

const cache = new Map<string, RegExp | null>();

/** An anchored regex from a Go RE2 pattern; `(?i)` leading flags are honoured. */
export function anchoredRegex(pattern: string): RegExp | null {
  let r = cache.get(pattern);
  if (r !== undefined) return r;
  let flags = '';
  let p = pattern;
  const m = /^\(\?([imsU]+)\)/.exec(p);
  if (m) {
    if (m[1]!.includes('i')) flags += 'i';
    if (m[1]!.includes('s')) flags += 's';
    p = p.slice(m[0].length);
  }
  try {
    r = new RegExp(`^(?:${p})$`, flags + 'u');
  } catch {
    try {
      r = new RegExp(`^(?:${p})$`, flags);
    } catch {
      r = null;
    }
  }
  cache.set(pattern, r);
  return r;
}

function match(pattern: string | undefined, value: string, what: string): boolean {
  if (!pattern) return true;
  const re = anchoredRegex(pattern);
  if (!re) throw new InputError(`selector ${what} '${pattern}' is not a valid regular expression`);
  return re.test(value);
}

/** resWrangler.Select through the patches module's selector (original or current name/namespace). */
export function selectResources(list: readonly KRes[], sel: Selector, file?: string): KRes[] {
  const match = compileSelector(sel, file);
  return list.filter((r) => {
    const cur = r.curId();
    const org = r.orgId();
    return match({
      apiVersion: typeof r.obj.apiVersion === 'string' ? r.obj.apiVersion : '',
      kind: r.gvk.kind,
      names: [org.name, cur.name],
      namespaces: [effectiveNamespace(org), effectiveNamespace(cur)],
      labels: stringMap(r.labels()),
      annotations: stringMap(r.annotations()),
    });
  });
}

/** Our own implementation of the same selection (kept for cross-checking in tests). */
export function selectorMatchesRes(sel: Selector, r: KRes): boolean {
  const cur = r.curId();
  const org = r.orgId();
  if (sel.namespace && !match(sel.namespace, effectiveNamespace(org), 'namespace') && !match(sel.namespace, effectiveNamespace(cur), 'namespace')) {
    return false;
  }
  if (sel.name && !match(sel.name, org.name, 'name') && !match(sel.name, cur.name, 'name')) return false;
  const g = r.gvk;
  if (!match(sel.group, g.group, 'group') || !match(sel.version, g.version, 'version') || !match(sel.kind, g.kind, 'kind')) {
    return false;
  }
  if (sel.labelSelector && !labelSelectorMatches(sel.labelSelector, stringMap(r.labels()))) return false;
  if (sel.annotationSelector && !labelSelectorMatches(sel.annotationSelector, stringMap(r.annotations()))) return false;
  return true;
}

function stringMap(m: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(m)) out[k] = v === null || v === undefined ? '' : String(v);
  return out;
}

interface Requirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!' | '=' | '!=' | 'gt' | 'lt';
  values: string[];
}

/** Parses a Kubernetes label selector (`a=b,c!=d,e in (x,y),!f,g`). */
export function parseLabelSelector(s: string): Requirement[] {
  const reqs: Requirement[] = [];
  let i = 0;
  const ws = () => {
    while (i < s.length && /\s/.test(s[i]!)) i++;
  };
  const word = () => {
    ws();
    const st = i;
    while (i < s.length && !/[\s,=!()<>]/.test(s[i]!)) i++;
    return s.slice(st, i);
  };
  while (true) {
    ws();
    if (i >= s.length) break;
    if (s[i] === '!') {
      i++;
      const key = word();
      if (!key) throw new InputError(`invalid label selector '${s}'`);
      reqs.push({ key, op: '!', values: [] });
    } else {
      const key = word();
      if (!key) throw new InputError(`invalid label selector '${s}'`);
      ws();
      if (s.startsWith('==', i)) {
        i += 2;
        reqs.push({ key, op: '=', values: [word()] });
      } else if (s.startsWith('!=', i)) {
        i += 2;
        reqs.push({ key, op: '!=', values: [word()] });
      } else if (s[i] === '=') {
        i += 1;
        reqs.push({ key, op: '=', values: [word()] });
      } else if (s[i] === '>' || s[i] === '<') {
        const op = s[i] === '>' ? 'gt' : 'lt';
        i++;
        reqs.push({ key, op, values: [word()] });
      } else if (/^(in|notin)\b/.test(s.slice(i))) {
        const op = s.startsWith('notin', i) ? 'notin' : 'in';
        i += op.length;
        ws();
        if (s[i] !== '(') throw new InputError(`invalid label selector '${s}': expected '('`);
        i++;
        const vals: string[] = [];
        while (true) {
          ws();
          if (s[i] === ')') {
            i++;
            break;
          }
          vals.push(word());
          ws();
          if (s[i] === ',') i++;
          else if (s[i] === ')') {
            i++;
            break;
          } else throw new InputError(`invalid label selector '${s}'`);
        }
        reqs.push({ key, op, values: vals });
      } else {
        reqs.push({ key, op: 'exists', values: [] });
      }
    }
    ws();
    if (i < s.length) {
      if (s[i] !== ',') throw new InputError(`invalid label selector '${s}'`);
      i++;
    }
  }
  return reqs;
}

export function labelSelectorMatches(selector: string, labels: Record<string, string>): boolean {
  for (const r of parseLabelSelector(selector)) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = labels[r.key];
    switch (r.op) {
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case '=':
      case 'in':
        if (!has || !r.values.includes(v!)) return false;
        break;
      case '!=':
      case 'notin':
        if (has && r.values.includes(v!)) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!has) return false;
        const a = Number(v), b = Number(r.values[0]);
        if (Number.isNaN(a) || Number.isNaN(b)) return false;
        if (r.op === 'gt' ? !(a > b) : !(a < b)) return false;
      }
    }
  }
  return true;
}
