/**
 * Docs that run: every `aksfleet ...` command in a ```sh block of README.md is executed in the
 * demo repository that `npm start` makes (the README says to `cd aksfleet-demo`), and must
 * succeed (exit 0, or 1 for findings or differences) with output. A block whose first line is
 * `# in a checkout of aksfleet` runs in the package folder instead (examples/ there). A README
 * example that stops working fails the build. The diff and promote examples must show a change
 * (the demo's env branches differ), and the quick start's demo output is what the demo prints.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../../src/cli/testing/run-cli.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';

const IN_CHECKOUT = '# in a checkout of aksfleet';
const README = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');

interface Line {
  readonly line: string;
  readonly inCheckout: boolean;
  /** The fenced output block right after this line's ```sh block, if any (what the README shows it prints). */
  readonly shown?: string;
  /** The block edits a file first (`sed -i`): its aksfleet commands must print what `shown` shows. */
  readonly afterEdit: boolean;
}

/**
 * The lines of the ```sh blocks that the runner runs: `aksfleet ...` in-process, `sed`/`git`
 * lines (an example that edits a file and puts it back) through the shell. `npm` and `npx`
 * lines are not run here (they install or build; test/package runs `npx aksfleet@VERSION demo`).
 */
function readmeLines(): Line[] {
  const out: Line[] = [];
  for (const block of README.matchAll(/```sh\n([\s\S]*?)```\n(?:\n```\n([\s\S]*?)```)?/g)) {
    const lines = block[1]!.split('\n');
    const inCheckout = lines[0]!.trim() === IN_CHECKOUT;
    const afterEdit = lines.some((l) => l.startsWith('sed -i '));
    for (const line of lines) {
      if (line.startsWith('aksfleet ') || line.startsWith('sed ') || line.startsWith('git '))
        out.push({ line: line.trim(), inCheckout, afterEdit, ...(block[2] !== undefined ? { shown: block[2] } : {}) });
    }
  }
  return out;
}

function readmeCommands(): { line: string; inCheckout: boolean }[] {
  return readmeLines().filter((l) => l.line.startsWith('aksfleet '));
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** Shell words of a README line: split on spaces, single quotes kept together and removed. */
function words(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

const run = (argv: string[], cwd: string) => runCli(argv, { cwd });

test('every aksfleet command in the README runs where the README says, and diff/promote show a change', {
  timeout: 300_000,
}, async (t) => {
  const commands = readmeCommands();
  assert.ok(commands.length >= 10, `found ${commands.length} README commands`);
  const cwd = mkdtempSync(join(tmpdir(), 'aksfleet-readme-'));
  const demo = await run(['demo'], cwd);
  assert.equal(demo.code, 0, demo.err);
  const repo = join(cwd, 'aksfleet-demo');
  assert.ok(
    commands.some((c) => c.inCheckout),
    `no block marked '${IN_CHECKOUT}'`,
  );
  for (const { line, inCheckout, shown, afterEdit } of readmeLines()) {
    if (!line.startsWith('aksfleet ')) {
      const sh = spawnSync('bash', ['-c', line], { cwd: inCheckout ? PACKAGE_ROOT : repo, encoding: 'utf8' });
      t.diagnostic(`${line} -> exit ${sh.status}`);
      assert.equal(sh.status, 0, `README line '${line}' failed: ${sh.stderr}`);
      continue;
    }
    // A redirect (`> file`) is the shell's business: the command's own output is what we check.
    const argv = words(line.replace(/\s*>.*$/, '')).slice(1);
    const where = inCheckout ? PACKAGE_ROOT : repo;
    // The corpus sits beside a checkout (../shared); a README read elsewhere cannot run it.
    const corpus = argv.find((a) => a.startsWith('../shared/'));
    if (corpus && !existsSync(resolve(where, corpus))) {
      t.diagnostic(`${line} -> skipped: ${resolve(where, corpus)} does not exist here`);
      continue;
    }
    const r = await run(argv, where);
    t.diagnostic(`${line} -> exit ${r.code}`);
    // ... and what the shell would then do with it: `> FILE` holds the output for the next lines.
    const redirect = /\s>\s*(\S+)\s*$/.exec(line);
    if (redirect) writeFileSync(resolve(where, redirect[1]!), r.out);
    assert.ok(
      r.code === 0 || r.code === 1,
      `README example '${line}' failed with exit ${r.code}:\n${r.err.slice(0, 1500)}`,
    );
    assert.ok(r.out.length + r.err.length > 0, `README example '${line}' printed nothing`);
    if (afterEdit) {
      // An example that edits a file shows what the command then prints: every line of it (spaces aside).
      assert.equal(r.code, 1, `README example '${line}' after the edit: the gate fails`);
      assert.ok(shown, `README example '${line}': the output block after it`);
      for (const l of shown.split('\n').filter((x) => x.trim() !== ''))
        assert.ok(
          squash(r.out).includes(squash(l)),
          `README shows '${l.trim()}' after '${line}'; it printed:\n${r.out}`,
        );
    }
    if (argv[0] === 'diff') {
      assert.equal(r.code, 1, `README example '${line}': the demo's branches differ, so the diff shows a change`);
      assert.match(r.out, /: 0 added, 1 changed, 0 removed\n/, line);
    }
    if (argv[0] === 'promote') {
      assert.match(
        r.out,
        /^cluster aks-qa \(clusters\/aks-qa\): 0 added, 1 changed, 0 removed$/m,
        `README example '${line}' promotes a change`,
      );
      assert.match(r.err, /created branch promote\//, line);
    }
  }
  assert.ok(
    commands.some((c) => c.line.startsWith('aksfleet diff ')) &&
      commands.some((c) => c.line.startsWith('aksfleet promote ')),
    'the README shows diff and promote',
  );
});

test("the quick start's demo output: its fleet, generate and git lines are what the demo prints", async () => {
  const block = /`npm start` runs `aksfleet demo`[\s\S]*?```\n([\s\S]*?)```/.exec(README)?.[1];
  assert.ok(block, 'the demo output block after "`npm start` runs `aksfleet demo`"');
  const cwd = mkdtempSync(join(tmpdir(), 'aksfleet-readme-demo-'));
  const demo = await run(['demo'], cwd);
  assert.equal(demo.code, 0, demo.err);
  const printed = demo.err.split('\n');
  const shown = block.split('\n').filter((l) => /^(fleet|git) /.test(l));
  assert.ok(shown.length >= 3, block);
  for (const l of shown) assert.ok(printed.includes(l), `README shows '${l}', the demo prints:\n${demo.err}`);
  const gen = block
    .split('\n')
    .find((l) => l.startsWith('generate '))!
    .replace(/, \.\.\.$/, '');
  assert.ok(
    printed.some((l) => l.startsWith(gen)),
    `README shows '${gen}', the demo prints:\n${demo.err}`,
  );
});

test('the README tells where its commands run and how aksfleet is found there', () => {
  assert.match(README, /Every example below runs in the demo repository: `cd aksfleet-demo` first/);
  assert.match(README, /`npx aksfleet@0\.1\.0 \.\.\.`/);
  assert.match(README, /export PATH="\$PWD\/bin:\$PATH"/);
  const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  for (const m of README.matchAll(/npx aksfleet@([0-9][^ `]*)/g))
    assert.equal(m[1], version, 'the npx version in the README is the package version');
  // Paths the README names as files of the checkout exist.
  for (const m of README.matchAll(/\]\(((?:docs|examples|ci|data)\/[^)#]+)/g))
    assert.ok(existsSync(join(PACKAGE_ROOT, m[1]!)), `README links ${m[1]}, which does not exist`);
  for (const f of [
    'bin/aksfleet',
    'examples/chart/hello',
    'examples/policy',
    'examples/helmrelease',
    'data/aks-versions.json',
  ])
    assert.ok(existsSync(join(PACKAGE_ROOT, f)), f);
});
