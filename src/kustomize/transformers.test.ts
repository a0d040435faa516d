/**
 * Pins the order of kustomize's builtin transformers (api/internal/target/
 * kusttarget_configplugin.go in kustomize v5.5.0, unchanged in v5.7.1): changing it changes every build.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_TRANSFORMERS } from './transformers.js';

test('builtin transformers run in kustomize order', () => {
  assert.deepEqual(
    BUILTIN_TRANSFORMERS.map((t) => t.field),
    [
      'patchesStrategicMerge',
      'patches',
      'namespace',
      'namePrefix',
      'nameSuffix',
      'labels',
      'commonAnnotations',
      'patchesJson6902',
      'replicas',
      'images',
      'replacements',
    ],
  );
});
