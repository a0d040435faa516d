/**
 * The pull-request gate run as the CI services would run it: the steps of action.yml and of the
 * Azure Pipelines template, as scripts (test/package/ci-runner.ts), in a temporary git repository
 * (the demo fleet, a clone with `origin`) on a recorded pull-request event, with `aksfleet` from
 * the sources and the comment API pointed at a loopback stub. Asserts: one comment created, then
 * updated (never repeated; other comments left alone), SARIF/JUnit written, the gate's exit code,
 * and pull requests from forks skipping what needs write access and saying so.
 * Only the step that installs the published aksfleet from the registry is not run.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { parse } from 'yaml';
import { PACKAGE_ROOT, packageVersion } from '../../src/package-root.js';
import { runCli } from '../../src/cli/testing/run-cli.js';
import { AZURE_PIPELINE, generateCi, SHARD_THRESHOLD } from '../../src/generators/ci/index.js';
import { syntheticFleet } from '../../src/bench/synthetic-fleet.js';
import { expandTemplate, pipelineJobs, runAction, runAzureSteps, type AzureJob, type StepRun } from './ci-runner.js';

const MARKER = '<!-- aksfleet-gate:default -->';
const README = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
/** The README's usage examples: the action's `with:` and the template's parameters are what the first runs use. */
function readmeBlock(first: string): Record<string, unknown> {
  const block = new RegExp('```yaml\\n(# ' + first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '\\n[\\s\\S]*?)```').exec(
    README,
  )?.[1];
  assert.ok(block, `README.md has the example '${first}'`);
  return parse(block) as Record<string, unknown>;
}
const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'aksfleet-gate-')));
const ws = join(tmp, 'ws');
const binDir = join(tmp, 'bin');
const GATE = join(PACKAGE_ROOT, 'scripts/gate/gate.mjs');

interface Req {
  method: string;
  path: string;
  auth: string;
  body: unknown;
}
interface Comment {
  id: number;
  body: string;
}
/** The stub of both APIs: GitHub issue comments and Azure DevOps pull request threads. */
const stub = {
  requests: [] as Req[],
  github: [] as Comment[],
  azure: [] as { id: number; comments: { id: number; content: string }[] }[],
  nextId: 100,
};
let server: Server;
let api = '';

function git(cwd: string, args: readonly string[]): string {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'u',
      GIT_AUTHOR_EMAIL: 'u@example.com',
      GIT_COMMITTER_NAME: 'u',
      GIT_COMMITTER_EMAIL: 'u@example.com',
    },
  });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve) => {
    let s = '';
    req.on('data', (c) => (s += c));
    req.on('end', () => resolve(s ? JSON.parse(s) : undefined));
  });
}

before(async () => {
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const body = await readBody(req);
    stub.requests.push({
      method: req.method ?? '',
      path: url.pathname,
      auth: String(req.headers.authorization ?? ''),
      body,
    });
    const send = (status: number, v: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    let m: RegExpExecArray | null;
    if (url.pathname === '/repos/acme/readonly/issues/7/comments') {
      if (req.method === 'GET') return send(200, []);
      return send(403, { message: 'Resource not accessible by integration' });
    }
    if ((m = /^\/repos\/acme\/fleet\/issues\/7\/comments$/.exec(url.pathname))) {
      if (req.method === 'GET') return send(200, url.searchParams.get('page') === '1' ? stub.github : []);
      const c = { id: stub.nextId++, body: (body as { body: string }).body };
      stub.github.push(c);
      return send(201, c);
    }
    if ((m = /^\/repos\/acme\/fleet\/issues\/comments\/(\d+)$/.exec(url.pathname)) && req.method === 'PATCH') {
      const c = stub.github.find((x) => x.id === Number(m![1]));
      if (!c) return send(404, { message: 'Not Found' });
      c.body = (body as { body: string }).body;
      return send(200, c);
    }
    if ((m = /^\/org\/proj\/_apis\/git\/repositories\/repo-id\/pullRequests\/7\/threads$/.exec(url.pathname))) {
      if (url.searchParams.get('api-version') !== '7.1') return send(400, { message: 'api-version' });
      if (req.method === 'GET') return send(200, { value: stub.azure, count: stub.azure.length });
      const t = {
        id: stub.nextId++,
        comments: [{ id: 1, content: (body as { comments: { content: string }[] }).comments[0]!.content }],
      };
      stub.azure.push(t);
      return send(200, t);
    }
    if (
      (m = /^\/org\/proj\/_apis\/git\/repositories\/repo-id\/pullRequests\/7\/threads\/(\d+)\/comments\/(\d+)$/.exec(
        url.pathname,
      )) &&
      req.method === 'PATCH'
    ) {
      const t = stub.azure.find((x) => x.id === Number(m![1]));
      if (!t) return send(404, { message: 'no thread' });
      t.comments[0]!.content = (body as { content: string }).content;
      return send(200, t.comments[0]);
    }
    send(404, { message: `stub: no route ${req.method} ${url.pathname}` });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // `aksfleet` on PATH: the CLI from the sources (what the install step puts there from the registry).
  mkdirSync(binDir);
  const tsx = join(PACKAGE_ROOT, 'node_modules/tsx/dist/esm/index.mjs');
  writeFileSync(
    join(binDir, 'aksfleet'),
    `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" -e "import('${join(PACKAGE_ROOT, 'src/cli/main.ts')}` +
      `').then(m=>m.main(process.argv.slice(1))).then(c=>{process.exitCode=c})" -- "$@"\n`,
  );
  chmodSync(join(binDir, 'aksfleet'), 0o755);

  // origin: the demo fleet; the workspace: a clone on a pull-request branch from env/qa.
  const made = await runCli(['demo', 'origin'], { cwd: tmp });
  assert.equal(made.code, 0, made.all);
  git(tmp, ['clone', '-q', '--branch', 'env/qa', join(tmp, 'origin'), ws]);
  git(ws, ['checkout', '-q', '-b', 'feature']);
  const f = join(ws, 'workloads/base/app/api/deployment.yaml');
  writeFileSync(
    f,
    readFileSync(f, 'utf8').replace('acrprod123.azurecr.io/api:1.2.3', 'acrprod123.azurecr.io/api:1.2.4'),
  );
  git(ws, ['commit', '-q', '-am', 'api 1.2.4']);
});

after(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(tmp, { recursive: true, force: true });
});

/** The environment of a runner: PATH with aksfleet, no token unless given. */
function runnerEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(GITHUB_|RUNNER_|SYSTEM_|BUILD_|AGENT_|npm_|AKSFLEET_)/.test(k)) env[k] = v;
  return { ...env, PATH: `${binDir}:${process.env.PATH ?? ''}`, NO_COLOR: '1', AKSFLEET_GATE: GATE, ...extra };
}

function event(head: string): string {
  const file = join(tmp, `event-${head.replace('/', '-')}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      action: 'synchronize',
      number: 7,
      repository: { full_name: 'acme/fleet' },
      pull_request: {
        number: 7,
        head: { ref: 'feature', repo: { full_name: head } },
        base: { ref: 'env/qa', repo: { full_name: 'acme/fleet' } },
      },
    }),
  );
  return file;
}

function github(head: string, inputs: Record<string, string> = {}): Promise<StepRun[]> {
  const temp = mkdtempSync(join(tmp, 'runner-'));
  const summary = join(temp, 'summary.md');
  writeFileSync(summary, '');
  return runAction(readFileSync(join(PACKAGE_ROOT, 'action.yml'), 'utf8'), {
    inputs,
    github: { token: 'ghs_test', base_ref: 'env/qa', event_name: 'pull_request', repository: 'acme/fleet' },
    env: runnerEnv({
      GITHUB_EVENT_PATH: event(head),
      GITHUB_REPOSITORY: 'acme/fleet',
      GITHUB_API_URL: api,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_BASE_REF: 'env/qa',
    }),
    cwd: ws,
    temp,
    skip: ['Install aksfleet'],
  });
}

const step = (runs: StepRun[], name: string) => {
  const s = runs.find((r) => r.name === name);
  assert.ok(s, `no step '${name}' in ${runs.map((r) => r.name).join(', ')}`);
  return s;
};
const writes = () => stub.requests.filter((r) => r.method !== 'GET');

test('GitHub: check, SARIF, diff, one comment created then updated, the gate passes', async () => {
  stub.github.push({ id: 1, body: 'LGTM, a human' });
  const wf = readmeBlock('.github/workflows/aksfleet.yaml') as {
    jobs: { gate: { steps: { uses?: string; with?: Record<string, string> }[] } };
  };
  const use = wf.jobs.gate.steps.find((s) => s.uses?.startsWith('aksfleet/aksfleet@'))!;
  assert.equal(use.uses, `aksfleet/aksfleet@v${packageVersion()}`);
  const first = await github('acme/fleet', use.with ?? {});
  assert.deepEqual(
    first.filter((r) => r.status === 'ran' && r.code !== 0).map((r) => `${r.name}: ${r.out}${r.err}`),
    [],
  );
  assert.match(step(first, 'Pull request context').out!, /may write to pull request 7/);
  assert.equal(step(first, 'Restore the chart cache').status, 'skipped', 'no chart cache given');
  const upload = step(first, 'Upload SARIF to code scanning');
  assert.equal(upload.status, 'uses');
  assert.equal(upload.uses, 'github/codeql-action/upload-sarif@v3');
  const sarif = JSON.parse(readFileSync(upload.with!.sarif_file!, 'utf8')) as {
    version: string;
    runs: { tool: { driver: { name: string } } }[];
  };
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0]!.tool.driver.name, 'aksfleet');
  assert.equal(upload.with!.token, 'ghs_test');
  assert.match(step(first, 'Comment on the pull request').out!, /comment 100 created/);
  assert.equal(step(first, 'Gate').code, 0);
  assert.deepEqual(
    writes().map((r) => `${r.method} ${r.path}`),
    ['POST /repos/acme/fleet/issues/7/comments'],
  );
  assert.ok(stub.requests.every((r) => r.auth === 'Bearer ghs_test'));
  const body = stub.github.find((c) => c.id === 100)!.body;
  assert.doesNotMatch(body, /could not run/);
  assert.ok(body.startsWith(`${MARKER}\n## aksfleet pull-request gate\n`), body.slice(0, 200));
  assert.match(body, /## aksfleet check: :white_check_mark: passed/);
  const diff = body.slice(body.indexOf('### aksfleet diff: `origin/env/qa`'));
  assert.ok(diff.length < body.length, 'the diff against the base follows the check');
  assert.match(diff, /^\| aks-qa \| `clusters\/aks-qa` \| 0 \| 1 \| 0 \| 0 \|$/m);
  assert.match(diff, /acrprod123\.azurecr\.io\/api:1\.2\.3\b[\s\S]*acrprod123\.azurecr\.io\/api:1\.2\.4/);

  // A second push: the same comment is updated, not repeated; the human's comment is untouched.
  const f = join(ws, 'workloads/base/app/api/deployment.yaml');
  writeFileSync(f, readFileSync(f, 'utf8').replace('api:1.2.4', 'api:1.2.5'));
  git(ws, ['commit', '-q', '-am', 'api 1.2.5']);
  stub.requests.length = 0;
  const second = await github('acme/fleet');
  assert.match(step(second, 'Comment on the pull request').out!, /comment 100 updated/);
  assert.deepEqual(
    writes().map((r) => `${r.method} ${r.path}`),
    ['PATCH /repos/acme/fleet/issues/comments/100'],
  );
  assert.equal(stub.github.filter((c) => c.body.includes(MARKER)).length, 1);
  assert.match(stub.github.find((c) => c.id === 100)!.body, /1\.2\.5/);
  assert.deepEqual(
    stub.github.find((c) => c.id === 1),
    { id: 1, body: 'LGTM, a human' },
  );
});

test('GitHub: fail-on decides the gate; the inputs reach aksfleet', async () => {
  stub.requests.length = 0;
  const runs = await github('acme/fleet', { 'fail-on': 'info', cluster: 'aks-prod' });
  assert.equal(step(runs, 'Gate').code, 1, 'info findings fail the job with fail-on: info');
  assert.match(stub.github.find((c) => c.id === 100)!.body, /fails on info and above/);
  assert.doesNotMatch(stub.github.find((c) => c.id === 100)!.body, /aks-dev/, '--cluster aks-prod only');
  assert.deepEqual(
    writes().map((r) => r.method),
    ['PATCH'],
  );
});

test('GitHub, sharded: the action merges the parts (input parts) into the SARIF and comment one runner would give', async () => {
  const parts = mkdtempSync(join(tmp, 'parts-'));
  for (const i of [1, 2]) {
    const r = spawnSync(join(binDir, 'aksfleet'), ['check', '.', '--shard', `${i}/2`, '--format', 'json'], {
      cwd: ws,
      encoding: 'utf8',
      env: runnerEnv({}),
    });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    writeFileSync(join(parts, `aksfleet-part-${i}.json`), r.stdout);
  }
  const whole = spawnSync(join(binDir, 'aksfleet'), ['check', '.', '--format', 'sarif'], {
    cwd: ws,
    encoding: 'utf8',
    env: runnerEnv({}),
  });
  stub.requests.length = 0;
  const runs = await github('acme/fleet', { parts });
  assert.deepEqual(
    runs.filter((r) => r.status === 'ran' && r.code !== 0).map((r) => `${r.name}: ${r.out}${r.err}`),
    [],
  );
  assert.equal(
    readFileSync(step(runs, 'Upload SARIF to code scanning').with!.sarif_file!, 'utf8'),
    whole.stdout,
    'the merged SARIF is the unsharded one',
  );
  assert.match(stub.github.find((c) => c.id === 100)!.body, /## aksfleet check: :white_check_mark: passed/);
  assert.equal(step(runs, 'Gate').code, whole.status);
  // A missing part: the merge refuses (exit 2), and the gate fails.
  rmSync(join(parts, 'aksfleet-part-2.json'));
  const partial = await github('acme/fleet', { parts });
  assert.match(step(partial, 'Check').out! + step(partial, 'Check').err!, /missing shard\(s\) 2\/2/);
  assert.equal(step(partial, 'Gate').code, 2);
});

test('GitHub: a pull request from a fork skips the upload and the comment, and says so', async () => {
  stub.requests.length = 0;
  const runs = await github('mallory/fleet');
  assert.match(
    step(runs, 'Pull request context').out!,
    /::notice::pull request from the fork mallory\/fleet: the token is read-only/,
  );
  assert.equal(step(runs, 'Upload SARIF to code scanning').status, 'skipped');
  const comment = step(runs, 'Comment on the pull request');
  assert.equal(comment.code, 0);
  assert.match(comment.out!, /::notice::comment skipped: pull request from the fork/);
  assert.deepEqual(stub.requests, [], 'no API call at all');
  assert.equal(step(runs, 'Gate').code, 0);
});

test('Azure Pipelines: check (JUnit), diff, one thread created then updated, the gate; forks skip', async () => {
  const template = readFileSync(join(PACKAGE_ROOT, 'ci/azure-pipelines/aksfleet-gate.yml'), 'utf8');
  const run = (extra: Record<string, string>, params: Record<string, unknown> = {}) => {
    const temp = mkdtempSync(join(tmp, 'agent-'));
    return runAzureSteps(expandTemplate(template, params), {
      variables: { 'System.AccessToken': 'azdo-token', 'Agent.TempDirectory': temp, 'Agent.OS': 'Linux' },
      env: runnerEnv({
        AGENT_TEMPDIRECTORY: temp,
        SYSTEM_COLLECTIONURI: `${api}/org/`,
        SYSTEM_TEAMPROJECT: 'proj',
        BUILD_REPOSITORY_ID: 'repo-id',
        SYSTEM_PULLREQUEST_PULLREQUESTID: '7',
        SYSTEM_PULLREQUEST_TARGETBRANCH: 'refs/heads/env/qa',
        SYSTEM_PULLREQUEST_ISFORK: 'False',
        ...extra,
      }),
      cwd: ws,
      temp,
      skip: ['Install aksfleet'],
    });
  };
  const pipeline = readmeBlock('azure-pipelines.yml') as {
    steps: { template?: string; parameters?: Record<string, unknown> }[];
  };
  const use = pipeline.steps.find((s) => s.template)!;
  assert.equal(use.template, 'ci/azure-pipelines/aksfleet-gate.yml@aksfleet', 'the README includes this template');
  stub.requests.length = 0;
  const first = await run({}, use.parameters);
  assert.deepEqual(
    first
      .filter((r) => r.status === 'ran' && r.code !== 0 && r.name !== 'Gate')
      .map((r) => `${r.name}: ${r.out}${r.err}`),
    [],
  );
  assert.deepEqual(
    first.map((r) => `${r.name}:${r.status}`),
    [
      'Node.js:uses',
      'Install aksfleet:skipped',
      'Pull request context:ran',
      'aksfleet check:ran',
      'aksfleet diff against the target branch:ran',
      'Publish the check results:uses',
      'Comment on the pull request:ran',
      'Gate:ran',
    ],
  );
  const publish = step(first, 'Publish the check results');
  assert.equal(publish.uses, 'PublishTestResults@2');
  assert.equal(publish.with!.testResultsFormat, 'JUnit');
  assert.match(
    readFileSync(publish.with!.testResultsFiles!, 'utf8'),
    /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="aksfleet check"/,
  );
  assert.equal(step(first, 'Gate').code, 0);
  assert.deepEqual(
    writes().map((r) => `${r.method} ${r.path}`),
    ['POST /org/proj/_apis/git/repositories/repo-id/pullRequests/7/threads'],
  );
  assert.ok(stub.requests.every((r) => r.auth === 'Bearer azdo-token'));
  assert.deepEqual(
    (
      writes()[0]!.body as { status: number; comments: { parentCommentId: number; commentType: number }[] }
    ).comments.map((c) => [c.parentCommentId, c.commentType]),
    [[0, 1]],
  );
  assert.equal(stub.azure.length, 1);
  assert.ok(stub.azure[0]!.comments[0]!.content.startsWith(MARKER));
  const content = stub.azure[0]!.comments[0]!.content;
  assert.doesNotMatch(content, /could not run/);
  assert.match(content, /## aksfleet check: :white_check_mark: passed/);
  assert.match(
    content.slice(content.indexOf('### aksfleet diff: `origin/env/qa`')),
    /^\| aks-qa \| `clusters\/aks-qa` \| 0 \| 1 \| 0 \| 0 \|$/m,
  );

  stub.requests.length = 0;
  const second = await run({}, { failOn: 'info' });
  assert.equal(step(second, 'Gate').code, 1, 'failOn: info fails on the info findings');
  assert.deepEqual(
    writes().map((r) => `${r.method} ${r.path}`),
    [`PATCH /org/proj/_apis/git/repositories/repo-id/pullRequests/7/threads/${stub.azure[0]!.id}/comments/1`],
  );
  assert.equal(stub.azure.length, 1, 'updated, not repeated');

  stub.requests.length = 0;
  const fork = await run({ SYSTEM_PULLREQUEST_ISFORK: 'True' });
  assert.match(step(fork, 'Pull request context').out!, /##vso\[task\.logissue type=warning\]pull request from a fork/);
  assert.match(step(fork, 'Comment on the pull request').out!, /comment skipped: pull request from a fork/);
  assert.deepEqual(stub.requests, []);

  assert.throws(() => expandTemplate(template, { failOn: 'fatal' }), /not one of error, warning, info/);
  assert.throws(() => expandTemplate(template, { nope: 1 }), /no parameter 'nope'/);
  const noComment = expandTemplate(template, { comment: false, chartCache: '.charts' });
  assert.ok(!noComment.some((s) => s.displayName === 'Comment on the pull request'));
  assert.equal(noComment.find((s) => s.task === 'Cache@2')?.inputs?.path, '.charts');
});

test(
  `Azure Pipelines, sharded (from ${SHARD_THRESHOLD} clusters): the generated pipeline's parallel shard jobs ` +
    `publish their parts, the gate job merges them into the report one agent writes; a missing part fails (exit 2)`,
  async () => {
    // The pipeline generate writes for a fleet above the threshold, run on the demo fleet's clone
    // (the shard count is the pipeline's, the clusters the clone's: 3 shards of 3 clusters).
    const big = structuredClone(
      syntheticFleet({ clusters: SHARD_THRESHOLD + 5, tenants: 1, appsPerTenant: 1, seed: 3 }),
    );
    (big.spec.git as { provider: string }).provider = 'azure-repos';
    const files = new Map(generateCi(big).map((f) => [f.path, f.content]));
    const jobs = pipelineJobs(files.get(AZURE_PIPELINE)!, (path) => files.get(path)!);
    assert.deepEqual(
      jobs.map((j) => [j.name, j.dependsOn, j.parallel]),
      [
        ['shard', undefined, 3],
        ['gate', 'shard', undefined],
      ],
    );
    const [shardJob, gateJob] = jobs as [AzureJob, AzureJob];
    const store = mkdtempSync(join(tmp, 'artifacts-'));
    const base = (temp: string, extra: Record<string, string>) => ({
      'System.AccessToken': 'azdo-token',
      'Agent.TempDirectory': temp,
      'Agent.OS': 'Linux',
      'Pipeline.Workspace': temp,
      'Build.ArtifactStagingDirectory': join(temp, 'a'),
      ...extra,
    });
    const agentEnv = (temp: string) =>
      runnerEnv({
        AGENT_TEMPDIRECTORY: temp,
        SYSTEM_COLLECTIONURI: `${api}/org/`,
        SYSTEM_TEAMPROJECT: 'proj',
        BUILD_REPOSITORY_ID: 'repo-id',
        SYSTEM_PULLREQUEST_PULLREQUESTID: '7',
        SYSTEM_PULLREQUEST_TARGETBRANCH: 'refs/heads/env/qa',
        SYSTEM_PULLREQUEST_ISFORK: 'False',
      });
    // The artifact store: publish copies the file as artifact NAME; DownloadPipelineArtifact@2
    // puts each artifact matching itemPattern in targetPath/NAME/ (as it does for several artifacts).
    const act = (r: StepRun) => {
      if (r.uses === 'publish') {
        mkdirSync(join(store, r.with!.artifact!), { recursive: true });
        cpSync(r.with!.publish!, join(store, r.with!.artifact!, basename(r.with!.publish!)));
      } else if (r.uses === 'DownloadPipelineArtifact@2') {
        assert.equal(r.with!.buildType, 'current');
        const [dirGlob, fileGlob] = r.with!.itemPattern!.split('/') as [string, string];
        const match = (glob: string, name: string) =>
          new RegExp(`^${glob.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`).test(name);
        for (const a of readdirSync(store).filter((d) => match(dirGlob, d))) {
          mkdirSync(join(r.with!.targetPath!, a), { recursive: true });
          for (const f of readdirSync(join(store, a)).filter((x) => match(fileGlob, x)))
            cpSync(join(store, a, f), join(r.with!.targetPath!, a, f));
        }
      }
    };
    for (let i = 1; i <= shardJob.parallel!; i++) {
      const temp = mkdtempSync(join(tmp, 'agent-'));
      mkdirSync(join(temp, 'a'));
      const runs = await runAzureSteps(shardJob.steps, {
        variables: base(temp, {
          'System.JobPositionInPhase': String(i),
          'System.TotalJobsInPhase': String(shardJob.parallel),
        }),
        env: agentEnv(temp),
        cwd: ws,
        temp,
        skip: ['Install aksfleet'],
        act,
      });
      assert.deepEqual(
        runs.map((r) => `${r.name}:${r.status}:${r.code ?? ''}`),
        [
          'checkout:uses:',
          'Node.js:uses:',
          'Install aksfleet:skipped:',
          'aksfleet check, one shard:ran:0',
          'Publish the part:uses:',
        ],
      );
    }
    assert.deepEqual(readdirSync(store), ['aksfleet-part-1', 'aksfleet-part-2', 'aksfleet-part-3']);

    const gate = async () => {
      const temp = mkdtempSync(join(tmp, 'agent-'));
      const runs = await runAzureSteps(gateJob.steps, {
        variables: base(temp, {}),
        env: agentEnv(temp),
        cwd: ws,
        temp,
        skip: ['Install aksfleet'],
        act,
      });
      return { runs, temp };
    };
    const unsharded = (format: string) =>
      spawnSync(join(binDir, 'aksfleet'), ['check', '.', '--fail-on', 'error', '--format', format], {
        cwd: ws,
        encoding: 'utf8',
        env: runnerEnv({}),
      });
    stub.requests.length = 0;
    const { runs, temp } = await gate();
    assert.deepEqual(
      runs.map((r) => `${r.name}:${r.status}`),
      [
        'checkout:uses',
        'Download the parts:uses',
        'Node.js:uses',
        'Install aksfleet:skipped',
        'Pull request context:ran',
        'aksfleet check:ran',
        'aksfleet diff against the target branch:ran',
        'Publish the check results:uses',
        'Comment on the pull request:ran',
        'Gate:ran',
      ],
    );
    assert.deepEqual(
      runs
        .filter((r) => r.status === 'ran' && r.code !== 0 && r.name !== 'Gate')
        .map((r) => `${r.name}: ${r.out}${r.err}`),
      [],
    );
    const junit = unsharded('junit');
    assert.equal(
      readFileSync(step(runs, 'Publish the check results').with!.testResultsFiles!, 'utf8'),
      junit.stdout,
      'the merged JUnit is the unsharded one',
    );
    assert.equal(
      readFileSync(join(temp, 'aksfleet-check.md'), 'utf8'),
      unsharded('markdown').stdout,
      'the merged Markdown (the thread) is the unsharded one',
    );
    assert.equal(step(runs, 'Gate').code, junit.status);
    assert.match(step(runs, 'Comment on the pull request').out!, /updated|created/);

    // A missing part: the merge refuses (exit 2), and the gate fails.
    rmSync(join(store, 'aksfleet-part-2'), { recursive: true });
    const partial = await gate();
    assert.match(
      step(partial.runs, 'aksfleet check').out! + step(partial.runs, 'aksfleet check').err!,
      /missing shard\(s\) 2\/3/,
    );
    assert.equal(step(partial.runs, 'Gate').code, 2);
  },
);

test('gate.mjs: an API refusal is exit 1 with the status; bad usage is exit 2', async () => {
  // Not spawnSync: the stub server in this process must answer meanwhile.
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ status: number | null; stdout: string }>((resolve, reject) => {
      const p = spawn(process.execPath, [GATE, ...args], { env: runnerEnv(env), stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      p.stdout.on('data', (c) => (stdout += c));
      p.on('error', reject);
      p.on('close', (status) => resolve({ status, stdout }));
    });
  const md = join(tmp, 'x.md');
  writeFileSync(md, 'hello');
  const refused = await run(['comment', '--provider', 'github', '--body', md], {
    GITHUB_TOKEN: 't',
    GITHUB_EVENT_PATH: event('acme/fleet'),
    GITHUB_REPOSITORY: 'acme/other',
    GITHUB_API_URL: api,
  });
  assert.equal(refused.status, 1, refused.stdout);
  assert.match(
    refused.stdout,
    /listing the pull request comments: 404 stub: no route GET \/repos\/acme\/other\/issues\/7\/comments/,
  );
  const forbidden = await run(['comment', '--provider', 'github', '--body', md], {
    GITHUB_TOKEN: 't',
    GITHUB_EVENT_PATH: event('acme/fleet'),
    GITHUB_REPOSITORY: 'acme/readonly',
    GITHUB_API_URL: api,
  });
  assert.equal(forbidden.status, 1, forbidden.stdout);
  assert.match(
    forbidden.stdout,
    /creating the comment: 403 Resource not accessible by integration \(the token cannot write to the pull request: give the job `permissions: pull-requests: write`\)/,
  );
  assert.equal((await run(['comment', '--provider', 'gitlab', '--body', md], {})).status, 2);
  const missing = await run(['comment', '--provider', 'github', '--body', join(tmp, 'nope.md')], {});
  assert.equal(missing.status, 2);
  assert.match(missing.stdout, /cannot read --body .*nope\.md: ENOENT/);
  assert.equal(
    (
      await run(['comment', '--provider', 'github', '--body', md, '--marker', 'a b'], {
        GITHUB_EVENT_PATH: event('acme/fleet'),
      })
    ).status,
    2,
  );
});
