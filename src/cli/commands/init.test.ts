import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing/run-cli.js';

test('init writes fleet.yaml and fleet.schema.json; onto an existing file it exits 2 and writes nothing without --force', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'aksfleet-init-'));
  const first = await runCli(['init', 'f'], { cwd });
  assert.equal(first.code, 0, first.err);
  assert.ok(existsSync(join(cwd, 'f', 'fleet.yaml')) && existsSync(join(cwd, 'f', 'fleet.schema.json')));

  writeFileSync(join(cwd, 'f', 'fleet.yaml'), 'mine\n');
  writeFileSync(join(cwd, 'f', 'fleet.schema.json'), '{}\n');
  const again = await runCli(['init', 'f'], { cwd });
  assert.equal(again.code, 2);
  assert.equal(
    again.err,
    `error: ${join(cwd, 'f', 'fleet.schema.json')}: already exists; init writes nothing over it without ` +
      `--force\n${join(cwd, 'f', 'fleet.yaml')}: already exists; init writes nothing over it without --force\n`,
  );
  assert.equal(readFileSync(join(cwd, 'f', 'fleet.yaml'), 'utf8'), 'mine\n', 'fleet.yaml kept');
  assert.equal(readFileSync(join(cwd, 'f', 'fleet.schema.json'), 'utf8'), '{}\n', 'fleet.schema.json kept');

  // Only the schema there (an editor wrote it): still nothing overwritten.
  const g = join(cwd, 'g');
  mkdirSync(g);
  writeFileSync(join(g, 'fleet.schema.json'), '{}\n');
  const schemaOnly = await runCli(['init', 'g'], { cwd });
  assert.equal(schemaOnly.code, 2);
  assert.equal(readFileSync(join(g, 'fleet.schema.json'), 'utf8'), '{}\n');
  assert.ok(!existsSync(join(g, 'fleet.yaml')), 'nothing half-written');

  const forced = await runCli(['init', 'f', '--force'], { cwd });
  assert.equal(forced.code, 0, forced.err);
  assert.match(readFileSync(join(cwd, 'f', 'fleet.yaml'), 'utf8'), /^# yaml-language-server/);
});
