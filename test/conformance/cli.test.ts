/**
 * `aksfleet kustomize <dir>` end to end through the CLI boundary: stdout is what kubectl
 * kustomize prints (checked live when kubectl is installed), bad input exits 2 with the file
 * and no stack trace, bad flags exit 2.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import { kustomizeArgv, kustomizePath, kustomizeSkip, withTempTreeAsync } from '../../src/kustomize/testing/oracle.js';

function capture(cwd: string): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { out: (t) => void (out += t), err: (t) => void (err += t), color: false, cwd, env: {} },
    out: () => out,
    err: () => err,
  };
}

const TREE = {
  '.git/HEAD': 'ref: refs/heads/main\n',
  'base/kustomization.yaml': 'resources: [d.yaml]\nconfigMapGenerator:\n- name: cfg\n  literals: [A=1]\n',
  'base/d.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n' +
    '      containers:\n      - name: c\n        image: nginx\n        envFrom:\n' +
    '        - configMapRef: {name: cfg}\n',
  'prod/kustomization.yaml': 'resources: [../base]\nnamePrefix: prod-\nimages:\n- name: nginx\n  newTag: "1.27"\n',
  'bad/kustomization.yaml': 'resources: [d.yaml]\nnamePrefx: x\n',
};

test('aksfleet kustomize prints what kubectl kustomize prints', { skip: kustomizeSkip() }, async () => {
  await withTempTreeAsync(TREE, async (root) => {
    const c = capture(root);
    const code = await main(['kustomize', 'prod'], c.io);
    assert.equal(code, 0, c.err());
    const want = execFileSync(kustomizePath(), kustomizeArgv(join(root, 'prod')), {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.equal(c.out(), want);
  });
});

test('aksfleet kustomize: bad input exits 2 with file, line and field, no stack trace', async () => {
  await withTempTreeAsync(TREE, async (root) => {
    const c = capture(root);
    const code = await main(['kustomize', 'bad'], c.io);
    assert.equal(code, 2);
    assert.equal(c.out(), '');
    assert.match(c.err(), /^error: bad\/kustomization\.yaml:2:\d+: namePrefx: .*unknown field "namePrefx"/);
    assert.doesNotMatch(c.err(), /\n\s+at /);
  });
});

test('aksfleet kustomize: usage errors exit 2', async () => {
  await withTempTreeAsync(TREE, async (root) => {
    const c = capture(root);
    assert.equal(await main(['kustomize', 'prod', '--load-restrictor', 'Sometimes'], c.io), 2);
    assert.match(c.err(), /--load-restrictor must be/);
    assert.equal(await main(['kustomize'], capture(root).io), 2);
    assert.equal(await main(['kustomize', 'nope'], capture(root).io), 2);
  });
});
