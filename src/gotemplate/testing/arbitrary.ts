/**
 * fast-check generators of template cases for the differential test against Go's text/template:
 * JSON data, and templates built from pipelines (fields, variables, constants of every syntax,
 * builtins, printf with every verb and flag), control structures, define/template/block, trim
 * markers and comments. Some generated templates are invalid on purpose (errors are compared too).
 */
import fc from 'fast-check';
import type { TemplateCase } from './oracle.js';

const keys = [
  'a',
  'b',
  'c',
  'x',
  'list',
  'm',
  's',
  'n',
  'f',
  'nil',
  'Empty',
  'é',
  'Name',
  'Items',
  'Meta',
  'k',
  'Upper',
  'Greet',
  'Fail',
  'Pair',
];

const jsonNumber = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(
    0,
    -0,
    1,
    0.5,
    1.5,
    2.5,
    -2.5,
    0.1,
    1e6,
    1e-5,
    1e-4,
    123456789,
    1e20,
    1e21,
    1.23e-7,
    3.25159,
    100000,
    999999.5,
    2 ** 53,
    -1e6,
    1e100,
    5e-324,
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
const jsonString = fc.oneof(
  fc.constantFrom(
    '',
    'a',
    'hello',
    'x y',
    '"q"',
    "it's",
    '<b>&amp;</b>',
    'tab\there',
    'new\nline',
    'é',
    '日本',
    '🙂',
    'a=b&c',
    '\u0001',
    '100%',
    '%d',
    'true',
    '0',
  ),
  fc.string({ maxLength: 6 }),
);
const jsonLeaf = fc.oneof(jsonNumber, jsonString, fc.boolean(), fc.constant(null));
const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, jsonLeaf, jsonLeaf, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(fc.constantFrom(...keys), tie('value'), { maxKeys: 5 }),
})).value;

/** Data: a map with some of the usual keys, or occasionally any JSON value. */
export const dataArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.dictionary(fc.constantFrom(...keys), jsonValue, { maxKeys: 8 }) },
  { weight: 1, arbitrary: jsonValue },
);

const fieldName = fc.constantFrom(...keys);
const field = fc.array(fieldName, { minLength: 1, maxLength: 3 }).map((p) => '.' + p.join('.'));

const numberLit = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -50, max: 300 }).map(String) },
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      '0',
      '1',
      '-1',
      '3',
      '1.0',
      '1.5',
      '-2.5',
      '1e6',
      '1e-5',
      '0x1F',
      '0X1f',
      '0o17',
      '017',
      '0b101',
      '1_000',
      "'a'",
      "'\\n'",
      "'é'",
      '0x1p-2',
      '9223372036854775807',
      '.5',
      '5.',
      '-0',
      '+3',
      '1e21',
      '123456789.0',
      '0.000001',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '9223372036854775808',
      '18446744073709551616',
      '1e400',
      '08',
      '0x_1',
      '1__0',
      "'ab'",
      '1e',
      '0xg',
    ),
  },
);
const stringLit = fc.oneof(
  fc.constantFrom(
    '"x"',
    '"hello"',
    '""',
    '"a b"',
    '"%d"',
    '"%v"',
    '"é"',
    '"\\t"',
    '"\\u00e9"',
    '"\\x41"',
    '"\\101"',
    '`raw\\n`',
    '`x`',
    '"a\\"b"',
    '"\\q"',
    "'x'",
  ),
  jsonString.map((s) => JSON.stringify(s).replace(/\\u007f/g, '')),
);
const constant = fc.oneof(numberLit, stringLit, fc.constantFrom('true', 'false', 'nil'));

const verbs = [
  'v',
  'v',
  'v',
  's',
  'd',
  'q',
  'x',
  'X',
  'o',
  'O',
  'b',
  'c',
  'U',
  'e',
  'E',
  'f',
  'F',
  'g',
  'G',
  't',
  'T',
  'p',
  '%',
  'z',
  'w',
];
const printfFormat = fc
  .array(
    fc.tuple(
      fc.subarray(['+', '-', '#', '0', ' ']),
      fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 12 }).map(String), fc.constant('*')),
      fc.oneof(
        fc.constant(''),
        fc.integer({ min: 0, max: 8 }).map((n) => '.' + n),
        fc.constant('.'),
        fc.constant('.*'),
      ),
      fc.oneof({ weight: 6, arbitrary: fc.constant('') }, fc.constantFrom('[1]', '[2]', '[3]', '[0]', '[9]', '[x]')),
      fc.constantFrom(...verbs),
      fc.constantFrom('', ' ', '-', ':', '\n'),
    ),
    { minLength: 0, maxLength: 3 },
  )
  .map((parts) =>
    parts.map(([flags, wid, prec, idx, verb, sep]) => `%${flags.join('')}${wid}${prec}${idx}${verb}${sep}`).join(''),
  )
  .chain((f) => fc.constantFrom(f, f + '%', 'x' + f));

const typedArg = fc.oneof(
  fc.integer({ min: -300, max: 300 }).map((n) => `(i64 ${n})`),
  fc.integer({ min: 0, max: 300 }).map((n) => `(u8 ${n})`),
  fc.constantFrom(
    '(bytes "hi")',
    '(bytes "")',
    '(strs "a" "b")',
    '(strs)',
    '(typed "a" 1 "b" 2)',
    '(typed)',
    '(makemap "k" "v")',
    '(mapOfThree)',
    '(returnInt)',
    '(add 1 2)',
    '(echo nil)',
    '(obj "o")',
    '(obj "é")',
    '(obj "o").Name',
    '(obj "p").Items',
    '(obj "q").Meta.k',
    '(obj "r").Upper',
    '((obj "s").Greet "you")',
    '(obj "t").Fail',
    '((obj "u").Pair 1 "a" nil)',
  ),
);

type Ctx = { vars: string[]; inRange: boolean; depth: number; calls?: boolean };

function operand(ctx: Ctx): fc.Arbitrary<string> {
  const vars = ['$', ...ctx.vars];
  const opts: fc.Arbitrary<string>[] = [
    field,
    fc.constant('.'),
    constant,
    typedArg,
    fc.constantFrom(...vars).chain((v) =>
      fc.oneof(
        fc.constant(v),
        field.map((f) => v + f),
      ),
    ),
  ];
  if (ctx.depth < 2) opts.push(pipeline({ ...ctx, depth: ctx.depth + 1 }).map((p) => `(${p})`));
  if (ctx.depth < 2)
    opts.push(fc.tuple(pipeline({ ...ctx, depth: ctx.depth + 1 }), field).map(([p, f]) => `(${p})${f}`));
  return fc.oneof(...opts);
}

function command(ctx: Ctx): fc.Arbitrary<string> {
  const arg = operand(ctx);
  const args = (min: number, max: number): fc.Arbitrary<string> =>
    fc.array(arg, { minLength: min, maxLength: max }).map((a) => a.join(' '));
  return fc.oneof(
    { weight: 4, arbitrary: arg },
    { weight: 3, arbitrary: fc.tuple(printfFormat, args(0, 3)).map(([f, a]) => `printf ${JSON.stringify(f)} ${a}`) },
    {
      weight: 3,
      arbitrary: fc.tuple(fc.constantFrom('eq', 'ne', 'lt', 'le', 'gt', 'ge'), args(2, 2)).map(([f, a]) => `${f} ${a}`),
    },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('eq', 'ne', 'lt'), args(0, 4)).map(([f, a]) => `${f} ${a}`) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.constantFrom(
            'and',
            'or',
            'not',
            'len',
            'index',
            'slice',
            'print',
            'println',
            'html',
            'js',
            'urlquery',
            'call',
            'typeOf',
            'echo',
            'fail',
            'boom',
          ),
          args(0, 3),
        )
        .map(([f, a]) => `${f} ${a}`),
    },
    { weight: 1, arbitrary: fc.tuple(field, args(1, 2)).map(([f, a]) => `${f} ${a}`) },
  );
}

/** A command that can take the previous stage's value as its last argument. */
function callable(ctx: Ctx): fc.Arbitrary<string> {
  const arg = operand(ctx);
  const args = (min: number, max: number): fc.Arbitrary<string> =>
    fc.array(arg, { minLength: min, maxLength: max }).map((a) => a.join(' '));
  return fc.oneof(
    fc.tuple(printfFormat, args(0, 2)).map(([f, a]) => `printf ${JSON.stringify(f)} ${a}`.trimEnd()),
    fc.tuple(fc.constantFrom('eq', 'ne', 'lt', 'le', 'gt', 'ge'), arg).map(([f, a]) => `${f} ${a}`),
    fc
      .tuple(
        fc.constantFrom('eq', 'and', 'or', 'index', 'slice', 'print', 'println', 'html', 'js', 'urlquery', 'add'),
        args(0, 2),
      )
      .map(([f, a]) => `${f} ${a}`.trimEnd()),
    fc.constantFrom(
      'len',
      'not',
      'typeOf',
      'echo',
      'print',
      'html',
      'urlquery',
      'printf',
      'call',
      'oneArg',
      'dddArg 1',
    ),
    fc.tuple(fc.constantFrom('$', '.', ...ctx.vars), field).map(([v, f]) => (v === '.' ? f : v + f)),
  );
}

function pipeline(ctx: Ctx): fc.Arbitrary<string> {
  return fc
    .tuple(command(ctx), fc.array(callable(ctx), { maxLength: 2 }))
    .map(([first, rest]) => [first, ...rest].join(' | '));
}

const text = fc.constantFrom('', 'x', ' ', '\n', ' - ', 'a\n  ', '{ ', '}', '%', 'é');

function open(): fc.Arbitrary<string> {
  return fc.constantFrom('{{', '{{', '{{', '{{- ', '{{ ', '{{\n', '{{-\n\t');
}
function close(): fc.Arbitrary<string> {
  return fc.constantFrom('}}', '}}', '}}', ' -}}', ' }}', '\n}}', '\n -}}');
}

/** What range iterates over: no pipelines that could yield a huge integer. */
function rangeOver(ctx: Ctx): fc.Arbitrary<string> {
  const vars = ['$', ...ctx.vars];
  return fc.oneof(
    field,
    fc.constant('.'),
    fc.constantFrom(...vars).chain((v) =>
      fc.oneof(
        fc.constant(v),
        field.map((f) => v + f),
      ),
    ),
    fc.constantFrom(
      '3',
      '0',
      '-2',
      '(i64 2)',
      '(u8 3)',
      '(strs "a" "b")',
      '(typed "a" 1 "b" 2)',
      '(makemap "k" "v" "a" "b")',
      '(bytes "hi")',
      '"str"',
      '1.5',
      'true',
      'nil',
      '(echo nil)',
      '(slice .list 1)',
      '(index .m "a")',
      '(obj "o")',
      '(obj "o").Items',
      '(obj "o").Meta',
    ),
  );
}

function body(ctx: Ctx): fc.Arbitrary<string> {
  return fc.array(element(ctx), { minLength: 0, maxLength: ctx.depth >= 2 ? 2 : 4 }).map((e) => e.join(''));
}

function element(ctx: Ctx): fc.Arbitrary<string> {
  const deeper = { ...ctx, depth: ctx.depth + 1 };
  const action = fc.tuple(open(), pipeline(ctx), close()).map(([o, p, c]) => o + p + c);
  const opts: { weight: number; arbitrary: fc.Arbitrary<string> }[] = [
    { weight: 4, arbitrary: text },
    { weight: 6, arbitrary: action },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{{/* c */}}',
        '{{- /* c */ -}}',
        '{{/* c */ -}}',
        '{{/* multi\nline */}}',
        '{{/* unclosed }}',
        '{{/* c */ x}}',
      ),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{{',
        '}}',
        '{{.a',
        '{{"x}}',
        '{{`x',
        "{{'x}}",
        '{{(1}}',
        '{{1)}}',
        '{{end}}',
        '{{else}}',
        '{{$u}}',
        '{{.a | }}',
        '{{| .a}}',
        '{{.a\n.b}}',
        '{{@}}',
        '{{.a=1}}',
        '{{$x :=}}',
        '{{range}}{{end}}',
        '{{template}}',
        '{{define "z"}}',
        '{{block "q"}}{{end}}',
        '{{with}}{{end}}',
        '{{if}}{{end}}',
        '{{break}}',
        '{{3 .a}}',
        '{{nil}}',
        '{{.a.}}',
        '{{.a..b}}',
        '{{$.}}',
        '{{"a".b}}',
        '{{(1).b}}',
        '{{nil.b}}',
        '{{1 | 2}}',
      ),
    },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('$x', '$y'), pipeline(ctx)).map(([v, p]) => `{{${v} := ${p}}}`) },
  ];
  if (ctx.vars.length > 0)
    opts.push({
      weight: 1,
      arbitrary: fc.tuple(fc.constantFrom(...ctx.vars), pipeline(ctx)).map(([v, p]) => `{{${v} = ${p}}}`),
    });
  if (ctx.inRange)
    opts.push({
      weight: 1,
      arbitrary: fc.constantFrom(
        '{{break}}',
        '{{continue}}',
        '{{if .}}{{break}}{{end}}',
        '{{if not .}}{{continue}}{{end}}',
      ),
    });
  if (ctx.depth < 3) {
    opts.push(
      {
        weight: 2,
        arbitrary: fc
          .tuple(pipeline(ctx), body(deeper), fc.option(body(deeper)))
          .map(([p, b, e]) => `{{if ${p}}}${b}${e === null ? '' : `{{else}}${e}`}{{end}}`),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(pipeline(ctx), pipeline(ctx), body(deeper), body(deeper))
          .map(([p, q, b, e]) => `{{if ${p}}}${b}{{else if ${q}}}${e}{{end}}`),
      },
      {
        weight: 2,
        arbitrary: fc
          .tuple(pipeline(ctx), body(deeper), fc.option(body(deeper)))
          .map(([p, b, e]) => `{{with ${p}}}${b}${e === null ? '' : `{{else}}${e}`}{{end}}`),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(pipeline(ctx), body(deeper), body(deeper))
          .map(([p, b, e]) => `{{with $w := ${p}}}${b}{{else with .a}}${e}{{end}}`),
      },
      {
        weight: 3,
        arbitrary: fc
          .tuple(
            fc.constantFrom('', '', '$v := ', '$i, $v := ', '$i, $v := ', '$i, $v = ', '$v = ', '$i := '),
            rangeOver(ctx),
            fc.boolean(),
          )
          .chain(([decl, p, withElse]) => {
            const vars = decl.includes('$i') ? ['$i', '$v'] : decl.includes('$v') ? ['$v'] : [];
            const inner = { ...ctx, vars: [...ctx.vars, ...vars], inRange: true, depth: ctx.depth + 1 };
            return fc
              .tuple(body(inner), body(deeper))
              .map(([b, e]) => `{{range ${decl}${p}}}${b}${withElse ? `{{else}}${e}` : ''}{{end}}`);
          }),
      },
      {
        weight: 1,
        arbitrary: fc
          .tuple(
            fc.integer({ min: -1, max: 4 }),
            body({ ...ctx, vars: [...ctx.vars, '$n'], inRange: true, depth: ctx.depth + 1 }),
          )
          .map(([n, b]) => `{{range $n := ${n}}}${b}{{end}}`),
      },
    );
    if (ctx.calls) {
      opts.push(
        {
          weight: 1,
          arbitrary: fc
            .tuple(fc.constantFrom('"d"', '"e"', '"nope"'), fc.option(pipeline(ctx)))
            .map(([n, p]) => `{{template ${n}${p === null ? '' : ' ' + p}}}`),
        },
        {
          weight: 1,
          arbitrary: fc
            .tuple(pipeline(ctx), body({ vars: [], inRange: false, depth: ctx.depth + 1 }))
            .map(([p, b]) => `{{block "blk" ${p}}}${b}{{end}}`),
        },
      );
    }
  }
  return fc.oneof(...opts);
}

/** A generated case: entry `t`, a helper template `d` (and sometimes `e`), JSON data, a missingkey option. */
export const caseArb: fc.Arbitrary<TemplateCase> = fc
  .record({
    t: body({ vars: [], inRange: false, depth: 0, calls: true }),
    d: body({ vars: [], inRange: false, depth: 1 }),
    e: fc.option(body({ vars: [], inRange: false, depth: 2 })),
    data: dataArb,
    missingkey: fc.constantFrom('default', 'default', 'zero', 'error') as fc.Arbitrary<'default' | 'zero' | 'error'>,
  })
  .map(({ t, d, e, data, missingkey }) => ({
    templates: { t, d: d + '{{/* d */}}', ...(e === null ? {} : { e: `{{define "e"}}${e}{{end}}` }) },
    entry: 't',
    data,
    missingkey,
  }));

/** A printf-focused case: one printf with a generated format over values of every kind. */
export const printfCaseArb: fc.Arbitrary<TemplateCase> = fc
  .record({
    format: printfFormat,
    args: fc.array(fc.oneof(constant, typedArg, field, fc.constant('.')), { maxLength: 4 }),
    data: dataArb,
  })
  .map(({ format, args, data }) => ({
    templates: { t: `{{printf ${JSON.stringify(format)} ${args.join(' ')}}}` },
    entry: 't',
    data,
  }));
