/**
 * Planted secrets (issue #25, 3): a repository with known secret values on two git commits: a
 * plain Secret with data and stringData, a secretGenerator with a literal and an env file, a SOPS
 * Secret with `age`, `pgp` and `azure_kv` key groups, a Secret inside a `kind: List`, a Secret
 * written as one-line JSON, two values a Flux Kustomization substitutes from a Secret
 * (`postBuild.substituteFrom`) into an env value, an annotation and an image, URL userinfo in a
 * GitRepository and in an env value, and a Kyverno policy whose message quotes a Secret's data.
 * Every output of build (YAML, JSON, its error path), check (all formats, and `--jobs 2`), diff
 * (all formats, and against the working tree) and every console endpoint (with its check
 * findings) is searched for the values and their base64 forms: none may appear.
 * (`aksfleet kustomize` is exempt by design: it is a drop-in for `kubectl kustomize`, which
 * prints Secret data; the gate commands are build, check and diff.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';
import type { Io } from '../../src/cli/command.js';
import { commitFiles, makeRepo } from '../../src/git/testing.js';
import { buildConsoleModel } from '../../src/ui/build-model.js';
import { apiAnswer } from '../../src/ui/server.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function files(tag: string): Record<string, string> {
  return {
    'clusters/c/sync.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  decryption:
    provider: sops
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substituteFrom:
      - kind: Secret
        name: app-vars
`,
    'clusters/c/vars.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: app-vars
  namespace: flux-system
stringData:
  DB_URL: postgres://app:planted-subst-${tag}@db:5432/app
  API_TOKEN: planted-substtoken-${tag}
`,
    'clusters/c/remote.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: remote
  namespace: flux-system
spec:
  interval: 10m
  url: https://deploy:planted-urltoken-${tag}@github.com/org/other.git
  ref:
    branch: main
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: remote
  namespace: flux-system
spec:
  interval: 10m
  path: ./deploy
  prune: true
  sourceRef:
    kind: GitRepository
    name: remote
`,
    'apps/kustomization.yaml': `resources:
  - secret.yaml
  - sops.yaml
  - app.yaml
  - list.yaml
  - json-secret.yaml
  - policy.yaml
secretGenerator:
  - name: generated
    namespace: app
    literals:
      - api-key=planted-literal-${tag}
    envs:
      - creds.env
`,
    'apps/creds.env': `DB_PASSWORD=planted-env-${tag}\n`,
    'apps/secret.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: plain
  namespace: app
data:
  password: ${b64(`planted-data-${tag}`)}
stringData:
  token: planted-stringdata-${tag}
`,
    'apps/sops.yaml': `apiVersion: v1
kind: Secret
metadata:
  name: encrypted
  namespace: app
data:
  key: ENC[AES256_GCM,data:planted-sops-${tag},iv:aXY=,tag:dGFn,type:str]
sops:
  mac: ENC[AES256_GCM,data:planted-mac-${tag},iv:aXY=,tag:dGFn,type:str]
  lastmodified: "2026-01-01T00:00:00Z"
  version: 3.9.0
  age:
    - recipient: age1qqqq
      enc: |
        -----BEGIN AGE ENCRYPTED FILE-----
        planted-age-${tag}
        -----END AGE ENCRYPTED FILE-----
  pgp:
    - fp: ABCD
      enc: planted-pgp-${tag}
  azure_kv:
    - vault_url: https://v.vault.azure.net
      name: k
      version: "1"
      enc: planted-azkv-${tag}
`,
    'apps/list.yaml': `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Secret
    metadata:
      name: in-list
      namespace: app
    stringData:
      token: planted-list-${tag}
`,
    'apps/json-secret.yaml':
      '{"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "as-json", "namespace": "app"}, ' +
      `"data": {"k": "${b64(`planted-json-${tag}`)}"}}\n`,
    'apps/policy.yaml': `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: secret-peek
spec:
  validationFailureAction: Enforce
  rules:
    - name: peek
      match:
        any:
          - resources:
              kinds: [Secret]
              names: [plain]
      validate:
        message: "Secret {{ request.object.metadata.name }} holds {{ request.object.data.password }}"
        pattern:
          metadata:
            labels:
              never: "?*"
`,
    'apps/app.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: app
spec:
  selector:
    matchLabels: {app: app}
  template:
    metadata:
      labels: {app: app}
    spec:
      containers:
        - name: app
          image: registry.example.com/app:1.0.${tag === 'old' ? 0 : 1}
          env:
            - name: DB_URL
              value: \${DB_URL}
            - name: UPSTREAM
              value: https://bot:planted-envurl-${tag}@git.example.com/x.git
            - name: BLOB_SAS
              value: https://st.blob.core.windows.net/c/x.tgz?sv=2022-11-02&sp=r&sig=planted-sas-${tag}
          envFrom:
            - secretRef:
                name: generated
        - name: side
          image: registry.example.com/\${API_TOKEN}
      annotations:
        token: "\${API_TOKEN}"
`,
  };
}

function needles(tag: string): string[] {
  const raw = [
    `planted-literal-${tag}`,
    `planted-env-${tag}`,
    `planted-data-${tag}`,
    `planted-stringdata-${tag}`,
    `planted-sops-${tag}`,
    `planted-mac-${tag}`,
    `planted-subst-${tag}`,
    `planted-substtoken-${tag}`,
    `planted-urltoken-${tag}`,
    `planted-envurl-${tag}`,
    `planted-sas-${tag}`,
    `planted-list-${tag}`,
    `planted-json-${tag}`,
    `planted-age-${tag}`,
    `planted-pgp-${tag}`,
    `planted-azkv-${tag}`,
  ];
  return [...raw, ...raw.map(b64)];
}

async function run(argv: string[], cwd: string): Promise<string> {
  let all = '';
  const io: Io = { out: (t) => void (all += t), err: (t) => void (all += t), color: false, cwd, env: {} };
  const code = await main(argv, io);
  assert.ok(code !== 3, `${argv.join(' ')} crashed:\n${all}`);
  return all;
}

test('no planted secret value appears in any output of build, check, diff or the console', async () => {
  const repo = makeRepo(files('old'));
  commitFiles(repo, files('new'), 'rotate secrets');
  const outputs: [string, string][] = [];
  for (const o of ['yaml', 'json'])
    outputs.push([
      `build -o ${o}`,
      await run(['build', repo, '--path', 'clusters/c', '-o', o, '--allow-unbuildable'], repo),
    ]);
  outputs.push(['build (unbuildable)', await run(['build', repo, '--path', 'clusters/c'], repo)]);
  outputs.push(['build --summary', await run(['build', repo, '--path', 'clusters/c', '--summary'], repo)]);
  for (const f of ['text', 'json', 'sarif', 'junit', 'markdown'])
    outputs.push([`check ${f}`, await run(['check', repo, '--format', f], repo)]);
  outputs.push(['check --jobs 2', await run(['check', repo, '--format', 'json', '--jobs', '2'], repo)]);
  for (const f of ['text', 'markdown', 'json'])
    outputs.push([`diff ${f}`, await run(['diff', repo, '--base', 'HEAD~1', '--head', 'HEAD', '--format', f], repo)]);
  outputs.push(['diff worktree', await run(['diff', repo, '--base', 'HEAD~1'], repo)]);

  const model = buildConsoleModel({ root: repo, isGit: true });
  const api = (p: string) => JSON.stringify(apiAnswer(model, new URL(p, 'http://127.0.0.1')).body);
  let consoleText = api('/api/fleet') + api('/api/findings') + api('/api/promotions');
  for (const c of model.clusters) {
    consoleText += api(`/api/cluster?name=${encodeURIComponent(c.name)}`);
    for (const id of model.objects.get(c.name)?.keys() ?? [])
      consoleText += api(`/api/object?cluster=${encodeURIComponent(c.name)}&id=${encodeURIComponent(id)}`);
  }
  for (const f of model.sources.keys()) consoleText += api(`/api/source?file=${encodeURIComponent(f)}`);
  outputs.push(['console API', consoleText]);

  // The test would prove nothing if the secrets were not rendered at all: the console must
  // have the three Secrets, and the diff must see the rotation.
  assert.ok(
    model.objects.get('c')?.has('Secret/app/plain') && model.objects.get('c')?.has('Secret/app/encrypted'),
    'Secrets rendered',
  );
  assert.ok(
    [...(model.objects.get('c')?.keys() ?? [])].some((id) => id.startsWith('Secret/app/generated-')),
    'generated Secret rendered',
  );
  assert.match(outputs.find(([n]) => n === 'diff text')![1], /Secret\/app\/plain/);
  // Every planted value reaches the build (so masking, not absence, keeps it out): --show-secrets shows them.
  const shown = await run(['build', repo, '--path', 'clusters/c', '--allow-unbuildable', '--show-secrets'], repo);
  for (const v of [
    'planted-subst-new',
    'planted-substtoken-new',
    'planted-urltoken-new',
    'planted-envurl-new',
    'planted-sas-new',
    b64('planted-list-new'),
    b64('planted-json-new'),
    b64('planted-stringdata-new'),
    b64('planted-data-new'),
  ]) {
    assert.ok(shown.includes(v), `build --show-secrets shows ${v}`);
  }
  // The substituted values landed outside their Secret: in the Deployment's env and annotation.
  assert.match(shown, /value: postgres:\/\/app:planted-subst-new@db:5432\/app/);
  assert.match(shown, /token: planted-substtoken-new/);
  // ... and into a check finding's message, where it is masked.
  assert.match(
    outputs.find(([n]) => n === 'check text')![1],
    /image 'registry\.example\.com\/\*\*REDACTED\*\*' has no tag/,
  );
  assert.ok(
    outputs.find(([n]) => n === 'check --jobs 2')![1].includes("image 'registry.example.com/**REDACTED**' has no tag"),
    'the workers mask too',
  );
  // A policy message that interpolates the Secret's data is masked too.
  assert.ok(
    outputs.find(([n]) => n === 'check text')![1].includes('Secret plain holds **REDACTED**'),
    'the policy finding, masked',
  );
  assert.ok(
    model.findings.some((f) => f.message.includes("image 'registry.example.com/**REDACTED**' has no tag")),
    'the console has the finding, masked',
  );

  const leaks: string[] = [];
  for (const tag of ['old', 'new']) {
    for (const needle of needles(tag)) {
      for (const [name, text] of outputs) if (text.includes(needle)) leaks.push(`${name} leaks ${needle}`);
    }
  }
  assert.deepEqual(leaks, []);
});
