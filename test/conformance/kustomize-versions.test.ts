/**
 * Every behaviour difference between kustomize v5.5.0 (kubectl 1.32, Debian's kubectl) and v5.7.1
 * (Flux 2.7+, kubectl 1.35) that reaches our engine, one case each: the `v57` output is pasted from
 * `kustomize build` v5.7.1 and re-checked against it and against `kubectl kustomize` of kubectl
 * 1.35.2; `v55` is what v5.5.0 does instead, re-checked against it; our engine must print `v57`
 * byte for byte. Found by diffing the Go modules of the two releases (api v0.18.0 -> v0.20.1,
 * kyaml v0.18.1 -> v0.20.1) and measured here; the table with sources is in docs/conformance.md.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRepoFs } from '../../src/repo/repo-fs.js';
import { buildKustomization } from '../../src/kustomize/index.js';
import { toGoYamlStream } from '../../src/yaml/go-emit.js';
import {
  kustomizeBuild,
  kustomizeSkip,
  withTempTree,
  type KustomizeOracle,
} from '../../src/kustomize/testing/oracle.js';

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: x, b: "y"}\n';
const CM_OUT = 'apiVersion: v1\ndata:\n  a: x\n  b: "y"\nkind: ConfigMap\nmetadata:\n  name: c\n';

interface VersionCase {
  readonly id: string;
  readonly files: Record<string, string>;
  /** What v5.5.0 prints, or the error it fails with; `same` where both releases agree. */
  readonly v55: string | RegExp | 'same';
  /** What v5.7.1 prints. */
  readonly v57: string;
  /** What v5.8.1 prints where it differs from v5.7.1 (we print v5.8.1's). */
  readonly v58?: string;
}

const CASES: VersionCase[] = [
  {
    id: 'a patch file holding no document (comments only) changes nothing (#5771)',
    files: {
      'kustomization.yaml': 'resources: [cm.yaml]\npatches:\n- path: p.yaml\n  target: {kind: ConfigMap}\n',
      'cm.yaml': CM,
      'p.yaml': '# nothing to patch\n',
    },
    v55: /illegally qualifies as both an SM and JSON patch: \[path: "p.yaml"\]/,
    v57: CM_OUT,
  },
  {
    id: 'a JSON 6902 patch with an empty op list changes nothing (#5771)',
    files: {
      'kustomization.yaml': 'resources: [cm.yaml]\npatches:\n- path: p.json\n  target: {kind: ConfigMap, name: c}\n',
      'cm.yaml': CM,
      'p.json': '[]',
    },
    v55: /illegally qualifies as both an SM and JSON patch: \[path: "p.json"\]/,
    v57: CM_OUT,
  },
  {
    id: 'buildMetadata managedByLabel names the release (#5846)',
    files: { 'kustomization.yaml': 'resources: [cm.yaml]\nbuildMetadata: [managedByLabel]\n', 'cm.yaml': CM },
    v55:
      'apiVersion: v1\ndata:\n  a: x\n  b: "y"\nkind: ConfigMap\nmetadata:\n' +
      '  labels:\n    app.kubernetes.io/managed-by: kustomize-(devel)\n  name: c\n',
    v57:
      'apiVersion: v1\ndata:\n  a: x\n  b: "y"\nkind: ConfigMap\nmetadata:\n' +
      '  labels:\n    app.kubernetes.io/managed-by: kustomize-v5.7.1\n  name: c\n',
    v58:
      'apiVersion: v1\ndata:\n  a: x\n  b: "y"\nkind: ConfigMap\nmetadata:\n' +
      '  labels:\n    app.kubernetes.io/managed-by: kustomize-v5.8.1\n  name: c\n',
  },
  {
    id: 'replacements take a static sourceValue (#5630)',
    files: {
      'kustomization.yaml':
        'resources: [cm.yaml]\nreplacements:\n- sourceValue: "42"\n  targets:\n' +
        '  - select: {kind: ConfigMap}\n    fieldPaths: [data.a, data.n]\n    options: {create: true}\n',
      'cm.yaml': CM,
    },
    v55: /invalid Kustomization: json: unknown field "sourceValue"/,
    v57: 'apiVersion: v1\ndata:\n  a: "42"\n  b: "y"\n  "n": 42\nkind: ConfigMap\nmetadata:\n  name: c\n',
  },
  {
    id: 'images rewrite image volumes (spec[.template.spec].volumes[].image.reference, #5921)',
    files: {
      'kustomization.yaml': 'resources: [w.yaml]\nimages:\n- name: registry.example/models\n  newTag: v2\n',
      'w.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - {name: a, image: nginx}\n' +
        '  volumes:\n  - name: m\n    image: {reference: "registry.example/models:v1", pullPolicy: ' +
        'IfNotPresent}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n' +
        '  template:\n    spec:\n      containers:\n      - {name: a, image: nginx}\n      volumes:\n' +
        '      - name: m\n        image: {reference: registry.example/models}\n',
    },
    v55:
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n' +
      '      containers:\n      - image: nginx\n        name: a\n      volumes:\n      - image:\n' +
      '          reference: registry.example/models\n        name: m\n---\napiVersion: v1\nkind: Pod\n' +
      'metadata:\n  name: p\nspec:\n  containers:\n  - image: nginx\n    name: a\n  volumes:\n  - image:\n' +
      '      pullPolicy: IfNotPresent\n      reference: registry.example/models:v1\n    name: m\n',
    v57:
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n' +
      '      containers:\n      - image: nginx\n        name: a\n      volumes:\n      - image:\n' +
      '          reference: registry.example/models:v2\n        name: m\n---\napiVersion: v1\nkind: Pod\n' +
      'metadata:\n  name: p\nspec:\n  containers:\n  - image: nginx\n    name: a\n  volumes:\n  - image:\n' +
      '      pullPolicy: IfNotPresent\n      reference: registry.example/models:v2\n    name: m\n',
  },
  {
    id: 'several $patch: delete documents in one patch file (v5.5.0 panics, #5859)',
    files: {
      'kustomization.yaml': 'resources: [cm.yaml]\npatches:\n- path: del.yaml\n',
      'cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: ConfigMap\n' +
        'metadata: {name: b}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
      'del.yaml':
        '$patch: delete\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n' +
        '---\n$patch: delete\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n',
    },
    v55: /panic: runtime error: invalid memory address or nil pointer dereference/,
    v57: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
  },
  {
    id: 'a ReplacementTransformer config no longer reads replacements from a key named omitempty (#5877)',
    files: {
      'kustomization.yaml': 'resources: [cm.yaml]\ntransformers: [t.yaml]\n',
      'cm.yaml': CM,
      't.yaml':
        'apiVersion: builtin\nkind: ReplacementTransformer\nmetadata: {name: r}\nomitempty:\n' +
        '- source: {kind: ConfigMap, fieldPath: data.b}\n  targets:\n  - select: {kind: ConfigMap}\n' +
        '    fieldPaths: [data.a]\n',
    },
    v55: 'apiVersion: v1\ndata:\n  a: "y"\n  b: "y"\nkind: ConfigMap\nmetadata:\n  name: c\n',
    v57: CM_OUT,
  },
  {
    id:
      'a field a replacement creates holds an untagged scalar: ' +
      'a source string "3" lands as 3 (both releases; ours kept "3" before)',
    files: {
      'kustomization.yaml':
        'resources: [cm.yaml]\nreplacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.n}\n' +
        '  targets:\n  - select: {kind: Deployment}\n    fieldPaths: [spec.replicas, metadata.annotations.n, ' +
        'spec.template.metadata.labels.n]\n    options: {create: true}\n' +
        '- source: {kind: ConfigMap, name: src, fieldPath: data.t}\n  targets:\n  - select: {kind: Deployment}\n' +
        '    fieldPaths: [spec.paused, metadata.annotations.t]\n    options: {create: true}\n' +
        '- source: {kind: ConfigMap, name: src, fieldPath: data.s}\n  targets:\n  - select: {kind: Deployment}\n' +
        '    fieldPaths: [metadata.annotations.s]\n    options: {create: true}\n',
      'cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: src}\ndata: {n: "3", t: "true", s: "a: b"}\n' +
        '---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n  annotations: {hex: "old"}\n' +
        'spec:\n  replicas: 1\n  strategy: {type: Recreate}\n  template:\n    metadata: {labels: {app: d}}\n' +
        '    spec:\n      containers: [{name: a, image: nginx}]\n',
    },
    v55: 'same',
    v57:
      'apiVersion: v1\ndata:\n  "n": "3"\n  s: \'a: b\'\n  t: "true"\nkind: ConfigMap\nmetadata:\n' +
      '  name: src\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  annotations:\n    hex: old\n' +
      '    "n": "3"\n    s: \'a: b\'\n    t: "true"\n  name: d\nspec:\n  paused: true\n  replicas: 3\n' +
      '  strategy:\n    type: Recreate\n  template:\n    metadata:\n      labels:\n        app: d\n' +
      '        "n": 3\n    spec:\n      containers:\n      - image: nginx\n        name: a\n',
  },
];

/**
 * Every behaviour difference between kustomize v5.7.1 (Flux 2.7, 2.8, kubectl 1.35) and v5.8.1
 * (Flux 2.9: kustomize-controller v1.9.5 pins api v0.21.1), one case each, found by diffing api
 * v0.20.1 -> v0.21.1 and kyaml v0.20.1 -> v0.21.1: `v58` is pasted from `kustomize build` v5.8.1
 * and re-checked against it, `v57` against `kustomize-5.7` and `kubectl-1.35`; we print `v58`.
 */
interface V58Case {
  readonly id: string;
  readonly files: Record<string, string>;
  /** What v5.7.1 prints, or the error it fails with. */
  readonly v57: string | RegExp;
  /** What v5.8.1 prints (and we do), or the error it fails with (and we do). */
  readonly v58: string | RegExp;
}

const CM_T = (name: string, ns?: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}${ns ? `, namespace: ${ns}` : ''}}\ndata: {k: old}\n`;
const CM_T_OUT = (name: string, k: string, ns?: string) =>
  `apiVersion: v1\ndata:\n  k: ${k}\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}`;
const SET_K = (select: string, extra = '') =>
  `resources: [cm.yaml]\nreplacements:\n- sourceValue: new\n` +
  `  targets:\n  - select: ${select}\n${extra}    fieldPaths: [data.k]\n`;
const JSON_CM = (key: string, text: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  ${key}: ${text}\n`;
const SET_JSON = (path: string, value = 'new', create = false) =>
  `resources: [cm.yaml]\nreplacements:\n- sourceValue: "${value}"\n  targets:\n  - select: {kind: ConfigMap}\n` +
  `    fieldPaths: ["${path}"]\n${create ? '    options: {create: true}\n' : ''}`;

const V58_CASES: V58Case[] = [
  {
    id: 'replacement targets are selected by regex (name: "t-.*")',
    files: {
      'kustomization.yaml': SET_K('{kind: ConfigMap, name: "t-.*"}'),
      'cm.yaml': CM_T('t-1') + '---\n' + CM_T('u'),
    },
    v57: CM_T_OUT('t-1', 'old') + '---\n' + CM_T_OUT('u', 'old'),
    v58: CM_T_OUT('t-1', 'new') + '---\n' + CM_T_OUT('u', 'old'),
  },
  {
    id: 'a target select with namespace: default no longer selects an object written without a namespace',
    files: {
      'kustomization.yaml': SET_K('{kind: ConfigMap, namespace: default}'),
      'cm.yaml': CM_T('a') + '---\n' + CM_T('b', 'default'),
    },
    v57: CM_T_OUT('b', 'new', 'default') + '---\n' + CM_T_OUT('a', 'new'),
    v58: CM_T_OUT('b', 'new', 'default') + '---\n' + CM_T_OUT('a', 'old'),
  },
  {
    id: 'replacement rejects are regexes too',
    files: {
      'kustomization.yaml': SET_K('{kind: ConfigMap}', '    reject: [{name: "a.*"}]\n'),
      'cm.yaml': CM_T('ab') + '---\n' + CM_T('b'),
    },
    v57: CM_T_OUT('ab', 'new') + '---\n' + CM_T_OUT('b', 'new'),
    v58: CM_T_OUT('ab', 'old') + '---\n' + CM_T_OUT('b', 'new'),
  },
  {
    id: 'an invalid target regex is an error',
    files: { 'kustomization.yaml': SET_K('{kind: ConfigMap, name: "t-("}'), 'cm.yaml': CM_T('t-1') },
    v57: CM_T_OUT('t-1', 'old'),
    v58: /error creating target selector/,
  },
  {
    id: 'a target path into compact JSON kept in a ConfigMap key rewrites the JSON (keys sorted, <>& escaped)',
    files: {
      'kustomization.yaml': SET_JSON('data.[config.json].a.b', 'x<&>y'),
      'cm.yaml': JSON_CM('config.json', `'{"z": 1, "a": {"b": "old", "c": 2.50}}'`),
    },
    v57: /unable to find field "data\.\[config\.json\]\.a\.b" in replacement target/,
    v58:
      'apiVersion: v1\ndata:\n  config.json: \'{"a":{"b":"x\\u003c\\u0026\\u003ey","c":2.5},"z":1}\'\n' +
      'kind: ConfigMap\nmetadata:\n  name: c\n',
  },
  {
    id:
      'pretty JSON (a newline and two spaces) is written back indented; ' +
      'an escaped dot names the key; create adds a key',
    files: {
      'kustomization.yaml': SET_JSON('data.config\\\\.json.a.n', '7', true),
      'cm.yaml': JSON_CM('config.json', '|\n    {\n      "a": {"b": [1, {}]}\n    }'),
    },
    v57: /unable to find or create field "data\.config\\+\.json\.a\.n" in replacement target/,
    v58:
      'apiVersion: v1\ndata:\n  config.json: |-\n    {\n      "a": {\n        "b": [\n          1,\n' +
      '          {}\n        ],\n        "n": 7\n      }\n    }\nkind: ConfigMap\nmetadata:\n  name: c\n',
  },
  {
    id: 'a text into a JSON number: kustomize cannot write it and changes nothing, without an error',
    files: {
      'kustomization.yaml': SET_JSON('metadata.annotations.cfg.port', 'abc'),
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations: {cfg: \'{"port": 80}\'}\n',
    },
    v57: /unable to find field "metadata\.annotations\.cfg\.port" in replacement target/,
    v58: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n    cfg: \'{"port": 80}\'\n  name: c\n',
  },
  {
    id: 'a target path into sorted block YAML kept in a ConfigMap key',
    files: {
      'kustomization.yaml': SET_JSON('data.[app.yaml].server.host', 'db.example'),
      'cm.yaml': JSON_CM('app.yaml', '|\n    server:\n      host: localhost\n      port: 80\n'),
    },
    v57: /unable to find field "data\.\[app\.yaml\]\.server\.host" in replacement target/,
    v58:
      'apiVersion: v1\ndata:\n  app.yaml: |-\n    server:\n      host: db.example\n' +
      '      port: 80\nkind: ConfigMap\nmetadata:\n  name: c\n',
  },
  {
    id: 'a patch text holding no document (comments only) changes nothing and needs no target',
    files: {
      'kustomization.yaml': 'resources: [cm.yaml]\npatches:\n- path: p.yaml\n',
      'cm.yaml': CM,
      'p.yaml': '# nothing to patch\n',
    },
    v57: /must specify a target for JSON patch \[path: "p\.yaml"\]/,
    v58: CM_OUT,
  },
  {
    id: 'a patch text {} changes nothing (its target is not even compiled)',
    files: {
      'kustomization.yaml': 'resources: [cm.yaml]\npatches:\n- path: p.yaml\n  target: {kind: ConfigMap}\n',
      'cm.yaml': CM,
      'p.yaml': '{}\n',
    },
    v57: /cannot unmarshal object into Go value of type jsonpatch\.Patch/,
    v58: CM_OUT,
  },
  {
    id: 'a generator whose object exists names its behavior in the error (unspecified)',
    files: {
      'kustomization.yaml':
        'resources: [cm.yaml]\nconfigMapGenerator:\n- name: c\n' +
        '  literals: [a=b]\n  options: {disableNameSuffixHash: true}\n',
      'cm.yaml': CM,
    },
    v57: /exists; behavior must be merge or replace/,
    v58: /exists; can not use behavior: 'unspecified', behavior must be merge or replace/,
  },
  {
    id: 'patches[].options is a struct: an unknown option is an error',
    files: {
      'kustomization.yaml':
        'resources: [cm.yaml]\npatches:\n- patch: "{apiVersion: v1, kind: ConfigMap, ' +
        'metadata: {name: c}, data: {a: y}}"\n  options: {allowNameChange: true, foo: true}\n',
      'cm.yaml': CM,
    },
    v57: 'apiVersion: v1\ndata:\n  a: "y"\n  b: "y"\nkind: ConfigMap\nmetadata:\n  name: c\n',
    v58: /unknown field "foo"/,
  },
];

function oracleOutcome(files: Record<string, string>, version: KustomizeOracle): string {
  const r = withTempTree(files, (root) => kustomizeBuild(root, [], version));
  return r.ok ? r.text : `error: ${r.error}`;
}

function ourOutcome(files: Record<string, string>): string {
  try {
    return toGoYamlStream(buildKustomization(new MemoryRepoFs(files), '').map((r) => r.object));
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

function assertOutcome(got: string, want: string | RegExp): void {
  if (typeof want === 'string') assert.equal(got, want);
  else assert.match(got, new RegExp(`^error: .*${want.source}`, 's'));
}

for (const c of V58_CASES) {
  test(`v5.8.1: ${c.id}: we do what v5.8.1 does`, () => {
    assertOutcome(ourOutcome(c.files), c.v58);
  });
  test(`v5.8.1: ${c.id}: kustomize-5.8 still does it`, { skip: kustomizeSkip('kustomize-5.8') }, () => {
    assertOutcome(oracleOutcome(c.files, 'kustomize-5.8'), c.v58);
  });
  for (const version of ['kustomize-5.7', 'kubectl-1.35'] as const) {
    test(`v5.8.1: ${c.id}: ${version} does otherwise`, { skip: kustomizeSkip(version) }, () => {
      assertOutcome(oracleOutcome(c.files, version), c.v57);
    });
  }
}

for (const c of CASES) {
  test(`v5.7.1: ${c.id}: we print what v5.8.1 prints`, () => {
    assert.equal(ourOutcome(c.files), c.v58 ?? c.v57);
  });
  test(`v5.7.1: ${c.id}: kustomize-5.8 prints ${c.v58 ? 'its own output' : 'the same'}`, {
    skip: kustomizeSkip('kustomize-5.8'),
  }, () => {
    assert.equal(oracleOutcome(c.files, 'kustomize-5.8'), c.v58 ?? c.v57);
  });
  for (const version of ['kustomize-5.7', 'kubectl-1.35'] as const) {
    test(`v5.7.1: ${c.id}: ${version} still prints the pasted output`, { skip: kustomizeSkip(version) }, () => {
      assert.equal(oracleOutcome(c.files, version), c.v57);
    });
  }
  test(`v5.7.1: ${c.id}: kustomize-5.5 ${c.v55 === 'same' ? 'agrees' : 'does otherwise'}`, {
    skip: kustomizeSkip('kustomize-5.5'),
  }, () => {
    const got = oracleOutcome(c.files, 'kustomize-5.5');
    if (c.v55 === 'same') return assert.equal(got, c.v57);
    if (typeof c.v55 === 'string') assert.equal(got, c.v55);
    else assert.match(got, c.v55);
    assert.notEqual(got, c.v57);
  });
}
