/**
 * buildCrds: a CRD version's strict schema is made only when a validator asks for it (a cluster's
 * charts install dozens of CRDs its objects never use), and it is the same schema as made at once.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCrds } from './build-crds.js';
import { strictify } from './strictify.js';
import type { KObject } from '../resources/resource.js';

function crd(kind: string, openAPIV3Schema: object): KObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${kind.toLowerCase()}s.example.com` },
    spec: {
      group: 'example.com',
      names: { kind, plural: `${kind.toLowerCase()}s` },
      scope: 'Namespaced',
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema } }],
    },
  };
}

test("a CRD's strict schema is made when asked for, not when the cluster's CRDs are listed", () => {
  const read: string[] = [];
  const schema = (tag: string) =>
    new Proxy(
      { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } },
      {
        ownKeys(t) {
          read.push(tag);
          return Reflect.ownKeys(t);
        },
      },
    );
  const crds = buildCrds([
    { object: crd('Widget', schema('widget')), origin: { file: 'crds/widget.yaml', line: 1 } },
    { object: crd('Gadget', schema('gadget')), origin: { file: 'crds/gadget.yaml', line: 1 } },
  ]);
  assert.deepEqual([...crds.keys()], ['example.com/v1 Widget', 'example.com/v1 Gadget']);
  assert.deepEqual(read, []);
  const widget = crds.get('example.com/v1 Widget')!;
  assert.match(widget.from, /^CustomResourceDefinition widgets\.example\.com \(crds\/widget\.yaml:1\)$/);
  const strict = widget.schema;
  assert.ok(read.length > 0 && read.every((t) => t === 'widget'), read.join());
  assert.equal(widget.schema, strict, 'made once');
  const spec = strictify({ type: 'object', properties: { size: { type: 'integer' } } });
  assert.deepEqual(strict, {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec,
    },
    additionalProperties: false,
  });
});
