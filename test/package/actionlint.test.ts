/**
 * actionlint (the real linter, test/oracles: github.com/rhysd/actionlint v1.7.12) on the gate:
 * - a workflow that uses the action (`uses: ./` with every input): actionlint reads action.yml's
 *   metadata and checks the inputs given against it;
 * - the action's composite steps as a workflow_call workflow (its inputs declared as the call's
 *   inputs): expressions, contexts, step outputs, and the run scripts through shellcheck;
 * - the workflow `aksfleet generate` writes, with its `uses: aksfleet/aksfleet@vX` pointed at
 *   this checkout's action.yml so its inputs are checked too.
 * A broken workflow is refused (the linter bites).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { PACKAGE_ROOT, packageVersion } from '../../src/package-root.js';
import { parseFleet } from '../../src/spec/load.js';
import { ACTION_REPOSITORY, generateCi, GITHUB_WORKFLOW, SHARD_THRESHOLD } from '../../src/generators/ci/index.js';
import { syntheticFleet } from '../../src/bench/synthetic-fleet.js';
import { oracle } from '../oracles/index.js';

const actionlint = oracle('actionlint');
const HAVE_SHELLCHECK = !spawnSync('shellcheck', ['--version']).error;

interface Action {
  inputs: Record<string, { default?: string; description?: string }>;
  runs: { steps: unknown[] };
}

/** A repository holding action.yml and the given workflows; actionlint's exit code and output. */
function lint(workflows: Record<string, string>): { code: number | null; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-actionlint-'));
  try {
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    copyFileSync(join(PACKAGE_ROOT, 'action.yml'), join(dir, 'action.yml'));
    for (const [name, text] of Object.entries(workflows)) writeFileSync(join(dir, '.github', 'workflows', name), text);
    spawnSync('git', ['init', '-q'], { cwd: dir });
    const r = spawnSync(actionlint.path, ['-no-color', ...(HAVE_SHELLCHECK ? [] : ['-shellcheck='])], {
      cwd: dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: dir },
    });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const action = parse(readFileSync(join(PACKAGE_ROOT, 'action.yml'), 'utf8')) as Action;

const useAction = (extra: Record<string, string> = {}) =>
  stringify({
    name: 'gate',
    on: { pull_request: { branches: ['main'] } },
    permissions: { contents: 'read', 'pull-requests': 'write', 'security-events': 'write' },
    jobs: {
      gate: {
        'runs-on': 'ubuntu-latest',
        steps: [
          { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0 } },
          {
            uses: './',
            with: {
              ...Object.fromEntries(
                Object.keys(action.inputs)
                  .filter((k) => k !== 'token')
                  .map((k) => [k, k === 'comment' ? 'true' : 'x']),
              ),
              ...extra,
            },
          },
        ],
      },
    },
  });

/** The composite steps as a reusable workflow's job: the action's inputs are the call's inputs. */
function compositeAsWorkflow(a: Action): string {
  const inputs = Object.fromEntries(
    Object.entries(a.inputs).map(([k, v]) => [
      k,
      {
        type: 'string',
        required: false,
        ...(v.default !== undefined && !String(v.default).includes('${{') ? { default: v.default } : {}),
      },
    ]),
  );
  return stringify({
    name: 'composite',
    on: { workflow_call: { inputs } },
    permissions: { contents: 'read' },
    jobs: { gate: { 'runs-on': 'ubuntu-latest', steps: a.runs.steps } },
  });
}

test('actionlint: action.yml (its metadata through a workflow ' +
  'that uses it, its composite steps and scripts) is clean', {
  skip: actionlint.skip,
}, (t) => {
  if (!HAVE_SHELLCHECK) t.diagnostic('shellcheck is not installed: the run scripts are not shellchecked by actionlint');
  const r = lint({ 'use.yml': useAction(), 'composite.yml': compositeAsWorkflow(action) });
  assert.equal(r.code, 0, r.out);
});

test('actionlint: the workflow aksfleet generate writes is clean, its inputs declared by action.yml', {
  skip: actionlint.skip,
}, () => {
  const fleet = parseFleet(readFileSync(join(PACKAGE_ROOT, 'examples/fleet.yaml'), 'utf8'));
  const wf = generateCi(fleet).find((f) => f.path === GITHUB_WORKFLOW)!.content;
  const local = wf.replace(new RegExp(`uses: ${ACTION_REPOSITORY}@v[0-9.]+`), 'uses: ./');
  assert.notEqual(local, wf, 'the generated workflow uses the action');
  const r = lint({ 'aksfleet.yaml': local });
  assert.equal(r.code, 0, r.out);
});

test('actionlint bites: an undeclared input and an unknown step are reported', { skip: actionlint.skip }, () => {
  const bad = useAction({ failon: 'error' });
  const broken = structuredClone(action);
  (broken.runs.steps as { if?: string; run?: string }[]).find((s) => s.if?.includes('steps.ctx.outputs.writable'))!.if =
    "always() && steps.context.outputs.writable == 'true'";
  const r = lint({ 'use.yml': bad, 'composite.yml': compositeAsWorkflow(broken) });
  assert.equal(r.code, 1, r.out);
  assert.match(r.out, /input "failon" is not defined in action "aksfleet gate"/);
  assert.match(r.out, /property "context" is not defined/);
});

test("actionlint: the README's workflow example is clean and uses the action at this version", {
  skip: actionlint.skip,
}, () => {
  const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const block = /```yaml\n(# \.github\/workflows\/aksfleet\.yaml\n[\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'README.md has the workflow example');
  assert.ok(block.includes(`uses: ${ACTION_REPOSITORY}@v${packageVersion()}\n`), 'the example pins this version');
  const r = lint({ 'readme.yml': block.replace(`uses: ${ACTION_REPOSITORY}@v${packageVersion()}`, 'uses: ./') });
  assert.equal(r.code, 0, r.out);
});

test('actionlint: the sharded workflow (from SHARD_THRESHOLD clusters) is clean, its inputs declared by action.yml', {
  skip: actionlint.skip,
}, () => {
  const fleet = syntheticFleet({ clusters: SHARD_THRESHOLD, tenants: 1, appsPerTenant: 1, seed: 5 });
  const wf = generateCi(fleet).find((f) => f.path === GITHUB_WORKFLOW)!.content;
  assert.match(wf, /--shard "\$SHARD\/2"/);
  const local = wf.replace(new RegExp(`uses: ${ACTION_REPOSITORY}@v[0-9.]+`), 'uses: ./');
  assert.notEqual(local, wf, 'the merging job uses the action');
  const r = lint({ 'aksfleet.yaml': local });
  assert.equal(r.code, 0, r.out);
  // actionlint bites on the same shape: a matrix value the job does not define.
  const broken = lint({ 'aksfleet.yaml': local.replace('${{ matrix.shard }}.json', '${{ matrix.part }}.json') });
  assert.notEqual(broken.code, 0);
});
