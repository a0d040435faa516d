/**
 * The fast paths of parseYamlDocuments (YAML 1.2 core schema and 1.1) and of parseYaml11Object
 * (YAML 1.1 with go-yaml v2 tags) against the npm `yaml` library alone as the oracle: for every
 * YAML file of the corpus, the fixtures and a generated fleet, fleet.yaml-shaped text, the
 * substitution round trip's text with envsubst-like edits, and thousands of seeded mutations, the
 * result is the library's: same values (key order, -0, NaN, Infinity included), same document
 * index, line and column, same node positions, same error message. Each case also says whether
 * the fast reader itself accepted it (fastParseGoYaml with the resolver), so the counts show
 * how much the fast path covers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Document } from 'yaml';
import { fastParseGoYaml } from './fast-block.js';
import { parseYamlDocuments, parseYamlDocumentsFull, schemaResolver, type ParseOptions } from './parse.js';
import { emitForSubstitution, parseYaml11Fast, parseYaml11Full, parseYaml11Object } from '../flux/substitute/yaml11.js';
import { syntheticFleet } from '../bench/synthetic-fleet.js';
import { mulberry32 as rng } from '../seeded-random.js';
import { generateAll } from '../generators/index.js';
import { loadFleet } from '../spec/load.js';
import { exampleFile } from '../package-root.js';
import { toYaml } from './emit.js';
import { parseGoYamlFull } from './go-yaml.js';
import { CORPUS, mutateYaml, pathsOf, yamlFiles } from './testing.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** JSON that tells -0, NaN, the infinities, bigints and undefined apart. */
const exact = (v: unknown) =>
  JSON.stringify(v, (_k, x) => {
    if (typeof x === 'number' && !Number.isFinite(x)) return `<num ${x}>`;
    if (Object.is(x, -0)) return '<num -0>';
    if (typeof x === 'bigint') return `<bigint ${x}>`;
    if (x === undefined) return '<undefined>';
    return x;
  });

const lib12 = (() => {
  const d = new Document(null, { version: '1.2', merge: true, uniqueKeys: true });
  return schemaResolver(d.schema, d.options);
})();
const lib11 = (() => {
  const d = new Document(null, { version: '1.1', merge: true, uniqueKeys: true });
  return schemaResolver(d.schema, d.options);
})();

/** Paths to every node of a value (at most 300), each also with a segment that matches nothing. */

const attempt = <T>(f: () => T): { ok: T } | { err: string } => {
  try {
    return { ok: f() };
  } catch (e) {
    return { err: `${(e as Error).constructor.name}: ${(e as Error).message}` };
  }
};

type Counts = { fast: number; declined: number; refused: number };
const newCounts = (): Counts => ({ fast: 0, declined: 0, refused: 0 });

/** parseYamlDocuments against the library alone; counts whether the fast reader took the text. */
function compareDocs(text: string, opts: ParseOptions, label: string, c: Counts, positions = true): void {
  const where = `${label} (version ${opts.version ?? '1.2'})`;
  const full = attempt(() => parseYamlDocumentsFull(text, 'f.yaml', opts));
  const got = attempt(() => parseYamlDocuments(text, 'f.yaml', opts));
  const norm = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const tookFast =
    norm.indexOf('\r') === -1 &&
    fastParseGoYaml(norm, {
      dialect: 'v3',
      annotationsAsText: false,
      resolver: opts.version === '1.1' ? lib11 : lib12,
    }) !== undefined;
  if ('err' in full) {
    assert.ok('err' in got, `the library refuses but parseYamlDocuments read it: ${where}: ${full.err}`);
    assert.equal(got.err, full.err, `error differs: ${where}`);
    assert.ok(!tookFast, `fast reader accepted what the library refuses: ${where}`);
    c.refused++;
    return;
  }
  assert.ok('ok' in got, `parseYamlDocuments failed where the library reads: ${where}: ${'err' in got ? got.err : ''}`);
  const shape = (ds: typeof full.ok) =>
    ds.map((d) => ({ value: d.value, line: d.line, column: d.column, index: d.index }));
  assert.equal(exact(shape(got.ok)), exact(shape(full.ok)), `values, key order or positions differ: ${where}`);
  assert.deepStrictEqual(shape(got.ok), shape(full.ok), `values differ: ${where}`);
  if (positions) {
    got.ok.forEach((doc, i) => {
      for (const path of pathsOf(doc.value, 300, true)) {
        assert.deepStrictEqual(
          doc.posOf(path),
          full.ok[i]!.posOf(path),
          `posOf(${JSON.stringify(path)}) differs: ${where}`,
        );
        assert.deepStrictEqual(
          doc.posOf(path, { key: true }),
          full.ok[i]!.posOf(path, { key: true }),
          `key posOf(${JSON.stringify(path)}) differs: ${where}`,
        );
      }
    });
  }
  if (tookFast) c.fast++;
  else c.declined++;
}

/** parseYaml11Object against the library alone. */
function compare11(text: string, label: string, c: Counts): void {
  const full = attempt(() => parseYaml11Full(text));
  const got = attempt(() => parseYaml11Object(text));
  if ('err' in full) {
    assert.ok('err' in got, `the library refuses but parseYaml11Object read it: ${label}: ${full.err}`);
    assert.equal(got.err, full.err, `error differs: ${label}`);
    c.refused++;
    return;
  }
  assert.ok('ok' in got, `parseYaml11Object failed where the library reads: ${label}: ${'err' in got ? got.err : ''}`);
  assert.equal(exact(got.ok), exact(full.ok), `values or key order differ: ${label}`);
  assert.deepStrictEqual(got.ok, full.ok, `values differ: ${label}`);
  if (parseYaml11Fast(text) !== undefined) c.fast++;
  else c.declined++;
}

const corpusFiles = (() => {
  try {
    return yamlFiles(CORPUS).map((p) => ({ label: relative(CORPUS, p), text: readFileSync(p, 'utf8') }));
  } catch {
    return [];
  }
})();

const describe = (c: Counts) =>
  `${c.fast} read by the fast path and equal, ${c.declined} declined (library reads them), ` +
  `${c.refused} refused by the library with the same error`;

test('parseYamlDocuments: every corpus file, YAML 1.2 and 1.1', (t) => {
  if (corpusFiles.length === 0) return t.skip(`no corpus at ${CORPUS}`);
  for (const version of ['1.2', '1.1'] as const) {
    const c = newCounts();
    for (const f of corpusFiles) compareDocs(f.text, { version }, f.label, c);
    t.diagnostic(`${corpusFiles.length} corpus files, ${version}: ${describe(c)}`);
    assert.ok(c.fast >= 0.8 * corpusFiles.length, `fast path read only ${c.fast} of ${corpusFiles.length}`);
  }
});

test('parseYamlDocuments: fixtures, examples and source YAML files', (t) => {
  const files = [
    ...yamlFiles(join(ROOT, 'test')),
    ...yamlFiles(join(ROOT, 'examples')),
    ...yamlFiles(join(ROOT, 'src')),
  ];
  for (const version of ['1.2', '1.1'] as const) {
    const c = newCounts();
    for (const p of files) compareDocs(readFileSync(p, 'utf8'), { version }, relative(ROOT, p), c);
    t.diagnostic(`${files.length} repository files, ${version}: ${describe(c)}`);
  }
});

const exampleFleet = loadFleet(exampleFile('fleet.yaml'));
const generated = generateAll(exampleFleet).filter((f) => /\.ya?ml$/.test(f.path));
const bigFleet = syntheticFleet({ clusters: 30, tenants: 6, appsPerTenant: 3, seed: 11 });

test('parseYamlDocuments: the generated example fleet and fleet.yaml of a 30-cluster synthetic fleet', (t) => {
  const c = newCounts();
  for (const f of generated) compareDocs(f.content, {}, f.path, c);
  const fleetYaml = toYaml(bigFleet);
  compareDocs(fleetYaml, {}, 'synthetic fleet.yaml', c);
  compareDocs(readFileSync(exampleFile('fleet.yaml'), 'utf8'), {}, 'example fleet.yaml', c);
  t.diagnostic(`${generated.length + 2} files: ${describe(c)}`);
  assert.equal(c.declined + c.refused, 0, 'every generated file and fleet.yaml is read by the fast path');
});

const SCALARS = [
  '~',
  'null',
  'Null',
  'NULL',
  'nUll',
  '',
  'true',
  'True',
  'TRUE',
  'tRue',
  'false',
  'False',
  'FALSE',
  'yes',
  'Yes',
  'no',
  'on',
  'OFF',
  'y',
  'n',
  'Y',
  '0',
  '-0',
  '+0',
  '00',
  '0755',
  '-0755',
  '08',
  '0o17',
  '0O17',
  '0o',
  '0o8',
  '-0o17',
  '0x1F',
  '0X1F',
  '-0x1F',
  '0x',
  '0xg',
  '0b101',
  '0B101',
  '-0b1',
  '1_000',
  '0x_1F',
  '0b1_0',
  '12345678901234567890',
  '-12345678901234567890',
  '9007199254740993',
  '1e3',
  '1E3',
  '-1e-3',
  '+1e+3',
  '1.',
  '.5',
  '-.5',
  '+.5',
  '1.0',
  '1.50',
  '-0.0',
  '0.',
  '1e',
  'e3',
  '1.2.3',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '-.inf',
  '.nan',
  '.NaN',
  '.NAN',
  '-.nan',
  'inf',
  'nan',
  '1:30',
  '-1:30',
  '1:30.5',
  '190:20:30',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '0.1e2',
  '6.8523015e+5',
  '685.230_15e+03',
  '685_230.15',
  '+685_230',
  '02472256',
  '0b1010_0111_0100_1010_1110',
  '0x_0A_74_AE',
  '=',
  '<<',
  'x y',
  '1 2',
  '$VAR',
  '${VAR}',
  'a-b',
];

test('resolution of plain scalars: every scalar form, as value and as key, both versions', (t) => {
  const c = newCounts();
  for (const s of SCALARS) {
    for (const version of ['1.2', '1.1'] as const) {
      for (const form of [`a: ${s}\n`, `b: [${s}]\n`, `c:\n- ${s}\n`, `d: {e: ${s}}\n`])
        compareDocs(form, { version }, JSON.stringify(form), c);
      compareDocs(`${s}: 1\n`, { version }, `key ${JSON.stringify(s)}`, c);
      compareDocs(`a: "${s}"\nb: '${s}'\n`, { version }, `quoted ${JSON.stringify(s)}`, c);
    }
    for (const form of [`a: ${s}\n`, `b: [${s}]\n`, `c:\n- ${s}\n`, `${s}: 2\n`])
      compare11(form, JSON.stringify(form), c);
  }
  t.diagnostic(`${SCALARS.length} scalar forms: ${describe(c)}`);
  assert.ok(c.fast > SCALARS.length, 'the fast path reads scalars');
});

test('edge cases: documents, duplicates, merge keys, aliases, block scalars', (t) => {
  const cases = [
    '',
    '# c\n',
    '---\n',
    '---\na: 1\n',
    'a: 1\n---\n',
    'a: 1\n---\n---\nb: 2\n',
    '# c\n---\na: 1\n---\nb: 2\n',
    '---\n---\n',
    'a: 1\n...\n',
    'a: 1\na: 2\n',
    'a: 1\nb: 2\na: 3\n',
    '1: a\n"1": b\n',
    '1: a\n01: b\n',
    '~: a\nnull: b\n',
    'a: {x: 1, x: 2}\n',
    '"a": 1\na: 2\n',
    '<<: {a: 1}\nb: 2\n',
    '"<<": 1\n',
    'a: &x {b: 1}\nc:\n  <<: *x\n',
    'a: &x 1\nb: *x\nc: [*x]\n',
    'a: *x\n',
    '__proto__: 1\n',
    'a:\n  __proto__: 1\n',
    'a: >\n  x\n    y\n  z\n',
    'a: >-\n  a\n    b\n  c\n',
    'a: |+\n  x\n\n',
    'a: |2\n   x\n',
    'a: !!str 1\n',
    'a: !!int "1"\n',
    '%YAML 1.1\n---\na: 1\n',
    'a:\n  - b: 1\n    c: 2\n  -\n  - []\n  - {}\n',
    '- a\n- b\n',
    'plain\n',
    '"q"\n',
    'a: b\n  c\n',
    'a: "x\n  y"\n',
    'a:\tb\n',
    'a: 1\r\nb: 2\r\n',
    '\ufeffa: 1\n',
    'k: ' + 'x'.repeat(2000) + '\n',
    'x'.repeat(1100) + ': 1\n',
  ];
  const c = newCounts();
  const c11 = newCounts();
  for (const s of cases) {
    for (const version of ['1.2', '1.1'] as const) compareDocs(s, { version }, JSON.stringify(s), c);
    compare11(s, JSON.stringify(s), c11);
  }
  // an alias bomb: the library's cap, and so its error, must stay
  const bomb = 'a: &a x\n' + Array.from({ length: 1100 }, (_, i) => `b${i}: *a`).join('\n') + '\n';
  compareDocs(bomb, {}, 'alias bomb', c, false);
  compare11(bomb, 'alias bomb', c11);
  t.diagnostic(
    `${cases.length + 1} edge cases: parseYamlDocuments: ${describe(c)}; parseYaml11Object: ${describe(c11)}`,
  );
});

const INSERTS = [
  ':',
  ': ',
  '-',
  '- ',
  ' ',
  '  ',
  '"',
  "'",
  '#',
  ' #',
  '|',
  '|-',
  '|+',
  '>',
  '\n',
  '\n\n',
  '[',
  ']',
  '{',
  '}',
  '[]',
  '&a ',
  '*a',
  '!',
  '?',
  '\t',
  '%',
  '...',
  '---\n',
  '0',
  '~',
  'y',
  '\\',
  '\\u00',
  '.inf',
  '1',
  '<<: ',
  'x: ',
  '-0',
  '0x',
  '0o7',
  '1e3',
  'null',
  'True',
];

/** The texts the substitution round trip reads back: objects written by emitForSubstitution. */
const substitutionTexts = (() => {
  const objects: unknown[] = [];
  for (const f of generated) {
    try {
      for (const d of parseGoYamlFull(f.content, f.path)) objects.push(d.value);
    } catch {
      // not a manifest
    }
  }
  objects.push(JSON.parse(JSON.stringify(bigFleet)));
  return objects.map((o) => emitForSubstitution(o));
})();

test('parseYaml11Object: emitted objects of the generated fleet, and envsubst-like edits of them', (t) => {
  const c = newCounts();
  for (const [i, text] of substitutionTexts.entries()) compare11(text, `emitted object #${i}`, c);
  t.diagnostic(`${substitutionTexts.length} emitted objects: ${describe(c)}`);
  assert.equal(c.declined + c.refused, 0, 'every emitted object is read by the fast path');
  const rand = rng(Number(process.env.YAML_FUZZ_SEED ?? 424242));
  const e = newCounts();
  const CASES = Number(process.env.YAML_FUZZ_CASES ?? 3000);
  for (let n = 0; n < CASES; n++) {
    let text = substitutionTexts[Math.floor(rand() * substitutionTexts.length)]!;
    if (text.length > 4000) {
      const lines = text.split('\n');
      const start = Math.floor(rand() * lines.length);
      text = lines.slice(start, start + 5 + Math.floor(rand() * 55)).join('\n') + '\n';
    }
    compare11(mutateYaml(text, rand, INSERTS, SCALARS), `edit #${n}`, e);
  }
  t.diagnostic(`${CASES} edited texts: ${describe(e)}`);
  assert.ok(e.fast > CASES / 4, 'the edits exercise the fast path');
});

test('mutation fuzz: seeded random edits of corpus files and fleet.yaml, parseYamlDocuments 1.2 and 1.1', (t) => {
  if (corpusFiles.length === 0) return t.skip(`no corpus at ${CORPUS}`);
  const rand = rng(Number(process.env.YAML_FUZZ_SEED ?? 20261126));
  const sources = [...corpusFiles.map((f) => f.text), toYaml(bigFleet)];
  const c = newCounts();
  const CASES = Number(process.env.YAML_FUZZ_CASES ?? 4000);
  for (let n = 0; n < CASES; n++) {
    let text = sources[Math.floor(rand() * sources.length)]!;
    if (text.length > 4000) {
      const lines = text.split('\n');
      const start = Math.floor(rand() * lines.length);
      text = lines.slice(start, start + 5 + Math.floor(rand() * 55)).join('\n') + '\n';
    }
    const mutated = mutateYaml(text, rand, INSERTS, SCALARS);
    compareDocs(mutated, { version: n % 2 ? '1.1' : '1.2' }, `mutation #${n}: ${JSON.stringify(mutated)}`, c);
  }
  t.diagnostic(`${CASES} mutations: ${describe(c)}`);
  assert.ok(c.fast > CASES / 4, 'the fuzz exercises the fast path');
});
