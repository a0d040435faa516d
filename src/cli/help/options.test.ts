/**
 * Every option a command accepts is described (options.ts) and shown by its --help with its
 * default and example; no description is left for an option the command no longer takes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commands } from '../commands/index.js';
import { runCli } from '../testing/run-cli.js';
import { COMMON_OPTIONS, OPTION_HELP, optionHelp } from './options.js';
import { optionLabel } from './render.js';

test('every option of every command has a description, a default and an example in src/cli/help/options.ts', async () => {
  const missing: string[] = [];
  for (const entry of commands) {
    const cmd = await entry.load();
    for (const [flag, config] of Object.entries(cmd.options)) {
      const h = optionHelp(entry.name, flag);
      if (!h) {
        missing.push(
          `aksfleet ${entry.name} --${flag}: no description; add it to OPTION_HELP['${entry.name}'] (or ` +
            `COMMON_OPTIONS) in src/cli/help/options.ts`,
        );
        continue;
      }
      for (const field of ['description', 'default', 'example'] as const) {
        if (!h[field] || h[field].includes('\n'))
          missing.push(`aksfleet ${entry.name} --${flag}: ${field} must be one non-empty line`);
      }
      const spellings = [`--${flag}`, ...(config.short ? [`-${config.short}`] : [])];
      if (!spellings.some((s) => h.example === s || h.example.startsWith(`${s} `)))
        missing.push(
          `aksfleet ${entry.name} --${flag}: the example '${h.example}' does not start with ${spellings.join(' or ')}`,
        );
      if ((config.type === 'string') !== (h.value !== undefined))
        missing.push(
          `aksfleet ${entry.name} --${flag}: a ${config.type} option ` +
            `${config.type === 'string' ? 'needs' : 'takes no'} a value placeholder`,
        );
    }
  }
  assert.deepEqual(missing, [], `\n${missing.join('\n')}`);
});

test('no description is left for an option a command does not accept', async () => {
  const stale: string[] = [];
  assert.deepEqual(
    Object.keys(OPTION_HELP).filter((n) => !commands.some((c) => c.name === n)),
    [],
    'OPTION_HELP names a command that does not exist',
  );
  for (const entry of commands) {
    assert.ok(OPTION_HELP[entry.name], `OPTION_HELP has no entry for '${entry.name}'`);
    const cmd = await entry.load();
    for (const flag of Object.keys(OPTION_HELP[entry.name]!))
      if (!(flag in cmd.options))
        stale.push(`aksfleet ${entry.name} does not accept --${flag}, which src/cli/help/options.ts describes`);
  }
  const used = new Set<string>();
  for (const entry of commands) for (const flag of Object.keys((await entry.load()).options)) used.add(flag);
  for (const flag of Object.keys(COMMON_OPTIONS))
    if (!used.has(flag)) stale.push(`no command accepts --${flag}, which COMMON_OPTIONS describes`);
  assert.deepEqual(stale, [], `\n${stale.join('\n')}`);
});

test('--help shows each option with its value, description, default and example', async () => {
  for (const entry of commands) {
    const cmd = await entry.load();
    const r = await runCli([...entry.name.split(' '), '--help']);
    assert.equal(r.code, 0, entry.name);
    assert.ok(r.out.startsWith(`Usage: ${cmd.usage}\n\n${entry.summary}\n`), entry.name);
    for (const [flag, config] of Object.entries(cmd.options)) {
      const h = optionHelp(entry.name, flag)!;
      const lines = r.out.split('\n');
      const at = lines.findIndex(
        (l) => l.trimStart().startsWith(`${optionLabel(flag, config, h.value)} `) && l.endsWith(h.description),
      );
      assert.ok(at >= 0, `aksfleet ${entry.name} --help: no line for --${flag}:\n${r.out}`);
      assert.equal(
        lines[at + 1]!.trim(),
        `default: ${h.default}; e.g. ${h.example}`,
        `aksfleet ${entry.name} --${flag}`,
      );
    }
    assert.match(
      r.out,
      /Global options:\n {2}--debug +print stack traces with errors\n {2}-h, --help +print this help\n$/,
    );
  }
});

test('build --help, as a user reads it', async () => {
  const r = await runCli(['build', '--help']);
  assert.match(
    r.out,
    /\n {2}-o, --output yaml\|json +output format: yaml \(the objects\) or json .*\n +default: yaml; e\.g\. -o json\n/,
  );
  assert.match(r.out, /\n {2}--no-helm +do not render HelmReleases .*\n +default: off; e\.g\. --no-helm\n/);
});
