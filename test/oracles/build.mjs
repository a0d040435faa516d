// The oracle builder behind build.sh: one function per kind of oracle in manifest.json.
// Prints one line per oracle (built, cached, or the failure) and exits 1 if any failed.
// Builds $AKSFLEET_ORACLE_JOBS oracles at once (default 2): a Go build alternates between phases
// that use every core (compiling packages) and phases that use one or none (downloading modules,
// linking), so two at once keep a 2-core machine busy; each build's output is printed when it ends.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { oracleDir, oracleManifest } from './oracle.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const manifest = { oracles: oracleManifest() };
/** Runs a command to its end; its output goes to `log` (one oracle's), stdout is also returned. */
function run(cmd, args, opts = {}, log = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...opts,
      env: { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'auto', ...(opts.env ?? {}) },
    });
    const out = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => log.push(d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8');
      if (!opts.keepStdout) log.push(Buffer.from(stdout));
      if (code === 0) resolve(stdout);
      else reject(new Error(`${cmd} ${args.join(' ')}: exit ${code ?? signal}`));
    });
  });
}

const builders = {
  async 'npm-zip'(o, bin, log) {
    const zip = join(repo, 'node_modules', o.package, o.zip);
    if (!existsSync(zip)) throw new Error(`${zip} not found: run npm ci`);
    const tmp = mkdtempSync(join(tmpdir(), 'oracle-zip-'));
    try {
      await run(
        'python3',
        ['-c', 'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])', zip, o.entry, tmp],
        {},
        log,
      );
      const out = join(bin, o.name);
      cpSync(join(tmp, o.entry), out);
      chmodSync(out, 0o755);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
  async 'go-install'(o, bin, log) {
    const ldflags = o.ldflags ? ['-ldflags', o.ldflags] : [];
    const target = `${o.module}${o.path ? `/${o.path}` : ''}@${o.version}`;
    await run('go', ['install', ...ldflags, target], { env: { GOBIN: bin, CGO_ENABLED: '0' } }, log);
    const built = readdirSync(bin);
    if (built.length === 1 && built[0] !== o.name) renameSync(join(bin, built[0]), join(bin, o.name));
  },
  async 'go-mod-build'(o, bin, log) {
    // Modules whose go.mod has replace directives cannot be `go install`ed: download and build inside.
    const json = await run('go', ['mod', 'download', '-json', `${o.module}@${o.version}`], { keepStdout: true }, log);
    const src = JSON.parse(json).Dir;
    const work = mkdtempSync(join(tmpdir(), 'oracle-mod-'));
    try {
      cpSync(src, work, { recursive: true });
      await run('chmod', ['-R', 'u+w', work], {}, log);
      // files the release build generates before `go build` (e.g. flux's embedded install manifests)
      for (const [f, text] of Object.entries(o.files ?? {})) {
        mkdirSync(dirname(join(work, f)), { recursive: true });
        writeFileSync(join(work, f), text);
      }
      const ldflags = o.ldflags ? ['-ldflags', o.ldflags] : [];
      await run(
        'go',
        ['build', ...ldflags, '-o', join(bin, o.name), `./${o.path ?? '.'}`],
        {
          cwd: work,
          env: { CGO_ENABLED: '0' },
        },
        log,
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
  async 'pip-venv'(o, bin, log) {
    // A venv beside bin/ (its scripts' shebangs name the staging folder, so bin/NAME runs the
    // module with the venv's python, which finds its venv wherever the folder is moved to).
    const venv = join(dirname(bin), 'venv');
    await run('python3', ['-m', 'venv', venv], {}, log);
    const pip = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check'];
    await run(join(venv, 'bin', 'python'), [...pip, `${o.package}==${o.version}`, ...(o.requirements ?? [])], {}, log);
    const out = join(bin, o.name);
    writeFileSync(out, `#!/bin/sh\nexec "$(dirname "$0")/../venv/bin/python" -m ${o.module} "$@"\n`);
    chmodSync(out, 0o755);
  },
  async 'go-program'(o, bin, log) {
    await run(
      'go',
      ['build', '-o', join(bin, o.name), '.'],
      { cwd: join(here, 'programs', o.name), env: { CGO_ENABLED: '0' } },
      log,
    );
  },
};

// Arguments: oracle names, or --tier=test|extra (the oracles of that tier); none: every oracle.
const args = process.argv.slice(2);
const tiers = args.filter((a) => a.startsWith('--tier=')).map((a) => a.slice('--tier='.length));
const wanted = args.filter((a) => !a.startsWith('--'));
let failed = 0;
const todo = [];
for (const o of manifest.oracles) {
  if (wanted.length && !wanted.includes(o.name)) continue;
  if (tiers.length && !tiers.includes(o.tier ?? 'test')) continue;
  const dir = oracleDir(o);
  if (existsSync(join(dir, 'bin', o.name))) console.log(`oracle ${o.name}: cached (${dir})`);
  else todo.push(o);
}

/** Builds one oracle into a staging folder and moves it into place; prints its line (and its output if it failed). */
async function build(o) {
  const dir = oracleDir(o);
  const t0 = Date.now();
  const staging = `${dir}.tmp-${process.pid}`;
  const log = [];
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'bin'), { recursive: true });
  try {
    await builders[o.kind](o, join(staging, 'bin'), log);
    writeFileSync(join(staging, 'oracle.json'), JSON.stringify(o, null, 2) + '\n');
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    process.stderr.write(Buffer.concat(log));
    console.log(`oracle ${o.name}: built in ${((Date.now() - t0) / 1000).toFixed(1)} s (${dir})`);
  } catch (e) {
    failed++;
    rmSync(staging, { recursive: true, force: true });
    process.stderr.write(Buffer.concat(log));
    console.error(`oracle ${o.name}: FAILED: ${e.message}`);
  }
}

const jobs = Math.max(1, Number.parseInt(process.env.AKSFLEET_ORACLE_JOBS ?? '2', 10) || 1);
let next = 0;
await Promise.all(
  Array.from({ length: Math.min(jobs, todo.length) }, async () => {
    while (next < todo.length) await build(todo[next++]);
  }),
);
if (wanted.length)
  for (const w of wanted)
    if (!manifest.oracles.some((o) => o.name === w)) {
      console.error(`oracle ${w}: not in manifest.json`);
      failed++;
    }
process.exit(failed ? 1 : 0);
