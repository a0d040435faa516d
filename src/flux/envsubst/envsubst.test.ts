/**
 * Table tests for Flux's envsubst dialect. The cases re-express, as our own tables, the cases of
 * fluxcd/pkg envsubst eval_test.go (TestExpand, TestExpandStrict), funcs_test.go and
 * parse/parse_test.go (upstream's pinned behaviour). Cases marked `derived` follow from reading
 * fluxcd/pkg envsubst/parse + funcs.go where upstream has no test. Every row of the expand, strict
 * and parse-error tables also runs through the real `flux envsubst` (flux v2.9.5 from test/oracles).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { oracle } from '../../../test/oracles/oracle.mjs';
import { envsubst, envsubstDetailed, parseEnvsubst, EnvsubstError, type EnvNode } from './index.js';
import * as f from './funcs.js';
import { globMatch } from './glob.js';
import { toBytes, fromBytes } from './bytes.js';

const vars =
  (o: Record<string, string>) =>
  (k: string): string | undefined =>
    o[k];
/** Flux's non-strict mapping: every variable "exists", unset ones read as ''. */
const lenient =
  (o: Record<string, string>) =>
  (k: string): string | undefined =>
    o[k] ?? '';

// TestExpand: [params, input, output]
const expand: [Record<string, string>, string, string][] = [
  [{}, 'abcdEFGH28ij', 'abcdEFGH28ij'],
  [{ var01: 'abcdEFGH28ij' }, '${#var01}', '12'],
  [{ var01: 'abcdEFGH28ij' }, '${var01^}', 'AbcdEFGH28ij'],
  [{ var01: 'abcdEFGH28ij' }, '${var01^^}', 'ABCDEFGH28IJ'],
  [{ var01: 'ABCDEFGH28IJ' }, '${var01,}', 'aBCDEFGH28IJ'],
  [{ var01: 'ABCDEFGH28IJ' }, '${var01,,}', 'abcdefgh28ij'],
  [{ path_name: '/home/bozo/ideas/thoughts.for.today' }, '${path_name:11}', 'ideas/thoughts.for.today'],
  [{ path_name: '/home/bozo/ideas/thoughts.for.today' }, '${path_name:11:5}', 'ideas'],
  [{ var: 'abc' }, '${var=xyz}', 'abc'],
  [{}, '${var=xyz}', 'xyz'],
  [{ default_var: 'foo' }, 'something ${var=${default_var}}', 'something foo'],
  [{ default_var: 'foo1' }, 'foo: ${var=${default_var}-suffix}', 'foo: foo1-suffix'],
  [{ default_var: 'foo1' }, 'foo: ${var=prefix${default_var}-suffix}', 'foo: prefixfoo1-suffix'],
  [{}, '${var:=xyz}', 'xyz'],
  [{ stringZ: 'abcABC123ABCabc' }, '${stringZ/%abc/XYZ}', 'abcABC123ABCXYZ'],
  [{ stringZ: 'abcABC123ABCabc' }, '${stringZ/#abc/XYZ}', 'XYZABC123ABCabc'],
  [{ stringZ: 'abcABC123ABCabc' }, '${stringZ//abc/xyz}', 'xyzABC123ABCxyz'],
  [{ stringZ: 'abcABC123ABCabc' }, '${stringZ/abc/xyz}', 'xyzABC123ABCabc'],
  [{ filename: 'bash.string.txt' }, '${filename#*.}', 'string.txt'],
  [{ filename: 'path/to/file' }, '${filename#*/}', 'to/file'],
  [{ filename: '/path/to/file' }, '${filename#*/}', 'path/to/file'],
  [{ filename: 'bash.string.txt' }, '${filename##*.}', 'txt'],
  [{ filename: 'path/to/file' }, '${filename##*/}', 'file'],
  [{ filename: '/path/to/file' }, '${filename##*/}', 'file'],
  [{ filename: 'bash.string.txt' }, '${filename%.*}', 'bash.string'],
  [{ filename: 'bash.string.txt' }, '${filename%%.*}', 'bash'],
  [{ var01: 'abcdEFGH28ij' }, '${var=${var01^^}}', 'ABCDEFGH28IJ'],
  [{ var01: 'abcdEFGH28ij' }, '$${var01}', '${var01}'],
  [
    { var01: 'abcdEFGH28ij' },
    'some text ${var01}$${var$${var01}$var01${var01}',
    'some text abcdEFGH28ij${var${var01}$var01abcdEFGH28ij',
  ],
  [{ default_var: 'foo' }, 'something $${var=${default_var}}', 'something ${var=foo}'],
  [{ stringZ: 'foo/bar' }, '${stringZ/\\//-}', 'foo-bar'],
  [{ stringZ: 'foo/bar/baz' }, '${stringZ//\\//-}', 'foo-bar-baz'],
  [{ default_var: 'foo' }, '\\\\something ${var=${default_var}}', '\\\\something foo'],
  [{ stringZ: 'foo.bar' }, '${stringZ/./}', 'foobar'],
  // derived: the default forms also apply to a set-but-empty value (toDefault), bare $var stays
  [{ v: '' }, '${v:-d}', 'd'],
  [{ v: '' }, '${v=d}', 'd'],
  [{ v: 'x' }, '${v:?d}${v:+d}', 'xx'],
  [{}, '${v:?d}|${v:+d}', 'd|d'],
  [{ v: 'x' }, '$v ${v}', '$v x'],
  [{ a: '', b: 'B' }, '${a:=${b:=z}-${c:-y}}', 'B-y'],
  [{ v: '123456789123456789' }, '${v:-3:2}', '123456789123456789'], // `:-` is a default, not a negative offset
  [{ v: 'hello' }, '${v:abc}', 'hello'], // unparsable offset returns the value (bash behaviour)
  [{ v: 'éa' }, '${#v}', '3'], // lengths count UTF-8 bytes, as Go's len()
  [{ v: 'héllo' }, '${v^^}', 'HÉLLO'],
  [{ v: 'a.b.c' }, '${v%.*}|${v%%.*}|${v#*.}|${v##*.}', 'a.b|a|b.c|c'],
  // suffix operators reverse the pattern, which breaks [classes]: unchanged (as in Go)
  [{ v: 'file.tar.gz' }, '${v%.[tg][az]*}', 'file.tar.gz'],
  [{ v: 'file.tar.gz' }, '${v#*.[tg]}', 'ar.gz'],
  [{ v: 'abc' }, '${v#x*}', 'abc'],
  [{ v: 'abc' }, '${v#[}', 'abc'], // bad glob pattern: value unchanged
  [{ p: 'a', v: 'xyz' }, '${v:${n:-1}:1}', 'y'],
  [{ v: 'x' }, 'text}with}braces ${v}', 'text}with}braces x'],
  [{ v: 'x' }, '$ ${v} $', '$ x $'],
  [{ v: 'x' }, '$$$${v}', '$${v}'],
];

test('envsubst: TestExpand table (non-strict)', () => {
  for (const [params, input, output] of expand) {
    assert.equal(envsubst(input, lenient(params)), output, input);
  }
});

// TestExpandStrict: [params, input, output | Error]
const strict: [Record<string, string>, string, string | Error][] = [
  [{}, 'abcdEFGH28ij', 'abcdEFGH28ij'],
  [{ foo: 'bar' }, '${foo}', 'bar'],
  [{ foo: '' }, '${foo}', ''],
  [{}, '${missing}', new Error('variable not set (strict mode): "missing"')],
  [{ foo: 'bar' }, '${missing:=default}', 'default'],
  ...[
    '${#missing}',
    '${missing^}',
    '${missing^^}',
    '${missing,}',
    '${missing,,}',
    '${missing:0}',
    '${missing:0:10}',
    '${missing/pattern/replacement}',
    '${missing//pattern/replacement}',
    '${missing/#pattern/replacement}',
    '${missing/%pattern/replacement}',
    '${missing#pattern}',
    '${missing##pattern}',
    '${missing%pattern}',
    '${missing%%pattern}',
  ].map((i): [Record<string, string>, string, Error] => [
    {},
    i,
    new Error('variable not set (strict mode): "missing"'),
  ]),
  [{}, '${missing:-fallback}', 'fallback'],
  [{}, '${missing:=assigned}', 'assigned'],
  [{}, '${missing=assigned}', 'assigned'],
  // derived: a nested unset variable inside a default is still an error
  [{}, '${a:-${b}}', new Error('variable not set (strict mode): "b"')],
];

test('envsubst: TestExpandStrict table', () => {
  for (const [params, input, want] of strict) {
    if (want instanceof Error) {
      assert.throws(
        () => envsubst(input, vars(params), { strict: true }),
        (e: unknown) => e instanceof EnvsubstError && e.message === want.message,
        input,
      );
    } else {
      assert.equal(envsubst(input, vars(params), { strict: true }), want, input);
    }
  }
});

test('envsubst: missing variables are reported, and read as empty in non-strict mode', () => {
  const r = envsubstDetailed('a: ${A}\nb: ${B:=x}\nc: ${#C}\nd: ${A}', vars({}));
  assert.equal(r.output, 'a: \nb: x\nc: 0\nd: ');
  assert.deepEqual(r.missing, ['A', 'C']);
});

// parse errors: [input, message]
const parseErrors: [string, string][] = [
  ['${', 'unable to parse variable name'],
  ['${}', 'unable to parse variable name'],
  ['${a', 'missing closing brace'],
  ['${a b}', 'missing closing brace'],
  ['${v-d}', 'missing closing brace'], // derived: only `=` and `:X` default forms parse
  ['${v+d}', 'missing closing brace'],
  ['${a:=x', 'unable to parse substitution within function'],
  ['${a/b}', 'bad substitution'],
  ['${a#}', 'unable to parse substitution within function'],
  ['${#}', 'bad substitution'],
  ['${a^x}', 'bad substitution'],
  ['${a::1}', 'unable to parse substitution within function'],
];

test('envsubst: parse errors', () => {
  for (const [input, msg] of parseErrors) {
    assert.throws(
      () => envsubst(input, lenient({})),
      (e: unknown) => e instanceof EnvsubstError && e.message === msg,
      input,
    );
  }
});

// funcs_test.go
test('envsubst: functions (funcs_test.go)', () => {
  const b = toBytes;
  assert.equal(f.toLen(b('Hello World'), []), '11');
  assert.equal(f.toLower(b('Hello World'), []), 'hello world');
  assert.equal(f.toLowerFirst(b('HELLO WORLD'), []), 'hELLO WORLD');
  assert.equal(f.toLowerFirst('', []), '');
  assert.equal(f.toUpper(b('Hello World'), []), 'HELLO WORLD');
  assert.equal(f.toUpperFirst(b('hello world'), []), 'Hello world');
  assert.equal(f.toUpperFirst('', []), '');
  assert.equal(f.toDefault('Hello World', ['Hola Mundo']), 'Hello World');
  assert.equal(f.toDefault('', ['Hola Mundo']), 'Hola Mundo');
  assert.equal(
    fromBytes(f.toDefault('', [b('Hola Mundo'), b('-Bonjour le monde'), b('-Halló heimur')])),
    'Hola Mundo-Bonjour le monde-Halló heimur',
  );
  const s = '123456789123456789';
  assert.equal(f.toSubstr(s, ['0', '8']), '12345678');
  assert.equal(f.toSubstr(s, ['1', '8']), '23456789');
  assert.equal(f.toSubstr(s, ['9']), '123456789');
  assert.equal(f.toSubstr(s, ['9', '50']), '123456789');
  assert.equal(f.toSubstr(s, ['-3', '2']), '78');
  assert.equal(f.toSubstr(s, ['-300', '3']), '123');
  assert.equal(f.toSubstr('12345678', ['9', '1']), '');
});

test('envsubst: glob matching (Go path.Match, trailing * spans /)', () => {
  const cases: [string, string, boolean][] = [
    ['*', 'a/b', true],
    ['a*', 'abc', true],
    ['a*c', 'abc', true],
    ['a*c', 'abd', false],
    ['?b', 'ab', true],
    ['[a-c]x', 'bx', true],
    ['[^a-c]x', 'bx', false],
    ['\\*', '*', true],
    ['a', 'ab', false],
    ['*.txt', 'x.txt', true],
  ];
  for (const [p, n, want] of cases) assert.equal(globMatch(p, n), want, `${p} ~ ${n}`);
  assert.throws(() => globMatch('[', 'a'));
});

const T = (value: string): EnvNode => ({ type: 'text', value });
const F = (param: string, name = '', args: EnvNode[] = []): EnvNode => ({ type: 'func', param, name, args });

// parse_test.go (upstream nests ListNodes; our tree is the same sequence, flattened)
const parseCases: [string, EnvNode[]][] = [
  ['text', [T('text')]],
  ['}text', [T('}text')]],
  ['http://github.com', [T('http://github.com')]],
  ['$${string}', [T('${string}')]],
  ['$$string', [T('$string')]],
  ['\\\\.\\pipe\\pipename', [T('\\\\.\\pipe\\pipename')]],
  ['${string}', [F('string')]],
  ['${string,}', [F('string', ',')]],
  ['${string,,}', [F('string', ',,')]],
  ['${string^}', [F('string', '^')]],
  ['${string^^}', [F('string', '^^')]],
  ['${string:position}', [F('string', ':', [T('position')])]],
  ['${string:position:length}', [F('string', ':', [T('position'), T('length')])]],
  ['${string#substring}', [F('string', '#', [T('substring')])]],
  ['${string##substring}', [F('string', '##', [T('substring')])]],
  ['${string%substring}', [F('string', '%', [T('substring')])]],
  ['${string%%substring}', [F('string', '%%', [T('substring')])]],
  ['${string/substring/replacement}', [F('string', '/', [T('substring'), T('replacement')])]],
  ['${string//substring/replacement}', [F('string', '//', [T('substring'), T('replacement')])]],
  ['${string/#substring/replacement}', [F('string', '/#', [T('substring'), T('replacement')])]],
  ['${string/%substring/replacement}', [F('string', '/%', [T('substring'), T('replacement')])]],
  ['${string=default}', [F('string', '=', [T('default')])]],
  ['${string:=default}', [F('string', ':=', [T('default')])]],
  ['${string:-default}', [F('string', ':-', [T('default')])]],
  ['${string:?default}', [F('string', ':?', [T('default')])]],
  ['${string:+default}', [F('string', ':+', [T('default')])]],
  ['${#string}', [F('string', '#')]],
  ['${string#$%:*{}', [F('string', '#', [T('$%:*{')])]],
  ['hello ${#string} world', [T('hello '), F('string', '#'), T(' world')]],
  ['\\\\ hello ${#string} world \\\\', [T('\\\\ hello '), F('string', '#'), T(' world \\\\')]],
  ['${string/\\/position/length}', [F('string', '/', [T('/position'), T('length')])]],
  ['${string/\\/position\\\\/length}', [F('string', '/', [T('/position\\'), T('length')])]],
  ['${string/position/\\/length}', [F('string', '/', [T('position'), T('/length')])]],
  ['${string/position/\\/length\\\\}', [F('string', '/', [T('position'), T('/length\\')])]],
  ['${string/position/\\/leng\\\\th}', [F('string', '/', [T('position'), T('/leng\\th')])]],
  ['${string:${position}}', [F('string', ':', [F('position')])]],
  [
    '${string:${stringy:position:length}:${stringz,,}}',
    [F('string', ':', [F('stringy', ':', [T('position'), T('length')]), F('stringz', ',,')])],
  ],
  ['${string#${stringz}}', [F('string', '#', [F('stringz')])]],
  ['${string=${stringz}}', [F('string', '=', [F('stringz')])]],
  ['${string=prefix-${var}}', [F('string', '=', [T('prefix-'), F('var')])]],
  ['${string=${var}-suffix}', [F('string', '=', [F('var'), T('-suffix')])]],
  ['${string=prefix-${var}-suffix}', [F('string', '=', [T('prefix-'), F('var'), T('-suffix')])]],
  ['${string=prefix${var} suffix}', [F('string', '=', [T('prefix'), F('var'), T(' suffix')])]],
  ['${string//${stringy}/${stringz}}', [F('string', '//', [F('stringy'), F('stringz')])]],
];

test('envsubst: parse trees (parse_test.go)', () => {
  for (const [input, want] of parseCases) assert.deepEqual(parseEnvsubst(input), want, input);
});

test('envsubst: case count', () => {
  // Guard that the tables are not accidentally emptied.
  assert.ok(expand.length + strict.length + parseCases.length >= 60);
});

const flux = oracle('flux-2.9');

/** `flux envsubst [--strict]` on one line, with exactly `env` as its environment. */
function fluxEnvsubst(
  input: string,
  env: Record<string, string>,
  strict: boolean,
): { out: string } | { error: string } {
  const r = spawnSync(flux.path, ['envsubst', ...(strict ? ['--strict'] : [])], {
    input: `${input}\n`,
    encoding: 'utf8',
    env: { ...env, HOME: tmpdir() },
  });
  if (r.status !== 0) return { error: r.stderr.replace(/^\u2717 /, '').trim() };
  return { out: r.stdout.replace(/\n$/, '') };
}

test('envsubst: every table row gives what flux envsubst gives', { skip: flux.skip }, (t) => {
  const rows: {
    input: string;
    env: Record<string, string>;
    strict: boolean;
    want: { out: string } | { error: string };
  }[] = [
    ...expand.map(([env, input, out]) => ({ input, env, strict: false, want: { out } })),
    ...strict.map(([env, input, w]) => ({
      input,
      env,
      strict: true,
      want: w instanceof Error ? { error: w.message } : { out: w },
    })),
    ...parseErrors.map(([input, error]) => ({ input, env: {}, strict: false, want: { error } })),
  ];
  assert.ok(rows.length >= 80, `only ${rows.length} rows`);
  const wrong = rows.flatMap((r) => {
    const got = fluxEnvsubst(r.input, r.env, r.strict);
    return isDeepStrictEqual(got, r.want)
      ? []
      : [
          `${r.strict ? 'strict ' : ''}${JSON.stringify(r.input)}: flux ${JSON.stringify(got)}, table ` +
            `${JSON.stringify(r.want)}`,
        ];
  });
  t.diagnostic(`${rows.length - wrong.length}/${rows.length} rows equal to flux envsubst`);
  assert.deepEqual(wrong, [], `${wrong.length} of ${rows.length} rows differ from flux envsubst`);
});
