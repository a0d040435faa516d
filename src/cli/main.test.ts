import { test } from 'node:test';
import assert from 'node:assert/strict';
import { helpText } from './main.js';
import { commands } from './commands/index.js';
import { runCli } from './testing/run-cli.js';

test('every command in the surface loads lazily and answers --help with its usage and summary', async () => {
  assert.equal(commands.length, new Set(commands.map((c) => c.name)).size, 'command names are unique');
  for (const entry of commands) {
    const cmd = await entry.load();
    assert.equal(typeof cmd.run, 'function', entry.name);
    assert.match(cmd.usage, new RegExp(`^aksfleet ${entry.name}\\b`), `${entry.name}: usage starts with its name`);
    const r = await runCli([...entry.name.split(' '), '--help']);
    assert.equal(r.code, 0);
    assert.equal(r.out, `Usage: ${cmd.usage}\n\n${entry.summary}\n`);
    assert.ok(helpText().includes(`  ${entry.name} `), `${entry.name} listed in --help`);
  }
});
