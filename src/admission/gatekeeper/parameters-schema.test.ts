/** Constraint parameters against a template's openAPIV3Schema: what is refused, and with which path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schemaProblems } from './parameters-schema.js';

const SCHEMA = {
  type: 'object',
  properties: {
    labels: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key'],
        properties: { key: { type: 'string' }, allowedRegex: { type: 'string' } },
      },
    },
    max: { type: 'integer', minimum: 0 },
    mode: { type: 'string', enum: ['a', 'b'] },
    port: { 'x-kubernetes-int-or-string': true },
    free: { type: 'object', additionalProperties: { type: 'boolean' } },
  },
};

test('valid parameters have no problem; unknown fields are pruned, not refused', () => {
  assert.deepEqual(
    schemaProblems(SCHEMA, {
      labels: [{ key: 'owner' }],
      max: 3,
      mode: 'a',
      port: '80',
      free: { x: true },
      unknown: 1,
    }),
    [],
  );
  assert.deepEqual(schemaProblems(SCHEMA, { port: 8080 }), []);
});

test('each problem names its field path', () => {
  assert.deepEqual(schemaProblems(SCHEMA, { labels: 'owner' }), [
    'spec.parameters.labels: must be of type array, got string',
  ]);
  assert.deepEqual(schemaProblems(SCHEMA, { labels: [{ allowedRegex: 'x' }] }), [
    'spec.parameters.labels[0].key: is required',
  ]);
  assert.deepEqual(schemaProblems(SCHEMA, { max: 1.5 }), ['spec.parameters.max: must be of type integer, got number']);
  assert.deepEqual(schemaProblems(SCHEMA, { max: -1 }), ['spec.parameters.max: must be at least 0']);
  assert.deepEqual(schemaProblems(SCHEMA, { mode: 'c' }), ['spec.parameters.mode: must be one of "a", "b"']);
  assert.deepEqual(schemaProblems(SCHEMA, { port: true }), [
    'spec.parameters.port: must be an integer or a string, got boolean',
  ]);
  assert.deepEqual(schemaProblems(SCHEMA, { free: { x: 'yes' } }), [
    'spec.parameters.free.x: must be of type boolean, got string',
  ]);
});

test('no schema, no problem', () => {
  assert.deepEqual(schemaProblems(undefined, { anything: 1 }), []);
});
