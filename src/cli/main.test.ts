import { test } from 'node:test';
import assert from 'node:assert/strict';
import { helpText } from './main.js';
import { commands } from './commands/index.js';
import { commandHelp } from './help/render.js';
import { runCli } from './testing/run-cli.js';
import { packageVersion } from '../package-root.js';

test('every command in the surface loads lazily and answers --help with its usage, summary and options', async () => {
  assert.equal(commands.length, new Set(commands.map((c) => c.name)).size, 'command names are unique');
  for (const entry of commands) {
    const cmd = await entry.load();
    assert.equal(typeof cmd.run, 'function', entry.name);
    assert.match(cmd.usage, new RegExp(`^aksfleet ${entry.name}\\b`), `${entry.name}: usage starts with its name`);
    const r = await runCli([...entry.name.split(' '), '--help']);
    assert.equal(r.code, 0);
    assert.equal(r.out, commandHelp(entry, cmd));
    assert.ok(r.out.startsWith(`Usage: ${cmd.usage}\n\n${entry.summary}\n`), entry.name);
    assert.ok(helpText().includes(`  ${entry.name} `), `${entry.name} listed in --help`);
  }
});

test("'aksfleet help <command>' is '<command> --help'", async () => {
  assert.deepEqual(await runCli(['help', 'backup', 'plan']), await runCli(['backup', 'plan', '--help']));
  assert.deepEqual(await runCli(['help', 'upgrade']), await runCli(['upgrade', '--help']));
  const bad = await runCli(['help', 'buidl']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /did you mean 'build'\?/);
});

test('-v and --version print the version', async () => {
  for (const flag of ['-v', '--version', 'version']) {
    const r = await runCli([flag]);
    assert.equal(r.code, 0, flag);
    assert.equal(r.out, `${packageVersion()}\n`, flag);
  }
  assert.match(helpText(), /-v\/--version/);
});

test('upgrade --help and backup --help list their subcommands; the group alone is a usage error that lists them', async () => {
  for (const group of ['upgrade', 'backup', 'helm', 'policy']) {
    const subs = commands.filter((c) => c.name.startsWith(`${group} `));
    assert.ok(subs.length >= 2, group);
    for (const help of ['--help', '-h']) {
      const r = await runCli([group, help]);
      assert.equal(r.code, 0, `${group} ${help}`);
      for (const s of subs)
        assert.ok(r.out.includes(`  ${s.name}  `) || r.out.includes(`  ${s.name} `), `${group} --help lists ${s.name}`);
      for (const s of subs) assert.ok(r.out.includes(s.summary), `${group} --help shows the summary of ${s.name}`);
    }
    assert.equal((await runCli([group, '--debug', '--help'])).out, (await runCli([group, '--help'])).out);
    assert.match(
      (await runCli([group, '--debug'])).err,
      new RegExp(`^error: 'aksfleet ${group}' needs a subcommand:\\n`),
    );
    const bare = await runCli([group]);
    assert.equal(bare.code, 2);
    assert.equal(bare.out, '');
    assert.match(bare.err, new RegExp(`^error: 'aksfleet ${group}' needs a subcommand:\\n`));
    for (const s of subs) assert.ok(bare.err.includes(s.name), `${group}: lists ${s.name}`);
  }
});

test('unknown commands and options answer in our words with a did-you-mean, exit 2, no stack', async () => {
  const cases: [string[], string][] = [
    [['buidl'], "error: unknown command 'buidl'; did you mean 'build'? ('aksfleet --help' lists the commands)\n"],
    [
      ['upgrade', 'plna'],
      "error: unknown command 'upgrade plna'; did you mean 'upgrade plan'? ('aksfleet upgrade --help' lists " +
        'the commands)\n',
    ],
    [['frobnicate'], "error: unknown command 'frobnicate' ('aksfleet --help' lists the commands)\n"],
    [
      ['build', '--outptu', 'json'],
      "error: unknown option '--outptu' for 'aksfleet build'; did you mean '--output'? ('aksfleet build " +
        "--help' lists its options)\n",
    ],
    [
      ['check', '--fail-onn=warning'],
      "error: unknown option '--fail-onn' for 'aksfleet check'; did you mean '--fail-on'? ('aksfleet check " +
        "--help' lists its options)\n",
    ],
    [
      ['backup', 'plan', '--formt', 'yaml'],
      "error: unknown option '--formt' for 'aksfleet backup plan'; did you mean '--format'? ('aksfleet " +
        "backup plan --help' lists its options)\n",
    ],
    [
      ['build', '--zzzzzz'],
      "error: unknown option '--zzzzzz' for 'aksfleet build' ('aksfleet build --help' lists its options)\n",
    ],
    [
      ['--verison'],
      "error: unknown option '--verison': a command comes first; did you mean '--version'? ('aksfleet " +
        "--help' lists the commands)\n",
    ],
    [
      ['--zzz', 'build'],
      "error: unknown option '--zzz': a command comes first ('aksfleet --help' lists the commands)\n",
    ],
    [['build', '-x'], "error: unknown option '-x' for 'aksfleet build' ('aksfleet build --help' lists its options)\n"],
    [
      ['build', '--path'],
      "error: option '--path' needs a value, e.g. --path clusters/aks-dev ('aksfleet build --help' lists its " +
        'options)\n',
    ],
    [
      ['build', '-o'],
      "error: option '--output' needs a value, e.g. -o json ('aksfleet build --help' lists its options)\n",
    ],
    [
      ['build', '--summary=yes'],
      "error: option '--summary' is a switch and takes no value (give '--summary' alone) ('aksfleet build " +
        "--help' lists its options)\n",
    ],
  ];
  for (const [argv, err] of cases) {
    const r = await runCli(argv);
    assert.equal(r.code, 2, argv.join(' '));
    assert.equal(r.err, err, argv.join(' '));
    assert.equal(r.out, '');
  }
});
