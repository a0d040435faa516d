/**
 * The name rules of names.ts, against their oracles where one runs here (git check-ref-format),
 * and the spec values of issue #25 refused at load with file:line:col and the field.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { gitBranchProblem } from './names.js';
import { editExample, exampleFleetText, fleetErrorOf } from './testing.js';
import { parseFleet } from './load.js';

const OUTSIDE_REPO = mkdtempSync(join(tmpdir(), 'aksfleet-refname-'));
function gitAcceptsBranch(name: string): boolean {
  const r = spawnSync('git', ['check-ref-format', '--branch', name], {
    cwd: OUTSIDE_REPO,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, GIT_CEILING_DIRECTORIES: tmpdir() },
  });
  if (r.error) throw r.error;
  return r.status === 0;
}
const hasGit = spawnSync('git', ['--version']).status === 0;

test('branch names: gitBranchProblem accepts exactly what `git check-ref-format --branch` accepts', {
  skip: hasGit ? false : 'git not installed',
}, () => {
  const table = [
    'main',
    'env/dev',
    'release/1.2',
    '-x',
    'HEAD',
    'a..b',
    'a b',
    'a\tb',
    '@{-1}',
    '@',
    'a@{b',
    'x.lock',
    'x.lock/y',
    'é',
    'a/.b',
    '.a',
    'a/',
    '/a',
    'a//b',
    'a.',
    'a~1',
    'a^',
    'a:b',
    'a?',
    'a*',
    'a[',
    'a\\b',
    'a\x7f',
    '$(touch pwn)',
    '`id`',
    "o'k",
    'a$b',
    '',
    'a/b.lock.c',
  ];
  for (const name of table)
    assert.equal(gitBranchProblem(name) === undefined, gitAcceptsBranch(name), JSON.stringify(name));
  const alphabet = fc.constantFrom(
    'a',
    'b',
    'Z',
    '0',
    '.',
    '/',
    '@',
    '{',
    '}',
    '-',
    '~',
    '^',
    ':',
    '?',
    '*',
    '[',
    '\\',
    ' ',
    '\t',
    '\n',
    '\x01',
    '\x7f',
    '$',
    '(',
    ')',
    "'",
    '"',
    '`',
    'é',
    'lock',
    'HEAD',
  );
  fc.assert(
    fc.property(fc.string({ unit: alphabet, maxLength: 10 }), (name) => {
      assert.equal(gitBranchProblem(name) === undefined, gitAcceptsBranch(name), JSON.stringify(name));
    }),
    { seed: 25, numRuns: 400 },
  );
});

test('issue #25: spec values that would run in a script or break a label are refused with file:line:col and field', () => {
  const cases: { edit: { text: string; line: number }; field: string; why: RegExp }[] = [
    {
      edit: editExample('owner: your-org', 'owner: "your-org$(touch pwn)"'),
      field: 'spec.git.owner',
      why: /GitHub owner is 1-39 letters/,
    },
    {
      edit: editExample('repository: aks-gitops', 'repository: "fleet`touch pwn`"'),
      field: 'spec.git.repository',
      why: /GitHub repository name/,
    },
    {
      edit: editExample('branch: env/dev', 'branch: "env/dev\\ntouch pwn"'),
      field: 'spec.environments[0].branch',
      why: /control character U\+000A/,
    },
    {
      edit: editExample('branch: env/dev', 'branch: "env/$(touch pwn)"'),
      field: 'spec.environments[0].branch',
      why: /a ref name cannot hold a space/,
    },
    {
      edit: editExample('costCenter: cc-1234', 'costCenter: "cc\'${HOME}"'),
      field: 'spec.tenants[0].costCenter',
      why: /Kubernetes label value/,
    },
    {
      edit: editExample('url: https://github.com/your-org/aks-gitops', 'url: "https://github.com/x$(id)"'),
      field: 'spec.git.url',
      why: /cannot hold '\$'/,
    },
    {
      edit: editExample('resourceGroup: rg-aks-prod', 'resourceGroup: "rg\')}"'),
      field: 'spec.registry.resourceGroup',
      why: /resource group/,
    },
    {
      edit: editExample('owner: team-api', 'owner: "team\u202e"'),
      field: 'spec.tenants[0].owner',
      why: /control character U\+202E/,
    },
  ];
  for (const c of cases) {
    const msg = fleetErrorOf(c.edit.text);
    assert.match(
      msg,
      new RegExp(`^fleet\\.yaml:${c.edit.line}:\\d+: ${c.field.replace(/[[\].]/g, '\\$&')}: `, 'm'),
      msg,
    );
    assert.match(msg, c.why, msg);
  }
});

test('the example fleet and valid names still load (branch with slash, azure-repos names with spaces)', () => {
  parseFleet(exampleFleetText, 'fleet.yaml');
  const ado = editExample('provider: github', 'provider: azure-repos')
    .text.replace('owner: your-org', 'owner: contoso-org')
    .replace('repository: aks-gitops', 'repository: Fleet GitOps');
  parseFleet(ado, 'fleet.yaml');
  // git accepts `$`, `(`, `{` in branch names: the scripts must quote it (test/hardening/spec-injection.test.ts).
  parseFleet(editExample('branch: env/dev', 'branch: "env/$(touch${IFS}pwn)"').text, 'fleet.yaml');
});
