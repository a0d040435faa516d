/**
 * The generated CI: parsed as YAML, required keys present, the gate's steps in order, scripts
 * pass shellcheck (when installed), deterministic.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { parseFleet } from '../../spec/load.js';
import { generateCi, GITHUB_WORKFLOW, AZURE_PIPELINE } from './index.js';

const example = readFileSync(new URL('../../../examples/fleet.yaml', import.meta.url), 'utf8');
const github = parseFleet(example);
const azure = parseFleet(example.replace('provider: github', 'provider: azure-repos'));

type Step = { uses?: string; run?: string; name?: string; with?: Record<string, unknown>; if?: string };

test('github: one workflow with check, diff, SARIF upload, PR comment and the gate', () => {
  const files = generateCi(github);
  assert.deepEqual(files.map((f) => f.path), [GITHUB_WORKFLOW]);
  const wf = parse(files[0]!.content) as { name: string; on: { pull_request: { branches: string[] } }; permissions: Record<string, string>; jobs: Record<string, { 'runs-on': string; steps: Step[] }> };
  assert.equal(wf.name, 'aksfleet');
  assert.deepEqual(wf.on.pull_request.branches, ['main', 'env/dev', 'env/qa', 'env/prod']);
  assert.equal(wf.permissions['security-events'], 'write');
  assert.equal(wf.permissions['pull-requests'], 'write');
  const steps = wf.jobs.gate!.steps;
  assert.equal(wf.jobs.gate!['runs-on'], 'ubuntu-latest');
  for (const s of steps) assert.ok((s.uses === undefined) !== (s.run === undefined), `a step has uses or run: ${JSON.stringify(s)}`);
  const idx = (p: (s: Step) => boolean) => steps.findIndex(p);
  const check = idx((s) => !!s.run?.includes('aksfleet check . --format sarif'));
  const diff = idx((s) => !!s.run?.includes('aksfleet diff . --base'));
  const upload = idx((s) => s.uses === 'github/codeql-action/upload-sarif@v3');
  const comment = idx((s) => !!s.run?.includes('gh pr comment'));
  const gate = idx((s) => s.name === 'Gate');
  assert.ok(check >= 0 && check < diff && diff < upload && upload < comment && comment < gate, `${check} ${diff} ${upload} ${comment} ${gate}`);
  assert.equal(steps[upload]!.with!.sarif_file, 'aksfleet.sarif');
  assert.match(steps[upload]!.if!, /^always\(\)/);
  assert.match(steps[check]!.run!, /--format markdown > aksfleet-comment.md/);
});

test('azure-repos: one pipeline: PR trigger, JUnit published, PR thread, the gate', () => {
  const files = generateCi(azure);
  assert.deepEqual(files.map((f) => f.path), [AZURE_PIPELINE]);
  const p = parse(files[0]!.content, { version: '1.1' }) as { trigger: string; pr: { branches: { include: string[] } }; pool: { vmImage: string }; steps: Record<string, unknown>[] };
  assert.equal(p.trigger, 'none');
  assert.deepEqual(p.pr.branches.include, ['main', 'env/dev', 'env/qa', 'env/prod']);
  const publish = p.steps.find((s) => s.task === 'PublishTestResults@2') as { inputs: Record<string, unknown>; condition: string };
  assert.equal(publish.inputs.testResultsFormat, 'JUnit');
  assert.equal(publish.condition, 'always()');
  assert.ok(p.steps.some((s) => typeof s.script === 'string' && s.script.includes('--format junit')));
  assert.ok(p.steps.some((s) => typeof s.script === 'string' && s.script.includes('pullRequests/$(System.PullRequest.PullRequestId)/threads')));
  assert.equal((p.steps.at(-1) as { script: string }).script, 'exit $(checkExit)');
});

test('deterministic', () => {
  assert.deepEqual(generateCi(github), generateCi(github));
  assert.deepEqual(generateCi(azure), generateCi(azure));
});

test('run scripts pass shellcheck', (t) => {
  if (spawnSync('shellcheck', ['--version']).error) { t.skip('shellcheck not installed'); return; }
  const scripts: string[] = [];
  const wf = parse(generateCi(github)[0]!.content) as { jobs: { gate: { steps: Step[] } } };
  for (const s of wf.jobs.gate.steps) if (s.run) scripts.push(s.run.replace(/\$\{\{[^}]*\}\}/g, '0'));
  const ap = parse(generateCi(azure)[0]!.content) as { steps: { script?: string }[] };
  // $(Var) is Azure Pipelines macro syntax, replaced before bash runs.
  for (const s of ap.steps) if (s.script) scripts.push(s.script.replace(/\$\(([A-Za-z.]+)\)/g, '0'));
  for (const sc of scripts) {
    const r = spawnSync('shellcheck', ['-s', 'bash', '-'], { input: `#!/bin/bash\n${sc}`, encoding: 'utf8' });
    assert.equal(r.status, 0, `${sc}\n${r.stdout}`);
  }
});

test('github: the workflow validates against the SchemaStore GitHub workflow schema', () => {
  const schema = JSON.parse(readFileSync(new URL('../../../test/check/data/github-workflow.schema.json', import.meta.url), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  const validate = ajv.compile(schema);
  const wf = parse(generateCi(github)[0]!.content) as Record<string, unknown>;
  assert.ok(validate(wf), JSON.stringify(validate.errors?.slice(0, 5)));
  // The validator does reject a broken workflow (a step with neither uses nor run, an unknown key).
  const broken = structuredClone(wf) as { jobs: { gate: { steps: unknown[]; 'runs-on'?: unknown } } };
  broken.jobs.gate.steps.push({ name: 'nothing' });
  assert.equal(validate(broken), false);
  assert.equal(validate({ ...wf, onn: 1 }), false);
});
