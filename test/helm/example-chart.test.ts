/**
 * The README's `aksfleet helm template` example (examples/chart/hello) prints, byte for byte, what
 * helm 4.2 prints for the same arguments, with its defaults and with --set overrides.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../src/cli/testing/run-cli.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';
import { oracle } from '../oracles/index.js';
import { runHelm } from './testing.js';

const helm = oracle('helm-4.2');
const cases: readonly (readonly string[])[] = [
  ['web', 'examples/chart/hello'],
  ['web', 'examples/chart/hello', '-n', 'apps', '--set', 'replicaCount=3', '--set', 'podLabels.team=shop'],
  ['hello', 'examples/chart/hello', '--set', 'image.tag=2.0.0'],
];

for (const args of cases) {
  test(`example chart: helm template ${args.join(' ')} equals helm 4.2`, { skip: helm.skip }, async () => {
    const want = runHelm(helm.path, ['template', ...args], PACKAGE_ROOT);
    assert.equal(want.status, 0, want.stderr);
    const got = await runCli(['helm', 'template', ...args], { cwd: PACKAGE_ROOT });
    assert.equal(got.code, 0, got.err);
    assert.ok(got.out.includes('kind: Deployment'));
    assert.equal(got.out, want.stdout);
  });
}
