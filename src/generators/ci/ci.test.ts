/**
 * The generated CI: parsed as YAML, required keys present, the gate (action.yml, the Azure
 * template) used at this version with declared inputs only, scripts pass shellcheck (when
 * installed), deterministic. actionlint and the gate's steps run as scripts: test/package/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { parseFleet } from '../../spec/load.js';
import { join } from 'node:path';
import { PACKAGE_ROOT, packageVersion } from '../../package-root.js';
import {
  ACTION_REPOSITORY,
  AKSFLEET_VERSION,
  AZURE_PIPELINE,
  AZURE_TEMPLATE,
  gateShards,
  generateCi,
  GITHUB_WORKFLOW,
  MAX_SHARDS,
  SHARD_THRESHOLD,
} from './index.js';
import { syntheticFleet } from '../../bench/synthetic-fleet.js';

const example = readFileSync(new URL('../../../examples/fleet.yaml', import.meta.url), 'utf8');
const github = parseFleet(example);
const azure = parseFleet(example.replace('provider: github', 'provider: azure-repos'));

type Step = { uses?: string; run?: string; name?: string; with?: Record<string, unknown>; if?: string };

const pkgFile = (f: string) => readFileSync(join(PACKAGE_ROOT, f), 'utf8');
const action = parse(pkgFile('action.yml')) as {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
};
type AzureStep = {
  task?: string;
  bash?: string;
  script?: string;
  inputs?: Record<string, unknown>;
  condition?: string;
  template?: string;
  parameters?: Record<string, unknown>;
};
const template = parse(pkgFile(AZURE_TEMPLATE)) as {
  parameters: { name: string; type: string; default?: unknown }[];
  steps: (AzureStep | Record<string, AzureStep[]>)[];
};

test('github: one workflow: checkout with history, Node, then the gate action pinned at this version', () => {
  const files = generateCi(github);
  assert.deepEqual(
    files.map((f) => f.path),
    [GITHUB_WORKFLOW],
  );
  const wf = parse(files[0]!.content) as {
    name: string;
    on: { pull_request: { branches: string[] } };
    permissions: Record<string, string>;
    jobs: Record<string, { 'runs-on': string; steps: Step[] }>;
  };
  assert.equal(wf.name, 'aksfleet');
  assert.deepEqual(wf.on.pull_request.branches, ['main', 'env/dev', 'env/qa', 'env/prod']);
  assert.equal(wf.permissions['security-events'], 'write');
  assert.equal(wf.permissions['pull-requests'], 'write');
  assert.equal(wf.permissions.contents, 'read');
  const steps = wf.jobs.gate!.steps;
  assert.equal(wf.jobs.gate!['runs-on'], 'ubuntu-latest');
  assert.deepEqual(
    steps.map((s) => s.uses),
    ['actions/checkout@v4', 'actions/setup-node@v4', `${ACTION_REPOSITORY}@v${packageVersion()}`],
  );
  assert.equal(steps[0]!.with!['fetch-depth'], 0, 'diff needs the base branch');
  const gate = steps[2]!;
  assert.equal(gate.with!.version, packageVersion());
  assert.equal(AKSFLEET_VERSION, packageVersion());
  // Every input the workflow gives is one the action declares (actionlint checks the same in test/package).
  for (const k of Object.keys(gate.with!)) assert.ok(k in action.inputs, `action.yml has no input '${k}'`);
  assert.equal(action.inputs.version!.default, packageVersion(), 'the action installs this version by default');
  assert.equal(action.runs.using, 'composite');
});

test('azure-repos: the pipeline includes the gate template, written beside it byte for byte as the package ships it', () => {
  const files = generateCi(azure);
  assert.deepEqual(
    files.map((f) => f.path),
    [AZURE_PIPELINE, AZURE_TEMPLATE],
  );
  assert.equal(files[1]!.content, pkgFile(AZURE_TEMPLATE));
  const p = parse(files[0]!.content, { version: '1.1' }) as {
    trigger: string;
    pr: { branches: { include: string[] } };
    pool: { vmImage: string };
    steps: AzureStep[];
  };
  assert.equal(p.trigger, 'none');
  assert.deepEqual(p.pr.branches.include, ['main', 'env/dev', 'env/qa', 'env/prod']);
  const use = p.steps.find((s) => s.template !== undefined)!;
  assert.equal(use.template, AZURE_TEMPLATE);
  const declared = new Map(template.parameters.map((x) => [x.name, x]));
  for (const [k, v] of Object.entries(use.parameters ?? {})) {
    assert.ok(declared.has(k), `the template has no parameter '${k}'`);
    assert.equal(typeof v, declared.get(k)!.type === 'boolean' ? 'boolean' : 'string', k);
  }
  assert.equal(use.parameters!.version, packageVersion());
  assert.equal(declared.get('version')!.default, packageVersion(), 'the template installs this version by default');
});

test('azure template: JUnit published always, the comment through the gate script, the gate last', () => {
  const flat: AzureStep[] = template.steps.flatMap((s) =>
    'task' in s || 'bash' in s ? [s as AzureStep] : Object.values(s as Record<string, AzureStep[]>).flat(),
  );
  const publish = flat.find((s) => s.task === 'PublishTestResults@2')!;
  assert.equal(publish.inputs!.testResultsFormat, 'JUnit');
  assert.equal(publish.condition, 'always()');
  assert.ok(flat.some((s) => s.bash?.includes('--format junit')));
  assert.ok(flat.some((s) => s.bash?.includes('comment --provider azure')));
  assert.match(flat.at(-1)!.bash!, /^exit "\$\{AKSFLEET_CHECK_EXIT:-2\}"$/);
});

test('deterministic', () => {
  assert.deepEqual(generateCi(github), generateCi(github));
  assert.deepEqual(generateCi(azure), generateCi(azure));
});

/** shellcheck of one step's script ($(Var) is Azure Pipelines macro syntax, replaced before bash runs). */
function shellcheck(script: string) {
  return spawnSync('shellcheck', ['-s', 'bash', '-'], {
    input: `#!/bin/bash\n${script.replace(/\$\(([A-Za-z.]+)\)/g, '0')}`,
    encoding: 'utf8',
  });
}

test("the gate's scripts (action.yml, the Azure template) pass shellcheck", (t) => {
  if (spawnSync('shellcheck', ['--version']).error) {
    t.skip('shellcheck not installed');
    return;
  }
  const scripts: string[] = [];
  for (const s of action.runs.steps) if (s.run) scripts.push(s.run.replace(/\$\{\{[^}]*\}\}/g, '0'));
  const walk = (steps: unknown[]) => {
    for (const s of steps as Record<string, unknown>[]) {
      if (typeof s.bash === 'string') scripts.push(s.bash);
      else if (!('task' in s)) for (const v of Object.values(s)) if (Array.isArray(v)) walk(v);
    }
  };
  walk(template.steps);
  assert.ok(scripts.length >= 10, `${scripts.length} scripts`);
  for (const sc of scripts) {
    const r = shellcheck(sc);
    assert.equal(r.status, 0, `${sc}\n${r.stdout}`);
  }
  // shellcheck does bite: an unquoted expansion is reported.
  assert.notEqual(
    spawnSync('shellcheck', ['-s', 'bash', '-'], { input: '#!/bin/bash\nrm $1\n', encoding: 'utf8' }).status,
    0,
  );
});

test('github: the workflow validates against the SchemaStore GitHub workflow schema', () => {
  const schema = JSON.parse(
    readFileSync(new URL('../../../test/check/data/github-workflow.schema.json', import.meta.url), 'utf8'),
  );
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

test(
  `github, from ${SHARD_THRESHOLD} clusters: the gate is sharded (a matrix of check ` +
    `--shard I/N parts, one job merges them through the action)`,
  () => {
    assert.equal(gateShards(github), 1, 'the example fleet is checked by one runner');
    const big = syntheticFleet({ clusters: 45, tenants: 2, appsPerTenant: 1, seed: 3 });
    assert.equal(big.spec.git.provider, 'github');
    assert.equal(gateShards(big), 3);
    const wf = parse(generateCi(big)[0]!.content) as {
      jobs: Record<
        string,
        { needs?: string; strategy?: { 'fail-fast': boolean; matrix: { shard: number[] } }; steps: Step[] }
      >;
    };
    assert.deepEqual(Object.keys(wf.jobs), ['shard', 'gate']);
    assert.deepEqual(wf.jobs.shard!.strategy!.matrix.shard, [1, 2, 3]);
    assert.equal(wf.jobs.shard!.strategy!['fail-fast'], false);
    const run = wf.jobs.shard!.steps.find((s) => s.run)!.run!;
    assert.match(
      run,
      /aksfleet check \. --shard "\$SHARD\/3" --format json > "aksfleet-part-\$SHARD\.json" \|\| \[ "\$\?" -eq 1 \]/,
    );
    assert.match(
      run,
      new RegExp(`npm install --global --no-audit --no-fund "aksfleet@${packageVersion().replace(/\./g, '\\.')}"`),
    );
    assert.equal(wf.jobs.gate!.needs, 'shard');
    const gate = wf.jobs.gate!.steps.find((s) => s.uses?.startsWith(ACTION_REPOSITORY))!;
    assert.equal(gate.with!.parts, '${{ runner.temp }}/aksfleet-parts');
    for (const k of Object.keys(gate.with!)) assert.ok(k in action.inputs, `action.yml has no input '${k}'`);
    assert.equal(
      wf.jobs.gate!.steps.find((s) => s.uses === 'actions/download-artifact@v4')!.with!.path,
      '${{ runner.temp }}/aksfleet-parts',
    );
    // The SchemaStore schema accepts it too.
    const schema = JSON.parse(
      readFileSync(new URL('../../../test/check/data/github-workflow.schema.json', import.meta.url), 'utf8'),
    );
    const validate = new Ajv({ allErrors: true, strict: false, validateFormats: false }).compile(schema);
    assert.ok(validate(parse(generateCi(big)[0]!.content)), JSON.stringify(validate.errors?.slice(0, 5)));
    assert.equal(gateShards(syntheticFleet({ clusters: 1000, tenants: 1, appsPerTenant: 1, seed: 3 })), MAX_SHARDS);
  },
);

/** An Azure Repos fleet of `clusters` clusters (the synthetic fleets are GitHub ones). */
function azureFleet(clusters: number) {
  const f = structuredClone(syntheticFleet({ clusters, tenants: 1, appsPerTenant: 1, seed: 3 }));
  (f.spec.git as { provider: string }).provider = 'azure-repos';
  return f;
}

test(
  `azure-repos, from ${SHARD_THRESHOLD} clusters: a shard job of strategy parallel N (check ` +
    `--shard I/N, I and N from the job's position) publishing parts, a gate job merging them through the template`,
  () => {
    assert.equal(gateShards(azureFleet(SHARD_THRESHOLD - 1)), 1);
    assert.doesNotMatch(
      generateCi(azureFleet(SHARD_THRESHOLD - 1))[0]!.content,
      /parallel|--shard/,
      'below the threshold: one agent',
    );
    const files = generateCi(azureFleet(SHARD_THRESHOLD + 5));
    assert.deepEqual(
      files.map((f) => f.path),
      [AZURE_PIPELINE, AZURE_TEMPLATE],
    );
    type Job = { job: string; dependsOn?: string; strategy?: { parallel: string }; steps: AzureStep[] };
    const p = parse(files[0]!.content) as { trigger: string; pr: { branches: { include: string[] } }; jobs: Job[] };
    assert.equal(p.trigger, 'none');
    assert.deepEqual(
      p.jobs.map((j) => [j.job, j.dependsOn, j.strategy?.parallel]),
      [
        ['shard', undefined, '3'],
        ['gate', 'shard', undefined],
      ],
    );
    const [shard, gate] = p.jobs as [Job, Job];
    const run = shard.steps.find((s) => s.bash?.includes('--shard'))!.bash!;
    assert.match(
      run,
      /aksfleet check \. --shard "\$SYSTEM_JOBPOSITIONINPHASE\/\$SYSTEM_TOTALJOBSINPHASE" --format json > "\$BUILD_ARTIFACTSTAGINGDIRECTORY\/aksfleet-part-\$SYSTEM_JOBPOSITIONINPHASE\.json" \|\| \[ "\$\?" -eq 1 \]/,
    );
    assert.ok(
      shard.steps.some((s) => s.bash === `npm install --global --no-audit --no-fund "aksfleet@${packageVersion()}"`),
    );
    const publish = shard.steps.find((s) => 'publish' in s) as { publish: string; artifact: string };
    assert.equal(publish.artifact, 'aksfleet-part-$(System.JobPositionInPhase)');
    const download = gate.steps.find((s) => s.task === 'DownloadPipelineArtifact@2')!;
    const use = gate.steps.find((s) => s.template !== undefined)!;
    assert.equal(use.template, AZURE_TEMPLATE);
    assert.equal(
      use.parameters!.parts,
      download.inputs!.targetPath,
      'the template merges what the gate job downloaded',
    );
    const declared = new Set(template.parameters.map((x) => x.name));
    for (const k of Object.keys(use.parameters!)) assert.ok(declared.has(k), `the template has no parameter '${k}'`);
    assert.equal(gateShards(azureFleet(1000)), MAX_SHARDS);
  },
);

test("the generated pipelines' own scripts (sharded GitHub and Azure) pass shellcheck", (t) => {
  if (spawnSync('shellcheck', ['--version']).error) {
    t.skip('shellcheck not installed');
    return;
  }
  const gh = parse(
    generateCi(syntheticFleet({ clusters: SHARD_THRESHOLD, tenants: 1, appsPerTenant: 1, seed: 3 }))[0]!.content,
  ) as { jobs: Record<string, { steps: Step[] }> };
  const az = parse(generateCi(azureFleet(SHARD_THRESHOLD))[0]!.content) as { jobs: { steps: AzureStep[] }[] };
  const scripts = [
    ...Object.values(gh.jobs).flatMap((j) => j.steps.map((s) => s.run)),
    ...az.jobs.flatMap((j) => j.steps.map((s) => s.bash)),
  ].filter((x): x is string => !!x);
  assert.equal(scripts.length, 3);
  for (const sc of scripts) {
    const r = shellcheck(sc);
    assert.equal(r.status, 0, `${sc}\n${r.stdout}`);
  }
});
