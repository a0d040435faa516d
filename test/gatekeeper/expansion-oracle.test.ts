/**
 * ExpansionTemplates (src/admission/gatekeeper/expansion.ts) against the real `gator test`
 * (oracle gator-3.23, v3.23.1): a constraint on Pods judges the workloads that create them, with
 * the same messages (`[Implied by <template>] ...`, the resultant named `<parent>-pod`), on the
 * parent object, under the template's enforcement action when it sets one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../check/helpers.js';
import { inCi, oracle } from '../oracles/index.js';

const gator = oracle('gator-3.23');
const skip = !gator.built && !inCi() ? 'gator-3.23 is not built (test/oracles/build.sh gator-3.23)' : false;

const POLICIES = `apiVersion: templates.gatekeeper.sh/v1
kind: ConstraintTemplate
metadata: { name: k8sdisallowlatest }
spec:
  crd: { spec: { names: { kind: K8sDisallowLatest } } }
  targets:
    - target: admission.k8s.gatekeeper.sh
      rego: |
        package k8sdisallowlatest
        violation[{"msg": msg}] {
          c := input.review.object.spec.containers[_]
          endswith(c.image, ":latest")
          msg := sprintf("container %v of %v/%v uses latest", [c.name, input.review.object.metadata.namespace, input.review.object.metadata.name])
        }
---
apiVersion: constraints.gatekeeper.sh/v1beta1
kind: K8sDisallowLatest
metadata: { name: no-latest }
spec:
  match: { kinds: [ { apiGroups: [""], kinds: ["Pod"] } ] }
---
apiVersion: expansion.gatekeeper.sh/v1beta1
kind: ExpansionTemplate
metadata: { name: expand-workloads }
spec:
  applyTo:
    - { groups: ["apps"], kinds: ["Deployment", "StatefulSet"], versions: ["v1"] }
  templateSource: spec.template
  generatedGVK: { kind: Pod, group: "", version: v1 }
---
apiVersion: expansion.gatekeeper.sh/v1beta1
kind: ExpansionTemplate
metadata: { name: expand-cronjobs }
spec:
  applyTo: [ { groups: ["batch"], kinds: ["CronJob"], versions: ["v1"] } ]
  templateSource: spec.jobTemplate.spec.template
  generatedGVK: { kind: Pod, group: "", version: v1 }
  enforcementAction: warn
`;

const pod = (image: string) => `    metadata: { labels: { app: x } }
    spec:
      containers: [ { name: c, image: ${image} } ]`;
const RESOURCES = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  selector: { matchLabels: { app: x } }
  template:
${pod('nginx:latest')}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: shop }
spec:
  serviceName: db
  selector: { matchLabels: { app: x } }
  template:
${pod('postgres:16.4')}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent, namespace: shop }
spec:
  selector: { matchLabels: { app: x } }
  template:
${pod('agent:latest')}
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly, namespace: jobs }
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
    ${pod('busybox:latest').replace(/\n/g, '\n    ')}
---
apiVersion: v1
kind: Pod
metadata: { name: bare, namespace: shop }
spec:
  containers: [ { name: c, image: redis:latest } ]
`;

interface Verdict {
  object: string;
  message: string;
  action: string;
}

test('ExpansionTemplates: the same violations as gator test, on the same parents, with the same actions', {
  skip,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aksfleet-expansion-'));
  try {
    writeFileSync(join(dir, 'policies.yaml'), POLICIES);
    writeFileSync(join(dir, 'resources.yaml'), RESOURCES);
    const g = spawnSync(
      gator.path,
      ['test', '-f', join(dir, 'policies.yaml'), '-f', join(dir, 'resources.yaml'), '-o', 'json'],
      { encoding: 'utf8', timeout: 120_000 },
    );
    const theirs = (
      JSON.parse(g.stdout) as {
        msg: string;
        enforcementAction: string;
        violatingObject: { kind: string; metadata: { namespace?: string; name: string } };
      }[]
    )
      .map(
        (x): Verdict => ({
          object: `${x.violatingObject.kind}/${x.violatingObject.metadata.namespace ?? ''}/${x.violatingObject.metadata.name}`,
          message: x.msg,
          action: x.enforcementAction === 'deny' ? 'fail' : 'warn',
        }),
      )
      .sort((a, b) => a.object.localeCompare(b.object) || a.message.localeCompare(b.message));
    const r = await runCli([
      'policy',
      'apply',
      join(dir, 'policies.yaml'),
      '--resource',
      join(dir, 'resources.yaml'),
      '--format',
      'json',
    ]);
    const ours = (
      JSON.parse(r.out) as {
        results: { result: string; message?: string; resource: { kind: string; namespace?: string; name: string } }[];
      }
    ).results
      .filter((x) => x.result === 'fail' || x.result === 'warn')
      .map(
        (x): Verdict => ({
          object: `${x.resource.kind}/${x.resource.namespace ?? ''}/${x.resource.name}`,
          message: x.message ?? '',
          action: x.result,
        }),
      )
      .sort((a, b) => a.object.localeCompare(b.object) || a.message.localeCompare(b.message));
    // The oracle's own view first: three violations (a Deployment and a CronJob through their
    // templates, the bare Pod), none for the StatefulSet (pinned) or the DaemonSet (no template applies).
    assert.equal(theirs.length, 3, g.stdout);
    assert.deepEqual(ours, theirs);
    assert.ok(
      ours.some(
        (x) =>
          x.object === 'CronJob/jobs/nightly' &&
          x.action === 'warn' &&
          x.message.startsWith('[Implied by expand-cronjobs] ') &&
          x.message.includes('jobs/nightly-pod'),
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
