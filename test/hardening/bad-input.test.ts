/**
 * Hostile and broken input (test/fixtures/bad/ plus large cases written here): every command
 * that reads a repository (kustomize, build, check, diff) must answer with exit 2 (input error)
 * or 1 (findings), never crash (3), never print a stack trace without --debug, name the file,
 * and return in bounded time (the per-test timeout is a hang guard, not a speed claim).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import { git } from '../../src/git/git.js';
import { PACKAGE_ROOT } from '../../src/package-root.js';

const FIXTURES = join(PACKAGE_ROOT, 'test', 'fixtures', 'bad');

async function run(argv: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), color: false, cwd, env: {} };
  const code = await main(argv, io);
  return { code, out, err };
}

/** Where each case keeps its cluster path (for build/check) and the file a message should name. */
interface Case {
  readonly name: string;
  readonly dir: string;
  readonly clusterPath: string;
  /** A file (or fragment) the error message must name; undefined when any message will do. */
  readonly names?: RegExp;
  /** Expected exit for kustomize/build (0 for valid input). */
  readonly valid?: boolean;
  /** kustomize does not apply (Flux-only cases). */
  readonly fluxOnly?: boolean;
}

function fixtureCases(work: string): Case[] {
  const names: Record<string, RegExp | undefined> = {
    'malformed-yaml': /broken\.yaml/,
    tabs: /cm\.yaml/,
    'duplicate-keys': /cm\.yaml/,
    'alias-bomb': /bomb\.yaml/,
    'no-kind': /nokind\.yaml/,
    'no-name': /noname\.yaml/,
    'unknown-field': /kustomization\.yaml|namePrefixx/,
    'escape-dotdot': /etc\/passwd|leaves|outside|not in or below/,
    'escape-absolute': /etc\/passwd|absolute|outside/,
    'escape-symlink': /root|symlink|leaves|outside/,
    'remote-url': /github\.com|remote/,
    'kustomization-cycle': /cycle/,
    'invalid-regex': /cm\(\[|regex|regular expression/,
    'json6902-missing-path': /does\/not\/exist|missing|path/,
    'flux-dependson-cycle': /cycle/,
    'flux-recursion-cycle': /cycle|recurs/,
    'broken-envsubst': /cm\.yaml|substitut|brace/,
    'crlf-bom': undefined,
  };
  return readdirSync(FIXTURES)
    .filter((d) => lstatSync(join(FIXTURES, d)).isDirectory())
    .map((d) => {
      const dir = join(work, d);
      cpSync(join(FIXTURES, d), dir, { recursive: true, verbatimSymlinks: true });
      const flux = d.startsWith('flux-') || d === 'broken-envsubst';
      return {
        name: d,
        dir,
        clusterPath: flux ? 'clusters/c' : '.',
        names: names[d],
        valid: d === 'crlf-bom',
        fluxOnly: flux,
      };
    });
}

function largeCases(work: string): Case[] {
  const out: Case[] = [];
  const mk = (name: string, files: Record<string, string | Buffer>, extra: Partial<Case> = {}): void => {
    const dir = join(work, name);
    for (const [p, c] of Object.entries(files)) {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), c);
    }
    out.push({ name, dir, clusterPath: '.', ...extra });
  };
  const k = 'resources:\n  - data.yaml\n';
  const big = Buffer.alloc(50 * 1024 * 1024, 'a');
  big.write('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  a: "');
  big.write('"\n', big.length - 2);
  mk('50mb-file', { 'kustomization.yaml': k, 'data.yaml': big }, { names: /data\.yaml/ });
  mk(
    'deep-nesting',
    {
      'kustomization.yaml': k,
      'data.yaml':
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n` +
        `data:\n  a: ${'['.repeat(20000)}${']'.repeat(20000)}\n`,
    },
    { names: /data\.yaml/ },
  );
  mk(
    'binary-yaml',
    { 'kustomization.yaml': k, 'data.yaml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3, 0]) },
    { names: /data\.yaml/ },
  );
  mk(
    'non-utf8',
    {
      'kustomization.yaml': k,
      'data.yaml': Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n', 'latin1'),
    },
    { names: /data\.yaml/ },
  );
  mk(
    'utf16',
    {
      'kustomization.yaml': k,
      'data.yaml': Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: u\n', 'utf16le'),
      ]),
    },
    { names: /data\.yaml/ },
  );
  // Thousands of Flux Kustomizations, half of them in one dependsOn cycle.
  const docs: string[] = [];
  for (let i = 0; i < 2000; i++) {
    docs.push(
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ks-${i}\n` +
        `  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps\n  prune: true\n` +
        `  targetNamespace: ns-${i}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  dependsOn:\n` +
        `    - name: ks-${(i + 1) % 1000}\n`,
    );
  }
  mk(
    'thousands-of-kustomizations',
    {
      'clusters/c/ks.yaml': docs.join('---\n'),
      'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n',
    },
    { clusterPath: 'clusters/c', fluxOnly: true, names: /cycle/ },
  );
  return out;
}

function assertClean(label: string, r: { code: number; err: string }, c: Case): void {
  assert.ok(r.code !== 3, `${label}: internal error (exit 3):\n${r.err.slice(0, 2000)}`);
  assert.doesNotMatch(
    r.err,
    /\n\s+at .+:\d+:\d+\)?\n/,
    `${label}: stack trace printed without --debug:\n${r.err.slice(0, 2000)}`,
  );
  if (c.valid) {
    assert.equal(r.code, 0, `${label}: valid input refused:\n${r.err.slice(0, 2000)}`);
    return;
  }
  assert.ok(r.code === 1 || r.code === 2, `${label}: expected exit 1 or 2, got ${r.code}:\n${r.err.slice(0, 1000)}`);
  if (c.names)
    assert.match(
      r.err + (r.code === 1 ? '' : ''),
      c.names,
      `${label}: the message does not name the file:\n${r.err.slice(0, 2000)}`,
    );
}

const work = mkdtempSync(join(tmpdir(), 'aksfleet-bad-'));
const cases = [...fixtureCases(work), ...largeCases(work)];

for (const c of cases) {
  test(`bad input '${c.name}': kustomize, build, check and diff refuse it cleanly`, { timeout: 120_000 }, async () => {
    if (!c.fluxOnly) assertClean(`kustomize ${c.name}`, await run(['kustomize', c.dir], c.dir), c);
    const build = await run(['build', c.dir, '--path', c.clusterPath], c.dir);
    if (c.name === 'unknown-field') {
      // Flux drops unknown kustomization fields (kustomize rejects them): build renders like
      // Flux and warns, naming the field; kustomize and check refuse it.
      assert.equal(build.code, 0, build.err);
      assert.match(build.err, /warning: kustomization\.yaml: .*namePrefixx/);
    } else if (c.fluxOnly || !c.valid) assertClean(`build ${c.name}`, build, c);
    const check = await run(['check', c.dir, '--path', c.clusterPath, '--format', 'json'], c.dir);
    assert.ok(check.code !== 3, `check ${c.name}: internal error:\n${check.err.slice(0, 2000)}`);
    assert.doesNotMatch(check.err, /\n\s+at .+:\d+:\d+\)?\n/, `check ${c.name}: stack trace`);
    if (!c.valid)
      assert.ok(
        check.code === 1 || check.code === 2,
        `check ${c.name}: expected findings or an input error, got ${check.code}`,
      );
    // diff: the case committed on top of an empty base, rendered from git objects.
    git(c.dir, ['init', '-q', '-b', 'main']);
    git(c.dir, ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'base']);
    git(c.dir, ['add', '-A']);
    git(c.dir, ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'case']);
    const diff = await run(['diff', c.dir, '--base', 'HEAD~1', '--head', 'HEAD', '--path', c.clusterPath], c.dir);
    assert.ok(diff.code !== 3, `diff ${c.name}: internal error:\n${diff.err.slice(0, 2000)}`);
    assert.doesNotMatch(diff.err + diff.out, /\n\s+at .+:\d+:\d+\)?\n/, `diff ${c.name}: stack trace`);
    assert.ok([1, 2].includes(diff.code), `diff ${c.name}: expected 1 or 2, got ${diff.code}`);
  });
}
