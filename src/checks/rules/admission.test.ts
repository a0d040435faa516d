/**
 * The admission rule's shortcuts change speed, never results: the kind filter read from the
 * policies' match blocks is a superset, and results memoised by content across clusters are the
 * ones a plain evaluation gives. Judged against the engines run on every object with no filter
 * and no memo, on the generated example fleet with extra policies (a VAP by resource name, a
 * Kyverno policy with a wildcard kind, one reading a ConfigMap through `context`).
 */
import {
  KYVERNO_FILTERED_ENGINES,
  clusterResourceFilters,
  resourceFilterMatcher,
} from '../../admission/kyverno/resource-filters.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { admissionEngines } from '../../admission/engines.js';
import type { PolicyDocument, PolicyResult } from '../../admission/types.js';
import { generateAll } from '../../generators/index.js';
import { MemoryRepoFs } from '../../repo/repo-fs.js';
import { parseFleet } from '../../spec/load.js';
import { parseYamlDocuments } from '../../yaml/parse.js';
import { checkRepository } from '../index.js';
import type { CheckContext, Report } from '../types.js';
import { admitCluster, matchableKinds } from './admission.js';

const doc = (yaml: string): PolicyDocument => ({
  object: parseYamlDocuments(yaml, 'p.yaml')[0]!.value as Record<string, unknown>,
  file: 'p.yaml',
  line: 1,
});

test('matchableKinds: a superset of the kinds a policy can match, undefined when it could match anything', () => {
  const kyverno = (kinds: string) =>
    doc(
      'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: { name: p }\nspec:\n  rules:\n  - name: r\n ' +
        `   match: { any: [ { resources: { kinds: [${kinds}] } } ] }\n    validate: { pattern: { x: 1 } }\n`,
    );
  assert.deepEqual([...matchableKinds([kyverno('Namespace, apps/v1/Deployment')])!].sort(), [
    'apps',
    'deployment',
    'namespace',
    'v1',
  ]);
  // Pod rules are rewritten for the pod controllers (autogen).
  assert.ok(
    ['pod', 'deployment', 'cronjob', 'statefulset', 'daemonset', 'job', 'replicaset'].every((k) =>
      matchableKinds([kyverno('Pod')])!.has(k),
    ),
  );
  assert.equal(matchableKinds([kyverno('"*"')]), undefined);
  assert.equal(matchableKinds([kyverno('Deploy*')]), undefined);
  const vap = (resources: string) =>
    doc(
      'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: { name: v ' +
        "}\nspec:\n  matchConstraints: { resourceRules: [ { apiGroups: ['*'], apiVersions: ['*'], operations: " +
        `[CREATE], resources: [${resources}] } ] }\n  validations: [ { expression: 'true' } ]\n`,
    );
  assert.deepEqual([...matchableKinds([vap('deployments, deployments/scale')])!], ['deployments']);
  assert.equal(matchableKinds([vap('"*"')]), undefined);
  // An engine this filter does not know (Gatekeeper, later): no filter.
  assert.equal(
    matchableKinds([
      doc('apiVersion: constraints.gatekeeper.sh/v1beta1\nkind: K8sRequiredLabels\nmetadata: { name: c }\n'),
    ]),
    undefined,
  );
});

const EXTRA = `apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata: { name: max-replicas }
spec:
  matchConstraints: { resourceRules: [ { apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments] } ] }
  validations: [ { expression: "!has(object.spec.replicas) || object.spec.replicas <= 1", message: at most one } ]
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata: { name: max-replicas }
spec: { policyName: max-replicas, validationActions: [Warn] }
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: everything-labelled }
spec:
  validationFailureAction: Audit
  rules:
  - name: managed-by
    match: { any: [ { resources: { kinds: ["*"] } } ] }
    validate: { message: needs managed-by, pattern: { metadata: { labels: { app.kubernetes.io/managed-by: "?*" } } } }
---
apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata: { name: from-configmap }
spec:
  validationFailureAction: Audit
  rules:
  - name: allowed-namespace
    match: { any: [ { resources: { kinds: [ServiceAccount] } } ] }
    context:
    - name: allowed
      configMap: { name: allowed-namespaces, namespace: kube-system }
    validate:
      message: "namespace {{ request.object.metadata.namespace }} is not allowed"
      deny: { conditions: { any: [ { key: "{{ request.object.metadata.namespace }}", operator: AnyNotIn, value: "{{ allowed.data.names }}" } ] } }
`;

function exampleContexts(extra: string): CheckContext[] {
  const text = readFileSync(new URL('../../../examples/fleet.yaml', import.meta.url), 'utf8');
  const files: Record<string, string> = { 'fleet.yaml': text };
  for (const f of generateAll(parseFleet(text))) files[f.path] = f.content;
  files['platform/policies/extra.yaml'] = extra;
  files['platform/policies/kustomization.yaml'] = files['platform/policies/kustomization.yaml']!.replace(
    /^resources:\n/m,
    'resources:\n- extra.yaml\n',
  );
  return checkRepository(new MemoryRepoFs(files), { today: '2026-11-25' }).contexts;
}

/**
 * The reference: every engine on every object, no kind filter, no memo; the objects the cluster's
 * Kyverno lets through unevaluated (its resourceFilters) are not given to the Kyverno engines, as
 * the rule and the cluster do.
 */
function plain(ctx: CheckContext): string[] {
  const engines = admissionEngines();
  const filteredOut = resourceFilterMatcher(
    clusterResourceFilters(ctx.resources.map((r) => r.object as Record<string, unknown>)).filters,
  );
  const policies = ctx.resources.filter((r) => engines.some((e) => e.accepts(r.object as Record<string, unknown>)));
  const out: string[] = [];
  const namespaces = new Map(
    ctx.resources
      .filter((r) => r.object.kind === 'Namespace')
      .map((r) => [r.object.metadata!.name!, r.object as Record<string, unknown>]),
  );
  const compiled = engines.map((e) => ({
    e,
    c: e.compile(
      policies
        .filter((p) => e.accepts(p.object as Record<string, unknown>))
        .map((p) => ({ object: p.object as Record<string, unknown>, file: p.origin!.file, line: p.origin!.line })),
    ).compiled,
  }));
  for (const r of ctx.resources) {
    for (const { e, c } of compiled) {
      if (KYVERNO_FILTERED_ENGINES.has(e.name) && filteredOut(r.object as Record<string, unknown>)) continue;
      const res: PolicyResult[] = e.evaluate(c, r.object as Record<string, unknown>, {
        namespaces,
        resources: ctx.resources.map((x) => x.object as Record<string, unknown>),
        operation: 'CREATE',
      });
      for (const x of res)
        if (x.result !== 'pass' && x.result !== 'skip')
          out.push(
            `${x.policy}/${x.rule} ${x.result} ${x.resource.kind}/${x.resource.namespace ?? ''}/${x.resource.name} ${x.message ?? ''}`,
          );
    }
  }
  return out.sort();
}

function viaRule(ctx: CheckContext, cache: Map<string, unknown> | undefined): string[] {
  const out: Report[] = [];
  admitCluster(ctx, (r) => out.push(r), {
    engines: admissionEngines(),
    extraPolicies: [],
    ...(cache ? { cache } : {}),
  });
  return out
    .filter((r) => r.severity !== 'info')
    .map(
      (r) =>
        `${r.ruleId} ${r.severity} ${r.resource ? `${r.resource.object.kind}/${r.resource.object.metadata?.namespace ?? ''}/${r.resource.object.metadata?.name}` : ''} ${r.message}`,
    )
    .sort();
}

/** The extra policies without the wildcard one (whose `*` turns the Kyverno kind filter off). */
const NO_WILDCARD = EXTRA.split('\n---\n')
  .filter((d) => !d.includes('everything-labelled'))
  .join('\n---\n');

for (const [label, extra] of [
  ['with a wildcard policy', EXTRA],
  ['kind filter on for every engine', NO_WILDCARD],
] as const)
  test(`the kind filter and the memo across clusters give what a plain evaluation of every object gives (${label})`, () => {
    const contexts = exampleContexts(extra);
    assert.equal(contexts.length, 3);
    const cache = new Map<string, unknown>();
    let compared = 0;
    for (const ctx of contexts) {
      const reference = plain(ctx).filter((l) => !(/ error /.test(l) && /offline/.test(l)));
      const withMemo = viaRule(ctx, cache);
      const without = viaRule(ctx, undefined);
      assert.deepEqual(withMemo, without, `${ctx.cluster}: memo`);
      // Same verdicts, object for object, as the engines on everything (fail/warn/error that is not "offline").
      assert.equal(
        withMemo.length,
        reference.length,
        `${ctx.cluster}: ${withMemo.length} findings vs ${reference.length} plain results\n${withMemo.join('\n')}\n---\n${reference.join('\n')}`,
      );
      for (const l of reference) {
        const [rule, , obj] = l.split(' ');
        assert.ok(
          withMemo.some((w) => w.startsWith(`policy:${rule} `) && w.includes(` ${obj} `)),
          `${ctx.cluster}: ${l} not reported`,
        );
      }
      compared += reference.length;
    }
    // The comparison is not empty: the fleet's own, the VAP and the ConfigMap policies report somewhere.
    assert.ok(compared >= 6, `only ${compared} verdicts compared`);
    assert.ok(cache.size > 0);
  });
