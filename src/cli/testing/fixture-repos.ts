/**
 * Small Flux repositories written to temporary folders, for the end-to-end tests of the
 * never-silent behaviour (build, check, diff) and of where the repository root comes from.
 * Not shipped (testing/ folders are left out of the build).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { syntheticFleet } from '../../bench/synthetic-fleet.js';
import { generateAll } from '../../generators/index.js';
import { git } from '../../git/git.js';
import { toYaml } from '../../yaml/emit.js';

/** Writes `files` (repo-relative path -> text) under `dir`. */
export function writeTree(dir: string, files: Readonly<Record<string, string>>): void {
  for (const [rel, text] of Object.entries(files)) {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'aksfleet-fixture-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** `git init` + one commit of everything in `dir`; optionally an `origin` remote URL. */
export function gitCommitAll(dir: string, message = 'fixture', origin?: string): void {
  git(dir, ['init', '-q', '-b', 'main']);
  if (origin) git(dir, ['remote', 'add', 'origin', origin]);
  git(dir, ['add', '-A']);
  git(dir, ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', message]);
}

export const gitRepository = (name: string, url: string, ns = 'flux-system'): string =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: ${name}\n` +
  `  namespace: ${ns}\nspec:\n  interval: 1m\n  url: ${url}\n  ref:\n    branch: main\n`;

export const fluxKustomization = (name: string, source: string, path: string, extra = '', ns = 'flux-system'): string =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n` +
  `  namespace: ${ns}\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n` +
  `    name: ${source}\n  path: ${path}\n${extra}`;

export const configMap = (name: string, ns: string, data: Record<string, string>): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\ndata:\n${Object.entries(data)
    .map(([k, v]) => `  ${k}: ${JSON.stringify(v)}\n`)
    .join('')}`;

/**
 * A bootstrap repository (`https://github.com/example/fleet-infra`) whose cluster `prod`
 * syncs `./infrastructure` from itself and `./deploy` of another repository
 * (`https://github.com/example/apps`, GitRepository `flux-system/apps`), which holds the
 * HelmRepository its HelmRelease in this repository uses.
 */
export function externalAppsRepo(): Record<string, string> {
  return {
    'clusters/prod/flux-system/gotk-sync.yaml':
      `${gitRepository('flux-system', 'https://github.com/example/fleet-infra')}---\n` +
      `${fluxKustomization('flux-system', 'flux-system', './clusters/prod')}`,
    'clusters/prod/infrastructure.yaml': fluxKustomization('infrastructure', 'flux-system', './infrastructure'),
    'clusters/prod/apps.yaml':
      `${gitRepository('apps', 'https://github.com/example/apps')}---\n` +
      `${fluxKustomization('apps', 'apps', './deploy', '  dependsOn:\n    - name: infrastructure\n')}`,
    'infrastructure/kustomization.yaml': 'resources:\n  - settings.yaml\n  - podinfo.yaml\n',
    'infrastructure/settings.yaml': configMap('settings', 'default', { level: 'info' }),
    'infrastructure/podinfo.yaml':
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n' +
      '  namespace: default\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: podinfo\n' +
      '      version: 6.5.4\n      sourceRef:\n        kind: HelmRepository\n        name: podinfo\n' +
      '        namespace: flux-system\n',
  };
}

/**
 * A multi-repo bootstrap layout: `flux bootstrap` made `flux-system` (GitRepository
 * `flux-system`, this repository) sync `./clusters/prod`, and `apps` syncs `./clusters/prod` of
 * another repository (GitRepository `apps`). `apps` sorts before `flux-system`.
 * With `named: false` nothing is called flux-system: `cluster` (GitRepository `fleet`, URL
 * `fleetUrl`) syncs the path, so only the checkout's remote URL tells which one is this repository.
 */
export function multiRepoBootstrap(opts: { named?: boolean; fleetUrl?: string } = {}): Record<string, string> {
  const fleetUrl = opts.fleetUrl ?? 'https://github.com/example/fleet-infra';
  const [ks, src] = opts.named === false ? ['cluster', 'fleet'] : ['flux-system', 'flux-system'];
  return {
    'clusters/prod/flux-system/gotk-sync.yaml': `${gitRepository(src, fleetUrl)}---\n${fluxKustomization(ks, src, './clusters/prod')}`,
    'clusters/prod/flux-system/kustomization.yaml': 'resources:\n  - gotk-sync.yaml\n',
    'clusters/prod/apps-sync.yaml':
      `${gitRepository('apps', 'ssh://git@github.com/example/apps-team.git')}---\n` +
      `${fluxKustomization('apps', 'apps', './clusters/prod')}`,
    'clusters/prod/infra.yaml': fluxKustomization('infra', src, './infrastructure'),
    'infrastructure/settings.yaml': configMap('settings', 'default', { level: 'info' }),
  };
}

/** Two clusters (clusters/dev, clusters/prod), each syncing its overlay of apps/base. */
export function twoClusterRepo(): Record<string, string> {
  const deploy = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    '  namespace: apps',
    'spec:',
    '  selector:',
    '    matchLabels: {app: web}',
    '  template:',
    '    metadata:',
    '      labels: {app: web}',
    '    spec:',
    '      containers:',
    '      - name: web',
    '        image: web:latest',
    '',
  ].join('\n');
  const source = gitRepository('flux-system', 'https://example.com/repo.git');
  const cluster = (env: string) => `${source}---\n${fluxKustomization('apps', 'flux-system', `./apps/${env}`)}`;
  return {
    'clusters/dev/flux.yaml': cluster('dev'),
    'clusters/prod/flux.yaml': cluster('prod'),
    'apps/base/kustomization.yaml': 'resources:\n- namespace.yaml\n- deploy.yaml\n',
    'apps/base/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n',
    'apps/base/deploy.yaml': deploy,
    'apps/dev/kustomization.yaml': 'resources:\n- ../base\n',
    'apps/prod/kustomization.yaml': 'resources:\n- ../base\n',
  };
}

/**
 * A committed synthetic fleet (seed 7, one tenant with one app, the add-on chart versions of
 * ../shared/charts) in a new temporary folder, kube-prometheus-stack off (its subcharts are not in
 * ../shared/charts: a render error). For the content-store tests of build, diff and check.
 */
export function chartFleetRepo(prefix: string, clusters: number): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const f = syntheticFleet({ clusters, tenants: 1, appsPerTenant: 1, seed: 7, sharedChartVersions: true });
  const kps = { ...f.spec.addons.kubePrometheusStack, enabled: false };
  const fleet = { ...f, spec: { ...f.spec, addons: { ...f.spec.addons, kubePrometheusStack: kps } } };
  writeTree(
    root,
    Object.fromEntries(
      [...generateAll(fleet), { path: 'fleet.yaml', content: toYaml(fleet) }].map((x) => [x.path, x.content]),
    ),
  );
  gitCommitAll(root, 'fleet');
  return root;
}
