/**
 * `--allow-missing-vars` on check, diff and promote. Without it they do what Flux 2.9 does
 * (kustomize-controller 1.9 turns StrictPostBuildSubstitutions on by default): an unset
 * `${VAR}` without a default fails the Kustomization, known offline when every substituteFrom
 * source was read. check: an error finding (exit 1); diff: the cluster's build error (exit 2);
 * promote: "build error" in the commit message. With it: the empty string of Flux with the gate
 * off, a warning finding, a diff that shows the change. Real git.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../../src/cli/testing/run-cli.js';
import { git } from '../../src/git/git.js';

const KS =
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n` +
  `  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps\n  prune: true\n  sourceRef:\n` +
  `    kind: GitRepository\n    name: flux-system\n    namespace: flux-system\n  postBuild:\n    substitute:\n` +
  `      DOMAIN: example.com\n`;
const cm = (v: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: default\n` +
  `data:\n  host: "web.\${DOMAIN}"\n  owner: "\${OWNER}"\n  v: "${v}"\n`;

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}
const commit = (repo: string, msg: string) =>
  git(repo, ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-am', msg]);

function setup(): { root: string; repo: string } {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-missing-vars-'));
  const repo = join(root, 'repo');
  write(repo, { 'clusters/dev/apps.yaml': KS, 'apps/cm.yaml': cm('a') });
  git(repo, ['init', '-q', '-b', 'main']);
  git(repo, ['add', '-A']);
  commit(repo, 'apps');
  return { root, repo };
}

const STRICT =
  /variable \$\{OWNER\} is not set by postBuild\.substitute or substituteFrom; Flux 2\.9 fails the Kustomization \(StrictPostBuildSubstitutions is on by default\): use a default \$\{OWNER:=value\}, define it, or pass --allow-missing-vars/;

test('check: an unset variable is an error finding by default (Flux 2.9), a warning with --allow-missing-vars', async () => {
  const s = setup();
  try {
    const finding = (out: string) =>
      (JSON.parse(out) as { findings: { rule: string; severity: string; message: string }[] }).findings.filter(
        (f) => f.rule === 'postbuild-variables-defined',
      );
    const strict = await runCli(['check', s.repo, '--format', 'json', '--fail-on', 'error']);
    const f = finding(strict.out);
    assert.deepEqual(
      f.map((x) => x.severity),
      ['error'],
      strict.out,
    );
    assert.match(f[0]!.message, STRICT);
    assert.equal(strict.code, 1);
    const allowed = await runCli(['check', s.repo, '--format', 'json', '--fail-on', 'error', '--allow-missing-vars']);
    const g = finding(allowed.out);
    assert.deepEqual(
      g.map((x) => x.severity),
      ['warning'],
    );
    assert.match(g[0]!.message, /variable \$\{OWNER\} is not set .*substituted as empty/);
    const others = (JSON.parse(allowed.out) as { findings: { severity: string }[] }).findings.filter(
      (x) => x.severity === 'error',
    );
    assert.equal(allowed.code, others.length ? 1 : 0, allowed.out);
  } finally {
    rmSync(s.root, { recursive: true, force: true });
  }
});

test(
  "diff: an unset variable is the cluster's build error by default (exit 2); " +
    '--allow-missing-vars shows the change (exit 1)',
  async () => {
    const s = setup();
    try {
      write(s.repo, { 'apps/cm.yaml': cm('b') });
      const strict = await runCli(['diff', s.repo, '--base', 'main', '--path', 'clusters/dev']);
      assert.equal(strict.code, 2, strict.out + strict.err);
      assert.match(strict.out, /cluster dev \(clusters\/dev\): ERROR/);
      assert.match(strict.out, STRICT);
      const allowed = await runCli([
        'diff',
        s.repo,
        '--base',
        'main',
        '--path',
        'clusters/dev',
        '--allow-missing-vars',
      ]);
      assert.equal(allowed.code, 1, allowed.out + allowed.err);
      assert.match(
        allowed.out,
        /cluster dev \(clusters\/dev\): 0 added, 1 changed, 0 removed\n {2}~ ConfigMap\/default\/web\n {6}~ data\.v: a -> b\n/,
      );
      // The same from .aksfleet.yaml's render.allowMissingVars.
      write(s.repo, { '.aksfleet.yaml': 'render:\n  allowMissingVars: true\n' });
      assert.equal((await runCli(['diff', s.repo, '--base', 'main', '--path', 'clusters/dev'])).code, 1);
    } finally {
      rmSync(s.root, { recursive: true, force: true });
    }
  },
);

test('promote: the commit message says build error by default, the change with --allow-missing-vars', async () => {
  for (const allow of [false, true]) {
    const s = setup();
    try {
      git(s.repo, ['branch', 'env/qa']);
      git(s.repo, ['checkout', '-q', '-b', 'env/dev']);
      write(s.repo, { 'apps/cm.yaml': cm('b') });
      commit(s.repo, 'v b');
      const p = await runCli(['promote', 'dev', 'qa', s.repo, ...(allow ? ['--allow-missing-vars'] : [])]);
      assert.equal(p.code, 0, p.err);
      const msg = git(s.repo, ['log', '-1', '--format=%B', /created branch (\S+)/.exec(p.err)![1]!]);
      if (allow) assert.match(msg, /^- dev: 0 added, 1 changed, 0 removed$/m);
      else
        assert.match(
          msg,
          /^- dev: build error \(env\/dev merged: apps\/cm\.yaml:1: ConfigMap\/default\/web: variable \$\{OWNER\} is not set .*Flux 2\.9 fails the Kustomization/m,
          msg,
        );
    } finally {
      rmSync(s.root, { recursive: true, force: true });
    }
  }
});
