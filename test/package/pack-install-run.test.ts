/**
 * aksfleet as users install it: `npm pack`, the tarball installed with production dependencies
 * only into an empty prefix, and every command run from a folder outside the checkout (HOME and
 * the working folder in a temp folder, no AKSFLEET_ROOT): exit codes and contents, not just "ran".
 * The packed file list is held to test/package/packed-files.txt and its size is reported. The
 * console is started from the installed package and every page and API route is fetched (and the
 * views opened in Chromium when it is installed).
 *
 * The install needs the npm registry (or a warm npm cache): `--prefer-offline`. dist/ is what
 * `npm ci` built (rebuilt first when older than the sources). Full-only (scripts/test.mjs): it
 * packs, installs and runs real processes (a minute or two; more on a loaded machine).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { PACKAGE_ROOT, packageVersion } from '../../src/package-root.js';
import { oracle } from '../oracles/index.js';
import { checkPackedFiles, parseAllowList } from './packed-files.js';

const VERSION = packageVersion();
import { CHROMIUM } from '../ui/chromium.js';
/** The packed tarball's size caps: a regression (a fixture or test tree shipped) trips them. */
const MAX_PACKED_BYTES = 4 * 1024 * 1024;
const MAX_UNPACKED_BYTES = 16 * 1024 * 1024;

const tmp = realpathSync(mkdtempSync(join(tmpdir(), 'aksfleet-pack-')));
const prefix = join(tmp, 'prefix');
const work = join(tmp, 'work');
const home = join(tmp, 'home');
const bin = join(prefix, 'bin', 'aksfleet');
const installed = join(prefix, 'lib', 'node_modules', 'aksfleet');
const checkout = realpathSync(PACKAGE_ROOT).replace(/\/$/, '');

/** The environment of a user's shell: no npm_* of a parent npm run, no AKSFLEET_ROOT, HOME elsewhere. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!/^(npm_|AKSFLEET_|NODE_OPTIONS$|INIT_CWD$)/i.test(k)) env[k] = v;
  return {
    ...env,
    HOME: home,
    PATH: `${join(prefix, 'bin')}:${process.env.PATH ?? ''}`,
    NO_COLOR: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'u',
    GIT_AUTHOR_EMAIL: 'u@example.com',
    GIT_COMMITTER_NAME: 'u',
    GIT_COMMITTER_EMAIL: 'u@example.com',
  };
}

interface Run {
  readonly code: number | null;
  readonly out: string;
  readonly err: string;
}

function aksfleet(args: readonly string[], cwd = work): Run {
  const r = spawnSync(bin, args, {
    cwd,
    env: userEnv(),
    encoding: 'utf8',
    timeout: 180_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function ok(r: Run, what: string, code = 0): Run {
  assert.equal(r.code, code, `${what}: exit ${r.code}, expected ${code}\n${r.err.slice(0, 2000)}`);
  assert.doesNotMatch(r.err, /\n\s+at .+:\d+:\d+\)?\n/, `${what}: a stack trace on stderr`);
  assert.doesNotMatch(r.err, /internal error|This is a bug in aksfleet/, `${what}: ${r.err.slice(0, 500)}`);
  return r;
}

function git(cwd: string, args: readonly string[]): string {
  const r = spawnSync('git', args, { cwd, env: userEnv(), encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Top-level objects of a YAML stream (each document's `kind:` at column 0). */
const kinds = (yaml: string) => [...yaml.matchAll(/^kind: (\S+)$/gm)].map((m) => m[1]!);
/** The documents of a YAML stream, parsed. */
const docs = (yaml: string) =>
  yaml
    .split(/^---$/m)
    .filter((d) => d.replace(/^#.*$/gm, '').trim())
    .map((d) => parse(d) as unknown);

/** Whether dist/ (the CLI bundle) is missing or older than a shipped source file. */
function distIsStale(): boolean {
  const bundle = join(PACKAGE_ROOT, 'dist', 'bundle', 'main.js');
  if (!existsSync(bundle)) return true;
  const built = statSync(bundle).mtimeMs;
  const newer = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) => {
      const p = join(dir, e.name);
      if (e.isDirectory()) return e.name !== 'testing' && newer(p);
      return (
        e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && e.name !== 'testing.ts' && statSync(p).mtimeMs > built
      );
    });
  return newer(join(PACKAGE_ROOT, 'src'));
}

let packed: { filename: string; size: number; unpackedSize: number; entryCount: number; files: { path: string }[] };

before(() => {
  mkdirSync(work, { recursive: true });
  mkdirSync(home, { recursive: true });
  // The tarball holds dist/ as `npm ci` built it (prepare). It is rebuilt here only when older than
  // a source file: other suites read dist/ meanwhile, and a rebuild rewrites it under them.
  if (distIsStale()) {
    const build = spawnSync('npm', ['run', 'build'], {
      cwd: PACKAGE_ROOT,
      encoding: 'utf8',
      env: { ...userEnv(), HOME: process.env.HOME },
      timeout: 600_000,
    });
    assert.equal(build.status, 0, `npm run build: ${build.stderr.slice(-3000)}`);
  }
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], {
    cwd: PACKAGE_ROOT,
    encoding: 'utf8',
    env: { ...userEnv(), HOME: process.env.HOME },
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(pack.status, 0, `npm pack: ${pack.stderr.slice(-3000)}`);
  packed = (JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as (typeof packed)[])[0]!;
  const install = spawnSync(
    'npm',
    [
      'install',
      '--global',
      '--prefix',
      prefix,
      '--omit=dev',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      join(tmp, packed.filename),
    ],
    {
      cwd: work,
      encoding: 'utf8',
      env: { ...userEnv(), HOME: process.env.HOME },
      timeout: 600_000,
    },
  );
  assert.equal(install.status, 0, `npm install of the tarball: ${install.stderr.slice(-3000)}`);
  assert.ok(existsSync(bin), 'the bin is linked');
});

after(() => rmSync(tmp, { recursive: true, force: true }));

test('the packed file list matches test/package/packed-files.txt; the size is reported and capped', (t) => {
  const allow = parseAllowList(readFileSync(join(PACKAGE_ROOT, 'test/package/packed-files.txt'), 'utf8'));
  const problems = checkPackedFiles(
    packed.files.map((f) => f.path),
    allow,
  );
  assert.deepEqual(problems, []);
  t.diagnostic(
    `packed: ${packed.filename}: ${packed.entryCount} files, ` +
      `${(packed.size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked`,
  );
  assert.ok(packed.size < MAX_PACKED_BYTES, `packed ${packed.size} bytes`);
  assert.ok(packed.unpackedSize < MAX_UNPACKED_BYTES, `unpacked ${packed.unpackedSize} bytes`);
  // Installed with production dependencies only: no dev dependency came along.
  const nm = join(installed, 'node_modules');
  for (const dev of ['typescript', 'tsx', 'esbuild', 'playwright-core', 'fast-check'])
    assert.ok(!existsSync(join(nm, dev)), `${dev} installed`);
  assert.ok(existsSync(join(nm, 'yaml')), 'a production dependency is installed');
});

test('--version, --help, a usage error and an input error', () => {
  assert.equal(ok(aksfleet(['--version']), '--version').out.trim(), VERSION);
  const help = ok(aksfleet(['--help']), '--help').out;
  for (const c of [
    'init',
    'generate',
    'schema',
    'kustomize',
    'helm template',
    'build',
    'check',
    'diff',
    'promote',
    'upgrade plan',
    'backup plan',
    'policy apply',
    'policy test',
    'ui',
    'demo',
  ])
    assert.match(help, new RegExp(`^  ${c} `, 'm'), c);
  const usage = ok(aksfleet(['check', '--format', 'xml']), 'bad format', 2);
  assert.match(usage.err, /format/);
  const input = ok(aksfleet(['upgrade', 'plan', '-f', 'nope.yaml']), 'missing fleet', 2);
  assert.match(input.err, /fleet file not found/);
});

test('init writes the example fleet and its schema (assets of the installed package)', () => {
  const r = ok(aksfleet(['init', 'f1']), 'init');
  assert.match(r.err, /wrote .*f1\/fleet\.yaml/);
  assert.equal(
    readFileSync(join(work, 'f1', 'fleet.yaml'), 'utf8'),
    `# yaml-language-server: $schema=./fleet.schema.json\n` +
      `${readFileSync(join(installed, 'examples', 'fleet.yaml'), 'utf8')}`,
  );
  const schema = JSON.parse(readFileSync(join(work, 'f1', 'fleet.schema.json'), 'utf8')) as { title: string };
  assert.match(schema.title, /aksfleet Fleet/);
  assert.deepEqual(JSON.parse(ok(aksfleet(['schema']), 'schema').out), schema, 'schema prints the same schema');
});

let demoOut = '';
const demo = join(work, 'aksfleet-demo');

test('demo: init, generate, git branches, build, check', () => {
  const r = ok(aksfleet(['demo']), 'demo');
  assert.equal(r.out.trim(), demo, 'stdout: the repository made');
  demoOut = r.err;
  assert.match(demoOut, /^generate\s+\d+ files/m);
  assert.match(demoOut, /^git\s+new repository with branches main, env\/dev, env\/qa, env\/prod$/m);
  assert.match(demoOut, /^check\s+\d+ rules over 3 clusters: 0 errors/m);
  assert.deepEqual(git(demo, ['branch', '--format=%(refname:short)']).trim().split('\n').sort(), [
    'env/dev',
    'env/prod',
    'env/qa',
    'main',
  ]);
});

test(
  "the README's quick start `npx aksfleet@VERSION demo`: " + 'this version, and what it runs works from the tarball',
  () => {
    const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
    const m = /^npx aksfleet@(\S+) (.+)$/m.exec(readme);
    assert.ok(m, 'README.md shows npx aksfleet@VERSION');
    assert.equal(m[1], VERSION, 'the README pins the version of package.json');
    // npx runs the package's bin with the arguments: the installed bin is what npx would run.
    const dir = join(work, 'npx');
    mkdirSync(dir);
    const r = ok(aksfleet(m[2]!.split(' '), dir), `README: ${m[0]}`);
    assert.match(r.err, /^check\s+\d+ rules over 3 clusters: 0 errors/m);
  },
);

test(
  'generate: the GitHub workflow uses the gate action at this version; ' +
    'Azure Repos gets the template the package ships',
  () => {
    ok(aksfleet(['generate', '-f', 'f1/fleet.yaml', '-o', 'gen-github']), 'generate github');
    const wf = readFileSync(join(work, 'gen-github', '.github/workflows/aksfleet.yaml'), 'utf8');
    assert.match(wf, new RegExp(`uses: aksfleet/aksfleet@v${VERSION.replace(/\./g, '\\.')}\\n`));
    mkdirSync(join(work, 'f2'));
    writeFileSync(
      join(work, 'f2', 'fleet.yaml'),
      readFileSync(join(work, 'f1', 'fleet.yaml'), 'utf8').replace('provider: github', 'provider: azure-repos'),
    );
    const r = ok(aksfleet(['generate', '-f', 'f2/fleet.yaml', '-o', 'gen-azure']), 'generate azure');
    assert.match(r.err, /\d+ created/);
    assert.equal(
      readFileSync(join(work, 'gen-azure', 'ci/azure-pipelines/aksfleet-gate.yml'), 'utf8'),
      readFileSync(join(installed, 'ci/azure-pipelines/aksfleet-gate.yml'), 'utf8'),
    );
    assert.match(
      readFileSync(join(work, 'gen-azure', 'azure-pipelines.yml'), 'utf8'),
      /- template: ci\/azure-pipelines\/aksfleet-gate\.yml\n/,
    );
    assert.ok(!existsSync(join(work, 'gen-azure', '.github')), 'one pipeline per Git host');
  },
);

test('build: the objects the demo counted; missing variables are an input error', () => {
  const counted = Number(/^build\s+aks-dev: \d+\/\d+ Flux Kustomizations, (\d+) objects$/m.exec(demoOut)?.[1]);
  assert.ok(counted > 0, demoOut);
  const r = ok(aksfleet(['build', 'aksfleet-demo', '--cluster', 'aks-dev', '--allow-missing-vars']), 'build');
  assert.equal(kinds(r.out).length, counted);
  assert.ok(kinds(r.out).includes('Deployment'));
  const json = JSON.parse(
    ok(
      aksfleet(['build', 'aksfleet-demo', '--cluster', 'aks-dev', '--allow-missing-vars', '-o', 'json']),
      'build -o json',
    ).out,
  ) as { cluster: string; root: { resources: unknown[] }; kustomizations: { resources: unknown[] }[] };
  assert.equal(json.cluster, 'aks-dev');
  assert.equal(json.root.resources.length + json.kustomizations.reduce((n, k) => n + k.resources.length, 0), counted);
  const strict = ok(aksfleet(['build', 'aksfleet-demo', '--cluster', 'aks-dev']), 'build without vars', 2);
  assert.match(strict.err, /substituteFrom.*--vars FILE/);
});

test('kustomize: the same objects as the real kustomize', (t) => {
  const r = ok(aksfleet(['kustomize', 'aksfleet-demo/workloads/dev']), 'kustomize');
  assert.ok(kinds(r.out).length > 0, r.out);
  const k = oracle('kustomize-5.8');
  if (k.skip) {
    t.diagnostic(`not compared: ${k.skip}`);
    return;
  }
  const real = spawnSync(k.path, ['build', 'aksfleet-demo/workloads/dev'], {
    cwd: work,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: home },
  });
  assert.equal(real.status, 0, real.stderr);
  assert.deepEqual(docs(r.out), docs(real.stdout));
});

test('check in every format, and --fail-on, and --jobs (the worker bundle of the installed package)', () => {
  const text = ok(aksfleet(['check', 'aksfleet-demo']), 'check text').out;
  const m =
    /^0 error\(s\), 0 warning\(s\), (\d+) info in 3 cluster\(s\) \(aks-dev, aks-prod, aks-qa\); \d+ rules$/m.exec(text);
  assert.ok(m, text);
  const n = Number(m[1]);
  const json = JSON.parse(ok(aksfleet(['check', 'aksfleet-demo', '--format', 'json']), 'check json').out) as {
    failed: boolean;
    summary: { info: number };
    findings: unknown[];
  };
  assert.equal(json.findings.length, n);
  assert.equal(json.summary.info, n);
  assert.equal(json.failed, false);
  const sarif = JSON.parse(ok(aksfleet(['check', 'aksfleet-demo', '--format', 'sarif']), 'check sarif').out) as {
    version: string;
    runs: { tool: { driver: { name: string; semanticVersion: string } }; results: unknown[] }[];
  };
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0]!.tool.driver.name, 'aksfleet');
  assert.equal(sarif.runs[0]!.tool.driver.semanticVersion, VERSION);
  assert.equal(sarif.runs[0]!.results.length, n);
  const junit = ok(aksfleet(['check', 'aksfleet-demo', '--format', 'junit']), 'check junit').out;
  assert.match(
    junit,
    /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="aksfleet check" tests="\d+" failures="0" errors="0">/,
  );
  assert.deepEqual(
    [...junit.matchAll(/<testsuite name="([^"]+)"/g)].map((x) => x[1]),
    [
      'aksfleet check: cluster aks-dev',
      'aksfleet check: cluster aks-prod',
      'aksfleet check: cluster aks-qa',
      'aksfleet check: repository',
    ],
  );
  const md = ok(aksfleet(['check', 'aksfleet-demo', '--format', 'markdown']), 'check markdown').out;
  assert.match(md, /^## aksfleet check: :white_check_mark: passed$/m);
  assert.match(md, /^\| aks-prod \| `clusters\/aks-prod` \| \d+ \| 0 \| 0 \| \d+ \|$/m);
  assert.ok(n > 0, 'the demo has info findings');
  ok(aksfleet(['check', 'aksfleet-demo', '--fail-on', 'info']), 'check --fail-on info', 1);
  const jobs = ok(aksfleet(['check', 'aksfleet-demo', '--jobs', '2', '--format', 'json']), 'check --jobs 2').out;
  assert.deepEqual(JSON.parse(jobs), json, '--jobs gives the same findings');
});

test('diff and promote: a change on env/dev, rendered and carried to qa', () => {
  // without the demo's own release on env/dev: the change below is the one
  git(demo, ['branch', '-f', 'env/dev', 'env/qa']);
  git(demo, ['checkout', '-q', 'env/dev']);
  const f = join(demo, 'workloads/base/app/api/deployment.yaml');
  writeFileSync(
    f,
    readFileSync(f, 'utf8').replace('acrprod123.azurecr.io/api:1.2.3', 'acrprod123.azurecr.io/api:1.2.4'),
  );
  const wt = ok(
    aksfleet(['diff', 'aksfleet-demo', '--base', 'HEAD', '--cluster', 'aks-dev']),
    'diff working tree',
    1,
  ).out;
  assert.match(wt, /^cluster aks-dev \(clusters\/aks-dev\): 0 added, 1 changed, 0 removed$/m);
  assert.match(
    wt,
    /^ {4}Deployment\/app\/api \[api\]: acrprod123\.azurecr\.io\/api:1\.2\.3 -> acrprod123\.azurecr\.io\/api:1\.2\.4$/m,
  );
  git(demo, ['commit', '-q', '-am', 'api 1.2.4']);
  const md = ok(
    aksfleet(['diff', 'aksfleet-demo', '--base', 'env/qa', '--head', 'env/dev', '--format', 'markdown']),
    'diff refs',
    1,
  ).out;
  assert.match(md, /api:1\.2\.4/);
  assert.match(md, /^\| aks-qa \| `clusters\/aks-qa` \| 0 \| 1 \| 0 \| 0 \|$/m);
  const same = JSON.parse(
    ok(
      aksfleet(['diff', 'aksfleet-demo', '--base', 'env/dev', '--head', 'env/dev', '--format', 'json']),
      'diff same ref',
    ).out,
  ) as { clusters: { cluster: string; unchangedInputs?: boolean }[] };
  assert.deepEqual(
    same.clusters.map((c) => [c.cluster, c.unchangedInputs]),
    [
      ['aks-dev', true],
      ['aks-prod', true],
      ['aks-qa', true],
    ],
  );
  const p = ok(aksfleet(['promote', 'dev', 'qa', 'aksfleet-demo']), 'promote');
  assert.match(p.out, /^cluster aks-qa \(clusters\/aks-qa\): 0 added, 1 changed, 0 removed$/m);
  assert.match(p.out, /api:1\.2\.3 -> acrprod123\.azurecr\.io\/api:1\.2\.4/);
  const branch = /created branch (promote\/dev-to-qa-[0-9a-f]+)/.exec(p.err)?.[1];
  assert.ok(branch, p.err);
  assert.match(git(demo, ['show', `${branch}:workloads/base/app/api/deployment.yaml`]), /api:1\.2\.4/);
  assert.match(
    git(demo, ['show', 'env/qa:workloads/base/app/api/deployment.yaml']),
    /api:1\.2\.3/,
    'env/qa itself is unchanged',
  );
});

test('upgrade plan and backup plan', () => {
  const up = ok(
    aksfleet(['upgrade', 'plan', '-f', 'aksfleet-demo/fleet.yaml', '--date', '2026-11-25']),
    'upgrade plan',
  ).out;
  assert.match(up, /^# Upgrade plan/m);
  assert.match(up, /aks-prod/);
  const az = ok(
    aksfleet(['upgrade', 'plan', '-f', 'aksfleet-demo/fleet.yaml', '--date', '2026-11-25', '--format', 'json']),
    'upgrade plan json',
  ).out;
  assert.ok(JSON.parse(az));
  const backup = ok(aksfleet(['backup', 'plan', 'aksfleet-demo', '-f', 'aksfleet-demo/fleet.yaml']), 'backup plan').out;
  assert.match(backup, /^Namespaces from the rendered repository;/m);
  assert.match(backup, /^\| aks-prod \| shop \| - \| velero\/tenant-shop \|$/m);
  const json = JSON.parse(
    ok(
      aksfleet(['backup', 'plan', 'aksfleet-demo', '-f', 'aksfleet-demo/fleet.yaml', '--format', 'json']),
      'backup plan json',
    ).out,
  ) as { source: string; clusters: { cluster: string }[] };
  assert.equal(json.source, 'repo');
  assert.deepEqual(
    json.clusters.map((c) => c.cluster),
    ['aks-dev', 'aks-qa', 'aks-prod'],
  );
  // yaml: the same document as json.
  assert.match(
    ok(
      aksfleet(['backup', 'plan', 'aksfleet-demo', '-f', 'aksfleet-demo/fleet.yaml', '--format', 'yaml']),
      'backup plan yaml',
    ).out,
    /^source: repo$/m,
  );
});

test('helm template on the shipped example chart: what the real helm renders', (t) => {
  const chart = join(installed, 'examples', 'chart', 'hello');
  const r = ok(aksfleet(['helm', 'template', 'hello', chart]), 'helm template');
  assert.deepEqual(kinds(r.out).sort(), ['Deployment', 'Service']);
  const helm = oracle('helm-4.1');
  if (helm.skip) {
    t.diagnostic(`not compared: ${helm.skip}`);
    return;
  }
  const real = spawnSync(helm.path, ['template', 'hello', chart], {
    cwd: work,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: home },
  });
  assert.equal(real.status, 0, real.stderr);
  assert.deepEqual(docs(r.out), docs(real.stdout));
  if (r.out !== real.stdout) t.diagnostic('same objects as helm 4.1.3, not the same bytes (blank lines)');
});

test('policy apply and policy test on the shipped example policy', () => {
  const dir = join(installed, 'examples', 'policy');
  const apply = ok(
    aksfleet(['policy', 'apply', join(dir, 'policy.yaml'), '--resource', join(dir, 'resources.yaml')]),
    'policy apply',
    1,
  ).out;
  assert.match(apply, /^pass: 3, fail: 3, warn: 0, error: 0, skip: 0$/m);
  assert.match(apply, /no-latest-tag \(fail, enforced\)/);
  const tested = ok(aksfleet(['policy', 'test', dir]), 'policy test').out;
  assert.match(tested, /Test Summary: 8 tests passed and 0 tests failed/);
});

/** Starts `aksfleet ui` from the installed package on a free port; resolves with its base URL. */
function startUi(args: readonly string[]): Promise<{ proc: ChildProcess; base: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(bin, ['ui', ...args, '--port', '0'], {
      cwd: work,
      env: userEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      proc.kill();
      reject(new Error(`aksfleet ui did not start: ${err}`));
    }, 120_000);
    proc.stdout!.on('data', (c) => {
      out += c;
      const m = /^(http:\/\/127\.0\.0\.1:\d+)\/$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ proc, base: m[1]! });
      }
    });
    proc.stderr!.on('data', (c) => (err += c));
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`aksfleet ui exited ${code}: ${err}`));
    });
  });
}

test('ui: every page and API route from the installed package (and the views in Chromium)', async (t) => {
  const { proc, base } = await startUi(['aksfleet-demo']);
  try {
    for (const [path, type, file] of [
      ['/', 'text/html', 'index.html'],
      ['/index.html', 'text/html', 'index.html'],
      ['/app.js', 'text/javascript', 'app.js'],
      ['/app.css', 'text/css', 'app.css'],
      ['/favicon.svg', 'image/svg+xml', 'favicon.svg'],
    ] as const) {
      const r = await fetch(`${base}${path}`);
      assert.equal(r.status, 200, path);
      assert.match(r.headers.get('content-type') ?? '', new RegExp(type.replace('+', '\\+')), path);
      assert.equal(
        await r.text(),
        readFileSync(join(installed, 'ui', file), 'utf8'),
        `${path} is the installed package's ui/${file}`,
      );
    }
    const api = async (path: string, status = 200) => {
      const r = await fetch(`${base}${path}`);
      const body = await r.text();
      assert.equal(r.status, status, `${path}: ${body.slice(0, 300)}`);
      assert.ok(!body.includes(checkout), `${path} names the checkout`);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each route's shape is asserted where used
      return JSON.parse(body) as any;
    };
    const fleet = (await api('/api/fleet')) as { fleet: string; clusters: { name: string }[] };
    assert.equal(fleet.fleet, 'contoso');
    assert.deepEqual(fleet.clusters.map((c) => c.name).sort(), ['aks-dev', 'aks-prod', 'aks-qa']);
    assert.ok((await api('/api/findings')).length > 0);
    const promotions = (await api('/api/promotions')) as { from: string; to: string }[];
    assert.ok(Array.isArray(promotions) && promotions.length > 0);
    assert.equal(typeof (await api('/api/upgrade')).available, 'boolean');
    assert.ok(Array.isArray(await api('/api/slos')));
    const cluster = (await api('/api/cluster?name=aks-prod')) as {
      name: string;
      kustomizations: { objects: { id: string }[] }[];
    };
    assert.equal(cluster.name, 'aks-prod');
    const id = cluster.kustomizations.flatMap((k) => k.objects.map((o) => o.id))[0]!;
    assert.ok(id, JSON.stringify(cluster).slice(0, 500));
    const object = (await api(`/api/object?cluster=aks-prod&id=${encodeURIComponent(id)}`)) as { file?: string };
    const source = (await api(
      `/api/source?file=${encodeURIComponent('clusters/aks-prod/aksfleet/workloads.yaml')}`,
    )) as { text: string };
    assert.match(source.text, /kind: Kustomization/);
    if (object.file)
      assert.equal(typeof (await api(`/api/source?file=${encodeURIComponent(object.file)}`)).text, 'string');
    assert.deepEqual(await api('/api/cluster?name=nope', 404), { error: "no cluster 'nope'" });
    assert.deepEqual(await api('/api/nope', 404), { error: 'not found' });
    assert.deepEqual(await api('/nope.html', 404), { error: 'not found' });
    if (!CHROMIUM) {
      t.diagnostic('views not opened: chromium is not installed (apt-get install chromium)');
      return;
    }
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      await page.goto(`${base}/#/`);
      await page.getByRole('heading', { name: /Fleet contoso/ }).waitFor();
      for (const [view, heading] of [
        ['Findings', /^Findings/],
        ['Promotion', /^Promotion/],
        ['Upgrades', /^Upgrade plan/],
        ['SLOs', /^Service level objectives/],
      ] as const) {
        await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: view }).click();
        await page.getByRole('heading', { name: heading }).waitFor();
      }
      await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: /Fleet/ }).first().click();
      await page.getByRole('link', { name: 'Cluster aks-prod' }).click();
      await page.getByRole('heading', { name: /Cluster aks-prod/ }).waitFor();
      assert.deepEqual(errors, [], 'no errors in the page');
    } finally {
      await browser.close();
    }
  } finally {
    proc.kill();
  }
});

test('the gate script ships and runs from the installed package', () => {
  const r = spawnSync(process.execPath, [join(installed, 'scripts/gate/gate.mjs'), 'nope', '--provider', 'github'], {
    cwd: work,
    env: userEnv(),
    encoding: 'utf8',
  });
  assert.equal(r.status, 2);
  assert.match(r.stdout, /unknown step 'nope'/);
});
