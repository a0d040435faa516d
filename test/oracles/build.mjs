// The oracle builder behind build.sh: one function per kind of oracle in manifest.json.
// Prints one line per oracle (built, cached, or the failure) and exits 1 if any failed.
import { execFileSync } from 'node:child_process';
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
function run(cmd, args, opts = {}) {
  execFileSync(cmd, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    ...opts,
    env: { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'auto', ...(opts.env ?? {}) },
  });
}

const builders = {
  'npm-zip'(o, bin) {
    const zip = join(repo, 'node_modules', o.package, o.zip);
    if (!existsSync(zip)) throw new Error(`${zip} not found: run npm ci`);
    const tmp = mkdtempSync(join(tmpdir(), 'oracle-zip-'));
    try {
      run('python3', [
        '-c',
        'import sys,zipfile; zipfile.ZipFile(sys.argv[1]).extract(sys.argv[2], sys.argv[3])',
        zip,
        o.entry,
        tmp,
      ]);
      const out = join(bin, o.name);
      cpSync(join(tmp, o.entry), out);
      chmodSync(out, 0o755);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  },
  'go-install'(o, bin) {
    const ldflags = o.ldflags ? ['-ldflags', o.ldflags] : [];
    run('go', ['install', ...ldflags, `${o.module}${o.path ? `/${o.path}` : ''}@${o.version}`], {
      env: { GOBIN: bin, CGO_ENABLED: '0' },
    });
    const built = readdirSync(bin);
    if (built.length === 1 && built[0] !== o.name) renameSync(join(bin, built[0]), join(bin, o.name));
  },
  'go-mod-build'(o, bin) {
    // Modules whose go.mod has replace directives cannot be `go install`ed: download and build inside.
    const json = execFileSync('go', ['mod', 'download', '-json', `${o.module}@${o.version}`], {
      encoding: 'utf8',
      env: { ...process.env, GOTOOLCHAIN: 'auto' },
    });
    const src = JSON.parse(json).Dir;
    const work = mkdtempSync(join(tmpdir(), 'oracle-mod-'));
    try {
      cpSync(src, work, { recursive: true });
      run('chmod', ['-R', 'u+w', work]);
      // files the release build generates before `go build` (e.g. flux's embedded install manifests)
      for (const [f, text] of Object.entries(o.files ?? {})) {
        mkdirSync(dirname(join(work, f)), { recursive: true });
        writeFileSync(join(work, f), text);
      }
      const ldflags = o.ldflags ? ['-ldflags', o.ldflags] : [];
      run('go', ['build', ...ldflags, '-o', join(bin, o.name), `./${o.path ?? '.'}`], {
        cwd: work,
        env: { CGO_ENABLED: '0' },
      });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  },
  'pip-venv'(o, bin) {
    // A venv beside bin/ (its scripts' shebangs name the staging folder, so bin/NAME runs the
    // module with the venv's python, which finds its venv wherever the folder is moved to).
    const venv = join(dirname(bin), 'venv');
    run('python3', ['-m', 'venv', venv]);
    run(join(venv, 'bin', 'python'), [
      '-m',
      'pip',
      'install',
      '--quiet',
      '--disable-pip-version-check',
      `${o.package}==${o.version}`,
      ...(o.requirements ?? []),
    ]);
    const out = join(bin, o.name);
    writeFileSync(out, `#!/bin/sh\nexec "$(dirname "$0")/../venv/bin/python" -m ${o.module} "$@"\n`);
    chmodSync(out, 0o755);
  },
  'go-program'(o, bin) {
    run('go', ['build', '-o', join(bin, o.name), '.'], {
      cwd: join(here, 'programs', o.name),
      env: { CGO_ENABLED: '0' },
    });
  },
};

// Arguments: oracle names, or --tier=test|extra (the oracles of that tier); none: every oracle.
const args = process.argv.slice(2);
const tiers = args.filter((a) => a.startsWith('--tier=')).map((a) => a.slice('--tier='.length));
const wanted = args.filter((a) => !a.startsWith('--'));
let failed = 0;
for (const o of manifest.oracles) {
  if (wanted.length && !wanted.includes(o.name)) continue;
  if (tiers.length && !tiers.includes(o.tier ?? 'test')) continue;
  const dir = oracleDir(o);
  const bin = join(dir, 'bin');
  if (existsSync(join(bin, o.name))) {
    console.log(`oracle ${o.name}: cached (${dir})`);
    continue;
  }
  const t0 = Date.now();
  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'bin'), { recursive: true });
  try {
    builders[o.kind](o, join(staging, 'bin'));
    writeFileSync(join(staging, 'oracle.json'), JSON.stringify(o, null, 2) + '\n');
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    console.log(`oracle ${o.name}: built in ${((Date.now() - t0) / 1000).toFixed(1)} s (${dir})`);
  } catch (e) {
    failed++;
    rmSync(staging, { recursive: true, force: true });
    console.error(`oracle ${o.name}: FAILED: ${e.message}`);
  }
}
if (wanted.length)
  for (const w of wanted)
    if (!manifest.oracles.some((o) => o.name === w)) {
      console.error(`oracle ${w}: not in manifest.json`);
      failed++;
    }
process.exit(failed ? 1 : 0);
