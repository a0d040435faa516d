/**
 * The gate's Azure Pipelines YAML against Microsoft's service schema: the oracle check-jsonschema
 * 0.39.0 (test/oracles, kind pip-venv) with its vendored `vendor.azure-pipelines`, run the way its
 * `check-azure-pipelines` pre-commit hook runs it (the `azure-pipelines` transform, which unnests
 * `${{ }}` insertions, and ECMAScript regexes in non-unicode mode). Checked: the steps template
 * this repository ships, the pipelines `aksfleet generate` writes (one agent, and sharded above
 * SHARD_THRESHOLD clusters), and the README's example; a misspelled key and a wrong type are
 * refused (the check bites).
 *
 * Template files: the schema has no root of its own for a template, but a steps template
 * (`parameters:` and `steps:`) is a pipeline root the schema allows (a pipeline of steps may
 * declare parameters), so the template is validated as the file it is, its `${{ if }}` insertions
 * unnested by the transform; and once more as Azure would run it, expanded (parameters over their
 * defaults, insertions resolved: test/package/ci-runner.ts) for each parameter that changes its
 * steps. The schema types every scalar as a string (the service reads YAML scalars so): our files
 * quote `true` and numbers where it asks for a string.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { parseFleet } from '../../src/spec/load.js';
import {
  AZURE_PIPELINE,
  AZURE_TEMPLATE,
  gateShards,
  generateCi,
  SHARD_THRESHOLD,
} from '../../src/generators/ci/index.js';
import { syntheticFleet } from '../../src/bench/synthetic-fleet.js';
import type { Fleet } from '../../src/spec/schema.js';
import { oracle } from '../oracles/index.js';
import { expandTemplate } from './ci-runner.js';

const checkJsonschema = oracle('check-jsonschema');
/** The arguments of check-jsonschema's check-azure-pipelines hook (its catalog's add_args). */
const AZURE_ARGS = [
  '--builtin-schema',
  'vendor.azure-pipelines',
  '--data-transform',
  'azure-pipelines',
  '--regex-variant',
  'nonunicode',
];

/** Validates the files (name -> YAML) in one run: exit code and output. */
function validate(files: Record<string, string>): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-azure-schema-'));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const r = spawnSync(checkJsonschema.path, [...AZURE_ARGS, '--verbose', ...Object.keys(files)], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir },
      timeout: 120_000,
    });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const example = readFileSync(join(PACKAGE_ROOT, 'examples/fleet.yaml'), 'utf8');
const azureFleet = parseFleet(example.replace('provider: github', 'provider: azure-repos'));
function shardedAzureFleet(): Fleet {
  const big = structuredClone(syntheticFleet({ clusters: SHARD_THRESHOLD + 5, tenants: 1, appsPerTenant: 1, seed: 3 }));
  (big.spec.git as { provider: string }).provider = 'azure-repos';
  return big;
}
const template = readFileSync(join(PACKAGE_ROOT, AZURE_TEMPLATE), 'utf8');

test('azure schema: the gate template, as written and expanded for each parameter that changes its steps', {
  skip: checkJsonschema.skip,
}, () => {
  const expanded = (params: Record<string, unknown>) => stringify({ steps: expandTemplate(template, params) });
  const r = validate({
    'aksfleet-gate.yml': template,
    'defaults.yml': expanded({}),
    'no-comment-chart-cache.yml': expanded({
      comment: false,
      chartCache: '.charts',
      sources: ['HelmRepository/flux-system/bitnami=charts/bitnami'],
    }),
    'parts.yml': expanded({ parts: '$(Pipeline.Workspace)/aksfleet-parts', cluster: 'aks-prod', failOn: 'warning' }),
  });
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /ok -- validation done/);
});

test('azure schema: the pipelines aksfleet generate writes (one agent; ' +
  'sharded from SHARD_THRESHOLD clusters) and the template beside them', {
  skip: checkJsonschema.skip,
}, () => {
  const one = generateCi(azureFleet);
  const big = shardedAzureFleet();
  assert.equal(gateShards(big), 3);
  const sharded = generateCi(big);
  assert.deepEqual(
    [...one, ...sharded].map((f) => f.path),
    [AZURE_PIPELINE, AZURE_TEMPLATE, AZURE_PIPELINE, AZURE_TEMPLATE],
  );
  assert.match(sharded[0]!.content, /parallel: '3'/);
  const r = validate({
    'one.yml': one[0]!.content,
    'sharded.yml': sharded[0]!.content,
    'template.yml': one[1]!.content,
  });
  assert.equal(r.code, 0, r.out);
});

test("azure schema: the README's azure-pipelines.yml example", { skip: checkJsonschema.skip }, () => {
  const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```yaml\n(# azure-pipelines\.yml[^\n]*\n[\s\S]*?)```/g)].map((m) => m[1]!);
  assert.ok(blocks.length >= 1, 'README.md has the Azure Pipelines example');
  const r = validate(Object.fromEntries(blocks.map((b, i) => [`readme-${i}.yml`, b])));
  assert.equal(r.code, 0, r.out);
});

test('azure schema bites: a misspelled key, a wrong type and an unquoted boolean are refused, each with its path', {
  skip: checkJsonschema.skip,
}, () => {
  const pipeline = generateCi(azureFleet)[0]!.content;
  const cases: Record<string, [string, RegExp]> = {
    'typo.yml': [
      pipeline.replace('    fetchDepth:', '    fetchDeph:'),
      /\$\.steps\[0\]: Additional properties are not allowed \('fetchDeph' was unexpected\)/,
    ],
    'type.yml': [
      pipeline.replace('pool:\n  vmImage: ubuntu-latest', 'pool:\n  vmImage: [ubuntu-latest]'),
      /\$\.pool\.vmImage: \['ubuntu-latest'\] is not of type 'string'/,
    ],
    'boolean.yml': [
      pipeline.replace("persistCredentials: 'true'", 'persistCredentials: true'),
      /\$\.steps\[0\]\.persistCredentials: True is not of type 'string'/,
    ],
    'template-typo.yml': [
      template.replace('    displayName: Publish the check results\n', '    displayNme: Publish the check results\n'),
      /Additional properties are not allowed \('displayNme' was unexpected\)/,
    ],
  };
  for (const [name, [text, why]] of Object.entries(cases)) {
    const source = name.startsWith('template') ? template : pipeline;
    assert.notEqual(text, source, `${name}: the mutation applies`);
    const r = validate({ [name]: text });
    assert.equal(r.code, 1, `${name}: ${r.out}`);
    assert.match(r.out, why, name);
  }
});
