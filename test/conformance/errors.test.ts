/**
 * Bad input: for each case kustomize (v5.7.1, the default oracle) fails, and so must we, with an InputError
 * (exit 2 at the CLI) whose message names the problem. The kubectl half runs when kubectl is
 * installed; every case below was checked to fail under kubectl when this table was written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { InputError } from '../../src/errors.js';
import { MemoryRepoFs } from '../../src/repo/repo-fs.js';
import { buildKustomization } from '../../src/kustomize/index.js';
import { kustomizeArgv, kustomizePath, kustomizeSkip, withTempTree } from '../../src/kustomize/testing/oracle.js';

const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n';
const ERRS: { name: string; expect: string; files: Record<string, string>; dir?: string }[] = [
  {
    name: 'unknown field',
    expect: 'unknown field "namePrefx"',
    files: { 'kustomization.yaml': 'resources: [c.yaml]\nnamePrefx: x\n', 'c.yaml': cm },
  },
  {
    name: 'multiple kustomization files',
    expect: 'Found multiple kustomization files',
    files: {
      'kustomization.yaml': 'resources: [c.yaml]\n',
      'kustomization.yml': 'resources: [c.yaml]\n',
      'c.yaml': cm,
    },
  },
  {
    name: 'empty kustomization',
    expect: 'kustomization.yaml is empty',
    files: { 'kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n' },
  },
  {
    name: 'wrong kind',
    expect: 'kind should be Kustomization or Component',
    files: { 'kustomization.yaml': 'kind: Foo\nresources: [c.yaml]\n', 'c.yaml': cm },
  },
  {
    name: 'bool in string field (YAML 1.1 yes)',
    expect: 'commonLabels.a',
    files: { 'kustomization.yaml': 'resources: [c.yaml]\ncommonLabels: {a: yes}\n', 'c.yaml': cm },
  },
  {
    name: 'missing resource',
    expect: "resource 'nope.yaml' not found",
    files: { 'kustomization.yaml': 'resources: [nope.yaml]\n' },
  },
  {
    name: 'duplicate resource id',
    expect: 'already registered id',
    files: { 'kustomization.yaml': 'resources: [c.yaml, d.yaml]\n', 'c.yaml': cm, 'd.yaml': cm },
  },
  {
    name: 'cycle',
    expect: 'cycle detected',
    dir: 'a',
    files: { 'a/kustomization.yaml': 'resources: [../b]\n', 'b/kustomization.yaml': 'resources: [../a]\n' },
  },
  {
    name: 'file outside root (RootOnly)',
    expect: 'is not in or below',
    dir: 'a',
    files: { 'a/kustomization.yaml': 'resources: [../c.yaml]\n', 'c.yaml': cm },
  },
  {
    name: 'component listed as resource',
    expect: "expected kind != 'Component'",
    dir: 'a',
    files: {
      'a/kustomization.yaml': 'resources: [../comp]\n',
      'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [c.yaml]\n',
      'comp/c.yaml': cm,
    },
  },
  {
    name: 'kustomization listed as component',
    expect: "expected kind 'Component'",
    dir: 'a',
    files: {
      'a/kustomization.yaml': 'components: [../b]\n',
      'b/kustomization.yaml': 'resources: [c.yaml]\n',
      'b/c.yaml': cm,
    },
  },
  {
    name: 'duplicate YAML key',
    expect: 'mapping key "name" already defined',
    files: { 'kustomization.yaml': 'resources: [c.yaml]\n', 'c.yaml': cm + '  name: d\n' },
  },
  {
    name: '.inf value',
    expect: 'unsupported value',
    files: { 'kustomization.yaml': 'resources: [c.yaml]\n', 'c.yaml': cm + 'data:\n  x: .inf\n' },
  },
  {
    name: 'missing metadata.name',
    expect: 'missing metadata.name',
    files: {
      'kustomization.yaml': 'resources: [c.yaml]\n',
      'c.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n',
    },
  },
  {
    name: 'SMP patch without a target resource',
    expect: 'no matches for Id',
    files: {
      'kustomization.yaml':
        'resources: [c.yaml]\npatches:\n- patch: |\n    apiVersion: v1\n' +
        '    kind: ConfigMap\n    metadata:\n      name: zzz\n    data: {a: b}\n',
      'c.yaml': cm,
    },
  },
  {
    name: 'JSON patch without target',
    expect: 'must specify a target for JSON patch',
    files: {
      'kustomization.yaml':
        'resources: [c.yaml]\npatches:\n- patch: |\n    - op: add\n      path: /data\n      value: {}\n',
      'c.yaml': cm,
    },
  },
  {
    name: 'replacement with both source and sourceValue',
    expect: 'value and resource selectors are mutually exclusive',
    files: {
      'kustomization.yaml':
        'resources: [c.yaml]\nreplacements:\n- sourceValue: x\n  source: {kind: ConfigMap}\n' +
        '  targets:\n  - select: {kind: ConfigMap}\n    fieldPaths: [data.a]\n',
      'c.yaml': cm,
    },
  },
  {
    name: 'replacement without source or sourceValue',
    expect: 'replacements must specify a source and at least one target',
    files: {
      'kustomization.yaml':
        'resources: [c.yaml]\nreplacements:\n- targets:\n  - select: {kind: ConfigMap}\n    fieldPaths: [data.a]\n',
      'c.yaml': cm,
    },
  },
  {
    name: 'non-builtin transformer plugin',
    expect: 'is not a builtin plugin',
    files: {
      'kustomization.yaml': 'resources: [c.yaml]\ntransformers: [t.yaml]\n',
      'c.yaml': cm,
      't.yaml': 'apiVersion: someteam.example.com/v1\nkind: Exec\nmetadata:\n  name: x\n',
    },
  },
  {
    name: 'generator merge of a missing ConfigMap',
    expect: 'cannot merge or replace',
    files: { 'kustomization.yaml': 'configMapGenerator:\n- name: x\n  behavior: merge\n  literals: [a=b]\n' },
  },
  {
    name: 'repeated generator key',
    expect: 'illegally repeats the key',
    files: { 'kustomization.yaml': 'configMapGenerator:\n- name: x\n  literals: [a=b, a=c]\n' },
  },
  {
    name: 'replicas name matches nothing',
    expect: 'does not match a config',
    files: { 'kustomization.yaml': 'resources: [c.yaml]\nreplicas:\n- name: nothing\n  count: 2\n', 'c.yaml': cm },
  },
  {
    name: 'numeric map key',
    expect: 'mapping key 1 is a number',
    files: { 'kustomization.yaml': 'resources: [c.yaml]\n', 'c.yaml': cm + 'data:\n  1: x\n' },
  },
];

for (const c of ERRS) {
  test(`error: ${c.name}`, () => {
    assert.throws(
      () => buildKustomization(new MemoryRepoFs(c.files), c.dir ?? ''),
      (e: unknown) => e instanceof InputError && e.format().includes(c.expect) && e.pos?.file !== undefined,
    );
  });
  test(`error: ${c.name} (kubectl fails too)`, { skip: kustomizeSkip() }, () => {
    const failed = withTempTree(c.files, (root) => {
      try {
        execFileSync(kustomizePath(), kustomizeArgv(join(root, c.dir ?? '')), { stdio: ['ignore', 'pipe', 'pipe'] });
        return false;
      } catch {
        return true;
      }
    });
    assert.equal(failed, true);
  });
}
