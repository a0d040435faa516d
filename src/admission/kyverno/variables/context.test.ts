import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EvalContext } from './context.js';

const request = () => ({
  request: { operation: 'CREATE', object: { metadata: { name: 'a', labels: { app: 'x' } }, spec: { n: [1, 2] } } },
});

test('a fork is copy-on-write: neither side sees what the other sets, at any depth, before or after', () => {
  const parent = new EvalContext(request());
  const child = parent.fork();
  child.setPath(['request', 'object', 'metadata', 'name'], 'b');
  child.setPath(['element'], { i: 1 });
  parent.setPath(['request', 'object', 'metadata', 'labels', 'app'], 'y');
  parent.setPath(['request', 'operation'], 'UPDATE');
  assert.deepEqual(parent.json, {
    request: { operation: 'UPDATE', object: { metadata: { name: 'a', labels: { app: 'y' } }, spec: { n: [1, 2] } } },
  });
  assert.deepEqual(child.json, {
    request: { operation: 'CREATE', object: { metadata: { name: 'b', labels: { app: 'x' } }, spec: { n: [1, 2] } } },
    element: { i: 1 },
  });
  // A grandchild and its siblings: each sees only its own changes over the snapshot it forked.
  const g1 = child.fork();
  const g2 = child.fork();
  g1.setPath(['request', 'object', 'spec', 'n'], []);
  g2.addVariable('request.object.metadata.name', 'c');
  assert.deepEqual(g1.query('request.object.spec.n'), []);
  assert.deepEqual(g2.query('request.object.spec.n'), [1, 2]);
  assert.equal(g1.query('request.object.metadata.name'), 'b');
  assert.equal(g2.query('request.object.metadata.name'), 'c');
  assert.equal(child.query('request.object.metadata.name'), 'b');
  assert.deepEqual(child.query('request.object.spec.n'), [1, 2]);
});

test('a fork shares the maps it does not change (so a foreach element costs the same for any list)', () => {
  const parent = new EvalContext(request());
  const child = parent.fork();
  child.setPath(['element'], 1);
  const p = parent.json.request as Record<string, unknown>;
  const c = child.json.request as Record<string, unknown>;
  assert.equal(c, p);
  child.setPath(['request', 'operation'], 'DELETE');
  assert.notEqual(child.json.request, p);
  assert.equal((child.json.request as Record<string, unknown>).object, p.object);
});
