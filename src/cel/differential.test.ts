/**
 * A fast-check differential: generated CEL expressions (literals, arithmetic, comparisons,
 * logic with errors, strings and their library, lists and maps with macros, optionals,
 * variables from JSON) evaluated by our engine and by the cel oracle. A fixed-seed subset runs
 * in `npm test`; AKSFLEET_CEL_FUZZ=<n> runs n expressions with a random seed (printed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { agree, describe, loadOracle, runOracle, runOurs, type CelCase } from './testing/oracle.js';

const VARS = {
  x: { a: 1, b: 2.5, s: 'hello', l: [1, 2, 3], m: { k: 'v', n: 0 }, t: true, z: null },
  y: [
    { name: 'a', v: 1 },
    { name: 'b', v: -2 },
  ],
  n: 7,
  s: 'Straße 😀 x',
};

const int = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map(String),
  fc.constantFrom('9223372036854775807', '-9223372036854775808', '0', '4611686018427387904'),
);
const uint = fc.oneof(
  fc.nat(20).map((n) => `${n}u`),
  fc.constant('18446744073709551615u'),
);
const dbl = fc.oneof(
  fc.constantFrom('0.0', '1.5', '-2.25', '1e10', '3.0', '0.1'),
  fc.double({ min: -100, max: 100, noNaN: true }).map((d) => {
    const s = String(d);
    return s.includes('.') || s.includes('e') ? s : `${s}.0`;
  }),
);
const str = fc.constantFrom('""', '"a"', '"abc"', '"a,b,c"', '"ÄÖ"', '"😀x"', "'hello world'", '"  pad  "', '"x.y.z"');
const varRef = fc.constantFrom(
  'x.a',
  'x.b',
  'x.s',
  'x.l',
  'x.m',
  'x.t',
  'x.z',
  'x.m.k',
  'y',
  'n',
  's',
  'x.missing',
  'y[0].name',
  'y[1].v',
  'x.l[1]',
  'x.l[5]',
);

const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    int,
    uint,
    dbl,
    str,
    fc.constantFrom('true', 'false', 'null'),
    varRef,
    fc
      .tuple(
        tie('e'),
        fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', '&&', '||', 'in'),
        tie('e'),
      )
      .map(([a, op, b]) => `(${a} ${op} ${b})`),
    tie('e').map((a) => `!${a}`),
    tie('e').map((a) => `-${a}`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    fc
      .tuple(fc.constantFrom('size', 'string', 'int', 'uint', 'double', 'type', 'dyn', 'bool'), tie('e'))
      .map(([f, a]) => `${f}(${a})`),
    fc
      .tuple(
        tie('e'),
        fc.constantFrom(
          'contains',
          'startsWith',
          'endsWith',
          'matches',
          'indexOf',
          'lastIndexOf',
          'split',
          'charAt',
          'substring',
          'find',
          'findAll',
        ),
        tie('e'),
      )
      .map(([a, f, b]) => `${a}.${f}(${b})`),
    fc
      .tuple(
        tie('e'),
        fc.constantFrom(
          'lowerAscii()',
          'upperAscii()',
          'trim()',
          'size()',
          'join()',
          'join("-")',
          'sum()',
          'min()',
          'max()',
          'isSorted()',
          'reverse()',
          'distinct()',
          'sort()',
          'flatten()',
        ),
      )
      .map(([a, m]) => `${a}.${m}`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([a, b, c]) => `${a}.replace(${b}, ${c})`),
    fc.array(tie('e'), { maxLength: 3 }).map((xs) => `[${xs.join(', ')}]`),
    fc.array(fc.tuple(str, tie('e')), { maxLength: 2 }).map((kv) => `{${kv.map(([k, v]) => `${k}: ${v}`).join(', ')}}`),
    fc
      .tuple(tie('e'), fc.constantFrom('all', 'exists', 'exists_one', 'filter', 'map'), tie('e'))
      .map(([l, m, b]) => `${l}.${m}(e, ${b.replace(/x\.a/g, 'e')})`),
    fc
      .tuple(varRef, fc.constantFrom('.?a', '.?missing', '.?k', '[?0]'), tie('e'))
      .map(([v, o, d]) => `${v}${o}.orValue(${d})`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `${a}[${b}]`),
    tie('e').map((a) => `has(x.${a.replace(/[^a-z]/g, '') || 'a'})`),
  ),
})).e;

function compare(cases: CelCase[], cel: { path: string }): string[] {
  const theirs = runOracle(cel.path, cases);
  const differ: string[] = [];
  cases.forEach((c, i) => {
    const ours = runOurs(c);
    if (!agree(ours, theirs[i]))
      differ.push(`${c.expr}  ours: ${describe(ours).slice(0, 100)}  cel-go: ${describe(theirs[i]).slice(0, 100)}`);
  });
  return differ;
}

/**
 * Disagreements on the fixed-seed sample (expressions), with causes in docs/cel.md: cel-go rejects
 * `--9223372036854775808` at parse time; cel-js negates it to 2^63 (no overflow check).
 */
const KNOWN: string[] = ['--9223372036854775808', '!!--9223372036854775808'];

const cel = await loadOracle('cel');

test('differential: generated expressions (fixed seed) agree with cel-go', { skip: cel.skip }, () => {
  const exprs = [...new Set(fc.sample(expr, { seed: 1717, numRuns: 400 }))];
  const differ = compare(
    exprs.map((e) => ({ expr: e, vars: VARS })),
    cel,
  );
  console.log(`differential (seed 1717): ${exprs.length - differ.length}/${exprs.length} agree`);
  if (process.env.AKSFLEET_SHOW_DIFF) console.log(differ.join('\n'));
  assert.deepEqual(
    differ.map((d) => d.split('  ours:')[0]),
    KNOWN,
  );
});

const fuzz = Number(process.env.AKSFLEET_CEL_FUZZ ?? 0);
test('differential: a full random run (AKSFLEET_CEL_FUZZ=<n>)', {
  skip: cel.skip || (fuzz > 0 ? false : 'set AKSFLEET_CEL_FUZZ=<n> to run'),
}, () => {
  const seed = Number(process.env.AKSFLEET_CEL_SEED ?? Date.now() % 1_000_000);
  const exprs = [...new Set(fc.sample(expr, { seed, numRuns: fuzz }))];
  const differ = compare(
    exprs.map((e) => ({ expr: e, vars: VARS })),
    cel,
  );
  console.log(`differential (seed ${seed}): ${exprs.length - differ.length}/${exprs.length} agree`);
  console.log(differ.slice(0, 50).join('\n'));
  assert.ok(exprs.length > 0);
  // The full run's disagreements are the known classes of docs/cel.md (about 1%: seed 42 2021/2038,
  // seed 807266 2034/2057); a floor catches a regression without pinning a random sample.
  const agree = (exprs.length - differ.length) / exprs.length;
  assert.ok(agree >= 0.985, `only ${(agree * 100).toFixed(2)}% agree with cel-go (floor 98.5%)`);
});
