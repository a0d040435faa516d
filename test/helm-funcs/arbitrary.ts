/**
 * Generated template actions for the differential test: a deterministic function of sprig/Helm
 * (random and clock-dependent ones left out) applied to generated literal arguments (numbers,
 * strings, bools, nil, lists, dicts, nested calls), optionally piped into a second function.
 */
import fc from 'fast-check';

/** Functions whose output is random or depends on the clock or the network: not compared. */
const NONDETERMINISTIC = new Set([
  'randAlphaNum', 'randAlpha', 'randAscii', 'randNumeric', 'randBytes', 'randInt', 'shuffle', 'uuidv4', 'now', 'ago',
  'bcrypt', 'htpasswd', 'genPrivateKey', 'genCA', 'genCAWithKey', 'genSelfSignedCert', 'genSelfSignedCertWithKey',
  'genSignedCert', 'genSignedCertWithKey', 'encryptAES', 'getHostByName', 'derivePassword', 'include', 'tpl', 'lookup',
  // Known differences (docs/helm-funcs.md) and functions that change their arguments in place.
  'repeat', 'until', 'untilStep', 'seq',
]);

/** Every deterministic function, with how many arguments to give it (min..max). */
export const FUNCTIONS: Readonly<Record<string, readonly [number, number]>> = Object.fromEntries(
  Object.entries({
    abbrev: [2, 2], abbrevboth: [3, 3], trunc: [2, 2], trim: [1, 1], upper: [1, 1], lower: [1, 1], title: [1, 1], untitle: [1, 1],
    substr: [3, 3], trimAll: [2, 2], trimSuffix: [2, 2], trimPrefix: [2, 2], nospace: [1, 1], initials: [1, 1], swapcase: [1, 1],
    snakecase: [1, 1], camelcase: [1, 1], kebabcase: [1, 1], wrap: [2, 2], wrapWith: [3, 3], contains: [2, 2], hasPrefix: [2, 2],
    hasSuffix: [2, 2], quote: [0, 3], squote: [0, 3], cat: [0, 3], indent: [2, 2], nindent: [2, 2], replace: [3, 3], plural: [3, 3],
    sha1sum: [1, 1], sha256sum: [1, 1], adler32sum: [1, 1], toString: [1, 1], atoi: [1, 1], int64: [1, 1], int: [1, 1], float64: [1, 1],
    toDecimal: [1, 1], split: [2, 2], splitList: [2, 2], splitn: [3, 3], toStrings: [1, 1], add1: [1, 1], add: [0, 3], sub: [2, 2],
    div: [2, 2], mod: [2, 2], mul: [1, 3], add1f: [1, 1], addf: [0, 3], subf: [1, 3], divf: [1, 3], mulf: [1, 3], max: [1, 3], min: [1, 3],
    maxf: [1, 3], minf: [1, 3], ceil: [1, 1], floor: [1, 1], round: [2, 3], join: [2, 2], sortAlpha: [1, 1], default: [1, 2], empty: [1, 1],
    coalesce: [0, 3], all: [0, 3], any: [0, 3], compact: [1, 1], toJson: [1, 1], toPrettyJson: [1, 1], toRawJson: [1, 1], fromJson: [1, 1],
    ternary: [3, 3], deepCopy: [1, 1], typeOf: [1, 1], typeIs: [2, 2], kindOf: [1, 1], kindIs: [2, 2], deepEqual: [2, 2], base: [1, 1],
    dir: [1, 1], clean: [1, 1], ext: [1, 1], isAbs: [1, 1], b64enc: [1, 1], b64dec: [1, 1], b32enc: [1, 1], b32dec: [1, 1], list: [0, 3],
    dict: [0, 4], get: [2, 2], set: [3, 3], unset: [2, 2], hasKey: [2, 2], pluck: [1, 3], keys: [0, 2], pick: [1, 3], omit: [1, 3],
    merge: [1, 3], mergeOverwrite: [1, 3], values: [1, 1], append: [2, 2], prepend: [2, 2], first: [1, 1], rest: [1, 1], last: [1, 1],
    initial: [1, 1], reverse: [1, 1], uniq: [1, 1], without: [1, 3], has: [2, 2], slice: [1, 3], concat: [0, 3], dig: [3, 4], chunk: [2, 2],
    semver: [1, 1], semverCompare: [2, 2], fail: [1, 1], regexMatch: [2, 2], regexFindAll: [3, 3], regexFind: [2, 2], regexReplaceAll: [3, 3],
    regexReplaceAllLiteral: [3, 3], regexSplit: [3, 3], regexQuoteMeta: [1, 1], urlParse: [1, 1], urlJoin: [1, 1], toYaml: [1, 1],
    fromYaml: [1, 1], fromYamlArray: [1, 1], fromJsonArray: [1, 1], required: [2, 2], date: [2, 2], dateInZone: [3, 3], duration: [1, 1],
    durationRound: [1, 1], toDate: [2, 2], htmlDate: [1, 1], dateModify: [2, 2], unixEpoch: [1, 1],
    toYamlPretty: [1, 1], toToml: [1, 1], fromToml: [1, 1],
  } as Record<string, [number, number]>).filter(([n]) => !NONDETERMINISTIC.has(n)),
);

const quoteGo = (s: string): string => JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

const stringLit = fc.oneof(
  fc.constantFrom('', 'a', 'abc', 'Hello World', 'foo-bar_baz', '1.2.3', 'v1.29.3-eks', '>=1.2', '^1.0', '2006-01-02', '1h30m', '42', '-7',
    '0x1F', '3.5', 'true', 'a,b,c', '/a/b/c.txt', 'https://u:p@h.io:8/p?q=1#f', '[a-z]+', '(x*)', '$1', 'a: 1', '- x', '{"a":1}', '[1,2]',
    'null', ' spaced  out ', 'ÄÖü straße', 'x\ny', 'tab\there', 'MixedCASEWord', 'HTTPServer2x', 'héllo', '😀'),
  fc.string({ maxLength: 8 }),
).map(quoteGo);
const numberLit = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map(String),
  fc.constantFrom('0', '1', '2', '3', '100', '-1', '1.5', '-2.5', '0.1', '1e3', '3.0', '9223372036854775807', '1e20', '0.000001'),
);
/** Chart values as Helm passes them (JSON-shaped: float64 numbers, map[string]interface{}). */
export const VALUES = { n: 3, f: 1.5, s: 'str', l: [1, 'a', { x: 1 }], m: { k: 'v', n: { d: 2 } }, big: 1e20, neg: -7, b: true, z: 0, e: '', v: 'v1.2.3' };
// .Values itself is left out: Helm gives it the named type common.Values, which value.ts cannot mark (docs/helm-funcs.md).
const valueRef = fc.constantFrom('.Values.n', '.Values.f', '.Values.s', '.Values.l', '.Values.m', '.Values.m.k', '.Values.m.n', '.Values.missing', '.Values.big', '.Values.neg', '.Values.b', '.Values.z', '.Values.e', '.Values.v');
const scalar = fc.oneof(
  { weight: 4, arbitrary: stringLit },
  { weight: 3, arbitrary: numberLit },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'nil') },
  { weight: 2, arbitrary: valueRef },
);

/** An argument: a literal, or a parenthesized list/dict/call (depth-limited). */
const arg: fc.Arbitrary<string> = fc.letrec<{ arg: string }>((tie) => ({
  arg: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 6, arbitrary: scalar },
    { weight: 1, arbitrary: fc.array(tie('arg'), { maxLength: 3 }).map((xs) => `(list${xs.map((x) => ' ' + x).join('')})`) },
    { weight: 1, arbitrary: fc.array(fc.tuple(stringLit, tie('arg')), { maxLength: 3 }).map((kv) => `(dict${kv.map(([k, v]) => ` ${k} ${v}`).join('')})`) },
    { weight: 1, arbitrary: call(tie('arg')).map((c) => `(${c})`) },
  ),
})).arg;

function call(argArb: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.constantFrom(...Object.keys(FUNCTIONS)).chain((name) => {
    const [min, max] = FUNCTIONS[name]!;
    return fc.array(argArb, { minLength: min, maxLength: max }).map((args) => [name, ...args].join(' '));
  });
}

/** One action: a call, sometimes piped into a one-argument function. */
export const actionArb: fc.Arbitrary<string> = fc.tuple(call(arg), fc.option(fc.constantFrom('toJson', 'typeOf', 'toString', 'len', 'kindOf', 'quote', 'toYaml'), { nil: undefined })).map(
  ([c, pipe]) => (pipe ? `${c} | ${pipe}` : c),
);
