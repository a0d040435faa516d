import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../errors.js';
import { MemoryRepoFs } from '../repo/repo-fs.js';
import { buildKustomization } from './index.js';

const build = (doc: string) =>
  buildKustomization(new MemoryRepoFs({ 'kustomization.yaml': 'resources: [d.yaml]\n', 'd.yaml': doc }), '');

test('finish: a refused control character is named by its field path, value or key', () => {
  const deploy = (args: string) =>
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n' +
    `      containers:\n      - name: c\n        args: ${args}\n`;
  const err = (f: () => unknown): InputError => {
    try {
      f();
    } catch (e) {
      assert.ok(e instanceof InputError);
      return e;
    }
    assert.fail('no error');
  };
  const v = err(() => build(deploy('["ok", "bad\\x7F"]')));
  assert.match(v.message, /Deployment\/d: the value at 'spec\.template\.spec\.containers\[0\]\.args\[1\]' contains/);
  assert.equal(v.fieldPath, 'spec.template.spec.containers[0].args[1]');
  const k = err(() => build('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  "k\\u009F": v\n'));
  assert.match(k.message, /ConfigMap\/c: the key 'k\u009f' contains a control character/);
  assert.equal(k.fieldPath, 'data');
  // NEL is folded, in values and keys alike
  const [cm] = build('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  "a\\u0085b": "x\\u0085y"\n');
  assert.deepEqual(cm!.object.data, { 'a b': 'x y' });
});
