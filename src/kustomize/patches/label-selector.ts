/**
 * Kubernetes label selectors in their string form (apimachinery `labels.Parse`), as kustomize uses
 * them for `labelSelector` and `annotationSelector` of patch targets and replacements:
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x,y)`, `a`, `!a`, `a>3`, `a<3`, comma = and.
 * An empty selector matches everything. `!=` and `notin` also match objects without the key.
 */
import { InputError } from '../../errors.js';

export type LabelOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted, without duplicates (empty for exists / !). */
  readonly values: readonly string[];
}

/** A parsed selector: every requirement must hold. */
export interface LabelSelector {
  readonly requirements: readonly LabelRequirement[];
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
}

type Tok =
  | { t: 'id'; v: string }
  | { t: 'in' | 'notin' | '!' | '!=' | '=' | '==' | '>' | '<' | '(' | ')' | ',' | 'eos'; v: string };

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const OPS = ['!=', '==', '=', '!', '(', ')', ',', '>', '<'] as const;

function lex(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      i++;
      continue;
    }
    if (SPECIAL.has(c)) {
      const op = OPS.find((o) => s.startsWith(o, i))!;
      out.push({ t: op, v: op });
      i += op.length;
      continue;
    }
    let j = i;
    while (j < s.length && !SPECIAL.has(s[j]!) && !/\s/.test(s[j]!)) j++;
    const word = s.slice(i, j);
    out.push(word === 'in' || word === 'notin' ? { t: word, v: word } : { t: 'id', v: word });
    i = j;
  }
  out.push({ t: 'eos', v: '' });
  return out;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

function keyProblem(key: string): string | undefined {
  const parts = key.split('/');
  let name = key;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) return 'prefix part must be non-empty';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
      return 'prefix part must be a lowercase DNS-1123 subdomain';
  } else if (parts.length > 2) {
    return "a qualified name must consist of a name, optionally prefixed by a DNS subdomain and '/'";
  }
  if (name.length === 0) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  if (!QUALIFIED_NAME.test(name))
    return (
      "name part must consist of alphanumeric characters, '-', " +
      "'_' or '.', and must start and end with an alphanumeric character"
    );
  return undefined;
}

function valueProblem(v: string): string | undefined {
  if (v.length > 63) return 'must be no more than 63 characters';
  if (v !== '' && !QUALIFIED_NAME.test(v))
    return (
      "must consist of alphanumeric characters, '-', '_' or '.', " +
      'and must start and end with an alphanumeric character'
    );
  return undefined;
}

/**
 * Parses a selector. Throws InputError (with `file` and `fieldPath` when given) that quotes the
 * selector and says what was expected.
 */
export function parseLabelSelector(selector: string, where: { file?: string; fieldPath?: string } = {}): LabelSelector {
  const fail = (msg: string): never => {
    throw new InputError(`invalid selector ${JSON.stringify(selector)}: ${msg}`, {
      pos: where.file ? { file: where.file } : undefined,
      fieldPath: where.fieldPath,
    });
  };
  const toks = lex(selector);
  let p = 0;
  // keywords are plain identifiers wherever a value is expected
  const peek = (): Tok => toks[p]!;
  const asValue = (t: Tok): Tok => (t.t === 'in' || t.t === 'notin' ? { t: 'id', v: t.v } : t);
  const next = (): Tok => asValue(toks[p++]!);
  const reqs: LabelRequirement[] = [];
  if (peek().t !== 'eos') {
    for (;;) {
      let t = next();
      let op: LabelOperator | undefined;
      if (t.t === '!') {
        op = '!';
        t = next();
      }
      if (t.t !== 'id') fail(`found '${t.v}', expected: identifier`);
      const key = t.v;
      const kp = keyProblem(key);
      if (kp) fail(`key ${JSON.stringify(key)}: ${kp}`);
      const la = asValue(peek());
      if (la.t === 'eos' || la.t === ',') {
        reqs.push({ key, operator: op ?? 'exists', values: [] });
      } else if (op === '!') {
        fail(`found '${la.v}', expected: ',' or 'end of string'`);
      } else {
        const o = toks[p++]!;
        let values: string[];
        switch (o.t) {
          case 'in':
          case 'notin': {
            op = o.t;
            if (next().t !== '(') fail(`found '${toks[p - 1]!.v}', expected: '('`);
            const la2 = asValue(peek());
            if (la2.t === ')') {
              p++;
              values = [''];
            } else if (la2.t === 'id' || la2.t === ',') {
              values = [];
              // identifiers list: empty entries between commas are empty strings
              let expectValue = true;
              for (;;) {
                const x = asValue(peek());
                if (x.t === 'id') {
                  if (!expectValue) fail(`found '${x.v}', expected: ',' or ')'`);
                  values.push(x.v);
                  expectValue = false;
                  p++;
                } else if (x.t === ',') {
                  if (expectValue) values.push('');
                  expectValue = true;
                  p++;
                } else if (x.t === ')') {
                  if (expectValue) values.push('');
                  p++;
                  break;
                } else {
                  fail(`found '${x.v}', expected: ',' or ')'`);
                }
              }
            } else {
              fail(`found '${la2.v}', expected: ',', ')' or identifier`);
            }
            break;
          }
          case '=':
          case '==':
          case '!=':
          case '>':
          case '<': {
            op = o.t === '>' ? 'gt' : o.t === '<' ? 'lt' : o.t;
            const v = asValue(peek());
            if (v.t === 'eos' || v.t === ',') values = [''];
            else if (v.t === 'id') {
              p++;
              values = [v.v];
            } else {
              values = fail(`found '${v.v}', expected: identifier`);
            }
            break;
          }
          default:
            values = fail(`found '${o.v}', expected: one of '=', '==', '!=', 'in', 'notin', '>', '<'`);
        }
        for (const v of values!) {
          const vp = valueProblem(v);
          if (vp) fail(`value ${JSON.stringify(v)}: ${vp}`);
        }
        if ((op === 'gt' || op === 'lt') && !/^[+-]?\d+$/.test(values![0]!)) {
          fail(`for 'gt', 'lt' operators, the value must be an integer`);
        }
        reqs.push({ key, operator: op!, values: [...new Set(values!)].sort() });
      }
      const sep = next();
      if (sep.t === 'eos') break;
      if (sep.t !== ',') fail(`found '${sep.v}', expected: ',' or 'end of string'`);
      const after = asValue(peek());
      if (after.t !== 'id' && after.t !== '!') fail(`found '${after.v}', expected: identifier after ','`);
    }
  }
  const requirements = Object.freeze(reqs.map((r) => Object.freeze(r)));
  return Object.freeze({
    requirements,
    matches(labels: Readonly<Record<string, string>> | undefined): boolean {
      return requirements.every((r) => requirementMatches(r, labels ?? {}));
    },
  });
}

function requirementMatches(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = has ? String(labels[r.key]) : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(v!);
    case 'notin':
    case '!=':
      return !has || !r.values.includes(v!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^[+-]?\d+$/.test(v!)) return false;
      const a = BigInt(v!);
      const b = BigInt(r.values[0]!);
      return r.operator === 'gt' ? a > b : a < b;
    }
  }
}
