/**
 * The fast path (fast-block.ts) against the full reader (parseGoYamlFull: the npm `yaml` library
 * + the go-yaml Converter) as the oracle: for every YAML file of the corpus, the fixtures and a
 * generated fleet, in both dialects and with annotationsAsText on and off, and for thousands of
 * seeded mutations of corpus files, the fast path either declines or gives deep-equal values (key
 * order included) and the same document line and column; where the full reader fails, the fast
 * path declines.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fastParseGoYaml, type FastOptions } from './fast-block.js';
import { parseGoYaml, parseGoYamlFull } from './go-yaml.js';
import { syntheticFleet } from '../bench/synthetic-fleet.js';
import { mulberry32 as rng } from '../seeded-random.js';
import { generateAll } from '../generators/index.js';
import { toYaml } from './emit.js';
import { toGoYamlStream } from './go-emit.js';
import { CORPUS, mutateYaml, pathsOf, yamlFiles } from './testing.js';

const ROOT = new URL('../..', import.meta.url).pathname;

const MODES: FastOptions[] = [
  { dialect: 'v3', annotationsAsText: true },
  { dialect: 'v3', annotationsAsText: false },
  { dialect: 'v2', annotationsAsText: false },
  { dialect: 'v2', annotationsAsText: true },
];

const normalize = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).replace(/\r\n/g, '\n');

type Outcome = 'accepted' | 'declined' | 'both-refuse' | 'declined-refused';

/** Runs both readers on one text; asserts they agree; says what happened. */
function compare(text: string, opts: FastOptions, label: string): Outcome {
  let full: { value: unknown; line: number; column: number }[] | undefined;
  let fullError: string | undefined;
  try {
    full = parseGoYamlFull(text, 'f.yaml', opts).map((d) => ({ value: d.value, line: d.line, column: d.column }));
  } catch (e) {
    fullError = (e as Error).message;
  }
  const fast = fastParseGoYaml(normalize(text), opts);
  if (fast === undefined) return fullError === undefined ? 'declined' : 'declined-refused';
  const where = `${label} (${opts.dialect}, annotationsAsText=${opts.annotationsAsText})`;
  assert.equal(fullError, undefined, `fast path accepted what the full reader refuses: ${where}: ${fullError}`);
  assert.deepStrictEqual(fast, full, `values or positions differ: ${where}`);
  assert.equal(JSON.stringify(fast), JSON.stringify(full), `key order differs: ${where}`);
  // node positions (for error messages): every path of the value, and paths that miss
  const withPos = parseGoYaml(text, 'f.yaml', opts);
  const fullDocs = parseGoYamlFull(text, 'f.yaml', opts);
  withPos.forEach((doc, i) => {
    for (const path of pathsOf(doc.value, 400, false)) {
      assert.deepStrictEqual(
        doc.posOf(path),
        fullDocs[i]!.posOf(path),
        `posOf(${JSON.stringify(path)}) differs: ${where}`,
      );
      assert.deepStrictEqual(
        doc.keyPosOf(path),
        fullDocs[i]!.keyPosOf(path),
        `keyPosOf(${JSON.stringify(path)}) differs: ${where}`,
      );
    }
  });
  return 'accepted';
}

/** Paths to every node of a value (at most 400), each also with a segment that matches nothing. */

function tally(files: { label: string; text: string }[]) {
  const perMode = MODES.map(() => ({ accepted: 0, declined: 0, refused: 0 }));
  const declinedFiles: string[] = [];
  for (const f of files) {
    MODES.forEach((m, i) => {
      const o = compare(f.text, m, f.label);
      const t = perMode[i]!;
      if (o === 'accepted') t.accepted++;
      else if (o === 'declined') t.declined++;
      else t.refused++;
      if (i === 0 && o !== 'accepted') declinedFiles.push(f.label);
    });
  }
  return { perMode, declinedFiles };
}

const describeTally = (r: ReturnType<typeof tally>) =>
  MODES.map(
    (m, i) =>
      `${m.dialect}/aat=${m.annotationsAsText}: ${r.perMode[i]!.accepted} accepted, ` +
      `${r.perMode[i]!.declined} declined, ${r.perMode[i]!.refused} refused by both`,
  ).join('; ');

const corpusFiles = (() => {
  try {
    return yamlFiles(CORPUS).map((p) => ({ label: relative(CORPUS, p), text: readFileSync(p, 'utf8') }));
  } catch {
    return [];
  }
})();

test('corpus: every YAML file, both dialects, annotationsAsText on and off', (t) => {
  if (corpusFiles.length === 0) return t.skip(`no corpus at ${CORPUS}`);
  const r = tally(corpusFiles);
  t.diagnostic(`${corpusFiles.length} corpus files: ${describeTally(r)}`);
  t.diagnostic(`declined (v3, annotationsAsText): ${r.declinedFiles.join(', ')}`);
  // the fast path is only worth having if it reads most real manifests
  assert.ok(
    r.perMode[0]!.accepted >= 0.9 * corpusFiles.length,
    `fast path accepted only ${r.perMode[0]!.accepted} of ${corpusFiles.length}`,
  );
});

test('fixtures and examples: every YAML file', (t) => {
  const files = [
    ...yamlFiles(join(ROOT, 'test')),
    ...yamlFiles(join(ROOT, 'examples')),
    ...yamlFiles(join(ROOT, 'src')),
  ].map((p) => ({
    label: relative(ROOT, p),
    text: readFileSync(p, 'utf8'),
  }));
  const r = tally(files);
  t.diagnostic(`${files.length} repository files: ${describeTally(r)}`);
});

test('generated fleet: every YAML file the generators write, and the built output format', (t) => {
  const fleet = syntheticFleet({ clusters: 6, tenants: 4, appsPerTenant: 2, seed: 7 });
  const files = [
    ...generateAll(fleet).filter((f) => /\.ya?ml$/.test(f.path)),
    { path: 'fleet.yaml', content: toYaml(fleet) },
  ].map((f) => ({ label: f.path, text: f.content }));
  const r = tally(files);
  t.diagnostic(`${files.length} generated files: ${describeTally(r)}`);
  assert.equal(r.perMode[0]!.accepted, files.length, `declined: ${r.declinedFiles.join(', ')}`);
  // what our Go-style emitter prints (build output read back by tests and oracles)
  const objects = parseGoYamlFull(
    files
      .filter((f) => f.label.endsWith('.yaml'))
      .map((f) => f.text)
      .join('\n---\n'),
    'all.yaml',
  ).map((d) => d.value);
  assert.equal(compare(toGoYamlStream(objects), MODES[0]!, 'go-emit stream'), 'accepted');
});

test('edge cases agree with the full reader', () => {
  const cases = [
    'a: |\n  x\n',
    'a: |\n  x',
    'a: |+\n  x',
    'a: |+\n  x\n',
    'a: |+\n  x\n\n',
    'a: |+\n  x\n\n\nb: 1\n',
    'a: |-\n  x\n\n',
    'a: >\n  x\n  y\n\n  z\n    more\n  back\n',
    'a: >-\n  a\n    b\n  c\n',
    'a: >+\n  x\n   \n',
    'a: |\n\n  x\n  \n    y\n',
    'a: |\n   \n  x\n',
    'a: |\n  x\n  # not a comment\n# a comment\nb: 2\n',
    'a: | # c\n  x\n',
    'a: |#c\n  x\n',
    'a: |2\n   x\n',
    '- |\n x\n- >\n  y\n',
    'a:\n- x\n- y\nb: 1\n',
    '- a: 1\n  b:\n  - 2\n  c: |\n    t\n- d\n',
    'a:\n  - b: 1\n    c: 2\n  -\n  - []\n  - {}\n',
    '-\n  a: 1\n-\n- - x\n',
    'metadata:\n  annotations:\n    a:\n    b: 0755\n    c: "0755"\n    d: .inf\n  labels:\n    e: 0755\n',
    'metadata:\n  annotations:\n  -\n  - 1\n',
    'a: "x\\ty\\u00e9\\x41\\U0001F600\\"\\\\\\/"\nb: \'it\'\'s\'\nc: "\\q"\n',
    'a: "multi\n  line"\n',
    'a: multi\n  line\n',
    "a: 'x' y\n",
    'a: "x"#c\n',
    'yes: 1\n1: 2\n~: 3\n2001-12-14: 4\n',
    '"yes": 1\n\'1\': 2\n',
    'a: 1\na: 2\n',
    'a: &x 1\nb: *x\n',
    'a: !!str 1\n',
    '<<: {a: 1}\n',
    '? a\n: b\n',
    'a: [1, 2]\n',
    'a: {b: 1}\n',
    'a: b: c\n',
    'a:b\n',
    'a: b\n c\n',
    '  a: 1\n  b: 2\n',
    '  a: 1\n b: 2\n',
    '---\na: 1\n---\n---\n- 1\n...\n',
    '--- # c\na: 1\n',
    '--- a: 1\n',
    '%YAML 1.2\n---\na: 1\n',
    'a:\tb\n',
    '\ta: b\n',
    'a: b # c\n#d\n  # e\nf: g#h\n',
    'a: .nan\n',
    'x: 0x1F\ny: 1e3\nz: -.5\nw: 1_000\nv: 2001-12-14 21:59:43.10\n',
    'a: ${VAR}\nb: [x]\nc: {}\nd: -x\ne: "a: b"\n',
    '- "a": 1\n  \'b\': 2\n',
    'a :  b  \n',
    '__proto__: 1\n',
    'a: @x\n',
    'a: `x\n',
    'a: -\n',
    'a: - b\n',
    '# only a comment\n',
    '',
    '---\n',
    'plain scalar\n',
    'a: |\n',
    'a: >\n\nb: 1\n',
    'a:\n  b: |\n    x\n  c: 1\n',
    'a: |\n  x\n y\n',
    'a: b\n  > c\n  [d] {e} &f *g !h |i \'j\' "k" %l @m `n ,o ?p -q :r\n  - s\n',
    'a: b\n  c #d\ne: f\n',
    '- b\n c\n-  d\n   e\n',
    'a:\n  b\n  c\nd: e\n',
    'a: b\n  &x c\n',
    'a: b\n  [c]\n',
    'a: b\n  "c"\n',
    'a: b\n  -c\n',
    'a: b\n  ? c\n',
    'a: b\n  c: d\n',
    'a: b\n\n  c\n',
    'a: b\n  # c\n  d\n',
    "a: 'x\n  y\n\n  z ''q'' '\nb: \"x \\\n   y\n  \\ z\\t\n\n\n  w\"\n",
    '- "a\nb"\n',
    'k:\n- "a\n b"\n',
    'a: "x\n---\n"\n',
    "a: 'x\n  y' z\n",
    '- a: "x\n  y"\n',
    'a: &p 1\nb: &p 2\nc: *p\nd: [*p]\n',
    'a: &p "1"\nb: *p\nmetadata:\n  annotations:\n    x: &q 0755\n    y: *q\n  z: *q\n',
    'a: *nope\n',
    'a: &x\n  b: 1\n',
    'a: {b: [1, "2", \'3\'], c: {}}\nd: [ ]\ne: [a, b,]\nf: [a,,b]\ng: {a: 1, a: 2}\nh: {"x": y}\ni: {a:1}\n',
    'a: [a b, -1, ?x]\n',
    'a: owner ?*\nb: ?*\nc: :x\n',
  ];
  let accepted = 0;
  for (const c of cases) for (const m of MODES) if (compare(c, m, JSON.stringify(c)) === 'accepted') accepted++;
  assert.ok(accepted > 0);
});

test('a one-line flow collection alone on its line (a value, a document): read, as the full reader', () => {
  // Helm's `key: {{- toYaml .Values.x | nindent 8 }}` prints `key:` then `{}` on the next line.
  const accepted = [
    'spec:\n  affinity:\n    {}\n  replicas: 1\n',
    'metadata:\n  annotations:\n    {}\n  labels:\n    app: x\n',
    'a:\n  []\nb:\n  [x, "y", 1, true]\nc:\n    {d: [e], f: {}}  # c\n',
    'a:\n- x\n-\n  {}\n-\n  [1, 2]\n',
    'a:\n  b:\n        []\n  c: 1\n',
    '{}', // a whole document: Helm's `toYaml` of an empty map, read again by `fromYaml`
    '[a, {b: 1}]\n',
    '---\n{}\n---\n  []\n',
  ];
  const declined = [
    'a:\n  [x,\n  y]\n', // over two lines
    'a:\n  {}\n  b: 1\n', // more content at the flow value's indentation
    'a:\n  {} x\n',
    'a:\n  [x]]\n',
    'a:\n  {b: 1}: c\n', // a flow mapping as a key
    'a:\n  [b]: c\n',
    '{}\na: 1\n',
    '{}\n[]\n',
    '[a]\n  - b\n',
  ];
  for (const m of MODES) {
    for (const c of accepted) assert.equal(compare(c, m, JSON.stringify(c)), 'accepted', JSON.stringify(c));
    for (const c of declined) assert.notEqual(compare(c, m, JSON.stringify(c)), 'accepted', JSON.stringify(c));
  }
  const doc = parseGoYaml('a:\n  b:\n    {c: [1]}\n', 'f.yaml')[0]!;
  assert.deepStrictEqual(doc.posOf(['a', 'b', 'c', 0]), { line: 3, column: 10 });
});

test('parseGoYaml: same documents as the full reader, and positions of nodes for error messages', () => {
  const text =
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n' +
    '    a: 0755\ndata:\n  k: |\n    v\n---\n- a: 1\n  b: 2\n';
  const fast = parseGoYaml(text, 'f.yaml', { annotationsAsText: true });
  const full = parseGoYamlFull(text, 'f.yaml', { annotationsAsText: true });
  assert.ok(fastParseGoYaml(text, MODES[0]!) !== undefined, 'the fast path reads this text');
  assert.deepStrictEqual(
    fast.map((d) => d.value),
    full.map((d) => d.value),
  );
  for (const [i, path] of [
    [0, ['metadata', 'annotations', 'a']],
    [0, ['data', 'k']],
    [0, ['nope']],
    [1, [0, 'b']],
    [1, [3]],
  ] as const) {
    assert.deepStrictEqual(fast[i]!.posOf(path), full[i]!.posOf(path));
    assert.deepStrictEqual(fast[i]!.keyPosOf(path), full[i]!.keyPosOf(path));
  }
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
];

test('mutation fuzz: seeded random edits of corpus files', (t) => {
  if (corpusFiles.length === 0) return t.skip(`no corpus at ${CORPUS}`);
  // more cases or another seed for a longer run: YAML_FUZZ_CASES=200000 YAML_FUZZ_SEED=2
  const rand = rng(Number(process.env.YAML_FUZZ_SEED ?? 20261125));
  // small texts: whole files under 4 KB, or windows of 5 to 60 lines of larger ones
  const sources = corpusFiles.map((f) => f.text);
  const counts = { accepted: 0, declined: 0, bothRefuse: 0 };
  const CASES = Number(process.env.YAML_FUZZ_CASES ?? 6000);
  for (let n = 0; n < CASES; n++) {
    let text = sources[Math.floor(rand() * sources.length)]!;
    if (text.length > 4000) {
      const lines = text.split('\n');
      const start = Math.floor(rand() * lines.length);
      text = lines.slice(start, start + 5 + Math.floor(rand() * 55)).join('\n') + '\n';
    }
    const mutated = mutateYaml(text, rand, INSERTS);
    const mode = MODES[n % MODES.length]!;
    const o = compare(mutated, mode, `mutation #${n}: ${JSON.stringify(mutated)}`);
    if (o === 'accepted') counts.accepted++;
    else if (o === 'declined') counts.declined++;
    else counts.bothRefuse++;
  }
  t.diagnostic(
    `${CASES} mutations: ${counts.accepted} accepted and equal, ${counts.declined} declined ` +
      `(full reader reads them), ${counts.bothRefuse} refused by the full reader and declined`,
  );
  assert.ok(counts.accepted > CASES / 4, 'the fuzz exercises the fast path');
});
