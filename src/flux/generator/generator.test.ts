/**
 * Table tests for Flux's kustomization generator and spec overrides, over in-memory trees.
 * Expectations follow fluxcd/pkg kustomize_generator_test.go (images, components,
 * IsLocalRelativePath, empty dir, no resources) and the generator's source (walk order, lenient
 * read). The generated kustomizations are cross-checked against kubectl kustomize in
 * test/flux/generator-oracle.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryRepoFs } from '../../repo/repo-fs.js';
import { InputError } from '../../errors.js';
import { generateKustomization, isLocalRelativePath, OVERRIDES } from './index.js';
import type { FluxKustomizationSpec } from '../types.js';

const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

test('generator: empty directory gets namespace _placeholder', () => {
  const fs = new MemoryRepoFs({ 'app/README.md': '# nothing' });
  const g = generateKustomization(fs, 'app');
  assert.equal(g.action, 'created');
  assert.deepEqual(g.kustomization, {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace: '_placeholder',
  });
});

test('generator: existing kustomization without resources gets buildMetadata originAnnotations', () => {
  const fs = new MemoryRepoFs({
    'app/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n',
  });
  const g = generateKustomization(fs, 'app');
  assert.equal(g.action, 'unchanged');
  assert.deepEqual(g.kustomization.buildMetadata, ['originAnnotations']);
  assert.equal(g.kustomization.resources, undefined);
});

test('generator: walk order, subdirectories with a kustomization are not descended, only .yaml/.yml', () => {
  const fs = new MemoryRepoFs({
    'app/b.yaml': cm('b'),
    'app/a.yml': cm('a'),
    'app/A.yaml': cm('A'),
    'app/notes.txt': 'x',
    'app/c.YAML': 'not: scanned',
    'app/sub/kustomization.yaml': 'resources: [x.yaml]\n',
    'app/sub/x.yaml': cm('x'),
    'app/sub/deeper/y.yaml': cm('y'),
    'app/z/deeper/w.yaml': cm('w'),
    'app/z/comment-only.yaml': '# only a comment\n',
    'app/z/v.yaml': cm('v'),
  });
  const g = generateKustomization(fs, 'app');
  assert.deepEqual(g.kustomization.resources, [
    './A.yaml',
    './a.yml',
    './b.yaml',
    './sub',
    './z/comment-only.yaml',
    './z/deeper/w.yaml',
    './z/v.yaml',
  ]);
});

test('generator: invalid Kubernetes YAML fails with the file named', () => {
  const cases: [string, RegExp][] = [
    ['apiVersion: v1\nmetadata:\n  name: x\n', /missing kind/],
    ['apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n', /missing metadata\.name/],
    ['kind: ConfigMap\nmetadata:\n  name: x\ndata: [a, ~]\n', /empty item/],
    ['- a\n- b\n', /not a map/],
    ['a: [\n', /.+/],
  ];
  for (const [text, re] of cases) {
    const fs = new MemoryRepoFs({ 'app/bad.yaml': text });
    assert.throws(
      () => generateKustomization(fs, 'app'),
      (e: unknown) => {
        assert.ok(e instanceof InputError);
        assert.match(e.message, /^failed to decode Kubernetes YAML from app\/bad\.yaml: /);
        assert.match(e.message, re);
        assert.equal(e.pos?.file, 'app/bad.yaml');
        return true;
      },
      text,
    );
  }
});

test('generator: existing file read leniently (unknown fields dropped, YAML 1.1, field order)', () => {
  const fs = new MemoryRepoFs({
    'app/kustomization.yaml':
      'resources: [a.yaml]\nfoo: bar\nnamespace: x\nnameSuffix: ""\napiVersion: kustomize.config.k8s.io/v1beta1\n',
    'app/a.yaml': cm('a'),
  });
  const g = generateKustomization(fs, 'app');
  assert.deepEqual(g.droppedFields, ['foo']);
  assert.deepEqual(Object.keys(g.kustomization), ['apiVersion', 'kind', 'namespace', 'resources']);
  const bad = new MemoryRepoFs({ 'app/kustomization.yml': 'resources: [a.yaml]\ncommonLabels:\n  enabled: yes\n' });
  assert.throws(
    () => generateKustomization(bad, 'app'),
    (e: unknown) =>
      e instanceof InputError &&
      e.fieldPath === 'commonLabels.enabled' &&
      e.pos?.file === 'app/kustomization.yml' &&
      e.pos.line === 3,
  );
});

test('generator: a missing path is an input error naming spec.path', () => {
  assert.throws(
    () => generateKustomization(new MemoryRepoFs({ 'a/x.yaml': cm('x') }), 'nope'),
    (e: unknown) => e instanceof InputError && e.fieldPath === 'spec.path',
  );
});

test('overrides: the order is the one of fluxcd/pkg GenerateManifest', () => {
  assert.deepEqual(
    OVERRIDES.map((o) => o.name),
    [
      'targetNamespace',
      'namePrefix/nameSuffix',
      'patches',
      'components',
      'patchesStrategicMerge/patchesJson6902',
      'images',
      'buildMetadata',
    ],
  );
});

test('overrides: targetNamespace, namePrefix, nameSuffix replace; patches append with adapted selectors', () => {
  const fs = new MemoryRepoFs({
    'app/kustomization.yaml': 'namespace: a\nnamePrefix: p-\nresources: [a.yaml]\npatches:\n- path: p.yaml\n',
    'app/a.yaml': cm('a'),
  });
  const spec: FluxKustomizationSpec = {
    targetNamespace: 'b',
    namePrefix: 'q-',
    nameSuffix: '-s',
    patches: [
      { patch: 'x', target: { kind: 'ConfigMap', name: '', labelSelector: 'a=b', bogus: 1 } as never },
      { patch: 'y' },
    ],
  };
  const k = generateKustomization(fs, 'app', spec).kustomization;
  assert.equal(k.namespace, 'b');
  assert.equal(k.namePrefix, 'q-');
  assert.equal(k.nameSuffix, '-s');
  assert.deepEqual(k.patches, [
    { path: 'p.yaml' },
    { patch: 'x', target: { kind: 'ConfigMap', labelSelector: 'a=b' } },
    { patch: 'y' },
  ]);
});

const IMG = 'ghcr.io/example/app';
const DIGEST = 'sha256:' + 'a'.repeat(64);
// fluxcd/pkg Test_Images: [name, existing, flux, expected]
const imageCases: [string, object[], object[], object[]][] = [
  [
    'existing newTag is preserved when only newName is set',
    [{ name: IMG, newTag: 'v1.2.3' }],
    [{ name: IMG, newName: 'registry.example.com/app' }],
    [{ name: IMG, newTag: 'v1.2.3', newName: 'registry.example.com/app' }],
  ],
  [
    'existing newName is preserved when only newTag is set',
    [{ name: IMG, newName: 'registry.example.com/app' }],
    [{ name: IMG, newTag: 'v2.0.0' }],
    [{ name: IMG, newName: 'registry.example.com/app', newTag: 'v2.0.0' }],
  ],
  [
    'existing digest is preserved when only newName is set',
    [{ name: IMG, digest: DIGEST }],
    [{ name: IMG, newName: 'registry.example.com/app' }],
    [{ name: IMG, digest: DIGEST, newName: 'registry.example.com/app' }],
  ],
  [
    'existing digest is cleared when only newTag is set',
    [{ name: IMG, digest: DIGEST }],
    [{ name: IMG, newTag: 'v2.0.0' }],
    [{ name: IMG, newTag: 'v2.0.0' }],
  ],
  [
    'existing newTag is cleared when only digest is set',
    [{ name: IMG, newTag: 'v1.2.3' }],
    [{ name: IMG, digest: DIGEST }],
    [{ name: IMG, digest: DIGEST }],
  ],
  [
    'existing newName is preserved when newTag replaces digest',
    [{ name: IMG, newName: 'registry.example.com/app', digest: DIGEST }],
    [{ name: IMG, newTag: 'v2.0.0' }],
    [{ name: IMG, newName: 'registry.example.com/app', newTag: 'v2.0.0' }],
  ],
  [
    'newTag and digest set together are both applied',
    [{ name: IMG, newTag: 'v1.2.3' }],
    [{ name: IMG, newTag: 'v2.0.0', digest: DIGEST }],
    [{ name: IMG, newTag: 'v2.0.0', digest: DIGEST }],
  ],
  [
    'entry with only a name leaves the existing entry unchanged',
    [{ name: IMG, newName: 'registry.example.com/app', newTag: 'v1.2.3' }],
    [{ name: IMG }],
    [{ name: IMG, newName: 'registry.example.com/app', newTag: 'v1.2.3' }],
  ],
  [
    'existing fields are overridden when set',
    [{ name: IMG, newName: 'old.example.com/app', newTag: 'v1.2.3' }],
    [{ name: IMG, newName: 'registry.example.com/app', newTag: 'v2.0.0' }],
    [{ name: IMG, newName: 'registry.example.com/app', newTag: 'v2.0.0' }],
  ],
  [
    'image without existing entry is appended',
    [],
    [{ name: IMG, newName: 'registry.example.com/app', newTag: 'v2.0.0' }],
    [{ name: IMG, newName: 'registry.example.com/app', newTag: 'v2.0.0' }],
  ],
];

test('overrides: images merge (fluxcd/pkg Test_Images)', () => {
  for (const [name, existing, flux, expected] of imageCases) {
    const fs = new MemoryRepoFs({
      'app/kustomization.yaml': JSON.stringify({
        resources: ['a.yaml'],
        images: existing.length ? existing : undefined,
      }),
      'app/a.yaml': cm('a'),
    });
    const k = generateKustomization(fs, 'app', { images: flux as never }).kustomization;
    assert.deepEqual(k.images, expected, name);
  }
});

test('overrides: components appended, must be local; ignoreMissingComponents skips missing (Test_IgnoreMissingComponents)', () => {
  const fs = new MemoryRepoFs({
    'base/existing-component/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: []\n',
    'base/overlay/README.md': 'empty overlay',
  });
  const cases: [string[], boolean, string[] | undefined][] = [
    [['existing-component', 'missing-component'], true, ['existing-component']],
    [['missing-component-1', 'missing-component-2'], true, undefined],
    [['existing-component'], true, ['existing-component']],
    [['existing-component', 'missing-component'], false, ['existing-component', 'missing-component']],
  ];
  for (const [comps, ignore, want] of cases) {
    const k = generateKustomization(fs, 'base/overlay', {
      components: comps.map((c) => `../${c}`),
      ignoreMissingComponents: ignore,
    }).kustomization;
    assert.deepEqual(
      k.components,
      want?.map((c) => `../${c}`),
      comps.join(','),
    );
  }
  assert.throws(
    () => generateKustomization(fs, 'base/overlay', { components: ['https://github.com/x/y'] }),
    /component path 'https:\/\/github.com\/x\/y' must be local and relative/,
  );
});

test('isLocalRelativePath (Test_IsLocalRelativePath)', () => {
  const cases: [string, boolean][] = [
    ['foobar.yaml', true],
    ['./foobar.yaml', true],
    ['file://foobar.yaml', true],
    ['file:///foobar.yaml', false],
    ['/foobar.yaml', false],
    ['https://github.com/owner/repo', false],
    ['git@github.com:owner/repo', false],
    ['ssh://git@github.com/owner/repo', false],
    ['github.com/owner/repo', false],
  ];
  for (const [p, want] of cases) assert.equal(isLocalRelativePath(p), want, p);
});

test('overrides: buildMetadata replaces when non-empty; legacy v1beta2 patches appended as JSON', () => {
  const fs = new MemoryRepoFs({ 'app/a.yaml': cm('a') });
  const k = generateKustomization(fs, 'app', {
    buildMetadata: ['originAnnotations', 'transformerAnnotations'],
    patchesStrategicMerge: [{ kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: '1' } }],
    patchesJson6902: [
      { target: { kind: 'ConfigMap', name: 'a' }, patch: [{ op: 'add', path: '/data/y', value: '2' }] },
    ],
  }).kustomization;
  assert.deepEqual(k.buildMetadata, ['originAnnotations', 'transformerAnnotations']);
  assert.deepEqual(k.patchesStrategicMerge, ['{"kind":"ConfigMap","metadata":{"name":"a"},"data":{"x":"1"}}']);
  assert.deepEqual(k.patchesJson6902, [
    { patch: '[{"op":"add","path":"/data/y","value":"2"}]', target: { kind: 'ConfigMap', name: 'a' } },
  ]);
  assert.deepEqual(generateKustomization(fs, 'app', { buildMetadata: [] }).kustomization.buildMetadata, undefined);
});
