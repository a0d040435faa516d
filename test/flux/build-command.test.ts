/**
 * The `aksfleet build` command through the CLI boundary: outputs, secret masking, exit codes,
 * error messages with file, line and Kustomization chain.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import { parseYamlDocuments } from '../../src/yaml/parse.js';
import { CORPUS, haveCorpus } from './corpus.js';

async function run(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), color: false, cwd, env: {} };
  const code = await main(args, io);
  return { code, out, err };
}

function repo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-build-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  return root;
}

const ks = (name: string, path: string, extra = '') =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n` +
  `  namespace: flux-system\nspec:\n  path: ${path}\n  sourceRef:\n    kind: GitRepository\n` +
  `    name: flux-system\n${extra}`;

const files = {
  'clusters/dev/apps.yaml': ks('apps', './apps', '  postBuild:\n    substitute:\n      ENV: dev\n'),
  'apps/secret.yaml':
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: default\nstringData:\n  password: hunter2\n',
  'apps/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: default\ndata:\n  env: ${ENV}\n' +
    '  host: ${HOST}\n  flag: "yes"\n  mode: "0755"\n',
};

test('build command: missing variable -> exit 2 with file:line, object, variable and chain; nothing on stdout', async () => {
  const root = repo(files);
  try {
    const r = await run(['build', '--cluster', 'dev'], root);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(
      r.err,
      /^error: apps\/cm\.yaml:1: ConfigMap\/default\/c: variable \$\{HOST\} is not set .*\(Kustomization flux-system\/apps\)\n$/,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('build command: --allow-missing-vars and --vars; Secret values masked unless --show-secrets', async () => {
  const root = repo({
    ...files,
    // --vars gives the values of substituteFrom objects that exist only in the cluster
    'clusters/dev/apps.yaml': ks(
      'apps',
      './apps',
      '  postBuild:\n    substitute:\n      ENV: dev\n    substituteFrom:\n    - kind: Secret\n' +
        '      name: cluster-secrets\n',
    ),
    'vars.env': 'HOST=example.com\n',
  });
  try {
    const a = await run(['build', '.', '--path', 'clusters/dev', '--allow-missing-vars'], root);
    assert.equal(a.code, 0, a.err);
    assert.match(a.err, /^warning: .*\$\{HOST\}/m);
    assert.match(
      a.err,
      /^warning: spec\.postBuild\.substituteFrom\[0\]: Secret\/flux-system\/cluster-secrets is not in the cluster build/m,
    );
    const docs = parseYamlDocuments(a.out, 'out').map((d) => d.value as any);
    const secret = docs.find((d) => d.kind === 'Secret');
    assert.deepEqual(secret.data, { password: Buffer.from('**REDACTED**').toString('base64') });
    assert.equal(a.out.includes('hunter2'), false);
    // strings that YAML 1.1 (kubectl, Flux) would read as bool or number stay quoted
    assert.match(a.out, /^  flag: "yes"$/m);
    assert.match(a.out, /^  mode: "0755"$/m);
    assert.deepEqual(docs.find((d) => d.kind === 'ConfigMap').data, {
      env: 'dev',
      host: null,
      flag: 'yes',
      mode: '0755',
    });
    assert.equal(a.out.includes(Buffer.from('hunter2').toString('base64')), false);
    const v = await run(
      ['build', '--path', 'clusters/dev', '--vars', 'vars.env', '--show-secrets', '-o', 'json'],
      root,
    );
    assert.equal(v.code, 0, v.err);
    const j = JSON.parse(v.out);
    const objs = j.kustomizations[0].resources.map((r: any) => r.object);
    assert.equal(objs.find((o: any) => o.kind === 'ConfigMap').data.host, 'example.com');
    assert.equal(Buffer.from(objs.find((o: any) => o.kind === 'Secret').data.password, 'base64').toString(), 'hunter2');
    assert.equal(j.kustomizations[0].resources[0].origin.fluxKustomization, 'flux-system/apps');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('build command: usage errors exit 2', async () => {
  const root = repo(files);
  try {
    assert.equal((await run(['build', '--path', 'clusters/dev', '--cluster', 'dev'], root)).code, 2);
    assert.equal((await run(['build'], root)).code, 2);
    const o = await run(['build', '--cluster', 'dev', '-o', 'xml'], root);
    assert.equal(o.code, 2);
    assert.match(o.err, /-o must be yaml or json/);
    const m = await run(['build', '--cluster', 'nope'], root);
    assert.equal(m.code, 2);
    assert.match(m.err, /cluster path 'clusters\/nope' is not a directory/);
    const s = await run(['build', '--cluster', 'dev', '--source', 'bad'], root);
    assert.equal(s.code, 2);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('build command: --summary on a corpus repository', { skip: haveCorpus ? false : 'no corpus' }, async () => {
  const r = await run(
    [
      'build',
      join(CORPUS, 'Azure+gitops-flux2-kustomize-helm-mt'),
      '--path',
      'clusters/production',
      '--summary',
      '--no-helm',
    ],
    process.cwd(),
  );
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /info: --no-helm: 3 HelmRelease\(s\) not rendered/);
  const lines = r.out.trimEnd().split('\n');
  assert.match(lines[0]!, /^KUSTOMIZATION\s+PATH\s+OBJECTS\s+DEPENDS ON\s+STATUS$/);
  assert.match(lines[1]!, /^\(cluster path\)\s+clusters\/production\s+2\s+-\s+built$/);
  assert.match(lines[2]!, /^flux-system\/infrastructure\s+infrastructure\s+8\s+-\s+built$/);
  assert.match(lines[3]!, /^flux-system\/apps\s+apps\/production\s+2\s+flux-system\/infrastructure\s+built$/);
  assert.equal(lines[4], '');
  assert.match(lines[5]!, /^HELMRELEASE\s+CHART\s+OBJECTS\s+STATUS$/);
  assert.match(lines[6]!, /^cluster-config\/nginx\s+ingress-nginx\s+0\s+disabled$/);
  assert.equal(lines.at(-1), '2 Kustomizations, 3 HelmReleases (0 rendered), 12 objects');
  const y = await run(
    ['build', join(CORPUS, 'Azure+gitops-flux2-kustomize-helm-mt'), '--path', 'clusters/production'],
    process.cwd(),
  );
  assert.equal(y.code, 0);
  assert.equal(parseYamlDocuments(y.out, 'out').length, 12);
  const again = await run(
    ['build', join(CORPUS, 'Azure+gitops-flux2-kustomize-helm-mt'), '--path', 'clusters/production'],
    process.cwd(),
  );
  assert.equal(again.out, y.out);
});
