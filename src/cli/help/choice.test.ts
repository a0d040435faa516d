import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from '../../errors.js';
import { runCli } from '../testing/run-cli.js';
import { choice, optionalChoice } from './choice.js';
import { PROFILES } from '../../checks/config.js';
import { SEVERITIES } from '../../checks/types.js';
import { FORMATS } from '../../report/index.js';
import { OPTION_HELP, optionHelp } from './options.js';

test('choice: the default, a listed value, or a usage error with the choices and the closest one', () => {
  assert.equal(choice('upgrade plan', 'format', undefined, 'markdown'), 'markdown');
  assert.equal(choice('upgrade plan', 'format', 'az', 'markdown'), 'az');
  assert.throws(
    () => choice('upgrade plan', 'format', 'jsno', 'markdown'),
    (e: Error) =>
      e instanceof UsageError &&
      e.message === "--format must be one of markdown, json, az, fleet, not 'jsno'; did you mean 'json'?",
  );
  assert.throws(
    () => choice('upgrade plan', 'format', 'yaml', 'markdown'),
    (e: Error) => e.message === "--format must be one of markdown, json, az, fleet, not 'yaml'",
  );
  assert.throws(() => choice('upgrade plan', 'state', 'x', 'y'), /has no choices/);
});

test('every option with choices: its value placeholder lists them and its default is one of them', () => {
  for (const [cmd, opts] of Object.entries(OPTION_HELP)) {
    for (const [flag, h] of Object.entries(opts)) {
      if (!h.choices) continue;
      assert.equal(h.value, h.choices.join('|'), `aksfleet ${cmd} --${flag}`);
      if (!h.derivedDefault)
        assert.ok(h.choices.includes(h.default), `aksfleet ${cmd} --${flag}: default '${h.default}'`);
      assert.ok(h.choices.includes(h.example.split(' ')[1]!), `aksfleet ${cmd} --${flag}: example '${h.example}'`);
    }
  }
});

test('every command checks --format through its choices (exit 2, no output)', async () => {
  for (const [argv, choices] of [
    [['check'], 'text, json, sarif, junit, markdown'],
    [['diff', '--base', 'main'], 'text, markdown, json'],
    [['promote', 'dev', 'qa'], 'text, markdown'],
    [['policy', 'apply', 'p.yaml', '--resource', 'r.yaml'], 'text, json'],
    [['policy', 'test', '.'], 'text, json'],
    [['upgrade', 'plan'], 'markdown, json, az, fleet'],
    [['upgrade', 'bluegreen', 'aks-prod', 'userpool'], 'markdown, json'],
    [['backup', 'plan'], 'markdown, yaml, json'],
    [['backup', 'verify', '--live'], 'markdown, json'],
  ] as const) {
    const r = await runCli([...argv, '--format', 'xml']);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.out, '');
    assert.equal(r.err, `error: --format must be one of ${choices}, not 'xml'\n`, argv.join(' '));
  }
});

test('--platform and --profile (defaults derived from the repository) are checked through their choices', async () => {
  for (const [argv, choices, bad, guess] of [
    [['check', '--platform'], 'aks, kubernetes', 'kubernets', 'kubernetes'],
    [['check', '--profile'], 'generic, aks-baseline', 'aks-basline', 'aks-baseline'],
    [['ui', '--platform'], 'aks, kubernetes', 'eks', 'aks'],
  ] as const) {
    const r = await runCli([...argv, bad]);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.out, '');
    assert.equal(
      r.err,
      `error: ${argv[1]} must be one of ${choices}, not '${bad}'; did you mean '${guess}'?\n`,
      argv.join(' '),
    );
  }
  assert.equal(optionalChoice('check', 'platform', undefined), undefined, 'not given: the repository decides');
  assert.equal(optionalChoice('check', 'profile', 'generic'), 'generic');
  assert.deepEqual(optionHelp('check', 'profile')?.choices, [...PROFILES]);
});

test("check's choices in options.ts are the report formats and severities the code knows", () => {
  assert.deepEqual(optionHelp('check', 'format')?.choices, [...FORMATS]);
  assert.deepEqual(optionHelp('check', 'fail-on')?.choices, [...SEVERITIES]);
});
