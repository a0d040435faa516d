/**
 * The false errors the corpus history run (history.ts, issue #19 "Done when") found on real
 * repositories, each rebuilt as a small fixture of the same shape (not the repositories
 * themselves), through the CLI as a user runs it:
 *  - a Flux Operator layout whose FluxInstance sync is a values file beside a HelmRelease of the
 *    flux-instance chart, given through configMapGenerator + valuesFrom (onedr0p/home-ops
 *    2025): "no cluster found" (exit 2) before;
 *  - SOPS-encrypted Secrets of a Kustomization with spec.decryption: Flux applies them decrypted,
 *    without the `sops` field; before, `check` reported `unknown field 'sops'` (object-schema)
 *    for each (home-ops, 12 errors at one commit);
 *  - a HelmRelease chart path from the repository's own GitRepository written `/charts/x/`
 *    (source-controller joins it inside the artifact): before, `check` stopped with exit 2,
 *    "path '/charts/x' is absolute" (home-ops 2021);
 *  - a Kustomization whose kustomization.yaml lists a remote base (an https URL of a release's
 *    install.yaml: fluxcd/flux2-multi-tenancy 2020-2022, 56 of 114 diffs): `check` says it is not
 *    rendered offline, but `diff` failed the whole cluster (exit 2, no diff at all); now the
 *    part is listed as not followed and the rest of the cluster is diffed (exit 1, `--strict` 2);
 *  - `diff --path P` where P exists on one side only (mspnp/aks-baseline renamed
 *    cluster-baseline-settings to cluster-manifests, 2021): the side without it was a build error
 *    (exit 2, "cluster path is not a directory"); now it has no such cluster, so all is added.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../src/cli/testing/run-cli.js';
import {
  fluxKustomization,
  gitCommitAll,
  gitRepository,
  tempDir,
  writeTree,
} from '../../src/cli/testing/fixture-repos.js';
import { git } from '../../src/git/git.js';
import { demoChartFiles } from '../../src/flux/helmrelease/testing.js';

interface CheckJson {
  clusters: { name: string; path: string; objects: number }[];
  findings: { rule: string; severity: string; resource: string; message: string }[];
}

async function check(
  files: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number; err: string; json?: CheckJson }> {
  const dir = tempDir();
  try {
    writeTree(dir, files);
    const r = await runCli(['check', dir, '--format', 'json', ...args], { env: { AKSFLEET_TODAY: '2026-12-07' } });
    return {
      code: r.code,
      err: r.err,
      json: r.out.trim().startsWith('{') ? (JSON.parse(r.out) as CheckJson) : undefined,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const URL = 'https://github.com/example/home';

test(
  'Flux Operator: a flux-instance HelmRelease whose values file (configMapGenerator + valuesFrom) ' +
    'holds instance.sync.path makes that path a cluster',
  async () => {
    const files = {
      'kubernetes/apps/flux-system/flux-operator/instance/helmrelease.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: flux-instance\n' +
        'spec:\n  interval: 30m\n  chart:\n    spec:\n      chart: flux-instance\n      version: 0.13.0\n' +
        '      sourceRef:\n        kind: HelmRepository\n        name: controlplaneio\n' +
        '        namespace: flux-system\n  valuesFrom:\n    - kind: ConfigMap\n' +
        '      name: flux-instance-helm-values\n',
      'kubernetes/apps/flux-system/flux-operator/instance/helm-values.yaml':
        `instance:\n  distribution:\n    version: 2.4.0\n  sync:\n    kind: GitRepository\n` +
        `    url: ${URL}\n    ref: refs/heads/main\n    path: kubernetes/flux/cluster\n`,
      'kubernetes/apps/flux-system/flux-operator/instance/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./helmrelease.yaml\n' +
        'configMapGenerator:\n  - name: flux-instance-helm-values\n    files:\n' +
        '      - values.yaml=./helm-values.yaml\n',
      'kubernetes/flux/cluster/ks.yaml': fluxKustomization('cluster-apps', 'flux-system', './kubernetes/apps'),
      'kubernetes/apps/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n' +
        'resources:\n  - ./flux-system/flux-operator/instance\n',
    };
    const r = await check(files);
    assert.ok(r.json, r.err);
    assert.deepEqual(
      r.json.clusters.map((c) => c.path),
      ['kubernetes/flux/cluster'],
    );
    assert.ok(r.json.clusters[0]!.objects >= 3, JSON.stringify(r.json.clusters));
    assert.deepEqual(
      r.json.findings.filter((f) => f.rule === 'kustomization-builds'),
      [],
    );
    // The later shape (home-ops 2025-08): the chart from an OCIRepository (chartRef), the values in a sub-folder.
    const dir = 'kubernetes/apps/flux-system/flux-instance/app';
    const later = await check({
      [`${dir}/helmrelease.yaml`]:
        'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: flux-instance\n' +
        'spec:\n  interval: 5m\n  ref:\n    tag: 0.27.0\n  url: oci://ghcr.io/controlplaneio-fluxcd/' +
        'charts/flux-instance\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n' +
        '  name: flux-instance\nspec:\n  interval: 1h\n  chartRef:\n    kind: OCIRepository\n' +
        '    name: flux-instance\n  valuesFrom:\n    - kind: ConfigMap\n      name: flux-instance-values\n',
      [`${dir}/helm/values.yaml`]: files['kubernetes/apps/flux-system/flux-operator/instance/helm-values.yaml'],
      [`${dir}/kustomization.yaml`]:
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./helmrelease.yaml\n' +
        'configMapGenerator:\n  - name: flux-instance-values\n    files:\n      - values.yaml=./helm/values.yaml\n',
      'kubernetes/flux/cluster/ks.yaml': files['kubernetes/flux/cluster/ks.yaml'],
      'kubernetes/apps/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n' +
        'resources:\n  - ./flux-system/flux-instance/app\n',
    });
    assert.ok(later.json, later.err);
    assert.deepEqual(
      later.json.clusters.map((c) => c.path),
      ['kubernetes/flux/cluster'],
    );
    // Without the HelmRelease of the flux-instance chart that takes it, a values file is not a sync.
    const lone = await check({
      ...files,
      'kubernetes/apps/flux-system/flux-operator/instance/helmrelease.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n',
    });
    assert.equal(lone.code, 2);
    assert.match(lone.err, /no cluster found/);
  },
);

test(
  'SOPS-encrypted Secrets of a Kustomization with spec.decryption are applied decrypted: ' +
    'no unknown-field error for `sops`',
  async () => {
    const secret =
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: sops-age\n  namespace: apps\nstringData:\n' +
      '  age.agekey: ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]\nsops:\n  age:\n    - recipient: age1xyz\n' +
      '      enc: x\n  lastmodified: "2025-01-01T00:00:00Z"\n  mac: ENC[AES256_GCM,data:m,iv:x,tag:y,type:str]\n' +
      '  encrypted_regex: ^(data|stringData)$\n  version: 3.9.0\n';
    const files = {
      'clusters/dev/sync.yaml':
        gitRepository('flux-system', URL) + '---\n' + fluxKustomization('flux-system', 'flux-system', './clusters/dev'),
      'clusters/dev/apps.yaml': fluxKustomization(
        'apps',
        'flux-system',
        './apps',
        '  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age\n',
      ),
      'apps/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - secret.sops.yaml\n',
      'apps/secret.sops.yaml': secret,
    };
    const r = await check(files);
    assert.ok(r.json, r.err);
    assert.deepEqual(
      r.json.findings.filter((f) => f.rule === 'object-schema').map((f) => f.message),
      [],
    );
    assert.deepEqual(
      r.json.findings.filter((f) => f.rule === 'no-plain-secret'),
      [],
    );
    // Without spec.decryption the apply would fail: still an error.
    const plain = await check({
      ...files,
      'clusters/dev/apps.yaml': fluxKustomization('apps', 'flux-system', './apps'),
    });
    assert.match(
      JSON.stringify(plain.json?.findings.filter((f) => f.severity === 'error')),
      /SOPS encrypted, configuring decryption/,
    );
  },
);

test(
  "a chart path written /charts/x/ in the repository's own " +
    'GitRepository renders from inside the artifact (no exit 2)',
  async () => {
    const chart = Object.fromEntries(Object.entries(demoChartFiles('0.1.0')).map(([k, v]) => [`charts/demo/${k}`, v]));
    const r = await check({
      ...chart,
      'clusters/dev/sync.yaml':
        gitRepository('flux-system', URL) + '---\n' + fluxKustomization('flux-system', 'flux-system', './clusters/dev'),
      'clusters/dev/release.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: demo\n  namespace: apps\n' +
        'spec:\n  interval: 10m\n  chart:\n    spec:\n      chart: /charts/demo/\n      sourceRef:\n' +
        '        kind: GitRepository\n        name: flux-system\n        namespace: flux-system\n',
    });
    assert.ok(r.json, r.err);
    assert.deepEqual(
      r.json.findings.filter((f) => f.rule === 'helmrelease-renders' && f.severity === 'error'),
      [],
    );
    assert.ok(r.json.clusters[0]!.objects > 2, JSON.stringify(r.json.clusters));
  },
);

test(
  'a Flux Operator ResourceSet (inputs x templated Kustomizations) is expanded: ' +
    'each generated Kustomization is built and checked, one with a missing path is an error',
  async () => {
    const resourceSet =
      'apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\nmetadata:\n  name: apps\n' +
      '  namespace: flux-system\nspec:\n  inputs:\n    - tenant: team1\n    - tenant: team2\n  resources:\n' +
      '    - apiVersion: kustomize.toolkit.fluxcd.io/v1\n      kind: Kustomization\n      metadata:\n' +
      '        name: << inputs.tenant >>\n        namespace: flux-system\n      spec:\n        interval: 10m\n' +
      '        path: ./tenants/<< inputs.tenant >>\n        prune: true\n        sourceRef:\n' +
      '          kind: GitRepository\n          name: flux-system\n';
    const files = {
      'clusters/dev/sync.yaml':
        gitRepository('flux-system', URL) + '---\n' + fluxKustomization('flux-system', 'flux-system', './clusters/dev'),
      'clusters/dev/apps.yaml': resourceSet,
      'tenants/team1/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team1\n',
    };
    const r = await check(files);
    assert.ok(r.json, r.err);
    assert.deepEqual(
      r.json.findings.filter((f) => f.resource === 'ResourceSet/flux-system/apps'),
      [],
      'expanded: no warning about the ResourceSet',
    );
    // team1 is built (its Namespace is in the cluster's objects); team2's path does not exist: an error.
    const builds = r.json.findings.filter((f) => f.rule === 'kustomization-builds');
    assert.deepEqual(
      builds.map((f) => [f.severity, f.resource]),
      [['error', 'Kustomization/flux-system/team2']],
    );
    assert.match(builds[0]!.message, /tenants\/team2/);
    const dir = tempDir();
    try {
      writeTree(dir, files);
      const b = await runCli(['build', dir, '--path', 'clusters/dev', '--summary', '--allow-unbuildable']);
      assert.match(b.all, /flux-system\/team1/);
      assert.doesNotMatch(b.all, /does not expand|not expanded/);
      assert.match(b.out, /^flux-system\/apps +flux-system\/flux-system +2 +2 +expanded$/m);
      assert.match(b.out, /1 ResourceSets \(1 expanded\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'a ResourceSet whose inputs come from a GitHub provider is reported by check as ' +
    'not expanded (a warning with the reason), one whose template fails as an error',
  async () => {
    const rs = (name: string, from: string, path: string) =>
      `apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\nmetadata:\n` +
      `  name: ${name}\n  namespace: flux-system\nspec:\n${from}  resources:\n` +
      `    - apiVersion: v1\n      kind: Namespace\n      metadata:\n        name: ${path}\n`;
    const files = {
      'clusters/dev/sync.yaml':
        gitRepository('flux-system', URL) + '---\n' + fluxKustomization('flux-system', 'flux-system', './clusters/dev'),
      'clusters/dev/previews.yaml':
        rs('previews', '  inputsFrom:\n    - name: prs\n', 'pr-<< inputs.id >>') +
        '---\napiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSetInputProvider\nmetadata:\n  name: prs\n' +
        '  namespace: flux-system\nspec:\n  type: GitHubPullRequest\n  url: https://github.com/example/app\n',
      'clusters/dev/broken.yaml': rs('broken', '  inputs:\n    - tenant: a\n', '<< inputs.team >>'),
    };
    const r = await check(files);
    assert.ok(r.json, r.err);
    const said = r.json.findings.filter((f) => f.resource.startsWith('ResourceSet/'));
    assert.deepEqual(
      said.map((f) => [f.rule, f.severity, f.resource]),
      [
        ['kustomization-builds', 'error', 'ResourceSet/flux-system/broken'],
        ['kustomization-builds', 'warning', 'ResourceSet/flux-system/previews'],
      ],
    );
    assert.match(said[0]!.message, /does not expand .*map has no entry for key "team"/);
    assert.match(
      said[1]!.message,
      /not expanded offline: its input provider ResourceSetInputProvider\/flux-system\/prs has type GitHubPullRequest/,
    );
    // build: the output would be incomplete, so exit 2 naming it (as an unbuildable Kustomization), unless allowed.
    const dir = tempDir();
    try {
      writeTree(dir, {
        ...files,
        'clusters/dev/broken.yaml': rs('broken', '  inputs:\n    - tenant: a\n', '<< inputs.tenant >>'),
      });
      const b = await runCli(['build', dir, '--path', 'clusters/dev']);
      assert.equal(b.code, 2, b.all);
      assert.match(b.err, /1 ResourceSet is not expanded offline, so the output would be incomplete/);
      assert.match(
        b.err,
        /clusters\/dev\/previews\.yaml:1: ResourceSet flux-system\/previews not rendered: its input provider/,
      );
      const allowed = await runCli(['build', dir, '--path', 'clusters/dev', '--allow-unbuildable']);
      assert.equal(allowed.code, 0, allowed.err);
      assert.match(allowed.out, /name: a\n/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test('a secretGenerator from a SOPS-encrypted dotenv file (sops_* keys) is not a plain Secret', async () => {
  const env =
    'SECRET_DOMAIN=ENC[AES256_GCM,data:abc,iv:x,tag:y,type:str]\nsops_age__list_0__map_recipient=age1xyz\n' +
    'sops_lastmodified=2023-08-27T00:00:00Z\nsops_mac=ENC[AES256_GCM,data:m,iv:x,tag:y,type:str]\n' +
    'sops_unencrypted_suffix=_unencrypted\nsops_version=3.7.3\n';
  const files = {
    'clusters/dev/sync.yaml':
      gitRepository('flux-system', URL) + '---\n' + fluxKustomization('flux-system', 'flux-system', './clusters/dev'),
    'clusters/dev/vars.yaml': fluxKustomization(
      'vars',
      'flux-system',
      './vars',
      '  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age\n',
    ),
    'vars/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n' +
      'namespace: flux-system\nsecretGenerator:\n  - name: cluster-secrets\n    envs:\n' +
      '      - cluster-secrets.sops.env\ngeneratorOptions:\n  disableNameSuffixHash: true\n',
    'vars/cluster-secrets.sops.env': env,
  };
  const r = await check(files);
  assert.ok(r.json, r.err);
  assert.ok(r.json.clusters[0]!.objects >= 1);
  assert.deepEqual(
    r.json.findings.filter((f) => f.rule === 'no-plain-secret'),
    [],
  );
  // The same generator from a plain dotenv file is still refused.
  const plain = await check({ ...files, 'vars/cluster-secrets.sops.env': 'SECRET_DOMAIN=example.com\n' });
  assert.deepEqual(
    plain.json?.findings.filter((f) => f.rule === 'no-plain-secret').map((f) => f.resource),
    ['Secret/flux-system/cluster-secrets'],
  );
});

test(
  'diff: a Kustomization with a remote base is listed as not ' +
    'followed and the rest of the cluster is diffed (exit 1, not 2)',
  async () => {
    const dir = tempDir();
    try {
      writeTree(dir, {
        'clusters/prod/sync.yaml':
          gitRepository('flux-system', URL) +
          '---\n' +
          fluxKustomization('flux-system', 'flux-system', './clusters/prod'),
        'clusters/prod/infra.yaml': fluxKustomization('kyverno', 'flux-system', './infrastructure/kyverno'),
        'clusters/prod/apps.yaml': fluxKustomization('apps', 'flux-system', './apps'),
        'infrastructure/kyverno/kustomization.yaml':
          'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n' +
          '  - https://raw.githubusercontent.com/kyverno/kyverno/v1.3.0/definitions/release/install.yaml\n',
        'apps/kustomization.yaml':
          'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - cm.yaml\n',
        'apps/cm.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: apps\ndata:\n  replicas: "1"\n',
      });
      gitCommitAll(dir, 'one', URL);
      const base = git(dir, ['rev-parse', 'HEAD']).trim();
      writeTree(dir, {
        'apps/cm.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: apps\ndata:\n  replicas: "2"\n',
      });
      gitCommitAll(dir, 'two');
      const r = await runCli(['diff', dir, '--base', base, '--head', 'HEAD', '--format', 'json'], {
        env: { AKSFLEET_TODAY: '2026-12-07' },
      });
      assert.equal(r.code, 1, r.err + r.out);
      const j = JSON.parse(r.out) as {
        clusters: {
          errors: string[];
          unfollowed: { kind: string; id: string; reason: string; file?: string }[];
          diff?: { changed: { id: string }[] };
        }[];
      };
      assert.deepEqual(j.clusters[0]!.errors, []);
      assert.deepEqual(
        j.clusters[0]!.unfollowed.map((u) => [u.kind, u.id, u.file]),
        [['Kustomization', 'flux-system/kyverno', 'infrastructure/kyverno/kustomization.yaml']],
      );
      assert.match(
        j.clusters[0]!.unfollowed[0]!.reason,
        /remote resource 'https:\/\/raw\.githubusercontent\.com\/kyverno\/.*' is not supported: aksfleet builds offline/,
      );
      assert.deepEqual(
        j.clusters[0]!.diff?.changed.map((c) => c.id),
        ['ConfigMap/apps/web'],
      );
      const text = await runCli(['diff', dir, '--base', base, '--head', 'HEAD'], {
        env: { AKSFLEET_TODAY: '2026-12-07' },
      });
      assert.match(text.err, /warning: the diff is incomplete: 1 part\(s\)/);
      const strict = await runCli(['diff', dir, '--base', base, '--head', 'HEAD', '--strict'], {
        env: { AKSFLEET_TODAY: '2026-12-07' },
      });
      assert.equal(strict.code, 2);
      // A real build error (a missing file) still fails that side: exit 2, said.
      writeTree(dir, {
        'apps/kustomization.yaml':
          'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - cm.yaml\n  - gone.yaml\n',
      });
      gitCommitAll(dir, 'three');
      const broken = await runCli(['diff', dir, '--base', base, '--head', 'HEAD', '--format', 'json'], {
        env: { AKSFLEET_TODAY: '2026-12-07' },
      });
      assert.equal(broken.code, 2);
      assert.match(JSON.stringify(JSON.parse(broken.out).clusters[0].errors), /gone\.yaml/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

test(
  'diff --path P where P exists on one side only: the layout changed, ' +
    'its objects are all added (exit 1), not a build error (exit 2)',
  async () => {
    const dir = tempDir();
    const ns = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: cluster-baseline-settings\n';
    try {
      writeTree(dir, { 'cluster-baseline-settings/ns.yaml': ns });
      gitCommitAll(dir, 'one', URL);
      const base = git(dir, ['rev-parse', 'HEAD']).trim();
      rmSync(join(dir, 'cluster-baseline-settings'), { recursive: true });
      writeTree(dir, { 'cluster-manifests/ns.yaml': ns });
      gitCommitAll(dir, 'two');
      const r = await runCli([
        'diff',
        dir,
        '--base',
        base,
        '--head',
        'HEAD',
        '--path',
        'cluster-manifests',
        '--format',
        'json',
      ]);
      assert.equal(r.code, 1, r.err + r.out);
      const j = JSON.parse(r.out) as {
        clusters: { errors: string[]; diff?: { added: { id: string }[]; removed: unknown[] } }[];
      };
      assert.deepEqual(j.clusters[0]!.errors, []);
      assert.deepEqual(
        j.clusters[0]!.diff?.added.map((a) => a.id),
        ['Namespace/cluster-baseline-settings'],
      );
      const gone = await runCli([
        'diff',
        dir,
        '--base',
        base,
        '--head',
        'HEAD',
        '--path',
        'cluster-baseline-settings',
        '--format',
        'json',
      ]);
      assert.equal(gone.code, 1);
      assert.equal(
        (JSON.parse(gone.out) as { clusters: { diff: { removed: unknown[] } }[] }).clusters[0]!.diff.removed.length,
        1,
      );
      const neither = await runCli(['diff', dir, '--base', base, '--head', 'HEAD', '--path', 'nowhere']);
      assert.equal(neither.code, 2);
      assert.match(neither.err, /--path 'nowhere' is a directory on neither side/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
