/**
 * Tests of Flux postBuild substitution. The first case re-expresses fluxcd/pkg
 * TestKustomization_Varsub (testdata/resources + configmap.yaml -> kustomization_varsub_expected);
 * the typing cases follow §5.2 of ../shared/docs/kustomize-flux-semantics.md (go-yaml v2 / YAML 1.1 re-parse,
 * fluxcd/flux2#4606, kustomize-controller#554).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { substituteObject, loadVariables, parseVarsFile, isSubstitutionDisabled } from './index.js';
import type { KObject } from '../../resources/resource.js';

const obj = (y: string) => parse(y) as KObject;

const deployment = obj(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: apps
  labels:
    environment: \${cluster_env:=dev}
    region: \${cluster_region}
spec:
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      annotations:
        prometheus.io/scrape: \${prometheus_scrape:=false}
        prometheus.io/port: \${prometheus_port}
      labels:
        app: app
    spec:
      containers:
      - name: nginx
        image: \${image}
        imagePullPolicy: IfNotPresent
`);
const appVarsInCluster = obj(`
apiVersion: v1
kind: ConfigMap
metadata: {name: app-vars, namespace: apps}
data:
  prometheus_scrape: '"true"'
  prometheus_port: '"9797"'
  image: "nginx:1.21.4"
`);
const appVarsInBuild = obj(`
apiVersion: v1
kind: ConfigMap
metadata:
  labels:
    kustomize.toolkit.fluxcd.io/substitute: disabled
    environment: \${cluster_env:=dev}
  name: app-vars
  namespace: apps
data:
  image: \${image}
`);

test('substitute: fluxcd/pkg TestKustomization_Varsub', () => {
  const v = loadVariables(
    {
      substitute: { cluster_env: 'prod', cluster_region: 'eu-central-1' },
      substituteFrom: [{ kind: 'ConfigMap', name: 'app-vars' }],
    },
    'apps',
    {
      find: (kind, ns, name) =>
        kind === 'ConfigMap' && ns === 'apps' && name === 'app-vars' ? appVarsInCluster : undefined,
    },
  );
  assert.deepEqual(v.problems, []);
  assert.deepEqual(v.refs, [{ ref: 'ConfigMap/apps/app-vars', index: 0, status: 'found' }]);
  const out = substituteObject(deployment, { vars: v.vars });
  assert.equal(out.status, 'substituted');
  const o = out.object as any;
  assert.deepEqual(o.metadata.labels, { environment: 'prod', region: 'eu-central-1' });
  assert.deepEqual(o.spec.template.metadata.annotations, {
    'prometheus.io/scrape': 'true',
    'prometheus.io/port': '9797',
  });
  assert.equal(o.spec.template.spec.containers[0].image, 'nginx:1.21.4');
  // the ConfigMap labelled substitute: disabled is left as it is
  assert.equal(isSubstitutionDisabled(appVarsInBuild), true);
  assert.equal(substituteObject(appVarsInBuild, { vars: v.vars }).object, appVarsInBuild);
});

test('substitute: YAML 1.1 typing of inserted values', () => {
  const o = obj(
    'kind: X\nmetadata: {name: x}\nspec:\n  a: ${A}\n  b: ${B}\n  c: ${C}\n  d: ${D}\n  e: "${E}"\n' +
      '  f: ${F}\n  g: ${G}\n  h: ${H}\n  i: ${I}\n  j: prefix-${A}\n  k: ${K}\n  l: ${L}\n',
  );
  const vars = new Map(
    Object.entries({
      A: 'yes',
      B: 'on',
      C: '004',
      D: '1000',
      E: 'y',
      F: '2001-12-14',
      G: '1:20',
      H: 'off',
      I: '0x1F',
      K: '1.0',
      L: '0o17',
    }),
  );
  const out = substituteObject(o, { vars });
  assert.deepEqual((out.object as any).spec, {
    a: true,
    b: true,
    c: 4,
    d: 1000,
    e: true,
    f: '2001-12-14',
    g: '1:20',
    h: false,
    i: 31,
    j: 'prefix-yes',
    k: 1,
    l: 15,
  });
});

test('substitute: untouched strings keep their type through the YAML 1.1 round trip', () => {
  const o = obj(
    "kind: X\nmetadata: {name: x, annotations: {a: 'yes', b: '0755', c: 'on'}}\nspec:\n  s: ${S}\n" +
      "  t: 'true'\n  u: '1:20'\n  v: |\n    multi\n    line ${S}\n",
  );
  const out = substituteObject(o, { vars: new Map([['S', 'v']]) });
  const r = out.object as any;
  assert.deepEqual(r.metadata.annotations, { a: 'yes', b: '0755', c: 'on' });
  assert.deepEqual(r.spec, { s: 'v', t: 'true', u: '1:20', v: 'multi\nline v\n' });
});

test('substitute: only with variables or substituteStrategy Always; missing variables reported', () => {
  const o = obj('kind: X\nmetadata: {name: x}\ndata:\n  a: ${A:=5Gi}\n  b: ${B}\n');
  assert.equal(substituteObject(o, { vars: new Map() }).status, 'skipped');
  const always = substituteObject(o, { vars: new Map(), always: true });
  assert.equal(always.status, 'substituted');
  assert.deepEqual((always.object as any).data, { a: '5Gi', b: null });
  assert.deepEqual(always.status === 'substituted' && always.missing, ['B']);
  const strict = substituteObject(o, { vars: new Map([['X', '1']]), strict: true });
  assert.equal(strict.status, 'error');
  assert.equal(strict.status === 'error' && strict.variable, 'B');
  const bad = substituteObject(obj('kind: X\nmetadata: {name: x}\ndata: {a: "${A"}\n'), {
    vars: new Map([['A', '1']]),
  });
  assert.equal(bad.status, 'error');
  assert.match(bad.status === 'error' ? bad.message : '', /envsubst error: missing closing brace/);
});

test('substitute: an inserted value with YAML syntax is an error, not a silent change', () => {
  const out = substituteObject(obj('kind: X\nmetadata: {name: x}\ndata:\n  a: ${A}\n'), {
    vars: new Map([['A', '[oops']]),
  });
  assert.equal(out.status, 'error');
});

test('variables: substituteFrom order, Secret base64, optional, inline overrides, \\n stripped, name check', () => {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'ns' },
    data: { A: Buffer.from('from-secret\n').toString('base64'), B: Buffer.from('b').toString('base64') },
  };
  const cm = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'ns' },
    data: { A: 'from-cm', C: 'c' },
  };
  const find = (kind: string, ns: string, name: string) =>
    [secret, cm].find((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name === name) as
      | KObject
      | undefined;
  const v = loadVariables(
    {
      substituteFrom: [
        { kind: 'ConfigMap', name: 'c' },
        { kind: 'Secret', name: 's' },
        { kind: 'Secret', name: 'gone', optional: true },
      ],
      substitute: { C: 'inline\nvalue' },
    },
    'ns',
    { find },
  );
  assert.deepEqual(Object.fromEntries(v.vars), { A: 'from-secret', C: 'inlinevalue', B: 'b' });
  assert.deepEqual(
    v.refs.map((r) => r.status),
    ['found', 'found', 'optional-missing'],
  );
  assert.equal(v.unknownVars, false);
  const missing = loadVariables({ substituteFrom: [{ kind: 'Secret', name: 'cluster-secrets' }] }, 'flux-system', {
    find: () => undefined,
  });
  assert.equal(missing.unknownVars, true);
  assert.deepEqual(missing.refs, [{ ref: 'Secret/flux-system/cluster-secrets', index: 0, status: 'missing' }]);
  const fromFile = loadVariables({ substituteFrom: [{ kind: 'Secret', name: 'cluster-secrets' }] }, 'flux-system', {
    find: () => undefined,
    varsFile: { D: 'd' },
  });
  assert.deepEqual(Object.fromEntries(fromFile.vars), { D: 'd' });
  assert.equal(fromFile.unknownVars, false);
  const bad = loadVariables({ substitute: { 'bad-name': 'x', n: 5 as never } }, 'ns', { find: () => undefined });
  assert.deepEqual(
    bad.problems.map((p) => p.fieldPath),
    ['spec.postBuild.substitute.n', 'spec.postBuild'],
  );
});

test('vars file: KEY=VALUE lines or a YAML map', () => {
  assert.deepEqual(parseVarsFile('# c\nA=1\nexport B="two words"\nC=x=y\n\n', 'v.env'), {
    A: '1',
    B: 'two words',
    C: 'x=y',
  });
  assert.deepEqual(parseVarsFile('A: "1"\nB: yes\n', 'v.yaml'), { A: '1', B: 'yes' });
  assert.throws(() => parseVarsFile('A: {b: 1}\n', 'v.yaml'), /expected a string value/);
});

test('variables: a SOPS-encrypted Secret in the build does not give its (encrypted) values', () => {
  const enc = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'ns' },
    data: { A: 'RU5DW...' },
    sops: { mac: 'ENC[AES256_GCM,data:x]' },
  } as KObject;
  const v = loadVariables({ substituteFrom: [{ kind: 'Secret', name: 's' }] }, 'ns', { find: () => enc });
  assert.deepEqual(
    v.refs.map((r) => r.status),
    ['encrypted'],
  );
  assert.equal(v.vars.size, 0);
  assert.equal(v.unknownVars, true);
  const withFile = loadVariables({ substituteFrom: [{ kind: 'Secret', name: 's', optional: true }] }, 'ns', {
    find: () => enc,
    varsFile: { A: 'a' },
  });
  assert.deepEqual(Object.fromEntries(withFile.vars), { A: 'a' });
});
