/**
 * `aksfleet completion bash`, judged by bash itself (the script is sourced and its function run
 * on typed command lines) and by shellcheck.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing/run-cli.js';

const has = (cmd: string): boolean => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;

test("completion bash: commands, subcommands, each command's flags, the choices of --format; shellcheck clean", {
  skip: !has('bash') && 'bash is not installed',
}, async () => {
  const r = await runCli(['completion', 'bash']);
  assert.equal(r.code, 0, r.err);
  const file = join(mkdtempSync(join(tmpdir(), 'aksfleet-completion-')), 'aksfleet.bash');
  writeFileSync(file, r.out);
  /** What bash completes for the words typed, the last one being completed. */
  const complete = (...words: string[]): string[] => {
    const script =
      `source ${JSON.stringify(file)}; COMP_WORDS=(aksfleet ${words.map((w) => `'${w}'`).join(' ')}); ` +
      `COMP_CWORD=${words.length}; _aksfleet; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const b = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    assert.equal(b.status, 0, b.stderr);
    return b.stdout.split('\n').filter((l) => l !== '');
  };
  assert.deepEqual(complete('bu'), ['build']);
  assert.deepEqual(complete('up'), ['upgrade']);
  assert.deepEqual(complete('upgrade', ''), ['plan', 'bluegreen']);
  assert.deepEqual(complete('backup', 'v'), ['verify']);
  assert.deepEqual(complete('build', '--out'), ['--output']);
  assert.deepEqual(complete('build', '--allow-').sort(), ['--allow-missing-vars', '--allow-unbuildable']);
  assert.deepEqual(complete('upgrade', 'plan', '--f'), ['--file', '--format']);
  assert.deepEqual(complete('check', '--format', ''), ['text', 'json', 'sarif', 'junit', 'markdown']);
  assert.deepEqual(complete('backup', 'plan', '--format', 'y'), ['yaml']);
  assert.deepEqual(complete('build', '-o', ''), ['yaml', 'json'], 'a short spelling too');
  assert.deepEqual(complete('check', '--fail-on', 'w'), ['warning']);
  assert.deepEqual(
    complete('build', '--cluster', 'aks'),
    [],
    'a value that is not an enumeration: left to file completion (complete -o default)',
  );
  assert.deepEqual(complete('-'), ['--help', '--version', '-h', '-v']);
  if (has('shellcheck')) {
    const sc = spawnSync('shellcheck', ['-s', 'bash', file], { encoding: 'utf8' });
    assert.equal(sc.status, 0, sc.stdout);
  }
});

test('completion takes bash only: anything else is a usage error', async () => {
  for (const argv of [['completion'], ['completion', 'zsh'], ['completion', 'bash', 'x']]) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.match(r.err, /^error: completion takes one shell: bash/);
  }
});
