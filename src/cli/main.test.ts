import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main, helpText } from './main.js';
import { commands } from './commands/index.js';
import type { Io } from './command.js';

function io(): Io & { outText: () => string; errText: () => string } {
  let out = '';
  let err = '';
  return { out: (t) => void (out += t), err: (t) => void (err += t), color: false, cwd: process.cwd(), env: {}, outText: () => out, errText: () => err };
}

test('every command in the surface loads lazily and answers --help with its usage and summary', async () => {
  assert.equal(commands.length, new Set(commands.map((c) => c.name)).size, 'command names are unique');
  for (const entry of commands) {
    const cmd = await entry.load();
    assert.equal(typeof cmd.run, 'function', entry.name);
    assert.match(cmd.usage, new RegExp(`^aksfleet ${entry.name}\\b`), `${entry.name}: usage starts with its name`);
    const o = io();
    assert.equal(await main([...entry.name.split(' '), '--help'], o), 0);
    assert.equal(o.outText(), `Usage: ${cmd.usage}\n\n${entry.summary}\n`);
    assert.ok(helpText().includes(`  ${entry.name} `), `${entry.name} listed in --help`);
  }
});
