/**
 * How a replacement's value lands, against the kustomize our engine follows (v5.8.1, `kustomize-5.8`; the same in
 * v5.7.1): `sourceValue` texts (generated: YAML 1.1/1.2 keywords, number forms, timestamps, quoting hazards) into an
 * existing string field, a field the replacement creates and over a list; and every text into existing int, float, bool
 * and null fields, where kyaml keeps the field's tag and go-yaml then decodes the text under it (`cannot decode !!str
 * `abc` as a !!int`). Ours must print the same bytes, or fail with the same decode message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRepoFs } from '../../src/repo/repo-fs.js';
import { buildKustomization } from '../../src/kustomize/index.js';
import { InputError } from '../../src/errors.js';
import { toGoYamlStream } from '../../src/yaml/go-emit.js';
import { kustomizeBuild, kustomizeSkip, withTempTree } from '../../src/kustomize/testing/oracle.js';

/**
 * `.inf`/`.nan` are left out (kustomize refuses them: `json: unsupported value`), and so are
 * integers beyond 2^53 (JavaScript numbers lose their last digits: 9223372036854775807 prints as
 * ...808, a known limit of ours).
 */
const TEXTS = [
  '1.5',
  'null',
  '~',
  'yes',
  'no',
  'on',
  '0x10',
  '0X10',
  '1e3',
  '1E3',
  'True',
  'TRUE',
  '0o17',
  '0O17',
  '017',
  '08',
  '-0',
  '+1',
  '1_000',
  'a: b',
  '[1]',
  '{x: 1}',
  '- x',
  '"q"',
  "'s'",
  '#c',
  'x #c',
  ' lead',
  'trail ',
  'multi\nline',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '2001-12-14 21:59:43.10',
  '12:30',
  '1:2:3',
  '0b101',
  '-0b11',
  '.5',
  '-.5',
  '5.',
  '1e',
  '0x',
  '1.0',
  '00',
  '-',
  '.',
  'y',
  'n',
  'NULL',
  'False',
  '0.1e-3',
  '1__0',
  '_1',
  '1_',
  'abc',
  '2',
  'true',
  '',
];

const id = (i: number) => String(i).padStart(2, '0');

function textsTree(): Record<string, string> {
  const reps = TEXTS.map(
    (t, i) =>
      `- sourceValue: ${JSON.stringify(t)}\n  targets:\n  - select: {kind: ConfigMap}\n` +
      `    fieldPaths: [data.s${id(i)}, spec.c${id(i)}, spec.l${id(i)}]\n    options: {create: true}\n`,
  );
  const data = TEXTS.map((_, i) => `  s${id(i)}: x\n`).join('');
  const spec = TEXTS.map((_, i) => `  l${id(i)}: [1]\n`).join('');
  return {
    'kustomization.yaml': `resources: [cm.yaml]\nreplacements:\n${reps.join('')}`,
    'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n${data}spec:\n${spec}`,
  };
}

function ours(files: Record<string, string>): string {
  try {
    return toGoYamlStream(buildKustomization(new MemoryRepoFs(files), '').map((r) => r.object));
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    return `error: ${e.message}`;
  }
}

const skip = kustomizeSkip();

test('sourceValue texts into an existing string, a created field and over a list print as kustomize prints them', {
  skip,
}, () => {
  const files = textsTree();
  const want = withTempTree(files, (root) => kustomizeBuild(root));
  assert.ok(want.ok, !want.ok ? want.error : '');
  assert.equal(ours(files), want.text);
});

const TYPED =
  'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nspec:\n  i: 1\n  f: 1.5\n  b: true\n  n: null\n  e:\n';

test('texts into existing int, float, bool and null fields: the same value, or the same decode error, as kustomize', {
  skip,
}, () => {
  let compared = 0;
  for (const [i, t] of TEXTS.entries()) {
    for (const field of ['i', 'f', 'b', 'n', 'e']) {
      const files = {
        'kustomization.yaml':
          `resources: [cm.yaml]\nreplacements:\n- sourceValue: ${JSON.stringify(t)}\n` +
          `  targets:\n  - select: {kind: ConfigMap}\n    fieldPaths: [spec.${field}]\n`,
        'cm.yaml': TYPED,
      };
      const want = withTempTree(files, (root) => kustomizeBuild(root));
      const got = ours(files);
      const where = `text #${i} ${JSON.stringify(t)} into spec.${field}`;
      if (want.ok) assert.equal(got, want.text, where);
      else {
        const decode = /cannot decode [\s\S]*$/.exec(want.error)?.[0];
        assert.ok(decode, `${where}: kustomize failed otherwise: ${want.error}`);
        assert.ok(got.startsWith('error: ') && got.endsWith(decode), `${where}: want ${decode}, got ${got}`);
      }
      compared++;
    }
  }
  assert.equal(compared, TEXTS.length * 5);
});
