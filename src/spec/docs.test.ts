import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fleetSpecMarkdown } from './docs.js';
import { PACKAGE_ROOT } from '../package-root.js';

test('docs/fleet-spec.md is generated from the schema and up to date (npm run docs)', () => {
  const text = fleetSpecMarkdown();
  assert.match(text, /\| `spec\.clusters\[\]\.kubernetesVersion` \| string \| yes \|/);
  assert.match(text, /\| `spec\.clusters\[\]\.network\.plugin` \| `azure` \\\| `azure-overlay` \\\| `cilium` \|/);
  assert.equal(
    readFileSync(join(PACKAGE_ROOT, 'docs', 'fleet-spec.md'), 'utf8'),
    text,
    'run `npm run docs` to regenerate docs/fleet-spec.md',
  );
});
