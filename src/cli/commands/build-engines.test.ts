/**
 * #21 target 1: `aksfleet build` loads the render engines (src/flux/render-engines.ts: Helm's
 * chart loader, values, renderer and Go templates, ajv) only when its build asks for them: a
 * repository whose HelmReleases have no chart offline and that has no ResourceSet never loads
 * them; one with a chart to render loads them, builds again and prints what a build given the
 * engines from the start prints.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { modulesLoadedBy } from '../testing/modules-loaded.js';
import { runCli } from '../testing/run-cli.js';
import { demoChartFiles } from '../../flux/helmrelease/testing.js';
import { RENDER_ENGINES } from '../../flux/render-engines.js';
import { createSession, withRenderEngines } from '../../session/session.js';

/** The render engines' own modules: none of them may load for a build that renders no chart. */
const ENGINES = new RegExp(
  [
    '^src/flux/(render-engines|resourceset/render|helmrelease/(values|render-store|builtin-api-versions))\\.',
    '^src/helm/(template|default-engine|chart/load-files)\\.',
    '^src/helm/values/',
    '^node_modules/ajv/',
  ].join('|'),
);

const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\ndata:\n  a: "1"\n';
const helmRepository =
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: apps\n' +
  'spec:\n  url: https://charts.example.com\n';
/**
 * A HelmRelease whose chart comes from `sourceRef` (a HelmRepository: no chart offline; this
 * repository's GitRepository: rendered).
 */
const release = (name: string, chart: string, sourceRef: string) =>
  `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ${name}\n  namespace: apps\n` +
  `spec:\n  chart:\n    spec:\n      chart: ${chart}\n      version: "1.2.3"\n      sourceRef:\n${sourceRef}`;
const fromHelmRepository = '        kind: HelmRepository\n        name: charts\n';
const fromThisRepository = '        kind: GitRepository\n        name: flux-system\n        namespace: flux-system\n';

function repository(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'aksfleet-build-engines-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test('build of a repository without charts to render or ResourceSets loads no render engine', () => {
  const root = repository({
    'clusters/c1/settings.yaml': configMap,
    'clusters/c1/repository.yaml': helmRepository,
    'clusters/c1/release.yaml': release('web', 'web', fromHelmRepository),
  });
  try {
    const run = modulesLoadedBy(['build', root, '--path', 'clusters/c1', '--summary']);
    assert.equal(run.code, 0, run.err);
    assert.match(run.err, /HelmRelease\/apps\/web: .*chart web not rendered: no chart store/);
    assert.ok(run.loaded.includes('src/flux/build/build-cluster.ts'), 'the build ran from the sources');
    assert.deepEqual(
      run.loaded.filter((f) => ENGINES.test(f)),
      [],
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a chart to render: the engines are loaded and the output is that of a build given them', async () => {
  const chart = Object.fromEntries(Object.entries(demoChartFiles()).map(([k, v]) => [`charts/demo/${k}`, v]));
  const root = repository({
    ...chart,
    'clusters/c1/settings.yaml': configMap,
    'clusters/c1/release.yaml': release('demo', './charts/demo', fromThisRepository),
  });
  try {
    const argv = ['build', root, '--path', 'clusters/c1'];
    const loaded = modulesLoadedBy(argv);
    assert.equal(loaded.code, 0, loaded.err);
    assert.ok(loaded.loaded.includes('src/flux/render-engines.ts'));
    const lazy = await runCli(argv);
    const eager = await runCli(argv, { session: withRenderEngines(createSession(), RENDER_ENGINES) });
    assert.equal(lazy.code, 0, lazy.err);
    assert.match(lazy.out, /name: demo-config\n/);
    assert.deepEqual(lazy, eager);
    assert.equal(loaded.out, lazy.out);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('a ResourceSet: the engines are loaded and the output is that of a build given them', async () => {
  const sync =
    'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n' +
    '  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./clusters/dev\n  prune: true\n  sourceRef:\n' +
    '    kind: GitRepository\n    name: flux-system\n';
  const tenants =
    'apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\nmetadata:\n  name: tenants\n  namespace: flux-system\n' +
    'spec:\n  inputs:\n    - tenant: team1\n  resources:\n    - apiVersion: v1\n      kind: Namespace\n' +
    '      metadata:\n        name: << inputs.tenant >>\n';
  const root = repository({ 'clusters/dev/sync.yaml': sync, 'clusters/dev/tenants.yaml': tenants });
  try {
    const argv = ['build', root, '--path', 'clusters/dev'];
    const lazy = await runCli(argv);
    const eager = await runCli(argv, { session: withRenderEngines(createSession(), RENDER_ENGINES) });
    assert.equal(lazy.code, 0, lazy.err);
    assert.match(
      lazy.out,
      /kind: Namespace\nmetadata:\n {2}name: team1\n {2}labels:\n {4}resourceset\.fluxcd\.controlplane\.io\/name: /,
    );
    assert.deepEqual(lazy, eager);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
