/**
 * `{{ }}` substitution, with the cases of Kyverno's pkg/engine/variables/vars_test.go (v1.15.2):
 * Test_Substitute{Null,Int,Bool,String,Array}{,InString} over its variableObject, Test_SubstituteShallow,
 * and escaping; plus the errors a missing key gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EvalContext } from './context.js';

// vars_test.go variableObject
const variableObject = {
  complex_object_array: ['value1', 'value2', 'value3'],
  complex_object_map: { key1: 'value1', key2: 'value2', key3: 'value3' },
  simple_object_bool: false,
  simple_object_int: 5,
  simple_object_float: -5.5,
  simple_object_string: 'example',
  simple_object_null: null,
};
const ctx = (): EvalContext => new EvalContext({ request: { object: structuredClone(variableObject) } });
const sub = (s: string, c = ctx()): unknown => c.substitute(s);

test('a whole-string variable keeps its type; inside a string it is text (JSON for non-strings)', () => {
  assert.equal(sub('{{ request.object.simple_object_null }}'), null);
  assert.equal(sub('content = {{ request.object.simple_object_null }}'), 'content = null');
  assert.equal(sub('{{ request.object.simple_object_int }}'), 5);
  assert.equal(sub('content = {{ request.object.simple_object_int }}'), 'content = 5');
  assert.equal(sub('{{ request.object.simple_object_bool }}'), false);
  assert.equal(sub('content = {{ request.object.simple_object_bool }}'), 'content = false');
  assert.equal(sub('{{ request.object.simple_object_string }}'), 'example');
  assert.equal(sub('content = {{ request.object.simple_object_string }}'), 'content = example');
  assert.deepEqual(sub('{{ request.object.complex_object_array }}'), ['value1', 'value2', 'value3']);
  assert.equal(
    sub('content is {{ request.object.complex_object_map }}'),
    'content is {"key1":"value1","key2":"value2","key3":"value3"}',
  );
});

test('Test_SubstituteShallow: {{- }} does not substitute inside its result', () => {
  const c = new EvalContext({
    variableWithVariables: '{{ DO_NOT_SUBSTITUTE_ME {{OR_ME}} }}',
    foo: 'bar',
    foo2: 'bar2',
    variablesNested: '{{foo2}}',
  });
  assert.equal(
    sub('"{{- variableWithVariables }} {{foo}} {{variablesNested}}"', c),
    '"{{ DO_NOT_SUBSTITUTE_ME {{OR_ME}} }} bar bar2"',
  );
  assert.equal(
    sub('"{{foo}} {{- variableWithVariables }} {{variablesNested}}"', c),
    '"bar {{ DO_NOT_SUBSTITUTE_ME {{OR_ME}} }} bar2"',
  );
  assert.throws(
    () => sub('"{{- variableWithVariables {{foo}} {{variablesNested}} }}"', c),
    /failed to resolve variableWithVariables bar bar2/,
  );
});

test('nested variables resolve inside out; \\{{ escapes; a missing key is an error naming it', () => {
  const c = new EvalContext({ request: { object: { metadata: { name: 'temp', annotations: { test: 'name' } } } } });
  assert.equal(sub('"{{request.object.metadata.{{request.object.metadata.annotations.test}}}}"', c), '"temp"');
  assert.equal(sub('keep \\{{ this }}', c), 'keep {{ this }}');
  assert.throws(
    () => sub('{{request.object.metadata.{{request.object.metadata.annotations.test2}}}}', c),
    /Unknown key "test2"/,
  );
  assert.equal(sub("{{ request.object.metadata.labels.app || 'none' }}", c), 'none');
});

test('map keys are substituted too', () => {
  assert.deepEqual(ctx().substitute({ '{{ request.object.simple_object_string }}': 1 }), { example: 1 });
});
