/**
 * Replacements into JSON and YAML texts (kustomize v5.8.1), against `kustomize build` v5.8.1
 * (`kustomize-5.8`, what Flux 2.9 runs): each tree is built by both, and ours must print the same
 * bytes; the YAML texts we do not reproduce must be refused with an InputError naming the field,
 * never written otherwise. The unit tests of the JSON writer need no oracle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../errors.js';
import { MemoryRepoFs } from '../../repo/repo-fs.js';
import { toGoYamlStream } from '../../yaml/go-emit.js';
import { buildKustomization } from '../index.js';
import { kustomizeBuild, kustomizeSkip, withTempTree } from '../testing/oracle.js';
import { goJsonIndent } from './replacement-structured.js';

const CM = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: t}\ndata:\n${data}`;
const tree = (data: string, replacement: string, paths: string, extra = '') => ({
  'kustomization.yaml':
    `resources: [cm.yaml]\nreplacements:\n- ${replacement}\n  targets:\n` +
    `  - select: {kind: ConfigMap, name: t}\n    fieldPaths: [${paths}]\n${extra}`,
  'cm.yaml': CM(data),
});

const SAME: Record<string, Record<string, string>> = {
  'a list entry selected by [name=b] inside JSON': tree(
    `  c.json: '{"items": [{"name": "a", "v": 1}, {"name": "b", "v": 2}]}'\n`,
    'sourceValue: "9"',
    '"data.[c.json].items.[name=b].v"',
  ),
  'JSON escapes, big integers, small and large floats': tree(
    `  c.json: '{"s": "line\\nnext \\u00e9 \\u2028", "big": 12345678901234, "f": 0.000001, "e": 1e21, "t": "old"}'\n`,
    'sourceValue: "new"',
    '"data.[c.json].t"',
  ),
  '"true" into a JSON string stays a string, into a created key becomes true': tree(
    `  c.json: '{"a": "x"}'\n`,
    'sourceValue: "true"',
    '"data.[c.json].a", "data.[c.json].b"',
    '    options: {create: true}\n',
  ),
  'a newline without two spaces: compact JSON': tree(
    '  c.json: |\n    {"a": "x",\n    "b": 1}\n',
    'sourceValue: "y"',
    '"data.[c.json].a"',
  ),
  'a map source over a JSON value': {
    ...tree(
      `  c.json: '{"a": {"k": 1}}'\n`,
      'source: {kind: ConfigMap, name: src, fieldPath: data}',
      '"data.[c.json].a"',
    ),
    'cm.yaml':
      CM(`  c.json: '{"a": {"k": 1}}'\n`) +
      '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: src}\ndata: {m: "x"}\n',
  },
  'a wildcard over a JSON list': tree(`  c.json: '[{"a": 1}, {"a": 2}]'\n`, 'sourceValue: "5"', '"data.[c.json].*.a"'),
  'JSON control characters: \\b and \\f short (Go 1.22+), others \\u00XX': tree(
    `  c.json: '{"s": "a\\bb\\fc\\u0001d", "t": "x"}'\n`,
    'sourceValue: "y"',
    '"data.[c.json].t"',
  ),
  'an int into a JSON number': tree(`  c.json: '{"port": 80}'\n`, 'sourceValue: "8080"', '"data.[c.json].port"'),
  'a sorted block YAML text in a double-quoted scalar': tree(
    '  c.yaml: "b: 1\\nc: x"\n',
    'sourceValue: "2"',
    '"data.[c.yaml].b"',
  ),
};

function ours(files: Record<string, string>): string {
  return toGoYamlStream(buildKustomization(new MemoryRepoFs(files), '').map((r) => r.object));
}

for (const [name, files] of Object.entries(SAME)) {
  test(`structured replacement: ${name}: the bytes kustomize v5.8.1 prints`, {
    skip: kustomizeSkip('kustomize-5.8'),
  }, () => {
    const want = withTempTree(files, (root) => kustomizeBuild(root, [], 'kustomize-5.8'));
    assert.ok(want.ok, !want.ok ? want.error : '');
    assert.equal(ours(files), want.text);
  });
}

const REFUSED: Record<string, Record<string, string>> = {
  'a YAML text with a comment': tree(
    '  c.yaml: |\n    # note\n    b: old\n',
    'sourceValue: "new"',
    '"data.[c.yaml].b"',
  ),
  'a YAML text whose sequence is indented': tree(
    '  c.yaml: |\n    a:\n      - x\n    b: old\n',
    'sourceValue: "new"',
    '"data.[c.yaml].b"',
  ),
  'a YAML text whose keys are not sorted': tree(
    '  c.yaml: |\n    z: 1\n    b: old\n',
    'sourceValue: "new"',
    '"data.[c.yaml].b"',
  ),
  'a text into a YAML number (kustomize writes !!int)': tree(
    '  c.yaml: "a: 5"\n',
    'sourceValue: "abc"',
    '"data.[c.yaml].a"',
  ),
  'a key created inside YAML (kustomize appends it)': tree(
    '  c.yaml: "a: 5"\n',
    'sourceValue: "x"',
    '"data.[c.yaml].b"',
    '    options: {create: true}\n',
  ),
};

for (const [name, files] of Object.entries(REFUSED)) {
  test(`structured replacement: ${name}: kustomize v5.8.1 writes it, we refuse it`, {
    skip: kustomizeSkip('kustomize-5.8'),
  }, () => {
    assert.throws(
      () => ours(files),
      (e: unknown) => e instanceof InputError && /inside the YAML text of field "data\.c\.yaml"/.test(e.message),
    );
    const want = withTempTree(files, (root) => kustomizeBuild(root, [], 'kustomize-5.8'));
    assert.ok(want.ok, !want.ok ? want.error : '');
  });
}

test('goJsonIndent is json.MarshalIndent(v, "", "  "): keys sorted byte-wise, empty collections inline', () => {
  assert.equal(
    goJsonIndent({ b: [1, {}], a: { z: [], '10': 'x<', '9': null } }),
    '{\n  "a": {\n    "10": "x\\u003c",\n    "9": null,\n    "z": []\n  },\n  "b": [\n    1,\n    {}\n  ]\n}',
  );
});
