/** Every sh/bash block of the day-2 Markdown outputs passes shellcheck (the commands people paste). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from './cli.js';

const root = process.env.AKSFLEET_ROOT ?? process.cwd();
const fleet = join(root, 'examples/fleet.yaml');

function shBlocks(md: string): string[] {
  const out: string[] = [];
  const re = /^( *)```(sh|bash)\n([\s\S]*?)^\1```$/gm;
  for (const m of md.matchAll(re))
    out.push(
      m[3]!
        .split('\n')
        .map((l) => l.slice(m[1]!.length))
        .join('\n'),
    );
  return out;
}

test('shell blocks of upgrade plan, upgrade bluegreen and backup plan pass shellcheck', async (t) => {
  if (spawnSync('sh', ['-c', 'command -v shellcheck']).status !== 0) return t.skip('shellcheck not installed');
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-snip-'));
  const outputs = [
    (
      await run([
        'upgrade',
        'plan',
        '-f',
        fleet,
        '--state',
        join(root, 'test/day2/fixtures/state-mixed.json'),
        '--to',
        '1.30',
        '--date',
        '2026-11-25',
      ])
    ).out,
    (await run(['upgrade', 'bluegreen', 'aks-prod', 'userpool', '-f', fleet])).out,
    (await run(['backup', 'plan', '-f', fleet])).out,
  ];
  let n = 0;
  for (const md of outputs) {
    for (const block of shBlocks(md)) {
      const file = join(dir, `b${n++}.sh`);
      writeFileSync(file, block.startsWith('#!') ? block : `#!/usr/bin/env bash\n${block}`);
      const sc = spawnSync('shellcheck', ['-s', 'bash', file], { encoding: 'utf8' });
      assert.equal(sc.status, 0, `${sc.stdout}\n--- block ${n - 1}:\n${block}`);
    }
  }
  assert.ok(n > 30, `only ${n} blocks`);
});
