import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffObjectSets, diffValues, REDACTED } from './object-diff.js';
import { renderMarkdown, renderText } from './render.js';
import type { KObject, Resource } from '../resources/resource.js';

const r = (object: KObject): Resource => ({ object });
const deploy = (image: string, replicas = 3, selector = { app: 'api' }): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'api', namespace: 'app', labels: { 'kustomize.toolkit.fluxcd.io/name': 'workloads', team: 'a' } },
  spec: {
    replicas,
    selector: { matchLabels: selector },
    template: {
      metadata: { labels: selector },
      spec: {
        containers: [
          { name: 'sidecar', image: 'envoy:1' },
          { name: 'api', image, ports: [{ containerPort: 8080 }] },
        ],
      },
    },
  },
});

test('list items are matched by key, not by position', () => {
  const a = [
    { name: 'a', image: '1' },
    { name: 'b', image: '1' },
  ];
  const b = [
    { name: 'b', image: '2' },
    { name: 'a', image: '1' },
  ];
  assert.deepEqual(diffValues({ c: a }, { c: b }), [{ path: 'c[name=b].image', op: 'replace', from: '1', to: '2' }]);
  assert.deepEqual(diffValues({ p: [{ port: 80 }, { port: 443 }] }, { p: [{ port: 443 }] }), [
    { path: 'p[port=80/TCP]', op: 'remove', from: { port: 80 } },
  ]);
});

test('image changes are summarised; owner labels are noise', () => {
  const d = diffObjectSets(
    [r(deploy('acr.io/api:1.2.3'))],
    [r({ ...deploy('acr.io/api:1.2.4'), metadata: { ...deploy('x').metadata, labels: { team: 'a' } } })],
  );
  assert.equal(d.changed.length, 1);
  assert.deepEqual(d.changed[0]!.changes, [
    {
      path: 'spec.template.spec.containers[name=api].image',
      op: 'replace',
      from: 'acr.io/api:1.2.3',
      to: 'acr.io/api:1.2.4',
    },
  ]);
  assert.deepEqual(d.images, [
    { id: 'Deployment/app/api', container: 'api', from: 'acr.io/api:1.2.3', to: 'acr.io/api:1.2.4' },
  ]);
  assert.deepEqual(d.dangers, []);
});

test('dangers: selector change, roleRef change, PVC shrink, namespace and CRD deletion', () => {
  const rb = (role: string): KObject => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'rb', namespace: 'app' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [],
  });
  const pvc = (size: string): KObject => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'data', namespace: 'app' },
    spec: { resources: { requests: { storage: size } } },
  });
  const ns: KObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'app' } };
  const crd: KObject = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'foos.example.com' },
  };
  const d = diffObjectSets(
    [r(deploy('x:1', 3, { app: 'api' })), r(rb('edit')), r(pvc('10Gi')), r(ns), r(crd)],
    [r(deploy('x:1', 3, { app: 'api2' })), r(rb('admin')), r(pvc('5Gi'))],
  );
  const reasons = d.dangers.map((x) => `${x.id}: ${x.reason}`);
  assert.equal(reasons.length, 5);
  assert.match(reasons.join('\n'), /Deployment\/app\/api: spec\.selector is immutable/);
  assert.match(reasons.join('\n'), /RoleBinding\/app\/rb: roleRef is immutable/);
  assert.match(reasons.join('\n'), /PersistentVolumeClaim\/app\/data: PVC size decrease 10Gi -> 5Gi/);
  assert.match(reasons.join('\n'), /Namespace\/app: namespace deletion/);
  assert.match(reasons.join('\n'), /CustomResourceDefinition\/foos\.example\.com: CRD deletion/);
  assert.equal(d.removed.length, 2);
});

test('Secret values never appear in a diff', () => {
  const s = (v: string): KObject => ({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'app' },
    data: { password: Buffer.from(v).toString('base64') },
  });
  const d = diffObjectSets([r(s('hunter2'))], [r(s('correct-horse'))]);
  const text = JSON.stringify(d);
  assert.ok(
    !text.includes(Buffer.from('hunter2').toString('base64')) &&
      !text.includes(Buffer.from('correct-horse').toString('base64')),
  );
  assert.deepEqual(d.changed[0]!.changes, [{ path: 'data.password', op: 'replace', from: REDACTED, to: REDACTED }]);
  const added = diffObjectSets([], [r(s('hunter2'))]);
  assert.ok(!JSON.stringify(added).includes(Buffer.from('hunter2').toString('base64')));
  assert.deepEqual(Object.keys(added.added[0]!.object.data as object), ['password']);
});

test('values substituted from Secrets and URL userinfo are masked in every change; non-secret parts stay', () => {
  const cm = (v: string): KObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'c', namespace: 'app' },
    data: { url: `postgres://app:${v}@db/app`, plain: v === 'old-s3cret' ? 'a' : 'b' },
  });
  const d = diffObjectSets([r(cm('old-s3cret'))], [r(cm('new-s3cret'))], {
    secretValues: ['old-s3cret', 'new-s3cret'],
  });
  const text = JSON.stringify(d);
  assert.ok(!text.includes('s3cret'), text);
  assert.deepEqual(
    d.changed[0]!.changes.map((c) => c.path),
    ['data.plain', 'data.url'],
  );
  assert.deepEqual(d.changed[0]!.changes[0], { path: 'data.plain', op: 'replace', from: 'a', to: 'b' });
  const git = (u: string): KObject => ({
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'g', namespace: 'flux-system' },
    spec: { url: u },
  });
  const g = diffObjectSets([r(git('https://x:tok-1@h/a'))], [r(git('https://x:tok-2@h/b'))]);
  assert.deepEqual(g.changed[0]!.changes, [
    { path: 'spec.url', op: 'replace', from: 'https://**REDACTED**@h/a', to: 'https://**REDACTED**@h/b' },
  ]);
  const added = diffObjectSets([], [r(git('https://x:tok-1@h/a'))]);
  assert.ok(!JSON.stringify(added).includes('tok-1'));
});

const cm = (data: Record<string, string>): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'cfg', namespace: 'app' },
  data,
});

test('embedded YAML and JSON in a string field are diffed structurally when both sides parse', () => {
  const y = (port: number) => `server:\n  port: ${port}\n  host: example.com\nfeatures: [a, b]\n`;
  const d = diffObjectSets(
    [r(cm({ 'config.yaml': y(80), 'dash.json': '{"title":"x","panels":[{"id":1}]}' }))],
    [r(cm({ 'config.yaml': y(8080), 'dash.json': '{"title":"y","panels":[{"id":1}]}' }))],
  );
  assert.deepEqual(d.changed[0]!.changes, [
    { path: 'data["config.yaml"]{yaml}.server.port', op: 'replace', from: 80, to: 8080 },
    { path: 'data["dash.json"]{json}.title', op: 'replace', from: 'x', to: 'y' },
  ]);
  // One side not YAML (or a plain script): a string change, shown as line hunks.
  const s = diffObjectSets(
    [r(cm({ 'run.sh': '#!/bin/sh\necho one\necho two\n' }))],
    [r(cm({ 'run.sh': '#!/bin/sh\necho one\necho 2\n' }))],
  );
  assert.deepEqual(
    s.changed[0]!.changes.map((c) => [c.path, c.op]),
    [['data["run.sh"]', 'replace']],
  );
});

test('multi-line string fields render as unified hunks inside the field, in text and markdown', () => {
  const lines = (n: number, changed: number) =>
    Array.from({ length: 40 }, (_, i) => (i === changed ? `echo changed ${n}` : `echo line ${i}`)).join('\n');
  const d = diffObjectSets([r(cm({ 'run.sh': lines(1, 20) }))], [r(cm({ 'run.sh': lines(2, 20) }))]);
  const fd = {
    base: 'a',
    head: 'b',
    clusters: [{ cluster: 'c', path: 'clusters/c', errors: [], unchangedInputs: false, unfollowed: [], diff: d }],
  };
  const text = renderText(fd);
  assert.match(
    text,
    /~ data\["run\.sh"\]:\n\s+@@ -18,7 \+18,7 @@\n\s+ echo line 17\n\s+ echo line 18\n\s+ echo line 19\n\s+-echo changed 1\n\s+\+echo changed 2\n\s+ echo line 21\n/,
  );
  assert.doesNotMatch(text, /\.\.\./, 'never the whole old and new text cut short');
  assert.doesNotMatch(text, /echo line 5/, 'lines far from the change are not shown');
  assert.match(renderMarkdown(fd), /@@ -18,7 \+18,7 @@/);
});

test('dangers: suspend flips on Flux objects, StatefulSet volumeClaimTemplates, Job template', () => {
  const ks = (suspend?: boolean): KObject => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system' },
    spec: { path: './apps', ...(suspend === undefined ? {} : { suspend }) },
  });
  const hr = (suspend: boolean): KObject => ({
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'web', namespace: 'app' },
    spec: { suspend },
  });
  const sts = (size: string): KObject => ({
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'app' },
    spec: {
      volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: size } } } }],
    },
  });
  const job = (image: string): KObject => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'migrate', namespace: 'app' },
    spec: { template: { spec: { containers: [{ name: 'm', image }] } } },
  });
  const d = diffObjectSets(
    [r(ks()), r(hr(true)), r(sts('1Gi')), r(job('m:1'))],
    [r(ks(true)), r(hr(false)), r(sts('2Gi')), r(job('m:2'))],
  );
  const reasons = d.dangers.map((x) => `${x.id}: ${x.reason}`).join('\n');
  assert.match(reasons, /Kustomization\/flux-system\/apps: suspend flips on/);
  assert.match(reasons, /HelmRelease\/app\/web: suspend flips off: Flux resumes/);
  assert.match(reasons, /StatefulSet\/app\/db: this StatefulSet field is immutable/);
  assert.match(reasons, /Job\/app\/migrate: a Job's selector and template are immutable/);
  assert.equal(d.dangers.length, 4);
});

test('removed objects: deleted only when their Kustomization prunes; with prune: false they stay, unmanaged', () => {
  const ks = (prune: boolean): KObject => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system' },
    spec: { path: './apps', prune },
  });
  const owned = (name: string, kind = 'ConfigMap'): KObject => ({
    apiVersion: 'v1',
    kind,
    metadata: {
      name,
      ...(kind === 'Namespace' ? {} : { namespace: 'app' }),
      labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' },
    },
  });
  const pruned = diffObjectSets([r(ks(true)), r(owned('a'))], [r(ks(true))]);
  assert.deepEqual(
    pruned.dangers.map((x) => `${x.id}: ${x.reason}`),
    ['ConfigMap/app/a: deleted by prune (Kustomization/flux-system/apps has prune: true)'],
  );
  const kept = diffObjectSets([r(ks(false)), r(owned('a')), r(owned('app', 'Namespace'))], [r(ks(false))]);
  assert.deepEqual(
    kept.dangers.map((x) => `${x.id}: ${x.reason}`),
    [
      'ConfigMap/app/a: not deleted: Kustomization/flux-system/apps has prune: false, so the object stays in ' +
        'the cluster, no longer managed by Flux',
      'Namespace/app: not deleted: Kustomization/flux-system/apps has prune: false, so the object stays in ' +
        'the cluster, no longer managed by Flux',
    ],
  );
  assert.equal(kept.removed.length, 2);
});
